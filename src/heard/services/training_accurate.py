"""Rebuild the accurate tier: LoRA fine-tuning of the shipped sentence encoder (needs torch,
installed by the ``train`` extra). See MODEL_CARD.md for the settings and the resulting figures.

- mechanisms: EPITOME train, (seeker post, response) as a sentence pair, three level heads and a
  token-level rationale head trained together (loss = sum of the three class-weighted
  cross-entropies + 0.5 x rationale binary cross-entropy), 5 epochs;
- emotion: GoEmotions train rows that map to one product label plus TweetEval train, 2 epochs.
Class weights are the square root of inverse class frequency. Seeds are fixed.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from heard.datasets import read_epitome
from heard.ml.accurate import KIND_EMOTION, KIND_MECHANISMS
from heard.ml.artefact import save_artefact
from heard.ml.mechanisms import MechanismExample
from heard.results import EMOTIONS, MECHANISMS
from heard.services.training import SEED, emotion_training_rows, update_manifest

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class AccurateSettings:
    encoder: str = "all-MiniLM-L6-v2"
    rank: int = 16
    mechanism_epochs: int = 5
    emotion_epochs: int = 2
    batch_size: int = 16
    adapter_lr: float = 5e-4
    head_lr: float = 1e-3
    rationale_weight: float = 0.5
    mechanism_max_length: int = 192
    emotion_max_length: int = 128


def _class_weights(labels: Sequence[int], classes: int) -> Any:
    import torch

    counts = np.bincount(np.asarray(labels), minlength=classes).astype(np.float64)
    counts[counts == 0] = 1.0
    weights = np.sqrt(len(labels) / (classes * counts))
    return torch.tensor(weights, dtype=torch.float32)


def _encoder_parts(
    settings: AccurateSettings, max_length: int
) -> tuple[Any, Any, dict[str, np.ndarray]]:
    from tokenizers import Tokenizer

    from heard.encoders import resolve_model_dir
    from heard.encoders.checkpoint import BertConfig, load_weights, weights_path
    from heard.encoders.sentence_encoder import ModelLayout

    model_dir = ModelLayout.read(resolve_model_dir(settings.encoder)).transformer_dir
    config = BertConfig.from_file(model_dir / "config.json")
    weights = load_weights(weights_path(model_dir), config, {})
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    return tokenizer, config, weights


def _lora_model(settings: AccurateSettings, max_length: int, seed: int) -> tuple[Any, Any, Any]:
    """(tokenizer, config, BERT with fresh LoRA adapters), seeded."""
    from heard.ml.lora_training import LoRABert, seed_everything

    seed_everything(seed)
    tokenizer, config, weights = _encoder_parts(settings, max_length)
    return (
        tokenizer,
        config,
        LoRABert(config, weights, rank=settings.rank, alpha=2.0 * settings.rank),
    )


def _fit_and_export(
    bert: Any,
    heads: Mapping[str, Any],
    batches: Callable[[int], Any],
    step: Callable[[Any], Any],
    *,
    rows: int,
    batch_size: int,
    epochs: int,
    settings: AccurateSettings,
    progress: Progress,
    name: str,
) -> dict[str, np.ndarray]:
    """Train the adapters and the heads together, then export them as arrays: the adapters as
    ``<tensor>.lora_a/.lora_b``, each linear head as ``heads/<name>/weight`` and ``.../bias``."""
    from heard.ml.lora_training import train_loop

    head_parameters = [p for head in heads.values() for p in head.parameters()]
    train_loop(
        [
            ([p for p in bert.parameters() if p.requires_grad], settings.adapter_lr),
            (head_parameters, settings.head_lr),
        ],
        batches,
        step,
        epochs=epochs,
        steps_per_epoch=-(-rows // batch_size),
        progress=progress,
        name=name,
    )
    arrays: dict[str, np.ndarray] = bert.adapters()
    for head_name, head in heads.items():
        arrays[f"heads/{head_name}/weight"] = head.weight.detach().numpy().copy()
        arrays[f"heads/{head_name}/bias"] = head.bias.detach().numpy().copy()
    return arrays


def train_mechanisms(
    examples: Sequence[MechanismExample], settings: AccurateSettings, progress: Progress
) -> dict[str, np.ndarray]:
    import torch
    from torch import nn
    from torch.nn import functional

    from heard.ml.lora_training import encode_batches, masked_mean

    tokenizer, config, bert = _lora_model(settings, settings.mechanism_max_length, SEED)
    hidden = config.hidden_size
    heads = nn.ModuleDict({m: nn.Linear(2 * hidden, 3) for m in MECHANISMS})
    rationale = nn.Linear(hidden, len(MECHANISMS))
    dropout = nn.Dropout(0.1)
    levels = {m: [e.levels[m] for e in examples] for m in MECHANISMS}
    class_weights = {m: _class_weights(levels[m], 3) for m in MECHANISMS}
    contexts = [e.context for e in examples]
    replies = [e.reply for e in examples]

    def batches(epoch: int) -> Any:
        return encode_batches(
            tokenizer,
            contexts,
            replies,
            batch_size=settings.batch_size,
            shuffle=True,
            seed=SEED + epoch,
        )

    def step(item: Any) -> Any:
        batch, encodings = item
        states = bert(batch.ids, batch.mask, batch.types)
        features = dropout(
            torch.cat([masked_mean(states, batch.mask), masked_mean(states, batch.second)], -1)
        )
        loss = sum(
            functional.cross_entropy(
                heads[m](features),
                torch.tensor([levels[m][r] for r in batch.rows]),
                weight=class_weights[m],
            )
            for m in MECHANISMS
        )
        target = torch.zeros(states.shape[0], states.shape[1], len(MECHANISMS))
        for row, (index, encoding) in enumerate(zip(batch.rows, encodings, strict=True)):
            example = examples[index]
            for k, m in enumerate(MECHANISMS):
                for span in example.rationales[m]:
                    span = span.strip()
                    start = example.reply.find(span) if span else -1
                    if start < 0:
                        continue
                    end = start + len(span)
                    for t, ((a, b), sequence) in enumerate(
                        zip(encoding.offsets, encoding.sequence_ids, strict=True)
                    ):
                        if sequence == 1 and b > a and a < end and b > start:
                            target[row, t, k] = 1.0
        token_loss = functional.binary_cross_entropy_with_logits(
            rationale(states), target, reduction="none"
        ).sum(-1)
        return loss + settings.rationale_weight * (
            token_loss * batch.second
        ).sum() / batch.second.sum().clamp(min=1)

    return _fit_and_export(
        bert,
        {**{m: heads[m] for m in MECHANISMS}, "rationale": rationale},
        batches,
        step,
        rows=len(examples),
        batch_size=settings.batch_size,
        epochs=settings.mechanism_epochs,
        settings=settings,
        progress=progress,
        name="mechanisms",
    )


def train_emotion(
    texts: Sequence[str], labels: Sequence[str], settings: AccurateSettings, progress: Progress
) -> dict[str, np.ndarray]:
    import torch
    from torch import nn
    from torch.nn import functional

    from heard.ml.lora_training import encode_batches, masked_mean

    tokenizer, config, bert = _lora_model(settings, settings.emotion_max_length, SEED + 1)
    head = nn.Linear(config.hidden_size, len(EMOTIONS))
    dropout = nn.Dropout(0.1)
    targets = [EMOTIONS.index(label) for label in labels]
    class_weights = _class_weights(targets, len(EMOTIONS))

    def batches(epoch: int) -> Any:
        return encode_batches(
            tokenizer,
            list(texts),
            None,
            batch_size=settings.batch_size * 2,
            shuffle=True,
            seed=SEED + epoch,
        )

    def step(item: Any) -> Any:
        batch, _ = item
        states = bert(batch.ids, batch.mask, batch.types)
        logits = head(dropout(masked_mean(states, batch.mask)))
        return functional.cross_entropy(
            logits, torch.tensor([targets[r] for r in batch.rows]), weight=class_weights
        )

    return _fit_and_export(
        bert,
        {"emotion": head},
        batches,
        step,
        rows=len(texts),
        batch_size=2 * settings.batch_size,
        epochs=settings.emotion_epochs,
        settings=settings,
        progress=progress,
        name="emotion",
    )


def train_accurate(
    data_dir: str | Path,
    output_dir: str | Path,
    *,
    sample: int | None = None,
    settings: AccurateSettings | None = None,
    progress: Progress = logger.info,
    parts: Sequence[str] = ("mechanisms", "emotion"),
) -> dict[str, Any]:
    """Fine-tune and save the accurate tier under ``output_dir/accurate``; update the manifest.

    ``sample`` trains on that many rows of each data set, for one epoch (quick tests only).
    """
    try:
        import torch
    except ImportError as error:
        from heard.errors import HeardError

        raise HeardError(
            "training the accurate tier needs torch: pip install 'heard[train]' "
            "(CPU build: --extra-index-url https://download.pytorch.org/whl/cpu)"
        ) from error
    torch.set_num_threads(max(1, torch.get_num_threads()))
    chosen = settings or AccurateSettings()
    if sample is not None:
        chosen = replace(chosen, mechanism_epochs=1, emotion_epochs=1)
    data = Path(data_dir)
    root = Path(output_dir)
    common = {"encoder": chosen.encoder, "rank": chosen.rank, "seed": SEED}
    entry: dict[str, Any] = {
        "version": date.today().isoformat() if sample is None else f"sample-{sample}",
        "mechanisms": "accurate/mechanisms",
        "emotion": "accurate/emotion",
        "settings": asdict(chosen),
    }
    if "mechanisms" in parts:
        examples = read_epitome(data, "train")
        if sample is not None and sample < len(examples):
            examples = random.Random(SEED).sample(examples, sample)
        progress(f"fine-tuning the mechanism model on {len(examples):,} pairs")
        started = time.perf_counter()
        arrays = train_mechanisms(examples, chosen, progress)
        save_artefact(
            root / "accurate" / "mechanisms",
            kind=KIND_MECHANISMS,
            config={**common, "max_seq_length": chosen.mechanism_max_length, "rows": len(examples)},
            arrays=arrays,
        )
        progress(f"mechanisms done in {time.perf_counter() - started:.0f} s")
    if "emotion" in parts:
        texts, labels = emotion_training_rows(data, sample=sample)
        progress(f"fine-tuning the emotion model on {len(texts):,} texts")
        started = time.perf_counter()
        arrays = train_emotion(texts, labels, chosen, progress)
        save_artefact(
            root / "accurate" / "emotion",
            kind=KIND_EMOTION,
            config={**common, "max_seq_length": chosen.emotion_max_length, "rows": len(texts)},
            arrays=arrays,
        )
        progress(f"emotion done in {time.perf_counter() - started:.0f} s")
    update_manifest(root, "accurate", entry)
    return entry
