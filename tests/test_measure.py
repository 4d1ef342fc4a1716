"""Outcomes, training impact and wellbeing end to end: a planted-truth export is imported, redacted,
stored and scored (fast tier) on SQLite and PostgreSQL, then measured through the services.

The export (tests/support/measure_export.py) plants: the North team (Ana, Ben, Cleo, Dev) trained
on 23 March (poor replies 80% → 20% of the time); CSAT missing on every third conversation; escalation and wait time only
for the South team; three customers of Eli's who come back; Hal drifting into one macro in the
last week; Gus with a busy but otherwise ordinary last week.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from statistics import fmean

import pytest
from sqlalchemy import delete

from heard.analytics.fatigue import FatigueSettings
from heard.analytics.wellbeing import WellbeingPolicy
from heard.errors import InputError
from heard.report.measures import impact_json, team_signals_json
from heard.services.impact import training_impact
from heard.services.models import assessor
from heard.services.outcomes import load_outcome_rows, outcomes_report
from heard.services.rows import load_rows
from heard.services.wellbeing import my_signals, team_signals
from heard.storage.database import Database, open_database
from heard.storage.tables import FatigueView, PracticeSession
from support.measure_export import DAYS, POOR, START, TRAINED_ON, Truth, write_export
from support.postgres import LocalPostgres

FAST = assessor("fast")
VERSION = FAST.model_version
N_BOOT = 1000
LAST_WEEK = START + timedelta(days=DAYS - 7)


@dataclass
class Scored:
    database: Database
    truth: Truth
    export: Path
    url: str


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def scored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scored]:
    from heard.services.imports import import_export
    from heard.services.scoring import score_pending

    folder = tmp_path_factory.mktemp("measure")
    export = folder / "helpdesk.jsonl"
    truth = write_export(export)
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'heard.db'}"
    else:
        server: LocalPostgres = request.getfixturevalue("postgres_server")
        url = server.create_database(f"measure_{os.getpid()}")
    database = open_database(url)
    import_export(database, export)
    score_pending(database, FAST)
    yield Scored(database, truth, export, url)
    database.close()


def _is_poor(reply: str) -> bool:
    return any(reply.startswith(p.split("{")[0]) for p in POOR)


# --- 1. outcomes per conversation ------------------------------------------------------------


def test_outcome_rows_keep_unknown_outcomes_unknown(scored: Scored) -> None:
    rows, _, _ = load_outcome_rows(scored.database, VERSION)
    truth = scored.truth
    assert len(rows) == truth.conversations
    assert sum(r.csat is not None for r in rows) == truth.csat_known
    assert {r.csat for r in rows} == {None, 0.25, 1.0}  # 2 and 5 on a 1-5 scale; never 0
    north = [r for r in rows if r.team == "North"]
    south = [r for r in rows if r.team == "South"]
    assert len(north) == truth.north_conversations and len(south) == truth.south_conversations
    assert all(r.escalated is None for r in north)  # not in the export: unknown, not False
    assert all(r.escalated is not None for r in south)
    assert all(r.resolved is None for r in rows)
    assert {r.wait_minutes for r in south} == {12.5}  # the source's own figure
    assert {r.wait_minutes for r in north} == {20.0}  # derived: first reply 20 minutes later
    repeat = {r.conversation_id: r.repeat_contact for r in rows}
    assert [cid for cid, value in repeat.items() if value] == list(truth.returning)
    assert sorted(cid for cid, value in repeat.items() if value is None) == list(truth.censored)
    assert all(r.complexity in ("routine", "complex") for r in rows)
    assert all(0 <= r.dimensions["acknowledge"] <= 1 for r in rows)


def test_outcomes_relate_empathy_to_csat_with_controls(scored: Scored) -> None:
    report = outcomes_report(scored.database, VERSION, n_boot=N_BOOT)
    csat = next(a for a in report.analyses if a.outcome == "csat")
    assert (csat.n, csat.n_missing) == (
        scored.truth.csat_known,
        scored.truth.conversations - scored.truth.csat_known,
    )
    # CSAT was planted to follow the reply's quality
    assert csat.empathy.rho is not None and csat.empathy.rho > 0.6
    assert csat.empathy.low is not None and csat.empathy.low > 0.4
    assert csat.adjusted is not None and csat.adjusted.coefficient is not None
    assert csat.adjusted.low is not None and csat.adjusted.low > 0
    assert "wait_minutes" in csat.adjusted.controls
    assert any("not causation" in w for w in csat.warnings)
    assert any("left out (unknown is not counted as zero)" in w for w in csat.warnings)
    resolved = next(a for a in report.analyses if a.outcome == "resolved")
    assert resolved.n == 0 and resolved.warnings == (
        "No conversation has resolution: the data does not carry it.",
    )


# --- 3. training impact ----------------------------------------------------------------------


def test_a_planted_training_effect_is_recovered_within_its_interval(scored: Scored) -> None:
    replies, _ = load_rows(scored.database, VERSION)
    good = fmean(r.score for r in replies if not _is_poor(r.reply) and r.agent_id != "a8")
    poor = fmean(r.score for r in replies if _is_poor(r.reply))
    planted = 0.6 * (good - poor)  # North went from 20% to 80% good replies
    report = training_impact(
        scored.database,
        VERSION,
        trained=["ana, BEN", "cleo", "a4"],
        since=TRAINED_ON,
        until=LAST_WEEK,  # Hal's macro week would count against the comparison group
        metrics=["empathy", "acknowledge", "csat", "escalated"],
        n_boot=N_BOOT,
    )
    assert [a for a, _ in report.trained] == ["a1", "a2", "a3", "a4"] and report.comparison == 4
    empathy = report.estimate("empathy")
    assert empathy.low is not None and empathy.high is not None
    assert empathy.low <= planted <= empathy.high
    assert empathy.low > 0
    cells = {(c.group, c.period): (c.n, c.agents) for c in empathy.cells}
    # 15 weekdays before, 10 after (until the last week), 2 conversations per agent and day
    assert cells[("trained", "before")] == (120, 4) and cells[("trained", "after")] == (80, 4)
    assert cells[("comparison", "before")] == (120, 4)
    assert cells[("comparison", "after")] == (80, 4)
    assert any("Only 4 trained agents" in w for w in empathy.warnings)
    acknowledge = report.estimate("acknowledge")
    assert acknowledge.estimate is not None and acknowledge.estimate > 0.3  # a share: +30 pp
    csat = report.estimate("csat")
    rows, _, _ = load_outcome_rows(scored.database, VERSION, until=LAST_WEEK)
    assert sum(c.n for c in csat.cells) == sum(r.csat is not None for r in rows)
    escalated = report.estimate("escalated")  # South only: North has no escalation data
    assert escalated.estimate is None
    assert any("None of the trained agents has data" in w for w in escalated.warnings)


def test_a_placebo_date_before_the_training_shows_no_effect(scored: Scored) -> None:
    report = training_impact(
        scored.database,
        VERSION,
        trained=["North"],
        since=TRAINED_ON - timedelta(days=10),
        until=TRAINED_ON,
        metrics=["empathy"],
        n_boot=N_BOOT,
    )
    empathy = report.estimate("empathy")
    assert empathy.low is not None and empathy.high is not None
    assert empathy.low < 0 < empathy.high


def test_training_names_a_team_or_fails_with_the_choices(scored: Scored) -> None:
    report = training_impact(
        scored.database, VERSION, trained=["north"], since=TRAINED_ON, metrics=["empathy"]
    )
    assert [name for _, name in report.trained] == ["Ana", "Ben", "Cleo", "Dev"]
    with pytest.raises(InputError, match="must be after --since"):
        training_impact(scored.database, VERSION, trained=["Ana"], since=START, until=START)
    with pytest.raises(InputError, match=r"no agent or team called 'Zed'; teams: North, South"):
        training_impact(scored.database, VERSION, trained=["Zed"], since=TRAINED_ON)
    with pytest.raises(InputError, match="unknown metric"):
        training_impact(
            scored.database, VERSION, trained=["Ana"], since=TRAINED_ON, metrics=["speed"]
        )


def test_role_play_practice_sits_beside_the_live_change(scored: Scored) -> None:
    skills_first = dict.fromkeys(
        ("acknowledge", "reflect", "explore", "own", "next_steps", "no_anti_patterns", "fit"), 0.2
    )
    skills_later = {**skills_first, "acknowledge": 0.8}
    with scored.database.session() as session, session.begin():
        for trainee, when, skills in (
            ("ana", TRAINED_ON - timedelta(days=3), skills_first),
            ("Ana", TRAINED_ON - timedelta(days=1), skills_later),
            ("a2", TRAINED_ON - timedelta(days=2), skills_first),  # Ben, by his id
            ("Eli", TRAINED_ON - timedelta(days=2), skills_later),  # not trained: ignored
        ):
            session.add(
                PracticeSession(
                    trainee=trainee,
                    scenario="double-charge",
                    seed=1,
                    outcome="resolved",
                    created_at=when,
                    skills=skills,
                    session={},
                )
            )
    try:
        report = training_impact(
            scored.database, VERSION, trained=["Ana", "Ben"], since=TRAINED_ON, n_boot=200
        )
    finally:
        with scored.database.session() as session, session.begin():
            session.execute(delete(PracticeSession))
    practice = {p.skill: p for p in report.practice}
    assert set(practice) == set(skills_first)
    acknowledge = practice["acknowledge"]
    assert (acknowledge.sessions, acknowledge.trainees) == (3, 2)
    assert acknowledge.first == pytest.approx(0.2)
    assert acknowledge.latest == pytest.approx(0.8)  # only Ana has a second session
    assert acknowledge.live is report.estimate("acknowledge")
    document = impact_json(report)
    assert document["practice"][0]["live"] == pytest.approx(
        report.practice[0].live.estimate, abs=1e-4
    )


# --- 4. fatigue and who sees it --------------------------------------------------------------


def test_the_drifting_agent_is_flagged_and_the_busy_one_only_for_load(scored: Scored) -> None:
    hal = my_signals(scored.database, VERSION, "hal", record_view=False).fatigue
    assert hal.enough_data
    assert {"empathy_trend", "scripted"} <= set(hal.fired_names)
    assert "workload" not in hal.fired_names
    gus = my_signals(scored.database, VERSION, "Gus", record_view=False).fatigue
    assert gus.fired_names == ("workload",)
    for steady in ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay"):
        result = my_signals(scored.database, VERSION, steady, record_view=False).fatigue
        assert result.enough_data and result.fired_names == (), steady


def test_a_lead_sees_signals_only_after_the_agent_and_never_a_ranking(scored: Scored) -> None:
    with scored.database.session() as session, session.begin():
        session.execute(delete(FatigueView))
    seen = datetime(2026, 11, 1, 9, 0)
    before = team_signals(scored.database, VERSION, clock=seen + timedelta(days=10))
    assert before.shared == ()  # no one has looked at their own signals yet
    assert not before.counts.withheld and dict(before.counts.fired_counts)["scripted"] == 1

    my_signals(scored.database, VERSION, "Hal", clock=seen)
    my_signals(scored.database, VERSION, "Gus", clock=seen)
    too_soon = team_signals(scored.database, VERSION, clock=seen + timedelta(days=1))
    assert too_soon.shared == ()  # the agent gets three days first
    later = team_signals(scored.database, VERSION, clock=seen + timedelta(days=4))
    assert [s.name for s in later.shared] == ["Hal"]  # Gus: one signal, below the policy's two
    hal = later.shared[0]
    assert set(hal.visibility.signals) == set(hal.fatigue.fired_names)

    document = team_signals_json(later)
    assert [s["name"] for s in document["shared"]] == ["Hal"]
    shared = document["shared"][0]
    assert "fired" not in shared and "reason" not in shared  # no count to rank people by
    assert {s["name"] for s in shared["signals"]} == set(hal.visibility.signals)
    assert "Gus" not in str(document)

    never = team_signals(
        scored.database,
        VERSION,
        policy=WellbeingPolicy(lead_sees="never"),
        clock=seen + timedelta(days=30),
    )
    assert never.shared == ()
    threshold = team_signals(
        scored.database,
        VERSION,
        policy=WellbeingPolicy(lead_sees="threshold", min_signals=1),
        clock=seen,
    )
    assert [s.name for s in threshold.shared] == ["Gus", "Hal"]  # name order, not by count


def test_team_counts_are_withheld_below_five_agents(scored: Scored) -> None:
    north = team_signals(scored.database, VERSION, team="north", clock=datetime(2026, 12, 1))
    assert north.team == "North" and north.counts.agents == 4
    assert north.counts.withheld and all(n is None for _, n in north.counts.fired_counts)
    lenient = team_signals(
        scored.database,
        VERSION,
        team="North",
        settings=FatigueSettings(team_min_agents=4),
        clock=datetime(2026, 12, 1),
    )
    assert not lenient.counts.withheld
    with pytest.raises(InputError, match="no team called 'East'; teams: North, South"):
        team_signals(scored.database, VERSION, team="East")
