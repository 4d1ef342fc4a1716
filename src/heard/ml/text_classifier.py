"""A TF-IDF + logistic-regression text classifier that follows the scikit-learn contract.

``fit`` uses scikit-learn; ``predict_proba`` uses only NumPy/SciPy, so the fast tier starts quickly.
Several heads can share one set of features (``MultiHeadTextClassifier``), which is how the three
EPITOME mechanisms are scored from one pass over a reply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from heard.errors import ModelError, NotFittedError
from heard.ml.artefact import load_artefact, save_artefact
from heard.ml.vectorizer import Analyzer, TfidfFeatures


class LinearHead:
    """Logistic regression weights: softmax over classes, or a sigmoid for two classes."""

    def __init__(
        self, *, C: float = 1.0, class_weight: str | None = "balanced", max_iter: int = 3000
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(
        self, features: sparse.csr_matrix | np.ndarray, labels: Sequence[int] | np.ndarray
    ) -> LinearHead:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
        model.fit(features, np.asarray(labels))
        self.classes_ = np.asarray(model.classes_)
        self.coef_ = np.asarray(model.coef_, dtype=np.float32)
        self.intercept_ = np.asarray(model.intercept_, dtype=np.float32)
        return self

    def predict_proba(self, features: sparse.csr_matrix | np.ndarray) -> np.ndarray:
        if not hasattr(self, "coef_"):
            raise NotFittedError("LinearHead is not fitted yet: call fit() or load() first")
        scores = np.asarray(features @ self.coef_.T, dtype=np.float64) + self.intercept_
        if self.coef_.shape[0] == 1:  # binary: scikit-learn keeps one row of weights
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def config(self) -> dict[str, Any]:
        return {"C": self.C, "class_weight": self.class_weight, "classes": self.classes_.tolist()}

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}coef": self.coef_, f"{prefix}intercept": self.intercept_}

    @classmethod
    def from_arrays(
        cls, config: Mapping[str, Any], arrays: Mapping[str, np.ndarray], prefix: str
    ) -> LinearHead:
        try:
            head = cls(C=config["C"], class_weight=config["class_weight"])
            head.classes_ = np.asarray(config["classes"])
            head.coef_ = np.asarray(arrays[f"{prefix}coef"], dtype=np.float32)
            head.intercept_ = np.asarray(arrays[f"{prefix}intercept"], dtype=np.float32)
        except KeyError as error:
            raise ModelError(
                f"linear head {prefix!r} is incomplete in the artefact: {error}"
            ) from error
        return head


class MultiHeadTextClassifier:
    """One set of TF-IDF features, several named classification heads.

    ``fit(texts, targets)`` takes ``targets`` as a mapping head name → labels (one per text);
    ``predict_proba(texts)`` returns head name → (n, n_classes) probabilities.
    """

    KIND = "heard.multi_head_text_classifier"
    metadata_: dict[str, Any]

    def __init__(
        self,
        *,
        analyzers: Sequence[Analyzer] = (Analyzer("word", 1, 2), Analyzer("char", 2, 5)),
        min_df: int = 2,
        max_features: int | None = None,
        C: float | Mapping[str, float] = 1.0,
        class_weight: str | None = "balanced",
    ) -> None:
        self.analyzers = tuple(analyzers)
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.class_weight = class_weight

    def _c_for(self, head: str) -> float:
        return float(self.C[head]) if isinstance(self.C, Mapping) else float(self.C)

    def fit(
        self,
        texts: Sequence[str],
        targets: Mapping[str, Sequence[int]],
        *,
        feature_texts: Sequence[str] | None = None,
    ) -> MultiHeadTextClassifier:
        """Fit the features (on ``feature_texts`` if given, else ``texts``) and every head."""
        for name, labels in targets.items():
            if len(labels) != len(texts):
                raise ValueError(f"head {name!r} has {len(labels)} labels for {len(texts)} texts")
        self.features_ = TfidfFeatures(
            self.analyzers, min_df=self.min_df, max_features=self.max_features
        ).fit(feature_texts if feature_texts is not None else texts)
        matrix = self.features_.transform(texts)
        self.heads_ = {
            name: LinearHead(C=self._c_for(name), class_weight=self.class_weight).fit(
                matrix, labels
            )
            for name, labels in targets.items()
        }
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "heads_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call fit() or load()")

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        self._check_fitted()
        return self.features_.transform(texts)

    def predict_proba(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        matrix = self.transform(texts)
        return {name: head.predict_proba(matrix) for name, head in self.heads_.items()}

    def predict(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return {
            name: self.heads_[name].classes_[proba.argmax(axis=1)]
            for name, proba in self.predict_proba(texts).items()
        }

    @property
    def head_names(self) -> tuple[str, ...]:
        self._check_fitted()
        return tuple(self.heads_)

    def save(self, directory: str | Path, *, metadata: Mapping[str, Any] | None = None) -> Path:
        self._check_fitted()
        arrays = self.features_.arrays("features/")
        for name, head in self.heads_.items():
            arrays.update(head.arrays(f"head/{name}/"))
        config = {
            "features": self.features_.config(),
            "heads": {name: head.config() for name, head in self.heads_.items()},
            "metadata": dict(metadata or {}),
        }
        return save_artefact(directory, kind=self.KIND, config=config, arrays=arrays)

    @classmethod
    def load(cls, directory: str | Path) -> MultiHeadTextClassifier:
        config, arrays = load_artefact(directory, kind=cls.KIND)
        try:
            features = TfidfFeatures.from_arrays(config["features"], arrays, "features/")
            heads = {
                name: LinearHead.from_arrays(head_config, arrays, f"head/{name}/")
                for name, head_config in config["heads"].items()
            }
        except KeyError as error:
            raise ModelError(f"{directory}: the model config lacks {error}") from error
        model = cls(
            analyzers=features.analyzers,
            min_df=features.min_df,
            max_features=features.max_features,
            C={name: h.C for name, h in heads.items()},
        )
        model.features_ = features
        model.heads_ = heads
        model.metadata_ = dict(config.get("metadata", {}))
        return model
