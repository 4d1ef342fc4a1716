"""A trainee's progress: trends per skill, recommendations, and storage on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from heard.practice.drills import load_bank
from heard.practice.progress import progress
from heard.practice.scenario import library_path, load_library, load_scenario
from heard.practice.scorecard import SKILLS
from heard.practice.session import RolePlay
from heard.services.models import assessor, drill_scorer
from heard.services.practice import record_drills, record_session, trainee_progress
from heard.storage.database import Database
from heard.storage.tables import DrillAttempt, PracticeSession

T0 = datetime(2026, 11, 1, 9, 0)


def skills(**values: float) -> dict[str, float]:
    return {name: values.get(name, 0.5) for name in [*SKILLS, "no_anti_patterns", "fit"]}


def test_trends_and_recommendations() -> None:
    library = load_library()
    sessions = [
        (T0 + timedelta(days=i), "double-charge", skills(acknowledge=0.2 + 0.2 * i, explore=0.1))
        for i in range(4)
    ]
    report = progress("sam", sessions, [], library=library, bank=load_bank())
    by_skill = {trend.skill: trend for trend in report.skills}
    assert by_skill["acknowledge"].direction == "improving"
    assert by_skill["acknowledge"].earlier == pytest.approx(0.3) and by_skill[
        "acknowledge"
    ].later == pytest.approx(0.7)
    assert by_skill["explore"].direction == "steady"
    assert report.weakest == "explore"
    # scenarios whose needs an exploring reply meets, unplayed ones first
    for sid in report.scenarios:
        assert any(set(n.met_by) & SKILLS["explore"] for n in library[sid].needs)
    assert "double-charge" not in report.scenarios[:1]
    empty = progress("new", [], [], library=library, bank=load_bank())
    assert empty.weakest is None and empty.scenarios  # a newcomer still gets a start


def test_drill_attempts_count_for_listening_skills() -> None:
    drills = [
        (T0 + timedelta(hours=i), "double-charge-opening", {"facts": v, "feeling": 0.0})
        for i, v in enumerate([0.0, 0.5, 1.0, 1.0])
    ]
    report = progress("sam", [], drills, library=load_library(), bank=load_bank())
    by_skill = {trend.skill: trend for trend in report.skills}
    assert by_skill["reflect"].direction == "improving"
    assert report.weakest == "acknowledge" and report.drill_items


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.close()


def test_sessions_and_drills_are_kept_per_trainee_redacted(db: Database) -> None:
    engine = assessor("fast")
    session = RolePlay(load_scenario(library_path() / "double-charge.yaml"), engine, seed=1)
    session.reply("Sorry about that. Email me at sam.agent@example.com and I'll look into it.")
    record_session(db, "sam", session, when=T0)
    item = load_bank()["double-charge-opening"]
    answer = "It sounds like you were charged twice and it was your grocery money; that's so frustrating."
    record_drills(db, "sam", [drill_scorer(engine).score(item, answer)], [answer], when=T0)
    with db.session() as s:
        stored = s.scalars(select(PracticeSession)).one()
        attempt = s.scalars(select(DrillAttempt)).one()
    assert "sam.agent@example.com" not in str(stored.session) and "[EMAIL]" in str(stored.session)
    assert stored.trainee == "sam" and stored.scenario == "double-charge"
    assert attempt.score > 80 and attempt.answer == answer
    report = trainee_progress(db, "sam")
    assert (report.sessions, report.drills) == (1, 1)
    assert trainee_progress(db, "someone else").sessions == 0
