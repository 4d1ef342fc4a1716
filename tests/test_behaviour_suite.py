"""heard's own behavioural suite (src/heard/data/behaviour) as a regression test: its figures may
rise, never silently drop. The floors are the levels reached (docs/scoring.md has the history);
raise them when the engine improves."""

from __future__ import annotations

from pathlib import Path

import pytest

from heard.errors import InputError
from heard.services.behaviour import CATEGORIES, load_suite, run_suite, suite_root
from heard.services.models import assessor

# Reached on the fast tier (raise, never lower, without saying why in the commit).
FLOOR_PAIRS = 0.984
FLOOR_CATEGORY = 0.85
FLOOR_BANDS = 0.78
FLOOR_EMOTION_F1 = 0.82
FLOOR_REWRITES = 1.0


@pytest.fixture(scope="module")
def figures() -> dict:
    return run_suite(assessor("fast"))


def test_the_suite_is_as_big_and_as_varied_as_promised() -> None:
    suite = load_suite()
    assert set(suite.pairs) == set(CATEGORIES)
    assert suite.pair_count >= 300
    assert all(len(pairs) >= 12 for pairs in suite.pairs.values())
    assert len(suite.emotions) >= 150
    channels = {p.channel for pairs in suite.pairs.values() for p in pairs}
    assert channels == {"chat", "email", "phone"}
    rules = {case.rule for case in suite.rewrites}
    assert len(rules) == 6


def test_pairs_stay_at_their_level(figures: dict) -> None:
    pairs = figures["pairs"]
    assert pairs["better_wins"] >= FLOOR_PAIRS, pairs["failures"]
    low = {
        c: r["better_wins"]
        for c, r in pairs["by_category"].items()
        if r["better_wins"] < FLOOR_CATEGORY
    }
    assert not low, low
    assert pairs["better_is_not_longer"] >= 1 / 3


def test_bands_emotions_and_rewrites_stay_at_their_level(figures: dict) -> None:
    assert figures["bands"]["respected"] >= FLOOR_BANDS
    assert figures["emotions"]["macro_f1"] >= FLOOR_EMOTION_F1, figures["emotions"]["misses"]
    assert figures["rewrites"]["passed"] >= FLOOR_REWRITES, figures["rewrites"]["failures"]


def _copy_suite(tmp_path: Path) -> Path:
    root = tmp_path / "behaviour"
    (root / "pairs").mkdir(parents=True)
    source = suite_root()
    for name in ("emotions.yaml", "rewrites.yaml"):
        (root / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    grief = (source / "pairs" / "grief.yaml").read_text(encoding="utf-8")
    (root / "pairs" / "grief.yaml").write_text(grief, encoding="utf-8")
    return root


def test_a_bad_case_is_named_with_its_file_case_and_field(tmp_path: Path) -> None:
    root = _copy_suite(tmp_path)
    path = root / "pairs" / "grief.yaml"
    text = path.read_text(encoding="utf-8").replace("band: exemplary", "band: superb", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"grief\.yaml, case 'grief-[^']+', field 'better\.band'"):
        load_suite(root)


def test_a_worse_reply_banded_above_the_better_one_is_refused(tmp_path: Path) -> None:
    import yaml

    root = _copy_suite(tmp_path)
    path = root / "pairs" / "grief.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["cases"][0]["better"]["band"] = "poor"
    document["cases"][0]["worse"]["band"] = "exemplary"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(InputError, match="above the better one"):
        load_suite(root)


def test_a_file_named_after_another_category_is_refused(tmp_path: Path) -> None:
    root = _copy_suite(tmp_path)
    (root / "pairs" / "grief.yaml").rename(root / "pairs" / "sarcasm.yaml")
    with pytest.raises(InputError, match="holds category 'grief'"):
        load_suite(root)


def test_the_cli_prints_the_pass_rate_per_category(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "heard.cli", "evaluate", "--suite", "behaviour"],
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "HEARD_CACHE_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    for category in CATEGORIES:
        assert category in done.stdout
    assert "Bands respected" in done.stdout and "Emotions: macro-F1" in done.stdout
