"""``heard roleplay run`` and ``heard scenarios`` as subprocesses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from heard.practice.scenario import library_path
from test_cli import HEARD, heard

GOOD = (
    "I'm so sorry, being charged twice for order 48213 is stressful when it's your grocery money. "
    "I've refunded the second $59.99 charge; it will be back within 3 business days."
)


def test_roleplay_run_prints_the_whole_session_as_json(tmp_path: Path) -> None:
    replies = tmp_path / "replies.txt"
    replies.write_text(
        f"Let me check that.\n\n{GOOD}\nThis line is never used.\n", encoding="utf-8"
    )
    run = heard(
        "roleplay",
        "run",
        "double-charge",
        "--replies",
        replies,
        "--seed",
        "4",
        "--json",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    session = json.loads(run.stdout)
    assert session["outcome"] == "resolved" and session["unused_replies"] == 1
    assert [t["reply"] for t in session["turns"]] == ["Let me check that.", GOOD]
    assert session["turns"][0]["state"]["intensity"] > session["turns"][1]["state"]["intensity"]
    card = session["scorecard"]
    assert set(card["skills"]) == {
        "acknowledge",
        "reflect",
        "explore",
        "own",
        "next_steps",
        "no_anti_patterns",
        "fit",
    }
    assert card["trajectory"][0] == {"turn": 0, "emotion": "frustrated", "intensity": 0.8}
    assert card["weakest_turn"] == 0 and "better_reply" in card  # None: nothing to repair
    assert "1 unused" in run.flat_stderr
    again = heard(
        "roleplay",
        "run",
        "double-charge",
        "--replies",
        replies,
        "--seed",
        "4",
        "--json",
        cwd=tmp_path,
    )
    assert json.loads(again.stdout) == session  # deterministic for a seed


def test_scenario_commands_and_errors(tmp_path: Path) -> None:
    listed = heard("scenarios", "list", cwd=tmp_path)
    assert listed.returncode == 0 and "double-charge" in listed.stdout
    shown = heard("scenarios", "show", "double-charge", cwd=tmp_path)
    assert json.loads(shown.stdout)["persona"]["name"] == "Dana"
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (library_path() / "double-charge.yaml")
        .read_text(encoding="utf-8")
        .replace("channel: chat", "channel: fax"),
        encoding="utf-8",
    )
    checked = heard(
        "scenarios", "validate", library_path() / "double-charge.yaml", broken, cwd=tmp_path
    )
    assert checked.returncode == 1
    assert f"{broken}, line 4, field 'channel'" in checked.flat_stderr
    unknown = heard("roleplay", "run", "no-such", "--replies", broken, cwd=tmp_path)
    assert unknown.returncode == 2 and "double-charge" in unknown.flat_stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    nothing = heard("roleplay", "run", "double-charge", "--replies", empty, cwd=tmp_path)
    assert nothing.returncode == 2 and "no replies" in nothing.flat_stderr


def test_drill_run_scores_each_reflection(tmp_path: Path) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text(
        "It sounds like you were billed twice and that was your food money this week, no wonder you're fed up.\n"
        "I'll refund it now.\n",
        encoding="utf-8",
    )
    run = heard(
        "drill", "run", "double-charge-opening", "--answers", answers, "--json", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    good, fix = json.loads(run.stdout)["results"]
    assert good["score"] > fix["score"]
    assert fix["parts"]["no_premature_solution"] == 0 and fix["exemplar"]
    listed = heard("drill", "list", cwd=tmp_path)
    assert "double-charge-opening" in listed.stdout
    missing = heard("drill", "run", "nope", "--answers", answers, cwd=tmp_path)
    assert missing.returncode == 2 and "heard drill list" in missing.flat_stderr


def test_progress_after_practice_kept_under_a_trainee(tmp_path: Path) -> None:
    db = tmp_path / "practice.db"
    replies = tmp_path / "replies.txt"
    replies.write_text("Let me check.\n", encoding="utf-8")
    run = heard(
        "roleplay",
        "run",
        "double-charge",
        "--replies",
        replies,
        "--trainee",
        "sam",
        "--db",
        db,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    report = heard("progress", "--trainee", "sam", "--db", db, "--json", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    document = json.loads(report.stdout)
    assert document["sessions"] == 1 and document["weakest"] and document["recommended_scenarios"]
    nobody = heard("progress", "--trainee", "nobody", "--db", db, cwd=tmp_path)
    assert "No practice kept for nobody" in nobody.stdout


def test_interactive_practice_reads_replies_until_the_end(tmp_path: Path) -> None:
    env_free = subprocess.run(
        [
            str(HEARD),
            "practice",
            "double-charge",
            "--trainee",
            "kim",
            "--db",
            str(tmp_path / "p.db"),
        ],
        input=f"Let me check that.\n{GOOD}\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert env_free.returncode == 0, env_free.stderr
    text = " ".join(env_free.stdout.split())
    assert "Dana: I've just been charged TWICE" in text
    assert "frustrated 0.80" in text and "satisfied" in text  # the gauge moves
    assert "Scorecard: resolved" in text and "Kept under kim" in text
