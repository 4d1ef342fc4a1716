"""``heard outcomes|impact|fatigue`` as real subprocesses, on the planted-truth export."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.measure_export import Truth, write_export
from test_cli import heard


@dataclass
class Desk:
    folder: Path
    db: Path
    truth: Truth


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    folder = tmp_path_factory.mktemp("cli-measure")
    truth = write_export(folder / "export.jsonl")
    db = folder / "heard.db"
    run = heard("analyze", folder / "export.jsonl", "--db", db, cwd=folder, timeout=180)
    assert run.returncode == 0, run.stderr
    return Desk(folder, db, truth)


def test_outcomes_text_and_json(desk: Desk) -> None:
    run = heard("outcomes", "--db", desk.db, cwd=desk.folder)
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert f"CSAT: known for {desk.truth.csat_known} conversations" in text
    assert "Resolution: not in the data." in text
    assert "+10 empathy points go with" in text and "Correlation is not causation" in text
    run = heard("outcomes", "--db", desk.db, "--outcome", "csat", "--json", cwd=desk.folder)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    (csat,) = document["analyses"]
    assert csat["outcome"] == "csat" and csat["n"] == desk.truth.csat_known
    assert csat["empathy"]["rho"] > 0.6 and csat["adjusted"]["model"] == "ols"
    bad = heard("outcomes", "--db", desk.db, "--outcome", "speed", cwd=desk.folder)
    assert bad.returncode == 2 and "unknown outcome 'speed'" in bad.flat_stderr


def test_impact_text_json_and_chart(desk: Desk) -> None:
    chart = desk.folder / "impact.svg"
    args = ("impact", "--db", desk.db, "--trained", "North", "--since", "2026-03-23")
    run = heard(*args, "--until", "2026-04-06", "--json", "--chart", chart, cwd=desk.folder)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert [t["name"] for t in document["trained"]] == ["Ana", "Ben", "Cleo", "Dev"]
    empathy = next(e for e in document["estimates"] if e["metric"] == "empathy")
    assert empathy["low"] > 0 and empathy["cells"][0]["n"] == 120
    root = ET.fromstring(chart.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    run = heard(*args, cwd=desk.folder)
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "Training impact: Ana, Ben, Cleo, Dev (4 trained) against 4 other agents" in text
    assert "Practice: no role-play sessions or drills by the trained agents." in text
    bad = heard(
        "impact", "--db", desk.db, "--trained", "Zed", "--since", "2026-03-23", cwd=desk.folder
    )
    assert bad.returncode == 2
    assert "no agent or team called 'Zed'; teams: North, South" in bad.flat_stderr
    bad = heard("impact", "--db", desk.db, "--trained", "Ana", "--since", "23/03", cwd=desk.folder)
    assert bad.returncode == 2 and "'23/03' is not a date" in bad.flat_stderr


def test_fatigue_reaches_the_agent_first_then_the_lead(desk: Desk) -> None:
    lead = heard("fatigue", "--db", desk.db, cwd=desk.folder)
    assert lead.returncode == 0, lead.stderr
    assert "Hal" not in lead.stdout and "Gus" not in lead.stdout
    assert "No individual signals are shared with leads under the policy." in lead.stdout
    assert "Scripted replies" in lead.stdout  # the counts table

    mine = heard("fatigue", "--db", desk.db, "--agent", "hal", cwd=desk.folder)
    assert mine.returncode == 0, mine.stderr
    text = " ".join(mine.stdout.split())
    assert "Your wellbeing signals, Hal" in text
    assert "Scripted replies: worth a look" in text and "Try:" in text
    assert "Workload: as usual" in text
    heard("fatigue", "--db", desk.db, "--agent", "Gus", cwd=desk.folder)

    # the default policy waits three days after the agent has seen them; this team chose none
    settings = desk.folder / "heard.toml"
    settings.write_text('[wellbeing]\nlead_sees = "after_agent"\ngrace_days = 0\n')
    lead = heard("fatigue", "--db", desk.db, "--config", settings, "--json", cwd=desk.folder)
    assert lead.returncode == 0, lead.stderr
    document = json.loads(lead.stdout)
    assert [s["name"] for s in document["shared"]] == ["Hal"]  # Gus: one signal, below two
    assert document["counts"]["withheld"] is False
    south = heard("fatigue", "--db", desk.db, "--team", "South", cwd=desk.folder)
    assert "Counts withheld: fewer than 5 agents" in " ".join(south.stdout.split())


def test_fatigue_usage_errors(desk: Desk) -> None:
    both = heard("fatigue", "--db", desk.db, "--agent", "Hal", "--team", "South", cwd=desk.folder)
    assert both.returncode == 2 and "not both" in both.flat_stderr
    nobody = heard("fatigue", "--db", desk.db, "--agent", "Zoe", cwd=desk.folder)
    assert (
        nobody.returncode == 2 and "no agent called 'Zoe'; agents: Ana, Ben" in nobody.flat_stderr
    )
    settings = desk.folder / "bad.toml"
    settings.write_text("[fatigue]\nwindow_days = 7\nbasline_days = 30\n")
    bad = heard("fatigue", "--db", desk.db, "--config", settings, cwd=desk.folder)
    assert bad.returncode == 2
    assert f"{settings}, field 'fatigue': unknown key(s) basline_days" in bad.flat_stderr
