"""The EPITOME empathy mechanisms of the fast tier, with rationale evidence.

Two learned parts share one contract:
- a level classifier: TF-IDF of the reply → level 0/1/2 for each mechanism (emotional reactions,
  interpretations, explorations);
- a rationale tagger trained on EPITOME's rationale spans: each sentence of the reply → the
  probability that it is the evidence for each mechanism. A sentence counts as a rationale in
  training when a rationale span covers at least half of it.
Evidence for a level above 0 is every sentence the tagger rates at least ``RATIONALE_THRESHOLD``,
or the single most likely sentence when none reaches it.

Weak levels (1) are rare in EPITOME (4% of interpretations, 3% of explorations), so a plain argmax
almost never predicts them. ``fit`` therefore corrects the class priors: it multiplies the
probabilities of levels 1 and 2 by weights chosen from ``DECISION_GRID`` to maximise macro-F1 on
out-of-fold predictions over the *training* set (grouped 5-fold cross-validation), and the
reported probabilities are the renormalised, prior-corrected ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from heard.assessment.tiers import MechanismOutput
from heard.errors import ModelError, NotFittedError
from heard.ml.text_classifier import MultiHeadTextClassifier
from heard.ml.vectorizer import Analyzer
from heard.results import MECHANISMS
from heard.text import Segment, sentences

RATIONALE_THRESHOLD = 0.5
DECISION_GRID = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


@dataclass(frozen=True, slots=True)
class MechanismExample:
    """One labelled training example: the reply, its levels, and its rationale spans."""

    context: str
    reply: str
    levels: dict[str, int]
    rationales: dict[str, tuple[str, ...]]
    group: str = ""  # examples sharing a group (a seeker post) stay in one cross-validation fold


def rationale_labels(reply: str, spans: Sequence[str]) -> list[tuple[Segment, int]]:
    """Each sentence of ``reply`` with 1 when rationale ``spans`` cover at least half of it."""
    covered = np.zeros(len(reply), dtype=bool)
    for span in spans:
        span = span.strip()
        if not span:
            continue
        start = reply.find(span)
        if start >= 0:
            covered[start : start + len(span)] = True
    labelled = []
    for segment in sentences(reply):
        share = covered[segment.start : segment.end].mean() if segment.end > segment.start else 0.0
        labelled.append((segment, int(share >= 0.5)))
    return labelled


class MechanismClassifier:
    """Levels and rationale evidence for the three mechanisms (see the module docstring)."""

    metadata_: dict[str, Any]

    KIND_LEVELS = "levels"
    KIND_RATIONALES = "rationales"

    def __init__(
        self,
        *,
        analyzers: Sequence[Analyzer] = (Analyzer("word", 1, 3), Analyzer("char", 2, 5)),
        min_df: int = 2,
        C: float = 1.0,
        rationale_C: float = 1.0,
        tune_decisions: bool = True,
        folds: int = 5,
    ) -> None:
        self.analyzers = tuple(analyzers)
        self.min_df = min_df
        self.C = C
        self.rationale_C = rationale_C
        self.tune_decisions = tune_decisions
        self.folds = folds

    def fit(self, examples: Sequence[MechanismExample]) -> MechanismClassifier:
        replies = [e.reply for e in examples]
        targets = {m: [e.levels[m] for e in examples] for m in MECHANISMS}
        self.levels_ = MultiHeadTextClassifier(
            analyzers=self.analyzers, min_df=self.min_df, C=self.C
        ).fit(replies, targets)
        self.decision_weights_ = {m: np.ones(3) for m in MECHANISMS}
        if self.tune_decisions:
            self.decision_weights_ = self._tune_decisions(examples, targets)
        sentence_texts: list[str] = []
        sentence_labels: dict[str, list[int]] = {m: [] for m in MECHANISMS}
        for example in examples:
            per_mechanism = {
                m: rationale_labels(example.reply, example.rationales.get(m, ()))
                for m in MECHANISMS
            }
            for index, (segment, _) in enumerate(per_mechanism[MECHANISMS[0]]):
                sentence_texts.append(segment.of(example.reply))
                for m in MECHANISMS:
                    sentence_labels[m].append(per_mechanism[m][index][1])
        for m, labels in sentence_labels.items():
            if len(set(labels)) < 2:
                raise ValueError(f"the rationale tagger for {m} needs sentences of both kinds")
        # Word n-grams suffice for sentences (measured on EPITOME dev) and cost far less.
        self.rationales_ = MultiHeadTextClassifier(
            analyzers=(Analyzer("word", 1, 2),), min_df=self.min_df, C=self.rationale_C
        ).fit(sentence_texts, sentence_labels, feature_texts=replies)
        return self

    def _tune_decisions(
        self, examples: Sequence[MechanismExample], targets: dict[str, list[int]]
    ) -> dict[str, np.ndarray]:
        """Prior-correction weights from grouped cross-validation on the training set."""
        from sklearn.metrics import f1_score
        from sklearn.model_selection import GroupKFold

        groups = [e.group or str(i) for i, e in enumerate(examples)]
        folds = min(self.folds, len(set(groups)))
        replies = [e.reply for e in examples]
        out_of_fold = {m: np.zeros((len(examples), 3)) for m in MECHANISMS}
        for train, held in GroupKFold(n_splits=folds).split(replies, groups=groups):
            part = MultiHeadTextClassifier(analyzers=self.analyzers, min_df=self.min_df, C=self.C)
            part.fit(
                [replies[i] for i in train], {m: [targets[m][i] for i in train] for m in MECHANISMS}
            )
            for m, proba in part.predict_proba([replies[i] for i in held]).items():
                columns = part.heads_[m].classes_.astype(int)
                out_of_fold[m][np.ix_(held, columns)] = proba
        weights = {}
        for m in MECHANISMS:
            best, best_f1 = np.ones(3), -1.0
            for w1 in DECISION_GRID:
                for w2 in DECISION_GRID:
                    candidate = np.array([1.0, w1, w2])
                    predicted = (out_of_fold[m] * candidate).argmax(axis=1)
                    score = f1_score(
                        targets[m], predicted, labels=[0, 1, 2], average="macro", zero_division=0
                    )
                    if score > best_f1 + 1e-9:
                        best, best_f1 = candidate, score
            weights[m] = best
        return weights

    def _check_fitted(self) -> None:
        if not hasattr(self, "levels_"):
            raise NotFittedError("MechanismClassifier is not fitted yet: call fit() or load()")

    def predict_levels(self, replies: Sequence[str]) -> dict[str, np.ndarray]:
        """Head name → (n, 3) prior-corrected probabilities of levels 0, 1, 2."""
        self._check_fitted()
        corrected = {}
        for m, proba in self.levels_.predict_proba(replies).items():
            weighted = proba * self.decision_weights_[m]
            corrected[m] = weighted / weighted.sum(axis=1, keepdims=True)
        return corrected

    def predict(
        self,
        contexts: Sequence[str],  # noqa: ARG002 (the fast tier reads the reply alone)
        replies: Sequence[str],
        *,
        levels: Mapping[str, np.ndarray] | None = None,
    ) -> list[MechanismOutput]:
        """Levels and evidence for each reply (the fast tier reads the reply alone).

        ``levels`` (optional) gives some mechanisms' (n, 3) level probabilities from elsewhere
        (the interpretations read from the pair, ``PairInterpretations``); the rationale tagger
        then quotes evidence for the level they decide."""
        self._check_fitted()
        levels = {**self.predict_levels(replies), **(levels or {})}
        segmented = [sentences(reply) for reply in replies]
        # The rationale tagger only runs on replies that have some mechanism above level 0.
        needs = [
            index
            for index in range(len(replies))
            if any(int(np.argmax(levels[m][index])) > 0 for m in MECHANISMS)
        ]
        flat = [segment.of(replies[i]) for i in needs for segment in segmented[i]]
        rationale = self.rationales_.predict_proba(flat) if flat else {}
        offsets = dict(
            zip(needs, np.cumsum([0] + [len(segmented[i]) for i in needs]), strict=False)
        )
        outputs = []
        for index, segs in enumerate(segmented):
            probabilities: dict[str, tuple[float, float, float]] = {}
            evidence: dict[str, tuple[Segment, ...]] = {}
            for m in MECHANISMS:
                p = levels[m][index]
                probabilities[m] = (float(p[0]), float(p[1]), float(p[2]))
                if index in offsets and int(np.argmax(p)) > 0:
                    start = int(offsets[index])
                    evidence[m] = select_evidence(segs, rationale[m][start : start + len(segs), 1])
                else:
                    evidence[m] = ()
            outputs.append(MechanismOutput(probabilities, evidence))
        return outputs

    def save(self, directory: str | Path, *, metadata: dict[str, Any] | None = None) -> Path:
        self._check_fitted()
        root = Path(directory)
        decisions = {m: [float(x) for x in w] for m, w in self.decision_weights_.items()}
        self.levels_.save(
            root / self.KIND_LEVELS, metadata={**(metadata or {}), "decision_weights": decisions}
        )
        self.rationales_.save(root / self.KIND_RATIONALES, metadata=metadata)
        return root

    @classmethod
    def load(cls, directory: str | Path) -> MechanismClassifier:
        root = Path(directory)
        levels = MultiHeadTextClassifier.load(root / cls.KIND_LEVELS)
        rationales = MultiHeadTextClassifier.load(root / cls.KIND_RATIONALES)
        for part in (levels, rationales):
            missing = set(MECHANISMS) - set(part.heads_)
            if missing:
                raise ModelError(f"{directory}: the mechanism model lacks heads {sorted(missing)}")
        model = cls(analyzers=levels.analyzers, min_df=levels.min_df)
        model.levels_ = levels
        model.rationales_ = rationales
        model.metadata_ = getattr(levels, "metadata_", {})
        decisions = model.metadata_.get("decision_weights", {})
        model.decision_weights_ = {
            m: np.asarray(decisions.get(m, [1.0, 1.0, 1.0])) for m in MECHANISMS
        }
        return model


def select_evidence(segments: Sequence[Segment], probabilities: np.ndarray) -> tuple[Segment, ...]:
    """Sentences at or above the threshold, else the most likely one; none for an empty reply."""
    if len(segments) == 0:
        return ()
    chosen = [s for s, p in zip(segments, probabilities, strict=True) if p >= RATIONALE_THRESHOLD]
    if not chosen:
        chosen = [segments[int(np.argmax(probabilities))]]
    return tuple(chosen)


class PairLevels(Protocol):
    def predict_proba(self, contexts: Sequence[str], replies: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities of levels 0, 1, 2 for each (customer turn, reply) pair."""
        ...


class PairInterpretations:
    """The mechanism model with the interpretations level read from the *pair*.

    Interpretations (understanding what this seeker feels or has been through) depend on what the
    customer said, so their level comes from the listening model's interpretations head
    (``heard.ml.listening``: the reply's words plus features of the pair), which reaches a higher
    macro-F1 on EPITOME dev than the reply-only head; emotional reactions and explorations, and
    the evidence sentences of all three, stay with ``mechanisms``.
    """

    def __init__(self, mechanisms: MechanismClassifier, interpretations: PairLevels) -> None:
        self.mechanisms = mechanisms
        self.interpretations = interpretations

    def predict(self, contexts: Sequence[str], replies: Sequence[str]) -> list[MechanismOutput]:
        if not replies:
            return []
        pair = self.interpretations.predict_proba(contexts, replies)
        return self.mechanisms.predict(contexts, replies, levels={"interpretations": pair})
