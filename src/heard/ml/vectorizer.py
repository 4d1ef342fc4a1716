"""TF-IDF features, fitted and applied with NumPy/SciPy alone (no scikit-learn at run time).

Two analyzers:
- ``word``: lower-cased word n-grams (and "!"/"?" as words), looked up in a learned vocabulary;
- ``char``: character n-grams inside word boundaries (as scikit-learn's ``char_wb``: each word
  padded with one space on either side), *hashed* into ``2**HASH_BITS`` buckets and computed for a
  whole batch at once with vectorised NumPy. This is what lets the fast tier assess thousands of
  replies a second; collisions are rare at 2**22 buckets and only buckets seen in at least
  ``min_df`` training texts are kept.

Weights are sublinear TF-IDF (``1 + log(tf)`` times the smoothed idf
``log((1 + n) / (1 + df)) + 1``, as in scikit-learn) and each analyzer's block is L2-normalised.
A fitted vectorizer is saved as plain arrays in ``weights.npz``: no pickle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from scipy import sparse

from heard.errors import ModelError, NotFittedError

HASH_BITS = 22
_WORD = re.compile(r"(?u)\b\w\w+\b|[!?]")
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_PRIME = np.uint64(1_000_003)
_N_SALT = np.uint64(0x9E3779B97F4A7C15)


def word_ngrams(text: str, low: int = 1, high: int = 2) -> list[str]:
    """Lower-cased word n-grams; "!" and "?" count as words (they carry emotion and questions)."""
    return list(_word_ngrams(text, low, high))


@lru_cache(maxsize=2048)
def _word_ngrams(text: str, low: int, high: int) -> tuple[str, ...]:
    tokens = _WORD.findall(text.lower())
    grams = list(tokens) if low <= 1 else []
    if high >= 2 and low <= 2:
        grams.extend([a + " " + b for a, b in pairwise(tokens)])
    if high >= 3 and low <= 3:
        grams.extend(
            [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)]
        )
    for n in range(max(4, low), high + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return tuple(grams)


def char_ngram_buckets(
    texts: Sequence[str], low: int = 2, high: int = 5, bits: int = HASH_BITS
) -> tuple[np.ndarray, np.ndarray]:
    """(document index, bucket) for every character n-gram of every text, vectorised.

    The last few results are kept: several models read the same batch of replies with the same
    analyzer (the mechanisms and the listening model), and hashing is most of their cost."""
    key = (tuple(texts), low, high, bits)
    cached = _RECENT_BUCKETS.get(key)
    if cached is None:
        cached = _char_ngram_buckets(texts, low, high, bits)
        if len(_RECENT_BUCKETS) >= _RECENT:
            _RECENT_BUCKETS.pop(next(iter(_RECENT_BUCKETS)))
        _RECENT_BUCKETS[key] = cached
    return cached


_RECENT = 4
_RECENT_BUCKETS: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = {}


def _char_ngram_buckets(
    texts: Sequence[str], low: int = 2, high: int = 5, bits: int = HASH_BITS
) -> tuple[np.ndarray, np.ndarray]:
    """(document index, bucket) for every character n-gram of every text (uncached).

    Each text is lower-cased and its white space collapsed to single spaces, with a space at
    either end; an n-gram may start or end with a space but never contain one inside, so it stays
    within one padded word.
    """
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    padded = [" " + " ".join(t.lower().replace("\x00", " ").split()) + " " for t in texts]
    joined = "\x00".join(padded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    length = codes.size
    space_cum = np.concatenate(([0], np.cumsum(codes == 32)))
    sep_cum = np.concatenate(([0], np.cumsum(codes == 0)))
    doc_of = sep_cum[1:]  # separators seen before or at each position = document index
    docs: list[np.ndarray] = []
    buckets: list[np.ndarray] = []
    hashes = codes.copy()
    shift = np.uint64(64 - bits)
    with np.errstate(over="ignore"):
        for n in range(1, high + 1):
            if n > 1:
                hashes = hashes[:-1] * _PRIME + codes[n - 1 :]
            if n < low:
                continue
            count = length - n + 1
            if count <= 0:
                break
            starts = np.arange(count)
            no_separator = sep_cum[starts + n] - sep_cum[starts] == 0
            if n > 2:
                inner_clear = space_cum[starts + n - 1] - space_cum[starts + 1] == 0
            else:
                inner_clear = np.ones(count, dtype=bool)
            not_blank = space_cum[starts + n] - space_cum[starts] < n
            keep = no_separator & inner_clear & not_blank
            salted = (hashes[keep] ^ (np.uint64(n) * _N_SALT)) * _MIX
            buckets.append(salted >> shift)
            docs.append(doc_of[starts[keep]])
    return np.concatenate(docs).astype(np.int64), np.concatenate(buckets)


@dataclass(frozen=True, slots=True)
class Analyzer:
    """An analyzer kind ("word" or "char") and its n-gram range."""

    kind: str
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.kind not in ("word", "char"):
            raise ModelError(f"unknown analyzer kind {self.kind!r}; expected 'word' or 'char'")
        if not 1 <= self.low <= self.high:
            raise ModelError(
                f"bad n-gram range ({self.low}, {self.high}) for the {self.kind} analyzer"
            )

    def config(self) -> dict[str, Any]:
        return {"kind": self.kind, "low": self.low, "high": self.high}


class _Block:
    """One analyzer's learned state: which features exist and their idf."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.vocabulary: dict[str, int] = {}  # word analyzer
        self.buckets = np.zeros(0, dtype=np.uint64)  # char analyzer: sorted kept buckets
        self.idf = np.zeros(0, dtype=np.float32)

    @property
    def size(self) -> int:
        return len(self.vocabulary) if self.analyzer.kind == "word" else int(self.buckets.size)

    @property
    def _table(self) -> np.ndarray:
        """bucket → column (-1 for buckets not kept): one O(1) vectorised lookup per n-gram."""
        table = getattr(self, "_lookup", None)
        if table is None:
            table = np.full(1 << HASH_BITS, -1, dtype=np.int32)
            table[self.buckets.astype(np.int64)] = np.arange(self.buckets.size, dtype=np.int32)
            self._lookup = table
        return table

    def _coordinates(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every known feature occurrence (columns index this block)."""
        a = self.analyzer
        if a.kind == "word":
            get = self.vocabulary.get
            rows: list[int] = []
            cols: list[int] = []
            for row, text in enumerate(texts):
                found = [c for c in map(get, _word_ngrams(text, a.low, a.high)) if c is not None]
                cols.extend(found)
                rows.extend([row] * len(found))
            return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        docs, hashed = char_ngram_buckets(texts, a.low, a.high)
        columns = self._table[hashed.astype(np.int64)]
        known = columns >= 0
        return docs[known], columns[known].astype(np.int64)

    def fit(self, texts: Sequence[str], min_df: int, max_features: int | None) -> None:
        a = self.analyzer
        n = len(texts)
        if a.kind == "word":
            df: dict[str, int] = {}
            for text in texts:
                for gram in set(word_ngrams(text, a.low, a.high)):
                    df[gram] = df.get(gram, 0) + 1
            kept = [g for g, count in df.items() if count >= min_df]
            if max_features is not None and len(kept) > max_features:
                kept = sorted(kept, key=lambda g: (-df[g], g))[:max_features]
            kept.sort()
            self.vocabulary = {gram: i for i, gram in enumerate(kept)}
            counts = np.asarray([df[g] for g in kept], dtype=np.float64)
        else:
            docs, hashed = char_ngram_buckets(texts, a.low, a.high)
            pairs = np.unique(docs.astype(np.uint64) << np.uint64(HASH_BITS) | hashed)
            present = pairs & np.uint64((1 << HASH_BITS) - 1)
            unique, df_counts = np.unique(present, return_counts=True)
            keep = df_counts >= min_df
            unique, df_counts = unique[keep], df_counts[keep]
            if max_features is not None and unique.size > max_features:
                order = np.lexsort((unique, -df_counts))[:max_features]
                unique, df_counts = unique[order], df_counts[order]
                order = np.argsort(unique)
                unique, df_counts = unique[order], df_counts[order]
            self.buckets = unique.astype(np.uint64)
            counts = df_counts.astype(np.float64)
        self.idf = (np.log((1.0 + n) / (1.0 + counts)) + 1.0).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, cols = self._coordinates(texts)
        shape = (len(texts), self.size)
        if rows.size == 0:
            return sparse.csr_matrix(shape, dtype=np.float32)
        # Count (row, column) pairs with one sort; the result is already in CSR order.
        keys, counts = np.unique(rows * self.size + cols, return_counts=True)
        row_of = keys // self.size
        indices = (keys - row_of * self.size).astype(np.int32)
        data = ((np.log(counts) + 1.0) * self.idf[indices]).astype(np.float32)
        squares = np.bincount(row_of, weights=data.astype(np.float64) ** 2, minlength=len(texts))
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data /= norms[row_of].astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(row_of, minlength=len(texts)))))
        return sparse.csr_matrix((data, indices, indptr), shape=shape, dtype=np.float32)


class TfidfFeatures:
    """Sublinear TF-IDF over one or more analyzers, blocks side by side (see module docstring).

    Follows the scikit-learn contract: ``__init__`` stores options, ``fit`` learns the state in
    attributes ending in ``_``, ``transform`` raises NotFittedError before that.
    """

    def __init__(
        self,
        analyzers: Sequence[Analyzer] = (Analyzer("word", 1, 2), Analyzer("char", 2, 5)),
        *,
        min_df: int = 2,
        max_features: int | None = None,
    ) -> None:
        self.analyzers = tuple(analyzers)
        self.min_df = min_df
        self.max_features = max_features

    def fit(self, texts: Sequence[str]) -> TfidfFeatures:
        blocks = []
        for analyzer in self.analyzers:
            block = _Block(analyzer)
            block.fit(texts, self.min_df, self.max_features)
            blocks.append(block)
        self.blocks_ = blocks
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "blocks_"):
            raise NotFittedError("TfidfFeatures is not fitted yet: call fit() or load() first")

    @property
    def n_features(self) -> int:
        self._check_fitted()
        return sum(block.size for block in self.blocks_)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """A (len(texts), n_features) sparse matrix of float32."""
        self._check_fitted()
        blocks = [block.transform(texts) for block in self.blocks_]
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    # --- persistence ---------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        return {
            "analyzers": [a.config() for a in self.analyzers],
            "min_df": self.min_df,
            "max_features": self.max_features,
            "hash_bits": HASH_BITS,
        }

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        self._check_fitted()
        out: dict[str, np.ndarray] = {}
        for i, block in enumerate(self.blocks_):
            if block.analyzer.kind == "word":
                terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
                out[f"{prefix}terms{i}"] = np.array(terms, dtype=np.str_)
            else:
                out[f"{prefix}buckets{i}"] = block.buckets
            out[f"{prefix}idf{i}"] = block.idf
        return out

    @classmethod
    def from_arrays(
        cls, config: dict[str, Any], arrays: dict[str, np.ndarray], prefix: str
    ) -> TfidfFeatures:
        if config.get("hash_bits", HASH_BITS) != HASH_BITS:
            raise ModelError(
                f"the features were hashed into 2**{config.get('hash_bits')} buckets; this heard "
                f"uses 2**{HASH_BITS}. Rebuild the model with `heard train`."
            )
        try:
            analyzers = [Analyzer(**a) for a in config["analyzers"]]
            features = cls(analyzers, min_df=config["min_df"], max_features=config["max_features"])
            blocks = []
            for i, analyzer in enumerate(analyzers):
                block = _Block(analyzer)
                if analyzer.kind == "word":
                    block.vocabulary = {
                        str(t): j for j, t in enumerate(arrays[f"{prefix}terms{i}"])
                    }
                else:
                    block.buckets = np.asarray(arrays[f"{prefix}buckets{i}"], dtype=np.uint64)
                block.idf = np.asarray(arrays[f"{prefix}idf{i}"], dtype=np.float32)
                if block.idf.size != block.size:
                    raise ModelError(
                        f"features block {i}: {block.idf.size} idf values for {block.size} features"
                    )
                blocks.append(block)
        except (KeyError, TypeError) as error:
            raise ModelError(f"TF-IDF features are incomplete in the artefact: {error}") from error
        features.blocks_ = blocks
        return features
