"""Practice use cases: keep each trainee's sessions and drill attempts, and read their progress.

Texts the trainee wrote are redacted before they are stored, like everything else heard keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from heard.practice.drills import DrillResult, load_bank
from heard.practice.progress import Progress, progress
from heard.practice.scenario import load_library
from heard.practice.session import RolePlay
from heard.privacy import Redactor
from heard.storage import practice as stored
from heard.storage.database import Database


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_session(
    database: Database, trainee: str, session: RolePlay, *, when: datetime | None = None
) -> None:
    document = _redacted(session.to_dict(), Redactor())
    with database.session() as db, db.begin():
        stored.add_session(
            db,
            trainee=trainee,
            scenario=session.scenario.id,
            seed=session.seed,
            outcome=session.state.outcome,
            created_at=when or _now(),
            skills=document["scorecard"]["skills"],
            document=document,
        )


def _redacted(value: Any, redact: Redactor) -> Any:
    """Every string in a JSON-like document redacted (replies are quoted in feedback too)."""
    if isinstance(value, str):
        return redact(value).text
    if isinstance(value, dict):
        return {key: _redacted(item, redact) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    return value


def record_drills(
    database: Database,
    trainee: str,
    results: Sequence[DrillResult],
    answers: Sequence[str],
    *,
    when: datetime | None = None,
) -> None:
    redact = Redactor()
    with database.session() as db, db.begin():
        for result, answer in zip(results, answers, strict=True):
            stored.add_drill_attempt(
                db,
                trainee=trainee,
                item=result.item,
                created_at=when or _now(),
                score=result.score,
                parts=dict(result.parts),
                answer=redact(answer).text,
            )


def trainee_progress(database: Database, trainee: str) -> Progress:
    with database.session() as db:
        sessions = [
            (row.created_at, row.scenario, row.skills) for row in stored.sessions(db, trainee)
        ]
        drills = [
            (row.created_at, row.item, row.parts) for row in stored.drill_attempts(db, trainee)
        ]
    return progress(trainee, sessions, drills, library=load_library(), bank=load_bank())
