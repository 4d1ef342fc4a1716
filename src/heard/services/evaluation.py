"""Dev-set figures for every learned task (``heard evaluate``), computed through the same code
path users get (the shipped artefacts and the engine), so the README's figures are the product's.

- customer emotion: macro-F1 on GoEmotions dev rows whose labels map to exactly one product label,
  and on TweetEval emotion val (the three labels it maps to);
- EPITOME mechanisms: macro-F1 and accuracy per mechanism on EPITOME dev, and how well the
  evidence matches the human rationales (character-level F1 on replies with level > 0);
- the overall score: Spearman correlation with the summed human levels on EPITOME dev.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from heard.datasets import iter_single_label, read_epitome, read_goemotions, read_tweeteval_emotion
from heard.results import EMOTIONS, MECHANISMS

Progress = Callable[[str], None]


def _noop(_message: str) -> None:
    return None


def macro_f1(truth: Sequence[Any], predicted: Sequence[Any], labels: Sequence[Any]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=list(labels), average="macro", zero_division=0))


def per_class_f1(
    truth: Sequence[Any], predicted: Sequence[Any], labels: Sequence[Any]
) -> dict[str, float]:
    from sklearn.metrics import f1_score

    scores = f1_score(truth, predicted, labels=list(labels), average=None, zero_division=0)
    return {str(label): round(float(s), 3) for label, s in zip(labels, scores, strict=True)}


def span_f1(reply: str, predicted: Sequence[tuple[int, int]], gold: Sequence[str]) -> float | None:
    """Character-level F1 between predicted evidence and the human rationale spans."""
    truth = np.zeros(len(reply), dtype=bool)
    for span in gold:
        span = span.strip()
        start = reply.find(span) if span else -1
        if start >= 0:
            truth[start : start + len(span)] = True
    if not truth.any():
        return None
    guess = np.zeros(len(reply), dtype=bool)
    for start, end in predicted:
        guess[start:end] = True
    overlap = float((truth & guess).sum())
    if overlap == 0:
        return 0.0
    precision = overlap / guess.sum()
    recall = overlap / truth.sum()
    return float(2 * precision * recall / (precision + recall))


def evaluate_emotions(assessor: Any, data_dir: Path) -> dict[str, Any]:
    rows = list(iter_single_label(read_goemotions(data_dir, "dev")))
    texts = [t for t, _ in rows]
    truth = [label for _, label in rows]
    started = time.perf_counter()
    predicted = [r.label for r in assessor.detect_emotions(texts)]
    elapsed = time.perf_counter() - started
    tweets = list(iter_single_label(read_tweeteval_emotion(data_dir, "val")))
    tweet_pred = [r.label for r in assessor.detect_emotions([t for t, _ in tweets])]
    tweet_truth = [label for _, label in tweets]
    tweet_labels = sorted(set(tweet_truth))
    return {
        "goemotions_dev_rows": len(rows),
        "goemotions_dev_macro_f1": round(macro_f1(truth, predicted, EMOTIONS), 3),
        "goemotions_dev_accuracy": round(
            float(np.mean([a == b for a, b in zip(truth, predicted, strict=True)])), 3
        ),
        "goemotions_dev_f1_by_label": per_class_f1(truth, predicted, EMOTIONS),
        "tweeteval_val_rows": len(tweets),
        "tweeteval_val_macro_f1": round(macro_f1(tweet_truth, tweet_pred, tweet_labels), 3),
        "texts_per_second": round(len(texts) / elapsed, 1),
    }


def evaluate_mechanisms(
    assessor: Any, data_dir: Path, progress: Progress = _noop
) -> dict[str, Any]:
    from scipy.stats import spearmanr

    examples = read_epitome(data_dir, "dev")
    started = time.perf_counter()
    assessments = []
    batch = 64
    for start in range(0, len(examples), batch):
        chunk = examples[start : start + batch]
        assessments.extend(assessor.assess_many([(e.reply, e.context) for e in chunk]))
        progress(f"assessed {min(start + batch, len(examples))}/{len(examples)} EPITOME dev pairs")
    elapsed = time.perf_counter() - started
    figures: dict[str, Any] = {"epitome_dev_pairs": len(examples)}
    for mechanism in MECHANISMS:
        truth = [e.levels[mechanism] for e in examples]
        predicted = [a.mechanisms[mechanism].level for a in assessments]
        spans = []
        for example, assessment in zip(examples, assessments, strict=True):
            if example.levels[mechanism] == 0:
                continue
            evidence = [(s.start, s.end) for s in assessment.mechanisms[mechanism].evidence]
            value = span_f1(example.reply, evidence, example.rationales[mechanism])
            if value is not None:
                spans.append(value)
        figures[mechanism] = {
            "macro_f1": round(macro_f1(truth, predicted, (0, 1, 2)), 3),
            "accuracy": round(
                float(np.mean([a == b for a, b in zip(truth, predicted, strict=True)])), 3
            ),
            "f1_by_level": per_class_f1(truth, predicted, (0, 1, 2)),
            "evidence_f1": round(float(np.mean(spans)), 3) if spans else None,
        }
    summed = [sum(e.levels.values()) for e in examples]
    scores = [a.score for a in assessments]
    rho = spearmanr(scores, summed)
    figures["score_spearman_vs_summed_levels"] = round(float(rho.statistic), 3)
    figures["score_spearman_p_value"] = float(f"{float(rho.pvalue):.2e}")
    figures["pairs_per_second"] = round(len(examples) / elapsed, 1)
    return figures


def evaluate(assessor: Any, data_dir: str | Path, progress: Progress = _noop) -> dict[str, Any]:
    """Every dev-set figure for one tier."""
    data = Path(data_dir)
    progress("evaluating customer emotion")
    emotions = evaluate_emotions(assessor, data)
    progress("evaluating EPITOME mechanisms and the overall score")
    mechanisms = evaluate_mechanisms(assessor, data, progress)
    return {
        "tier": assessor.tier.name,
        "model_version": assessor.model_version,
        "emotion": emotions,
        "mechanisms": mechanisms,
    }
