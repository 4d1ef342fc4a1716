"""A BERT encoder run with ONNX Runtime: the graph is written here from config.json and
model.safetensors, so neither torch nor transformers is needed at run time.

`BertOnnxModel.load` reads a Hugging Face BERT checkpoint directory, optionally replaces some of
its weight tensors (`overrides`), and either builds the float32 graph in memory or loads an int8
graph from an on-disk cache (building and caching it on first use). `BertOnnxModel.run` maps
token ids to the last hidden states.

int8 means: every weight MatMul becomes ONNX Runtime's MatMulNBits with 8-bit weights quantised
symmetrically in blocks of `QUANT_BLOCK` input channels, and `accuracy_level=4`, which quantises
the activations to int8 per token and block too. Per-tensor dynamic quantisation
(`onnxruntime.quantization.quantize_dynamic`) was tried first and rejected: BERT's outlier
activations (e.g. ~28 on [CLS] where other values are ~2) leave too few levels for everything
else (cosine to float32 as low as 0.80 for short texts, 0.95 per-channel), and its per-batch
activation scale makes a text's embedding depend on the other texts in its batch.

onnx, onnxruntime and safetensors are imported inside the functions that use them, so importing
this module costs only NumPy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from heard.encoders.checkpoint import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    BertConfig,
    canonical_name,
    check_overrides,
    load_weights,
    overrides_digest,
    weights_digest,
    weights_path,
)
from heard.errors import ModelError

__all__ = [
    "CONFIG_FILE",
    "WEIGHTS_FILE",
    "BertConfig",
    "BertOnnxModel",
    "canonical_name",
    "load_weights",
    "weights_path",
]

logger = logging.getLogger(__name__)

#: Bump whenever the graph written by `build_graph` (or its quantisation) changes, so that
#: cached int8 graphs built by an older heard are not reused.
GRAPH_BUILDER_VERSION = "1"
_ONNX_OPSET = 17
_INLINE_LIMIT = 4096
#: Input channels per int8 quantisation block (a power of two >= 16; smaller is more accurate).
QUANT_BLOCK = 32


class _GraphWriter:
    """Collects the nodes and initialisers of a graph while the BERT layers are written.

    With `inline=False`, tensors larger than `_INLINE_LIMIT` elements are declared as external
    data and kept in `external` (name -> array) to be handed to ONNX Runtime directly, which
    avoids copying ~90 MB of weights through protobuf.
    """

    def __init__(self, *, inline: bool, quantize: bool) -> None:
        self.inline = inline
        self.quantize = quantize
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.external: dict[str, NDArray[Any]] = {}
        self._count = 0

    def const(self, name: str, value: NDArray[Any]) -> str:
        """Add `value` as an initialiser called `name`; return the name."""
        from onnx import TensorProto, helper, numpy_helper

        value = np.ascontiguousarray(value)
        if self.inline or value.size <= _INLINE_LIMIT:
            self.initializers.append(numpy_helper.from_array(value, name))
            return name
        tensor = TensorProto(name=name, dims=value.shape)
        tensor.data_type = helper.np_dtype_to_tensor_dtype(value.dtype)
        tensor.data_location = TensorProto.EXTERNAL
        for key, text in (("location", "heard-in-memory"), ("length", str(value.nbytes))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, text
        self.initializers.append(tensor)
        self.external[name] = value
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        """Add a node with one output; return the output's name."""
        from onnx import helper

        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    def linear(
        self, x: str, weight: NDArray[np.float32], bias: NDArray[np.float32], name: str
    ) -> str:
        """x @ weight.T + bias for a torch Linear weight [out, in]: MatMul with the weight stored
        transposed, or with `quantize` an 8-bit MatMulNBits."""
        b = self.const(f"{name}.bias", bias)
        if not self.quantize:
            w = self.const(f"{name}.weight_t", weight.T)
            return self.op("Add", self.op("MatMul", x, w), b)
        q, scales = quantize_blockwise(weight)
        product = self.op(
            "MatMulNBits",
            x,
            self.const(f"{name}.weight_q8", q),
            self.const(f"{name}.weight_scales", scales),
            domain="com.microsoft",
            K=weight.shape[1],
            N=weight.shape[0],
            bits=8,
            block_size=QUANT_BLOCK,
            accuracy_level=4,  # int8 compute: activations quantised per row and block
        )
        return self.op("Add", product, b)

    def dense(self, x: str, weights: Mapping[str, NDArray[np.float32]], prefix: str) -> str:
        """The torch Linear called `prefix` applied to x."""
        return self.linear(x, weights[f"{prefix}.weight"], weights[f"{prefix}.bias"], prefix)

    def layer_norm(
        self, x: str, weights: Mapping[str, NDArray[np.float32]], prefix: str, eps: float
    ) -> str:
        """LayerNormalization over the last axis with the `prefix` LayerNorm's weight and bias."""
        g = self.const(f"{prefix}.weight", weights[f"{prefix}.weight"])
        b = self.const(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return self.op("LayerNormalization", x, g, b, axis=-1, epsilon=eps)


def quantize_blockwise(weight: NDArray[np.float32]) -> tuple[NDArray[np.uint8], NDArray[Any]]:
    """A torch Linear weight [out, in] as MatMulNBits' 8-bit B [out, blocks, QUANT_BLOCK] (zero
    point 128, symmetric, input channels zero-padded to whole blocks) and float32 scales."""
    n, k = weight.shape
    blocks = -(-k // QUANT_BLOCK)
    padded = np.zeros((n, blocks * QUANT_BLOCK), dtype=np.float32)
    padded[:, :k] = weight
    grouped = padded.reshape(n, blocks, QUANT_BLOCK)
    scales = np.abs(grouped).max(axis=2) / 127.0
    scales[scales == 0] = 1.0
    q = np.clip(np.rint(grouped / scales[:, :, None]), -127, 127) + 128
    return q.astype(np.uint8), scales.astype(np.float32).reshape(-1)


def build_graph(
    config: BertConfig,
    weights: Mapping[str, NDArray[np.float32]],
    *,
    inline: bool = True,
    quantize: bool = False,
) -> tuple[Any, dict[str, NDArray[Any]]]:
    """An opset-17 onnx.ModelProto computing BERT's last_hidden_state from token ids, and the
    large tensors left out of it when `inline` is false (empty when inline). With `quantize`,
    weight MatMuls are int8 MatMulNBits (ONNX Runtime's com.microsoft domain).

    Inputs input_ids, attention_mask and token_type_ids are int64 [batch, seq]; the output
    last_hidden_state is float32 [batch, seq, hidden]. `weights` is keyed by canonical name.
    """
    from onnx import TensorProto, helper

    g = _GraphWriter(inline=inline, quantize=quantize)
    heads = config.num_attention_heads
    head_dim = config.hidden_size // heads
    eps = config.layer_norm_eps
    f32 = np.float32

    # Embeddings: word + absolute position (0..seq-1) + token type, then LayerNorm.
    word = g.op(
        "Gather",
        g.const("word_embeddings", weights["embeddings.word_embeddings.weight"]),
        "input_ids",
    )
    seq_len = g.op("Shape", "input_ids", start=1, end=2)
    pos = g.op(
        "Slice",
        g.const("position_embeddings", weights["embeddings.position_embeddings.weight"]),
        g.const("zero_i", np.array([0], np.int64)),
        seq_len,
        g.const("axis_0", np.array([0], np.int64)),
    )
    token_type = g.op(
        "Gather",
        g.const("token_type_embeddings", weights["embeddings.token_type_embeddings.weight"]),
        "token_type_ids",
    )
    x = g.layer_norm(
        g.op("Add", g.op("Add", word, pos), token_type), weights, "embeddings.LayerNorm", eps
    )

    # Additive attention mask [batch, 1, 1, seq]: 0 where attended, float32 min where padded.
    keep = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    dropped = g.op("Sub", g.const("one_f", np.array(1.0, f32)), keep)
    mask = g.op(
        "Unsqueeze",
        g.op("Mul", dropped, g.const("mask_min", np.array(np.finfo(f32).min, f32))),
        g.const("mask_axes", np.array([1, 2], np.int64)),
    )
    heads_shape = g.const("heads_shape", np.array([0, 0, heads, head_dim], np.int64))
    hidden_shape = g.const("hidden_shape", np.array([0, 0, config.hidden_size], np.int64))
    scale = g.const("sqrt_head_dim", np.array(np.sqrt(head_dim), f32))
    sqrt2 = g.const("sqrt2", np.array(np.sqrt(2.0), f32))
    half = g.const("half", np.array(0.5, f32))

    for n in range(config.num_hidden_layers):
        p = f"encoder.layer.{n}."
        q, k, v = (
            g.op("Reshape", g.dense(x, weights, f"{p}attention.self.{name}"), heads_shape)
            for name in ("query", "key", "value")
        )
        q = g.op("Transpose", q, perm=[0, 2, 1, 3])
        k = g.op("Transpose", k, perm=[0, 2, 3, 1])
        v = g.op("Transpose", v, perm=[0, 2, 1, 3])
        scores = g.op("Add", g.op("Div", g.op("MatMul", q, k), scale), mask)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), hidden_shape)
        attended = g.dense(context, weights, f"{p}attention.output.dense")
        x = g.layer_norm(g.op("Add", attended, x), weights, f"{p}attention.output.LayerNorm", eps)
        inner = g.dense(x, weights, f"{p}intermediate.dense")
        erf = g.op("Erf", g.op("Div", inner, sqrt2))
        gelu = g.op("Mul", g.op("Mul", inner, g.op("Add", erf, "one_f")), half)
        out = g.dense(gelu, weights, f"{p}output.dense")
        x = g.layer_norm(g.op("Add", out, x), weights, f"{p}output.LayerNorm", eps)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))

    ids = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "seq", config.hidden_size]
    )
    graph = helper.make_graph(g.nodes, "bert", ids, [output], initializer=g.initializers)
    model = helper.make_model(
        graph,
        opset_imports=[
            helper.make_opsetid("", _ONNX_OPSET),
            helper.make_opsetid("com.microsoft", 1),
        ],
        producer_name="heard",
        producer_version=GRAPH_BUILDER_VERSION,
    )
    model.ir_version = 8
    return model, g.external


def default_cache_dir() -> Path:
    """Where int8 graphs are cached: `$HEARD_CACHE_DIR/encoders`, else ~/.cache/heard/encoders."""
    root = os.environ.get("HEARD_CACHE_DIR")
    base = Path(root).expanduser() if root else Path.home() / ".cache" / "heard"
    return base / "encoders"


def _session(
    model: str | bytes, threads: int | None, external: Mapping[str, NDArray[Any]] | None = None
) -> tuple[Any, list[Any]]:
    """An ONNX Runtime CPU session for a model file path or serialised model bytes, and the
    objects that must outlive it. `external` supplies the tensors that a graph built with
    `inline=False` leaves out; ONNX Runtime uses their memory in place."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    keep_alive: list[Any] = []
    if external:
        values = [ort.OrtValue.ortvalue_from_numpy(v) for v in external.values()]
        options.add_external_initializers(list(external), values)
        keep_alive = [options, values, external]
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only: ORT's warnings go to stderr, not to logging
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return session, keep_alive


def _write_atomically(model: Any, target: Path) -> None:
    """Serialise `model` to `target` via a temporary file in the same directory and os.replace."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(model.SerializeToString())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


class BertOnnxModel:
    """A loaded BERT encoder: an ONNX Runtime session plus what identifies it.

    `config` is the checkpoint's BertConfig, `quantized` whether the graph is int8, and
    `fingerprint` a hex digest of graph-builder version + config + weights content + overrides +
    quantisation, which changes whenever the outputs could.
    """

    def __init__(
        self,
        session: Any,
        *,
        config: BertConfig,
        fingerprint: str,
        quantized: bool,
        keep_alive: list[Any] | None = None,
    ) -> None:
        self._session = session
        self._keep_alive = keep_alive or []  # buffers ONNX Runtime reads in place
        self.config = config
        self.fingerprint = fingerprint
        self.quantized = quantized

    @classmethod
    def load(
        cls,
        model_dir: str | os.PathLike[str],
        *,
        quantize: bool = True,
        overrides: Mapping[str, Any] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        threads: int | None = None,
    ) -> BertOnnxModel:
        """Load the checkpoint in `model_dir` (config.json + model.safetensors).

        `overrides` replaces weight tensors by name (with or without `bert.`) before the graph is
        built; shapes must match. With `quantize`, the int8 graph is read from `cache_dir`
        (default `default_cache_dir()`) or built there on first use. `threads` sets ONNX
        Runtime's intra-op threads (default: all CPUs).
        """
        directory = Path(model_dir)
        config = BertConfig.from_file(directory / CONFIG_FILE)
        weights_file = weights_path(directory)
        checked = check_overrides(overrides or {}, config.expected_shapes())
        key = {
            "builder": GRAPH_BUILDER_VERSION,
            "config": [getattr(config, f) for f in config.__slots__],
            "weights": weights_digest(weights_file),
            "overrides": overrides_digest(checked),
            "quantized": QUANT_BLOCK if quantize else False,
        }
        fingerprint = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()

        start = time.perf_counter()
        if not quantize:
            weights = load_weights(weights_file, config, checked)
            graph, external = build_graph(config, weights, inline=False)
            session, keep = _session(graph.SerializeToString(), threads, external)
            logger.info("built fp32 BERT graph in %.2fs", time.perf_counter() - start)
            return cls(
                session, config=config, fingerprint=fingerprint, quantized=False, keep_alive=keep
            )

        cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        target = cache / f"bert-int8-{fingerprint[:40]}.onnx"
        if target.is_file():
            try:
                session, _ = _session(str(target), threads)
            except Exception as exc:  # ORT raises several pybind error types for a bad file
                logger.warning("cached int8 graph %s is unreadable (%s); rebuilding", target, exc)
            else:
                logger.info("loaded cached int8 graph %s", target)
                return cls(session, config=config, fingerprint=fingerprint, quantized=True)
        weights = load_weights(weights_file, config, checked)
        graph, _ = build_graph(config, weights, quantize=True)
        _write_atomically(graph, target)
        elapsed = time.perf_counter() - start
        logger.info("built and quantised int8 graph %s in %.2fs", target, elapsed)
        try:
            session, _ = _session(str(target), threads)
        except Exception as exc:  # e.g. an onnxruntime too old for 8-bit MatMulNBits
            import onnxruntime as ort

            raise ModelError(
                f"onnxruntime {ort.__version__} cannot run the int8 graph ({exc}); int8 needs "
                "onnxruntime>=1.22, or load the encoder with quantize=False"
            ) from exc
        return cls(session, config=config, fingerprint=fingerprint, quantized=True)

    @property
    def hidden_size(self) -> int:
        """Width of each token state."""
        return self.config.hidden_size

    def run(
        self,
        input_ids: NDArray[np.integer[Any]],
        attention_mask: NDArray[np.integer[Any]],
        token_type_ids: NDArray[np.integer[Any]],
    ) -> NDArray[np.float32]:
        """Last hidden states, float32 [batch, seq, hidden], for int [batch, seq] token arrays."""
        feed = {
            "input_ids": np.ascontiguousarray(input_ids, dtype=np.int64),
            "attention_mask": np.ascontiguousarray(attention_mask, dtype=np.int64),
            "token_type_ids": np.ascontiguousarray(token_type_ids, dtype=np.int64),
        }
        shape = feed["input_ids"].shape
        if len(shape) != 2 or any(a.shape != shape for a in feed.values()):
            raise ValueError(f"token arrays must share one [batch, seq] shape, got {shape}")
        if shape[1] > self.config.max_position_embeddings:
            raise ValueError(
                f"sequence length {shape[1]} exceeds the model's "
                f"{self.config.max_position_embeddings} positions"
            )
        if shape[0] == 0 or shape[1] == 0:
            return np.zeros((*shape, self.hidden_size), dtype=np.float32)
        (out,) = self._session.run(["last_hidden_state"], feed)
        return np.asarray(out, dtype=np.float32)
