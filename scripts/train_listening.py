"""Train the pair-based active-listening models, report dev figures, write the fast artefact.

Two heads (heard.ml.listening.PairClassifier), one per data set, sharing the feature code:
- interpretations: EPITOME levels 0/1/2 (train.csv to fit, dev.csv to report);
- behaviour: AnnoMI reflection / question / other over therapist utterances, with the previous
  client utterance as the customer turn, split by transcript (heard.listening_data.annomi_split).

For each head it fits and reports on dev: the reply-only baseline (TF-IDF of the reply, as the
mechanism classifier), pair features without synthetic parrots, and the chosen design (pair
features + synthetic parrots); ``--encoder`` adds the chosen design with sentence-encoder
similarities (accurate tier). Hyper-parameters were chosen by grouped 5-fold cross-validation on
the training sets only. Besides macro-F1 it reports two listening checks on dev reflections
(EPITOME level >= 1, AnnoMI reflection): the share whose parroted version (the customer's most
overlapping sentence echoed verbatim, bare or after "I hear that") gets a lower reflection
probability than the real reply, and the share that scores lower when paired with another
customer's turn. Only figures are printed, never data-set text.

Run from the repository root:
    .venv/bin/python scripts/train_listening.py [--data-dir DIR] [--encoder] [--no-save]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from heard.datasets import default_data_dir, read_epitome
from heard.listening_data import ANNOMI_CLASSES, ListeningPair, epitome_pairs, read_annomi
from heard.ml.listening import (
    Encoder,
    ListeningModel,
    PairClassifier,
    content_stems,
    macro_f1,
    per_class_f1,
    split_sentences,
    tokens,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "heard" / "artefacts" / "fast" / "listening"

# Chosen by grouped 5-fold CV on the training sets (see the module docstring of listening.py).
DESIGNS: dict[str, dict[str, dict[str, Any]]] = {
    "interpretations": {
        "reply only (baseline)": {"pair_weight": 0.0},
        "reply + pair": {"pair_weight": 1.0},
        "reply + pair + parrots (chosen)": {"pair_weight": 1.0, "parrot_share": 0.3},
    },
    "behaviour": {
        "reply only (baseline)": {"pair_weight": 0.0},
        "reply + pair": {"pair_weight": 0.3},
        "reply + pair + parrots (chosen)": {"pair_weight": 0.3, "parrot_share": 0.3},
    },
}
CHOSEN = "reply + pair + parrots (chosen)"
COMMON: dict[str, dict[str, Any]] = {
    "interpretations": {"reflection_classes": (1, 2), "parrot_label": 0},
    "behaviour": {"reflection_classes": (0,), "parrot_label": 2},
}
CLASS_NAMES = {"interpretations": ("level 0", "level 1", "level 2"), "behaviour": ANNOMI_CLASSES}


def data_dir(argument: str | None) -> Path:
    return default_data_dir(argument, ROOT)


class CachedEncoder:
    """The sentence encoder with a memo, so cross-validation folds encode each text once."""

    def __init__(self) -> None:
        from heard.encoders import SentenceEncoder

        self.encoder = SentenceEncoder.load("all-MiniLM-L6-v2")
        self.memo: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str] | Any, *, batch_size: int = 64) -> Any:
        new = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if new:
            for text, vector in zip(
                new, self.encoder.encode(new, batch_size=batch_size), strict=True
            ):
                self.memo[text] = vector
        return np.stack([self.memo[t] for t in texts])


def parrot_of(context: str, reply: str) -> str | None:
    """The customer's sentence that shares most content words with the reply, verbatim."""
    sentences = [s for s in split_sentences(context) if len(tokens(s)) >= 4]
    if not sentences:
        return None
    reply_stems = set(content_stems(tokens(reply)))
    return max(sentences, key=lambda s: len(set(content_stems(tokens(s))) & reply_stems))


def listening_checks(
    model: PairClassifier, pairs: list[ListeningPair], encoder: Encoder | None
) -> dict[str, float]:
    positives = [p for p in pairs if p.label in model.reflection_classes]
    chosen = [(p, parrot_of(p.context, p.reply)) for p in positives]
    kept = [(p, parrot) for p, parrot in chosen if parrot is not None]
    contexts = [p.context for p, _ in kept]
    real = model.reflection_probability(contexts, [p.reply for p, _ in kept], encoder=encoder)
    bare = model.reflection_probability(contexts, [x for _, x in kept], encoder=encoder)
    heard_that = [
        f"I hear that {x[0].lower() + x[1:] if not x.startswith('I ') else x}" for _, x in kept
    ]
    prefixed = model.reflection_probability(contexts, heard_that, encoder=encoder)
    # Off-topic: the same reply after the customer turn of a pair from another group.
    others = [p.context for p in pairs if p.context.strip()]
    groups = [p.group for p in pairs if p.context.strip()]
    swapped = []
    for index, p in enumerate(positives):
        j = (index * 7919 + 13) % len(others)
        while groups[j] == p.group:
            j = (j + 1) % len(others)
        swapped.append(others[j])
    own = model.reflection_probability(
        [p.context for p in positives], [p.reply for p in positives], encoder=encoder
    )
    off = model.reflection_probability(swapped, [p.reply for p in positives], encoder=encoder)
    return {
        "parrot_lower": float(np.mean(bare < real)),
        "parrot_i_hear_lower": float(np.mean(prefixed < real)),
        "parrot_n": float(len(kept)),
        "mean_real": float(real.mean()),
        "mean_parrot": float(bare.mean()),
        "off_topic_lower": float(np.mean(off < own)),
        "mean_off_topic": float(off.mean()),
        "mean_own": float(own.mean()),
    }


def evaluate(
    name: str,
    model: PairClassifier,
    dev: list[ListeningPair],
    encoder: Encoder | None,
) -> dict[str, Any]:
    labels = np.asarray([p.label for p in dev], dtype=np.int64)
    started = time.perf_counter()
    predicted = model.predict([p.context for p in dev], [p.reply for p in dev], encoder=encoder)
    seconds = time.perf_counter() - started
    n = model.n_classes_
    return {
        "design": name,
        "macro_f1": macro_f1(labels, predicted, n),
        "accuracy": float(np.mean(predicted == labels)),
        "per_class_f1": per_class_f1(labels, predicted, n),
        "cv_macro_f1": getattr(model, "cv_macro_f1_", float("nan")),
        "weights": [float(w) for w in model.decision_weights_],
        "ms_per_pair_batch": 1000.0 * seconds / len(dev),
        **listening_checks(model, dev, encoder),
    }


def single_pair_ms(model: PairClassifier, dev: list[ListeningPair]) -> float:
    started = time.perf_counter()
    for p in dev[:200]:
        model.predict_proba([p.context], [p.reply])
    return 1000.0 * (time.perf_counter() - started) / min(200, len(dev))


def report(head: str, row: dict[str, Any]) -> None:
    per_class = ", ".join(
        f"{c} {f:.3f}" for c, f in zip(CLASS_NAMES[head], row["per_class_f1"], strict=True)
    )
    print(
        f"  {row['design']:<40} dev macro-F1 {row['macro_f1']:.3f}  acc {row['accuracy']:.3f}"
        f"  [{per_class}]  train-CV macro-F1 {row['cv_macro_f1']:.3f}"
    )
    print(
        f'  {"":<40} parrot < real {row["parrot_lower"]:.1%} ("I hear that"+parrot'
        f" {row['parrot_i_hear_lower']:.1%}; n={row['parrot_n']:.0f}; mean P {row['mean_real']:.2f}"
        f" vs {row['mean_parrot']:.2f})  off-topic < own {row['off_topic_lower']:.1%}"
        f" (mean P {row['mean_own']:.2f} vs {row['mean_off_topic']:.2f})"
        f"  {row['ms_per_pair_batch']:.3f} ms/pair (batch)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="the folder holding epitome/ and annomi/")
    parser.add_argument("--encoder", action="store_true", help="also report with the encoder")
    parser.add_argument("--no-save", action="store_true", help="do not write the artefact")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the fast artefact")
    args = parser.parse_args(argv)
    root = data_dir(args.data_dir)
    if not (root / "epitome").is_dir() or not (root / "annomi").is_dir():
        print(f"{root} lacks epitome/ or annomi/: pass --data-dir", file=sys.stderr)
        return 2
    data = {
        "interpretations": (
            epitome_pairs(read_epitome(root, "train")),
            epitome_pairs(read_epitome(root, "dev")),
        ),
        "behaviour": (read_annomi(root, "train"), read_annomi(root, "dev")),
    }
    encoder = CachedEncoder() if args.encoder else None
    chosen: dict[str, PairClassifier] = {}
    figures: dict[str, dict[str, Any]] = {}
    for head, (train, dev) in data.items():
        print(f"{head}: {len(train)} train pairs, {len(dev)} dev pairs")
        contexts = [p.context for p in train]
        replies = [p.reply for p in train]
        labels = [p.label for p in train]
        groups = [p.group for p in train]
        designs = [(name, params, None) for name, params in DESIGNS[head].items()]
        if encoder is not None:
            designs.append((CHOSEN + " + encoder", DESIGNS[head][CHOSEN], encoder))
        for name, params, enc in designs:
            started = time.perf_counter()
            model = PairClassifier(**COMMON[head], **params).fit(
                contexts, replies, labels, groups=groups, encoder=enc
            )
            row = evaluate(name, model, dev, enc)
            row["fit_seconds"] = time.perf_counter() - started
            report(head, row)
            if name == CHOSEN:
                row["ms_single_pair"] = single_pair_ms(model, dev)
                print(f"  {'':<40} {row['ms_single_pair']:.3f} ms for one pair alone")
                chosen[head] = model
                figures[head] = row
    if not args.no_save:
        bundle = ListeningModel(chosen["interpretations"], chosen["behaviour"])
        metadata = {
            "trained_on": {
                "interpretations": "EPITOME train (interpretations level)",
                "behaviour": "AnnoMI-simple train transcripts (annomi_split)",
            },
            "dev": {
                head: {k: v for k, v in row.items() if k not in ("design",)}
                for head, row in figures.items()
            },
        }
        bundle.save(args.out, metadata=metadata)
        size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
        print(f"wrote {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
