"""Training on small synthetic data sets (tests/fixtures/data): the real code path, never the real
data in CI. The trained models load through the same service the product uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heard.errors import DataSetError
from heard.results import EMOTIONS, MECHANISMS
from heard.services.models import assessor
from heard.services.training import train_fast

DATA = Path(__file__).parent / "fixtures" / "data"
HEARD = Path(sys.executable).parent / "heard"


def test_train_fast_writes_a_loadable_tier(tmp_path: Path) -> None:
    entry = train_fast(DATA, tmp_path, sample=50)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["fast"] == entry
    engine = assessor("fast", model_dir=tmp_path)
    result = engine.assess("What happened when you told them?", "I'm scared my account was hacked")
    assert result.tier == "fast" and result.model_version == "fast-sample-50"
    assert set(result.customer.emotion.scores) == set(EMOTIONS)


def test_train_fast_is_reproducible(tmp_path: Path) -> None:
    train_fast(DATA, tmp_path / "a", sample=50)
    train_fast(DATA, tmp_path / "b", sample=50)
    for part in ("fast/emotion", "fast/mechanisms/levels", "fast/mechanisms/rationales"):
        with (
            np.load(tmp_path / "a" / part / "weights.npz") as a,
            np.load(tmp_path / "b" / part / "weights.npz") as b,
        ):
            assert a.files == b.files
            for name in a.files:
                np.testing.assert_array_equal(a[name], b[name])


def test_missing_data_set_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataSetError, match=r"goemotions.*not found.*--data-dir"):
        train_fast(tmp_path / "nowhere", tmp_path / "out")


def test_train_command_runs_as_a_subprocess(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(HEARD),
            "train",
            "--data-dir",
            str(DATA),
            "--tier",
            "fast",
            "--output",
            str(tmp_path),
            "--sample",
            "40",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fast" / "emotion" / "config.json").is_file()
    assert f"models written to {tmp_path}" in done.stdout.replace("\n", "")


@pytest.mark.encoder
def test_train_accurate_on_a_sample_loads_and_predicts(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from heard.services.training_accurate import AccurateSettings, train_accurate

    settings = AccurateSettings(mechanism_max_length=64, emotion_max_length=32, rank=4)
    train_fast(DATA, tmp_path, sample=40)  # the accurate tier blends with the fast one
    train_accurate(DATA, tmp_path, sample=16, settings=settings)
    for part in ("mechanisms", "emotion"):
        config = json.loads((tmp_path / "accurate" / part / "config.json").read_text())
        assert config["encoder"] == "all-MiniLM-L6-v2"
        assert config["max_seq_length"] in (64, 32)
        size = (tmp_path / "accurate" / part / "weights.npz").stat().st_size
        assert size < 1_000_000, "a rank-4 adapter should be small"
    engine = assessor("accurate", model_dir=tmp_path)
    results = engine.assess_many([("Sorry! What happened next?", "I'm worried"), ("ok", "")])
    for result in results:
        assert result.tier == "accurate"
        for m in MECHANISMS:
            assert abs(sum(result.mechanisms[m].probabilities) - 1) < 1e-6
        assert abs(sum(result.customer.emotion.scores.values()) - 1) < 1e-6 or not result.context


@pytest.mark.encoder
def test_accurate_mechanisms_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from heard.datasets import read_epitome
    from heard.ml.accurate import KIND_MECHANISMS, AccurateMechanisms, load_encoder
    from heard.ml.artefact import save_artefact
    from heard.services.training_accurate import AccurateSettings, train_mechanisms

    settings = AccurateSettings(mechanism_max_length=64, rank=4, mechanism_epochs=1)
    arrays = train_mechanisms(read_epitome(DATA, "train")[:16], settings, lambda _: None)
    config = {"encoder": settings.encoder, "max_seq_length": settings.mechanism_max_length}
    save_artefact(tmp_path / "m", kind=KIND_MECHANISMS, config=config, arrays=arrays)
    in_memory = AccurateMechanisms(load_encoder(config, arrays), arrays)
    loaded = AccurateMechanisms.load(tmp_path / "m")
    replies = ["I'm so sorry. What happened next?", "lol same"]
    contexts = ["I lost my job today.", "I failed my test again."]
    for a, b in zip(
        in_memory.predict(contexts, replies), loaded.predict(contexts, replies), strict=True
    ):
        assert a.evidence == b.evidence
        for m in MECHANISMS:
            np.testing.assert_allclose(a.probabilities[m], b.probabilities[m], rtol=1e-6)
