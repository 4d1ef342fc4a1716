"""Fatigue views: an agent looked at their own fatigue signals (the wellbeing policy's "seen
first")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.storage.tables import FatigueView


def add_fatigue_view(
    session: Session, *, agent: str, seen_at: datetime, as_of: datetime, fired: list[str]
) -> None:
    session.add(FatigueView(agent=agent, seen_at=seen_at, as_of=as_of, fired=fired))


def fatigue_views(session: Session, agents: Sequence[str]) -> list[FatigueView]:
    """Every view by these agents (by their id in the source)."""
    return list(session.scalars(select(FatigueView).where(FatigueView.agent.in_(list(agents)))))


__all__ = ["add_fatigue_view", "fatigue_views"]
