"""The customer-emotion model of the fast tier: six labels from TF-IDF and logistic regression."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from heard.errors import ModelError
from heard.ml.text_classifier import MultiHeadTextClassifier
from heard.ml.vectorizer import Analyzer
from heard.results import EMOTIONS

HEAD = "emotion"


class EmotionClassifier:
    """Predicts a probability for each of ``EMOTIONS`` (in that order) for each text.

    ``fit(texts, labels)`` takes labels as names from ``EMOTIONS``.
    """

    metadata_: dict[str, Any]

    def __init__(
        self,
        *,
        analyzers: Sequence[Analyzer] = (Analyzer("word", 1, 2), Analyzer("char", 2, 5)),
        min_df: int = 3,
        max_features: int | None = 60_000,
        C: float = 2.0,
        class_weight: str | None = "balanced",
    ) -> None:
        self.analyzers = tuple(analyzers)
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.class_weight = class_weight

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> EmotionClassifier:
        unknown = sorted(set(labels) - set(EMOTIONS))
        if unknown:
            raise ValueError(f"unknown emotion labels {unknown}; expected some of {list(EMOTIONS)}")
        self.model_ = MultiHeadTextClassifier(
            analyzers=self.analyzers,
            min_df=self.min_df,
            max_features=self.max_features,
            C=self.C,
            class_weight=self.class_weight,
        ).fit(texts, {HEAD: [EMOTIONS.index(label) for label in labels]})
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 6) probabilities in ``EMOTIONS`` order (classes missing from training get 0)."""
        if not hasattr(self, "model_"):
            from heard.errors import NotFittedError

            raise NotFittedError("EmotionClassifier is not fitted yet: call fit() or load() first")
        proba = self.model_.predict_proba(texts)[HEAD]
        classes = self.model_.heads_[HEAD].classes_
        full = np.zeros((len(texts), len(EMOTIONS)), dtype=np.float64)
        full[:, classes.astype(int)] = proba
        return full

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [EMOTIONS[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def save(self, directory: str | Path, *, metadata: dict[str, Any] | None = None) -> Path:
        return self.model_.save(directory, metadata={"labels": list(EMOTIONS), **(metadata or {})})

    @classmethod
    def load(cls, directory: str | Path) -> EmotionClassifier:
        model = MultiHeadTextClassifier.load(directory)
        if HEAD not in model.heads_:
            raise ModelError(f"{directory} has no {HEAD!r} head: it is not an emotion model")
        classifier = cls(
            analyzers=model.analyzers, min_df=model.min_df, max_features=model.max_features
        )
        classifier.model_ = model
        classifier.metadata_ = getattr(model, "metadata_", {})
        return classifier
