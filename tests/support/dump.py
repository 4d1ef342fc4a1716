"""Everything stored, by natural key (surrogate ids differ between runs and are left out)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from heard.storage.database import Database
from heard.storage.tables import (
    Agent,
    AssessmentRecord,
    ConversationRecord,
    MessageRecord,
    RejectRow,
)


def _columns(row: Any, leave_out: set[str]) -> tuple[Any, ...]:
    return tuple(
        (column.key, getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in leave_out
    )


def _sorted(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)  # rows hold None, which does not compare


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.session() as session:
        agents = {a.id: (a.source, a.external_id) for a in session.scalars(select(Agent))}
        conversations = {
            c.id: (c.source, c.external_id) for c in session.scalars(select(ConversationRecord))
        }
        return {
            "agents": _sorted(_columns(a, {"id"}) for a in session.scalars(select(Agent))),
            "conversations": _sorted(
                _columns(c, {"id"}) for c in session.scalars(select(ConversationRecord))
            ),
            "messages": _sorted(
                (
                    conversations[m.conversation_id],
                    agents.get(m.agent_id or -1),
                    *_columns(m, {"id", "conversation_id", "agent_id"}),
                )
                for m in session.scalars(select(MessageRecord))
            ),
            "rejects": _sorted(
                _columns(r, {"id", "import_id"}) for r in session.scalars(select(RejectRow))
            ),
            "assessments": _sorted(
                _columns(a, {"id"}) for a in session.scalars(select(AssessmentRecord))
            ),
        }
