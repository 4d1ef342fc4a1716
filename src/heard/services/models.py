"""Finding and loading the shipped models (a tier at a time), once per process."""

from __future__ import annotations

import json
import logging
import os
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heard.assessment.engine import Assessor
from heard.assessment.tiers import Tier
from heard.errors import InputError, ModelError

if TYPE_CHECKING:
    from heard.encoders.sentence_encoder import SentenceEncoder
    from heard.practice.drills import DrillScorer

logger = logging.getLogger(__name__)

TIERS = ("fast", "accurate")
DEFAULT_TIER = "fast"
MANIFEST = "manifest.json"
_lock = threading.Lock()
_tiers: dict[tuple[str, str], Tier] = {}
_assessors: dict[tuple[str, str], Assessor] = {}
_encoders: dict[str, SentenceEncoder] = {}


def artefact_root(model_dir: str | Path | None = None) -> Path:
    """Where the models are: ``model_dir``, else ``$HEARD_MODEL_DIR``, else the package's own."""
    if model_dir is not None:
        return Path(model_dir)
    if os.environ.get("HEARD_MODEL_DIR"):
        return Path(os.environ["HEARD_MODEL_DIR"])
    return Path(str(resources.files("heard") / "artefacts"))


def read_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise ModelError(f"no {MANIFEST} in {root}: rebuild the models with `heard train`")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(f"{path}: unreadable model manifest ({error})") from error
    return manifest


def check_tier(name: str) -> str:
    if name not in TIERS:
        raise InputError(f"unknown tier {name!r}; choose one of: {', '.join(TIERS)}", field="tier")
    return name


def load_tier(name: str = DEFAULT_TIER, *, model_dir: str | Path | None = None) -> Tier:
    """The tier's models, loaded once per process (thread-safe)."""
    check_tier(name)
    root = artefact_root(model_dir)
    key = (name, str(root))
    with _lock:
        if key not in _tiers:
            _tiers[key] = _load(name, root)
        return _tiers[key]


def assessor(name: str = DEFAULT_TIER, *, model_dir: str | Path | None = None) -> Assessor:
    """A ready :class:`Assessor` for the tier, shared within the process."""
    tier = load_tier(name, model_dir=model_dir)
    key = (name, str(artefact_root(model_dir)))
    with _lock:
        if key not in _assessors:
            _assessors[key] = Assessor(tier)
        return _assessors[key]


def model_version(name: str = DEFAULT_TIER, *, model_dir: str | Path | None = None) -> str:
    """The tier's model version (as ``Assessor.model_version``) from the manifest alone: the
    commands that only read stored scores need it, not the models."""
    check_tier(name)
    root = artefact_root(model_dir)
    _, version = _entry(name, root)
    return f"{name}-{version}"


def _entry(name: str, root: Path) -> tuple[dict[str, Any], str]:
    manifest = read_manifest(root)
    entry = manifest.get(name)
    if entry is None:
        raise ModelError(
            f"the {name} tier is not among the models in {root} (have: {sorted(manifest)}); "
            f"build it with `heard train --tier {name}`"
        )
    return entry, str(entry.get("version", "unknown"))


def _load(name: str, root: Path) -> Tier:
    entry, version = _entry(name, root)
    logger.debug("loading the %s tier (%s) from %s", name, version, root)
    if name == "fast":
        from heard.ml.emotion import EmotionClassifier
        from heard.ml.mechanisms import MechanismClassifier, PairInterpretations

        from_reply = MechanismClassifier.load(root / entry["mechanisms"])
        mechanisms: MechanismClassifier | PairInterpretations = from_reply
        listening = None
        if entry.get("listening"):
            from heard.ml.listening import ListeningModel

            listening = ListeningModel.load(root / entry["listening"])
            mechanisms = PairInterpretations(from_reply, listening.interpretations)
        return Tier(
            name,
            version,
            EmotionClassifier.load(root / entry["emotion"]),
            mechanisms,
            listening,
        )
    from heard.ml.accurate import load_accurate_tier

    # The accurate tier blends with the fast one (this runs under _lock).
    fast_key = ("fast", str(root))
    if fast_key not in _tiers:
        _tiers[fast_key] = _load("fast", root)
    return load_accurate_tier(root, entry, version, _tiers[fast_key])


def drill_scorer(engine: Assessor) -> DrillScorer:
    """A listening-drill scorer on ``engine``, with the shipped sentence encoder, loaded on the
    first answer that needs it (and then once per process)."""
    from heard.practice.drills import DrillScorer  # pydantic and the bank: not on assess's path

    return DrillScorer(engine, _sentence_encoder)


def _sentence_encoder() -> SentenceEncoder:
    from heard.encoders.sentence_encoder import SentenceEncoder  # ONNX Runtime: loaded on use

    with _lock:
        if "encoder" not in _encoders:
            _encoders["encoder"] = SentenceEncoder.load()
        return _encoders["encoder"]
