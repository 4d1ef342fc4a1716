"""A Hugging Face BERT checkpoint on disk: its config, its weight tensors (from
``model.safetensors``, read with NumPy), content digests for cache keys, and checked overrides
of named tensors (how fine-tuned adapters are merged in).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from heard.errors import ModelError

WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"

_weights_hashes: dict[tuple[str, int, int], str] = {}


@dataclass(frozen=True, slots=True)
class BertConfig:
    """The parts of a Hugging Face BERT config.json that shape the graph."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float

    @classmethod
    def from_file(cls, path: Path) -> BertConfig:
        """Read and check config.json; ModelError for a missing file or an unsupported model."""
        raw = _read_json(path)
        model_type = raw.get("model_type")
        if model_type != "bert":
            raise ModelError(
                f"{path}: model_type {model_type!r} is not supported; heard's ONNX encoder runs "
                "BERT-family checkpoints with model_type 'bert' only"
            )
        act = raw.get("hidden_act", "gelu")
        if act != "gelu":
            raise ModelError(f"{path}: hidden_act {act!r} is not supported (expected 'gelu')")
        position = raw.get("position_embedding_type", "absolute")
        if position != "absolute":
            raise ModelError(f"{path}: position_embedding_type {position!r} is not supported")
        try:
            config = cls(
                vocab_size=int(raw["vocab_size"]),
                hidden_size=int(raw["hidden_size"]),
                num_hidden_layers=int(raw["num_hidden_layers"]),
                num_attention_heads=int(raw["num_attention_heads"]),
                intermediate_size=int(raw["intermediate_size"]),
                max_position_embeddings=int(raw.get("max_position_embeddings", 512)),
                type_vocab_size=int(raw.get("type_vocab_size", 2)),
                layer_norm_eps=float(raw.get("layer_norm_eps", 1e-12)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{path}: missing or invalid BERT setting: {exc}") from exc
        if config.hidden_size % config.num_attention_heads:
            raise ModelError(f"{path}: hidden_size is not a multiple of num_attention_heads")
        return config

    def expected_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every tensor the graph uses, by canonical name (no `bert.` prefix), with its shape."""
        h, i = self.hidden_size, self.intermediate_size
        shapes: dict[str, tuple[int, ...]] = {
            "embeddings.word_embeddings.weight": (self.vocab_size, h),
            "embeddings.position_embeddings.weight": (self.max_position_embeddings, h),
            "embeddings.token_type_embeddings.weight": (self.type_vocab_size, h),
            "embeddings.LayerNorm.weight": (h,),
            "embeddings.LayerNorm.bias": (h,),
        }
        for n in range(self.num_hidden_layers):
            p = f"encoder.layer.{n}."
            for name in ("attention.self.query", "attention.self.key", "attention.self.value"):
                shapes[f"{p}{name}.weight"] = (h, h)
                shapes[f"{p}{name}.bias"] = (h,)
            shapes[f"{p}attention.output.dense.weight"] = (h, h)
            shapes[f"{p}attention.output.dense.bias"] = (h,)
            shapes[f"{p}intermediate.dense.weight"] = (i, h)
            shapes[f"{p}intermediate.dense.bias"] = (i,)
            shapes[f"{p}output.dense.weight"] = (h, i)
            shapes[f"{p}output.dense.bias"] = (h,)
            for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
                shapes[f"{p}{ln}.weight"] = (h,)
                shapes[f"{p}{ln}.bias"] = (h,)
        return shapes


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from `path`, or ModelError saying what is wrong with the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: file not found") from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: expected a JSON object")
    return data


def canonical_name(name: str) -> str:
    """`name` without a `bert.` prefix and with old-style LayerNorm gamma/beta renamed."""
    name = name.removeprefix("bert.")
    if name.endswith(".gamma"):
        name = name.removesuffix(".gamma") + ".weight"
    elif name.endswith(".beta"):
        name = name.removesuffix(".beta") + ".bias"
    return name


def weights_path(model_dir: Path) -> Path:
    """model.safetensors in `model_dir`; ModelError if absent (saying a .bin needs converting)."""
    path = model_dir / WEIGHTS_FILE
    if path.is_file():
        return path
    if (model_dir / "pytorch_model.bin").is_file():
        raise ModelError(
            f"{model_dir}: only pytorch_model.bin was found; heard reads weights from "
            f"{WEIGHTS_FILE} only (it never runs torch). Convert it once with torch and "
            "safetensors.torch.save_file(torch.load('pytorch_model.bin'), 'model.safetensors')"
        )
    raise ModelError(f"{model_dir}: no {WEIGHTS_FILE} found")


def weights_digest(path: Path) -> str:
    """SHA-256 of the weights file's content, memoised per (path, size, mtime) in this process."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _weights_hashes:
        with path.open("rb") as handle:
            _weights_hashes[key] = hashlib.file_digest(handle, "sha256").hexdigest()
    return _weights_hashes[key]


def check_overrides(
    overrides: Mapping[str, Any], expected: Mapping[str, tuple[int, ...]]
) -> dict[str, NDArray[np.float32]]:
    """Overrides keyed by canonical name as float32 arrays; ModelError for a bad name or shape."""
    checked: dict[str, NDArray[np.float32]] = {}
    for name, value in overrides.items():
        key = canonical_name(name)
        if key not in expected:
            raise ModelError(f"override {name!r} does not name a weight tensor of this model")
        array = np.asarray(value)
        if array.dtype.kind not in "fiu":
            raise ModelError(f"override {name!r} has non-numeric dtype {array.dtype}")
        if tuple(array.shape) != expected[key]:
            raise ModelError(
                f"override {name!r} has shape {tuple(array.shape)}, expected {expected[key]}"
            )
        array = np.ascontiguousarray(array, dtype=np.float32)
        if not np.isfinite(array).all():
            raise ModelError(f"override {name!r} contains NaN or infinite values")
        if key in checked:
            raise ModelError(f"override {name!r} is given twice (with and without 'bert.')")
        checked[key] = array
    return checked


def overrides_digest(overrides: Mapping[str, NDArray[np.float32]]) -> str:
    """SHA-256 over the checked overrides' names, shapes and float32 contents ('' when none)."""
    if not overrides:
        return ""
    digest = hashlib.sha256()
    for name in sorted(overrides):
        array = overrides[name]
        digest.update(f"{name}:{array.shape}\n".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def load_weights(
    path: Path, config: BertConfig, overrides: Mapping[str, NDArray[np.float32]]
) -> dict[str, NDArray[np.float32]]:
    """The graph's float32 tensors by canonical name, with `overrides` applied; shapes checked."""
    from safetensors.numpy import load_file

    try:
        raw = load_file(str(path))
    except Exception as exc:  # safetensors raises its own error types
        raise ModelError(f"{path}: cannot read safetensors file: {exc}") from exc
    found = {canonical_name(k): v for k, v in raw.items()}
    weights: dict[str, NDArray[np.float32]] = {}
    for name, shape in config.expected_shapes().items():
        if name in overrides:
            weights[name] = overrides[name]
            continue
        if name not in found:
            raise ModelError(f"{path}: weight tensor {name!r} (or 'bert.{name}') is missing")
        if tuple(found[name].shape) != shape:
            raise ModelError(
                f"{path}: tensor {name!r} has shape {tuple(found[name].shape)}, expected {shape}"
            )
        weights[name] = np.ascontiguousarray(found[name], dtype=np.float32)
    return weights
