"""Stored, scored conversations as the flat rows analytics works on."""

from __future__ import annotations

from datetime import datetime

from heard.analytics.rows import ConversationRow, ReplyRow
from heard.errors import InputError
from heard.storage import assessments
from heard.storage.conversations import conversation_key
from heard.storage.database import Database


def load_rows(
    database: Database,
    model_version: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[ReplyRow], list[ConversationRow]]:
    """Every scored public agent reply (and conversation) under this model, in time order.

    ``since``/``until`` (naive UTC) keep replies sent in [since, until); conversations are kept
    when they started in that window. Replies without a timestamp are kept.
    """
    with database.session() as session:
        return assessments.scored_rows(session, model_version, since=since, until=until)


def scored_rows(
    database: Database,
    model_version: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[ReplyRow], list[ConversationRow]]:
    """``load_rows``, or an ``InputError`` that says what to run when nothing is scored."""
    replies, conversations = load_rows(database, model_version, since=since, until=until)
    if replies:
        return replies, conversations
    with database.session() as session:
        others = {
            v: n for v, n in assessments.scored_versions(session).items() if v != model_version
        }
    hint = (
        f"conversations are scored by {', '.join(sorted(others))}: run `heard score --rescore`"
        if others and not (since or until)
        else "run `heard analyze EXPORT` first"
    )
    raise InputError(
        f"no replies scored by model {model_version} in {database.describe()}"
        + (" in that period" if since or until else "")
        + f"; {hint}",
        field="--db",
    )


__all__ = ["conversation_key", "load_rows", "scored_rows"]
