"""The accurate tier at run time: the sentence encoder, fine-tuned with LoRA adapters, plus heads.

Each artefact holds the adapters (``<tensor>.lora_a``, ``<tensor>.lora_b``, already scaled) and
small linear heads. At load the adapters are merged into the base weights of the shipped encoder
(``W + B @ A``) and the merged model runs as an int8 ONNX graph (built once and cached on disk;
see ``heard.encoders``). No torch at run time.

- Mechanisms: the customer's message and the reply are encoded as a sentence pair; each mechanism's
  level comes from the mean of all tokens and the mean of the reply's tokens; a per-token head
  marks rationale tokens, which become the evidence spans.
- Emotion: the customer's message alone, mean-pooled, into six labels.

The tier blends each of these with the fast tier's model of the same task, with equal weights
(``BLEND``): the fine-tuned encoder and the TF-IDF model make different mistakes, and their average
is better than either on the dev sets (MODEL_CARD.md). The evidence spans are the encoder's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from heard.assessment.tiers import MechanismOutput, Tier
from heard.errors import ModelError
from heard.ml.artefact import load_artefact
from heard.results import EMOTIONS, MECHANISMS
from heard.text import Segment, sentences

KIND_MECHANISMS = "heard.accurate_mechanisms"
KIND_EMOTION = "heard.accurate_emotion"
RATIONALE_THRESHOLD = 0.5
BLEND = 0.5  # weight of the encoder's probabilities; the rest is the fast tier's
# Texts per encoder call: small batches were both faster and far leaner on 2 cores (ONNX Runtime
# keeps its peak activation memory; 64 long pairs grew the process to ~1 GB, 8 to ~0.3 GB).
ENCODE_BATCH = 8
_LORA_A, _LORA_B = ".lora_a", ".lora_b"


def merged_overrides(model_dir: Path, arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Base weights with the artefact's adapters merged in, keyed by tensor name."""
    from safetensors.numpy import load_file

    from heard.encoders.checkpoint import canonical_name, weights_path

    names = sorted(k[: -len(_LORA_A)] for k in arrays if k.endswith(_LORA_A))
    if not names:
        return {}
    base = {canonical_name(k): v for k, v in load_file(str(weights_path(model_dir))).items()}
    merged = {}
    for name in names:
        if name not in base:
            raise ModelError(f"adapter for {name!r}, which the encoder does not have")
        a, b = arrays[name + _LORA_A], arrays[name + _LORA_B]
        merged[name] = (base[name].astype(np.float32) + b @ a).astype(np.float32)
    return merged


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


def load_encoder(
    config: Mapping[str, Any], arrays: Mapping[str, np.ndarray], *, quantize: bool = True
) -> Any:
    from heard.encoders import SentenceEncoder, resolve_model_dir
    from heard.encoders.sentence_encoder import ModelLayout

    model_dir = ModelLayout.read(resolve_model_dir(config["encoder"])).transformer_dir
    overrides = merged_overrides(model_dir, arrays)
    return SentenceEncoder.load(
        config["encoder"],
        quantize=quantize,
        max_seq_length=int(config["max_seq_length"]),
        overrides=overrides,
    )


class AccurateMechanisms:
    """EPITOME mechanisms from the fine-tuned encoder (see the module docstring)."""

    def __init__(self, encoder: Any, arrays: Mapping[str, np.ndarray]) -> None:
        self.encoder = encoder
        self.level_weights = {
            m: np.asarray(arrays[f"heads/{m}/weight"], dtype=np.float32) for m in MECHANISMS
        }
        self.level_bias = {
            m: np.asarray(arrays[f"heads/{m}/bias"], dtype=np.float32) for m in MECHANISMS
        }
        self.rationale_weight = np.asarray(arrays["heads/rationale/weight"], dtype=np.float32)
        self.rationale_bias = np.asarray(arrays["heads/rationale/bias"], dtype=np.float32)

    @classmethod
    def load(cls, directory: str | Path, *, quantize: bool = True) -> AccurateMechanisms:
        config, arrays = load_artefact(directory, kind=KIND_MECHANISMS)
        return cls(load_encoder(config, arrays, quantize=quantize), arrays)

    def predict(self, contexts: Sequence[str], replies: Sequence[str]) -> list[MechanismOutput]:
        if not replies:
            return []
        encoded = self.encoder.encode_tokens(
            list(contexts), pairs=list(replies), batch_size=ENCODE_BATCH
        )
        outputs = []
        for reply, tokens in zip(replies, encoded, strict=True):
            states = tokens.states
            mean_all = states.mean(axis=0)
            in_reply = tokens.sequence_ids == 1
            mean_reply = states[in_reply].mean(axis=0) if in_reply.any() else mean_all
            features = np.concatenate([mean_all, mean_reply])
            probabilities: dict[str, tuple[float, float, float]] = {}
            for m in MECHANISMS:
                p = _softmax(self.level_weights[m] @ features + self.level_bias[m])
                probabilities[m] = (float(p[0]), float(p[1]), float(p[2]))
            rationale = _sigmoid(states[in_reply] @ self.rationale_weight.T + self.rationale_bias)
            offsets = tokens.offsets[in_reply]
            evidence = {
                m: rationale_spans(reply, offsets, rationale[:, i])
                for i, m in enumerate(MECHANISMS)
            }
            outputs.append(MechanismOutput(probabilities, evidence))
        return outputs


_WORD_CHAR = re.compile(r"[\w'’-]")


def rationale_spans(
    reply: str, offsets: np.ndarray, probabilities: np.ndarray
) -> tuple[Segment, ...]:
    """Runs of rationale tokens as whole-word spans of the reply; else the likeliest sentence."""
    if len(offsets) == 0:
        return ()
    spans: list[list[int]] = []
    for (start, end), p in zip(offsets.tolist(), probabilities.tolist(), strict=True):
        if p < RATIONALE_THRESHOLD or end <= start:
            continue
        if spans and not reply[spans[-1][1] : start].strip(" ,;:-\u2013\u2014\"'()"):
            spans[-1][1] = end
        else:
            spans.append([start, end])
    if not spans:
        best = int(np.argmax(probabilities))
        position = int(offsets[best][0])
        for segment in sentences(reply):
            if segment.start <= position < segment.end:
                return (segment,)
        return ()
    out = []
    for start, end in spans:
        while start > 0 and _WORD_CHAR.match(reply[start - 1]):
            start -= 1
        while end < len(reply) and _WORD_CHAR.match(reply[end]):
            end += 1
        out.append(Segment(start, end))
    return tuple(out)


class AccurateEmotion:
    """Six customer emotions from the fine-tuned encoder (see the module docstring)."""

    def __init__(self, encoder: Any, arrays: Mapping[str, np.ndarray]) -> None:
        self.encoder = encoder
        self.weight = np.asarray(arrays["heads/emotion/weight"], dtype=np.float32)
        self.bias = np.asarray(arrays["heads/emotion/bias"], dtype=np.float32)
        if self.weight.shape[0] != len(EMOTIONS):
            raise ModelError(
                f"the emotion head has {self.weight.shape[0]} outputs, expected {len(EMOTIONS)}"
            )

    @classmethod
    def load(cls, directory: str | Path, *, quantize: bool = True) -> AccurateEmotion:
        config, arrays = load_artefact(directory, kind=KIND_EMOTION)
        return cls(load_encoder(config, arrays, quantize=quantize), arrays)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(EMOTIONS)))
        encoded = self.encoder.encode_tokens(list(texts), batch_size=ENCODE_BATCH)
        pooled = np.stack([tokens.states.mean(axis=0) for tokens in encoded])
        return _softmax(pooled @ self.weight.T + self.bias).astype(np.float64)


class Blend:
    """Equal-weight average of two models' probabilities for the same task (see module doc)."""

    def __init__(self, encoder_model: Any, fast_model: Any, weight: float = BLEND) -> None:
        self.encoder_model = encoder_model
        self.fast_model = fast_model
        self.weight = weight

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        a = self.encoder_model.predict_proba(texts)
        b = self.fast_model.predict_proba(texts)
        return np.asarray(self.weight * a + (1 - self.weight) * b)

    def _mix(
        self, ours: tuple[float, float, float], theirs: tuple[float, float, float]
    ) -> tuple[float, float, float]:
        w = self.weight
        return (
            w * ours[0] + (1 - w) * theirs[0],
            w * ours[1] + (1 - w) * theirs[1],
            w * ours[2] + (1 - w) * theirs[2],
        )

    def predict(self, contexts: Sequence[str], replies: Sequence[str]) -> list[MechanismOutput]:
        ours = self.encoder_model.predict(contexts, replies)
        theirs = self.fast_model.predict(contexts, replies)
        blended = []
        for a, b in zip(ours, theirs, strict=True):
            probabilities = {
                m: self._mix(a.probabilities[m], b.probabilities[m]) for m in MECHANISMS
            }
            evidence = {m: a.evidence[m] or b.evidence[m] for m in MECHANISMS}
            blended.append(MechanismOutput(probabilities, evidence))
        return blended


def load_accurate_tier(root: Path, entry: Mapping[str, Any], version: str, fast: Tier) -> Tier:
    """The encoder models of ``entry``, each blended with the fast tier's model (``fast``)."""
    try:
        emotion = AccurateEmotion.load(root / entry["emotion"])
        mechanisms = AccurateMechanisms.load(root / entry["mechanisms"])
    except KeyError as error:
        raise ModelError(f"the accurate tier's manifest entry lacks {error}") from error
    return Tier(
        "accurate",
        version,
        Blend(emotion, fast.emotion),
        Blend(mechanisms, fast.mechanisms),
        fast.listening,
    )
