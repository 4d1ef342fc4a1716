"""Rebuild the shipped models from the public data sets, with fixed seeds (``heard train``).

Fast tier: TF-IDF + logistic regression for the six customer emotions (GoEmotions train rows
that map to exactly one product label, plus TweetEval train) and for the three EPITOME mechanisms
with a rationale tagger (EPITOME train). The accurate tier is built by
``heard.services.training_accurate`` (it needs the ``train`` extra with torch).
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from heard.datasets import iter_single_label, read_epitome, read_goemotions, read_tweeteval_emotion
from heard.ml.emotion import EmotionClassifier
from heard.ml.mechanisms import MechanismClassifier
from heard.services.models import MANIFEST

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
SEED = 13


def _quiet(message: str) -> None:
    logger.info(message)


def emotion_training_rows(
    data_dir: Path, *, sample: int | None = None
) -> tuple[list[str], list[str]]:
    """GoEmotions single-label train rows plus TweetEval train, optionally a seeded sample."""
    rows = list(iter_single_label(read_goemotions(data_dir, "train")))
    rows += list(iter_single_label(read_tweeteval_emotion(data_dir, "train")))
    if sample is not None and sample < len(rows):
        rows = random.Random(SEED).sample(rows, sample)
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    return texts, labels


def train_fast(
    data_dir: str | Path,
    output_dir: str | Path,
    *,
    sample: int | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Fit and save the fast tier under ``output_dir/fast``; update ``output_dir/manifest.json``.

    ``sample`` trains on that many rows of each data set (for quick tests), never for release.
    """
    random.seed(SEED)
    np.random.seed(SEED)
    data = Path(data_dir)
    root = Path(output_dir)
    progress("reading GoEmotions and TweetEval")
    texts, labels = emotion_training_rows(data, sample=sample)
    progress(f"training the emotion model on {len(texts):,} texts")
    emotion = EmotionClassifier().fit(texts, labels)
    emotion.save(root / "fast" / "emotion", metadata={"rows": len(texts), "seed": SEED})

    progress("reading EPITOME")
    examples = read_epitome(data, "train")
    if sample is not None and sample < len(examples):
        examples = random.Random(SEED).sample(examples, sample)
    progress(f"training the mechanism model on {len(examples):,} pairs")
    mechanisms = MechanismClassifier().fit(examples)
    mechanisms.save(root / "fast" / "mechanisms", metadata={"rows": len(examples), "seed": SEED})

    entry = {
        "version": date.today().isoformat() if sample is None else f"sample-{sample}",
        "emotion": "fast/emotion",
        "mechanisms": "fast/mechanisms",
        "trained_on": {"emotion_rows": len(texts), "epitome_pairs": len(examples)},
    }
    update_manifest(root, "fast", entry)
    progress("fast tier saved")
    return entry


def update_manifest(root: Path, tier: str, entry: dict[str, Any]) -> None:
    path = root / MANIFEST
    manifest: dict[str, Any] = {}
    if path.is_file():
        manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest[tier] = entry
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
