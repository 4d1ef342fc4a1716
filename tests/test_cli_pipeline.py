"""``heard import|score|analyze|report|demo`` as real subprocesses, on the exports' fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bs4 import BeautifulSoup

from test_cli import heard

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
HELPDESK = Path(__file__).parents[1] / "src" / "heard" / "data" / "samples" / "helpdesk.jsonl"
ALL = [
    "zendesk_tickets.json",
    "freshdesk_tickets.json",
    "intercom_conversations.json",
    "twcs_sample.csv",
    "generic_messages.csv",
]


def test_demo_imports_scores_and_reports_the_bundled_help_desk(tmp_path: Path) -> None:
    agents = {
        row["agent_name"]
        for row in map(json.loads, HELPDESK.read_text(encoding="utf-8").splitlines())
        if row["role"] == "agent" and row.get("agent_name")
    }
    run = heard("demo", "--out-dir", tmp_path / "demo", cwd=tmp_path, timeout=180)
    assert run.returncode == 0, run.stderr
    for name in agents:
        assert name in run.stdout, f"agent {name} not in the demo's table"
    report = tmp_path / "demo" / "report.html"
    assert f"Open the report: {report.resolve().as_uri()}" in " ".join(run.stdout.split())
    page = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    assert len(page.find_all("svg")) >= 3
    assert "redacted" in run.flat_stderr  # the sample carries planted personal data
    for value in ("4111 1111 1111 1111", "GB82 WEST"):
        assert value not in report.read_text(encoding="utf-8")


def test_analyze_then_report_in_every_format(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    rejects = tmp_path / "rejects.csv"
    run = heard(
        "analyze",
        *(EXPORTS / name for name in ALL),
        "--db",
        db,
        "--rejects",
        rejects,
        cwd=tmp_path,
        timeout=180,
    )
    assert run.returncode == 1, run.stderr  # the fixtures hold malformed records on purpose
    for name in ALL:
        assert f"{EXPORTS / name}:" in run.flat_stderr
    assert "scored 13 conversations: 13 replies assessed" in run.flat_stderr
    with rejects.open(encoding="utf-8") as handle:
        saved = list(csv.DictReader(handle))
    assert {"ticket 4703", "line 11", "conversation 217", "tweet 401"} <= {
        r["location"] for r in saved
    }
    assert all(r["problem"] for r in saved)

    again = heard("analyze", EXPORTS / "zendesk_tickets.json", "--db", db, cwd=tmp_path)
    assert again.returncode == 1
    assert "0 new and 0 updated conversations" in again.flat_stderr
    assert "scored 0 conversations" in again.flat_stderr

    out = tmp_path / "out"
    report = heard(
        "report",
        "--db",
        db,
        "--out",
        out / "r.html",
        "--csv",
        out / "tables",
        "--json",
        out / "r.json",
        "--period",
        "month",
        cwd=tmp_path,
        timeout=120,
    )
    assert report.returncode == 0, report.stderr
    tables = json.loads((out / "r.json").read_text(encoding="utf-8"))
    html = (out / "r.html").read_text(encoding="utf-8")
    with (out / "tables" / "agents.csv").open(encoding="utf-8") as handle:
        agents = list(csv.DictReader(handle))
    assert len(agents) == len(tables["agents"]) >= 5
    for agent in agents:
        assert agent["agent"] in html


def test_a_mapped_generic_file(tmp_path: Path) -> None:
    run = heard(
        "import",
        EXPORTS / "generic_mapped.jsonl",
        "--db",
        tmp_path / "h.db",
        "--map",
        "conversation_id=ticket",
        "--map",
        "message_id=msg",
        "--map",
        "timestamp=when",
        "--map",
        "author_id=who",
        "--map",
        "role=speaker",
        "--map",
        "text=body",
        "--map",
        "agent_name=agent",
        "--map",
        "csat=score",
        "--map",
        "resolved=done",
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert "generic, 2 records; 1 new" in run.flat_stderr
    assert "line 3, field 'body'" in run.flat_stderr


def test_clear_errors(tmp_path: Path) -> None:
    empty = heard(
        "report", "--db", tmp_path / "empty.db", "--out", tmp_path / "r.html", cwd=tmp_path
    )
    assert empty.returncode == 2
    assert "no replies scored" in empty.flat_stderr and "heard analyze" in empty.flat_stderr
    nowhere = heard("report", "--db", tmp_path / "empty.db", cwd=tmp_path)
    assert nowhere.returncode == 2 and "--out" in nowhere.flat_stderr
    # a file that cannot be read is reported, and the others are still imported and scored
    missing = heard(
        "analyze",
        tmp_path / "nope.json",
        EXPORTS / "zendesk_tickets.jsonl",
        "--db",
        tmp_path / "h.db",
        cwd=tmp_path,
    )
    assert missing.returncode == 2 and "nope.json: no such file" in missing.flat_stderr
    assert "scored 2 conversations" in missing.flat_stderr
    wrong = heard(
        "import",
        EXPORTS / "zendesk_tickets.json",
        "--format",
        "slack",
        "--db",
        tmp_path / "h.db",
        cwd=tmp_path,
    )
    assert wrong.returncode == 2 and "slack" in wrong.flat_stderr
    url = heard("score", "--db", "nonsense://x", cwd=tmp_path)
    assert url.returncode == 2 and "--db" in url.flat_stderr
    period = heard(
        "report",
        "--db",
        tmp_path / "empty.db",
        "--out",
        tmp_path / "r.html",
        "--period",
        "fortnight",
        cwd=tmp_path,
    )
    assert period.returncode == 2 and "fortnight" in period.flat_stderr


def test_analyze_on_a_local_dask_cluster(tmp_path: Path) -> None:
    db = tmp_path / "dask.db"
    run = heard(
        "analyze",
        HELPDESK,
        "--engine",
        "dask",
        "--workers",
        "2",
        "--db",
        db,
        "--report",
        tmp_path / "r.html",
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "on 2 workers; 245 conversations, 1246 messages, 490 replies assessed" in run.flat_stderr
    assert (tmp_path / "r.html").stat().st_size > 10_000
    local = heard("score", "--db", db, cwd=tmp_path)  # nothing left for the local engine to do
    assert "scored 0 conversations" in local.flat_stderr
    wrong = heard("analyze", HELPDESK, "--scheduler", "tcp://127.0.0.1:1", "--db", db, cwd=tmp_path)
    assert wrong.returncode == 2 and "--engine dask" in wrong.flat_stderr


def test_data_is_never_markup_and_a_directory_is_named_as_one(tmp_path: Path) -> None:
    """A rejected value or a file name with "[/bold]" in it is printed as written; the rejects
    file is written and the next export on the command line is still imported."""
    odd = tmp_path / "odd[red].csv"
    odd.write_text(
        "conversation_id,message_id,timestamp,author_id,role,text\n"
        "c1,m1,[/bold]yesterday,u,customer,hello\n"
        "c2,m2,2026-03-02T10:00:00Z,u,customer,[red]fine[/red]\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = heard(
        "import",
        tmp_path,  # a directory, reported as one
        odd,
        EXPORTS / "zendesk_tickets.jsonl",
        "--db",
        tmp_path / "h.db",
        "--rejects",
        rejects,
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr  # the directory could not be used
    assert "is a directory" in result.flat_stderr
    assert "'[/bold]yesterday' is not a timestamp" in result.flat_stderr
    assert "Traceback" not in result.stderr
    with rejects.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ours = [(r["location"], r["field"]) for r in rows if r["file"].endswith("odd[red].csv")]
    assert ours == [("line 2", "timestamp")]
    assert any(r["file"].endswith("zendesk_tickets.jsonl") for r in rows)  # the next file too
