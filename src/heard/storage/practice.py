"""Practice: finished role-plays, drill attempts, and role-plays in progress in the browser."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.storage.tables import DrillAttempt, PracticeRun, PracticeSession


def add_session(
    session: Session,
    *,
    trainee: str,
    scenario: str,
    seed: int,
    outcome: str | None,
    created_at: datetime,
    skills: dict[str, Any],
    document: dict[str, Any],
) -> None:
    """A finished (or abandoned) role-play: its scorecard's skills and the whole session."""
    session.add(
        PracticeSession(
            trainee=trainee,
            scenario=scenario,
            seed=seed,
            outcome=outcome,
            created_at=created_at,
            skills=skills,
            session=document,
        )
    )


def add_drill_attempt(
    session: Session,
    *,
    trainee: str,
    item: str,
    created_at: datetime,
    score: float,
    parts: dict[str, Any],
    answer: str,
) -> None:
    session.add(
        DrillAttempt(
            trainee=trainee,
            item=item,
            created_at=created_at,
            score=score,
            parts=parts,
            answer=answer,
        )
    )


def sessions(session: Session, trainee: str | None = None) -> list[PracticeSession]:
    """Role-plays (``trainee``'s, or everyone's), oldest first."""
    query = select(PracticeSession).order_by(PracticeSession.created_at, PracticeSession.id)
    if trainee is not None:
        query = query.where(PracticeSession.trainee == trainee)
    return list(session.scalars(query))


def drill_attempts(session: Session, trainee: str) -> list[DrillAttempt]:
    """A trainee's drill attempts, oldest first."""
    return list(
        session.scalars(
            select(DrillAttempt)
            .where(DrillAttempt.trainee == trainee)
            .order_by(DrillAttempt.created_at, DrillAttempt.id)
        )
    )


def drill_trainees(session: Session) -> list[str]:
    """The trainee of every drill attempt (one per attempt)."""
    return list(session.scalars(select(DrillAttempt.trainee)))


def add_run(
    session: Session, *, user_id: int, scenario: str, seed: int, created_at: datetime
) -> PracticeRun:
    run = PracticeRun(
        user_id=user_id, scenario=scenario, seed=seed, replies=[], created_at=created_at
    )
    session.add(run)
    session.flush()
    return run


def run_of(session: Session, run_id: int, user_id: int) -> PracticeRun | None:
    """The role-play in progress, when it is ``user_id``'s."""
    return session.scalar(
        select(PracticeRun).where(PracticeRun.id == run_id, PracticeRun.user_id == user_id)
    )


def add_reply(run: PracticeRun, reply: str, outcome: str | None) -> None:
    """The trainee's next (redacted) reply, and the outcome of the session so far."""
    run.replies = [*run.replies, reply]
    run.outcome = outcome


__all__ = [
    "add_drill_attempt",
    "add_reply",
    "add_run",
    "add_session",
    "drill_attempts",
    "drill_trainees",
    "run_of",
    "sessions",
]
