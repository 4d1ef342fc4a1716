"""A saved model is a directory: ``config.json`` (what it is, how it was trained, its figures) and
``weights.npz`` (plain arrays, loaded without pickle)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from heard.errors import ModelError

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.npz"


def save_artefact(
    directory: str | Path, *, kind: str, config: dict[str, Any], arrays: dict[str, np.ndarray]
) -> Path:
    """Write ``config.json`` and ``weights.npz`` into ``directory`` (created if needed)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    document = {"kind": kind, "format_version": FORMAT_VERSION, **config}
    _atomic_write(
        path / CONFIG_FILE, json.dumps(document, indent=2, sort_keys=True).encode() + b"\n"
    )
    with tempfile.NamedTemporaryFile(dir=path, suffix=".npz", delete=False) as handle:
        payload: dict[str, Any] = dict(arrays)  # keyword arrays; numpy's stub wants them untyped
        np.savez_compressed(handle, **payload)
        temporary = handle.name
    os.replace(temporary, path / WEIGHTS_FILE)
    for name in (CONFIG_FILE, WEIGHTS_FILE):
        os.chmod(path / name, 0o644)  # temporary files are private; a model is for every user
    return path


def load_artefact(
    directory: str | Path, *, kind: str
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read a saved model of the given kind; clear errors for anything missing or foreign."""
    path = Path(directory)
    config_path = path / CONFIG_FILE
    weights_path = path / WEIGHTS_FILE
    if not config_path.is_file() or not weights_path.is_file():
        raise ModelError(
            f"{path} is not a saved heard model: expected {CONFIG_FILE} and {WEIGHTS_FILE} in it"
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{config_path}: cannot read the model config ({error})") from error
    if config.get("kind") != kind:
        raise ModelError(f"{path} holds a {config.get('kind')!r} model, expected {kind!r}")
    if config.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{path} has format version {config.get('format_version')!r}; this heard reads "
            f"version {FORMAT_VERSION}. Rebuild it with `heard train`."
        )
    try:
        with np.load(weights_path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError) as error:
        raise ModelError(f"{weights_path}: cannot read the weights ({error})") from error
    return config, arrays


def _atomic_write(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(data)
        temporary = handle.name
    os.replace(temporary, path)
    os.chmod(path, 0o644)
