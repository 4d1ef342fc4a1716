"""The outcomes use case: does empathy go with better CSAT, resolution and fewer repeat contacts?

Reads the stored, scored conversations, works out repeat contacts over *all* stored conversations
(a customer's next contact may fall after the analysed period), and relates the empathy score and
each dimension to each outcome (:func:`heard.analytics.outcomes.relate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from heard.analytics.conversation_outcomes import outcome_rows
from heard.analytics.outcomes import (
    OUTCOMES,
    Outcome,
    OutcomeRow,
    OutcomesReport,
    relate,
)
from heard.analytics.repeat import REPEAT_DAYS, repeat_contacts
from heard.analytics.rows import ConversationRow, ReplyRow
from heard.errors import InputError
from heard.services.rows import scored_rows
from heard.storage.conversations import contacts, last_message_time
from heard.storage.database import Database


def repeat_by_conversation(
    database: Database, *, days: int = REPEAT_DAYS
) -> dict[str, bool | None]:
    """Repeat contact within ``days`` for every stored conversation (by "source:id")."""
    with database.session() as session:
        stored = contacts(session)
        data_end = last_message_time(session)
    return repeat_contacts(stored, days=days, data_end=data_end)


def load_outcome_rows(
    database: Database,
    model_version: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    repeat_days: int = REPEAT_DAYS,
) -> tuple[list[OutcomeRow], list[ReplyRow], list[ConversationRow]]:
    """Per-conversation outcome rows (and the rows they came from) for the period."""
    replies, conversations = scored_rows(database, model_version, since=since, until=until)
    repeat = repeat_by_conversation(database, days=repeat_days)
    return outcome_rows(replies, conversations, repeat), replies, conversations


def outcomes_report(
    database: Database,
    model_version: str,
    *,
    outcomes: Sequence[str] = OUTCOMES,
    since: datetime | None = None,
    until: datetime | None = None,
    repeat_days: int = REPEAT_DAYS,
    n_boot: int = 2000,
    seed: int = 0,
    team: str | None = None,
) -> OutcomesReport:
    """``team``: only conversations whose main agent is in that team (a lead's view)."""
    chosen = _outcomes(outcomes)
    rows, _, _ = load_outcome_rows(
        database, model_version, since=since, until=until, repeat_days=repeat_days
    )
    if team is not None:
        rows = [r for r in rows if r.team == team]
    analyses = tuple(relate(rows, outcome=o, n_boot=n_boot, seed=seed) for o in chosen)
    return OutcomesReport(len(rows), repeat_days, analyses)


def _outcomes(names: Sequence[str]) -> list[Outcome]:
    chosen: list[Outcome] = []
    for name in names:
        match = next((o for o in OUTCOMES if o == name), None)
        if match is None:
            raise InputError(
                f"unknown outcome {name!r}; choose from {', '.join(OUTCOMES)}", field="--outcome"
            )
        chosen.append(match)
    return chosen
