"""Per-conversation outcome rows from scored replies and conversations (pure; no I/O).

One ``OutcomeRow`` per conversation that has at least one scored reply:

- ``empathy``: the mean score of the conversation's scored replies (all agents);
- ``dimensions``: the mean mechanism level of the replies (``emotional_reactions``,
  ``interpretations``, ``explorations``, each 0-2) and the share of replies showing each of the
  seven skills (:mod:`heard.assessment.skills`, 0-1);
- outcomes as the source gave them (CSAT, resolved, escalated) and repeat contact as computed by
  :func:`heard.analytics.repeat.repeat_contacts`; unknown stays None;
- controls: ``complexity`` (the engine's reading of the customer's opening, from the first
  scored reply's assessment: routine or complex), ``channel``, the customer's starting intensity,
  and ``wait_minutes``: the source's wait time when it has one, else the source's time to first
  reply, else the minutes from the conversation's start to the first agent reply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from statistics import fmean

from heard.analytics.outcomes import OutcomeRow
from heard.analytics.rows import ConversationRow, ReplyRow
from heard.assessment.skills import SKILL_NAMES, reply_skills
from heard.results import Assessment

MECHANISMS = ("emotional_reactions", "interpretations", "explorations")
DIMENSIONS: tuple[str, ...] = (*MECHANISMS, *SKILL_NAMES)


def reply_dimensions(assessment: Assessment) -> dict[str, float]:
    """One reply's mechanism levels and skills (1.0 shown, 0.0 not) by dimension name."""
    values = {
        name: float(assessment.mechanisms[name].level)
        for name in MECHANISMS
        if name in assessment.mechanisms
    }
    for name, shown in reply_skills(assessment).items():
        values[name] = 1.0 if shown else 0.0
    return values


def _wait(conversation: ConversationRow, replies: Sequence[ReplyRow]) -> float | None:
    if conversation.wait_minutes is not None:
        return conversation.wait_minutes
    if conversation.first_reply_minutes is not None:
        return conversation.first_reply_minutes
    start = conversation.started_at
    stamps = [r.timestamp for r in replies if r.timestamp is not None]
    if start is None or not stamps:
        return None
    return max(0.0, (min(stamps) - start).total_seconds() / 60)


def outcome_rows(
    replies: Iterable[ReplyRow],
    conversations: Iterable[ConversationRow],
    repeat: Mapping[str, bool | None],
) -> list[OutcomeRow]:
    """Outcome rows for the conversations that have scored replies (see the module doc)."""
    by_conversation: dict[str, list[ReplyRow]] = defaultdict(list)
    for reply in replies:
        by_conversation[reply.conversation_id].append(reply)
    rows: list[OutcomeRow] = []
    for conversation in conversations:
        mine = by_conversation.get(conversation.conversation_id)
        if not mine:
            continue
        ordered = sorted(mine, key=lambda r: (r.timestamp is None, r.timestamp or 0))
        per_reply = [reply_dimensions(r.assessment) for r in ordered]
        names = sorted({name for values in per_reply for name in values})
        dimensions = {
            name: fmean(values[name] for values in per_reply if name in values) for name in names
        }
        rows.append(
            OutcomeRow(
                conversation_id=conversation.conversation_id,
                agent_id=conversation.agent_id,
                team=conversation.team,
                started_at=conversation.started_at,
                empathy=fmean(r.score for r in ordered),
                dimensions=dimensions,
                csat=conversation.csat,
                repeat_contact=repeat.get(conversation.conversation_id),
                resolved=conversation.resolved,
                escalated=conversation.escalated,
                complexity=ordered[0].assessment.customer.complexity.label or None,
                channel=conversation.channel,
                start_intensity=conversation.start_intensity,
                wait_minutes=_wait(conversation, ordered),
            )
        )
    return rows
