"""Reads for the web app and API: scorecards and conversations, limited to the agents the caller
may see (the caller decides who that is with :mod:`heard.services.access`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from heard.analytics.aggregates import Analysis, Group, analyse
from heard.storage import assessments, conversations
from heard.storage.conversations import conversation_key
from heard.storage.database import Database


def analysis_for(
    database: Database, model_version: str, agent_ids: Collection[str], *, period: str = "week"
) -> Analysis | None:
    """The analysis of the replies written by ``agent_ids`` (None when they have none), over the
    conversations they replied in."""
    with database.session() as session:
        replies, rows = assessments.scored_rows(session, model_version, agent_ids=set(agent_ids))
    if not replies:
        return None
    return analyse(replies, rows, period=period)


def scorecard(group: Group, kind: str) -> dict[str, Any]:
    """A group's scorecard as plain values (the API's ``ScorecardOut``)."""
    score = group.replies.score
    calmed = group.conversations.calmed
    strength = group.replies.top("strength")
    gap = group.replies.top("gap", "anti_pattern")
    trend = group.trend
    return {
        "kind": kind,
        "id": group.key,
        "name": group.label,
        "team": group.team,
        "replies": group.replies.n,
        "conversations": group.conversations.n,
        "score": {"value": score.mean, "low": score.low, "high": score.high, "n": score.n},
        "calmed": {"value": calmed.rate, "low": calmed.low, "high": calmed.high, "n": calmed.n},
        "scripted_share": group.replies.scripted.rate,
        "trend_per_period": trend.slope if trend else None,
        "trend_p": trend.p_value if trend else None,
        "top_strength": strength.code if strength else None,
        "top_gap": gap.code if gap else None,
        "small_sample": group.small,
    }


@dataclass(frozen=True)
class ConversationBrief:
    id: str
    channel: str | None
    started_at: datetime | None
    agent_id: str | None
    replies: int
    mean_score: float | None
    csat: float | None
    resolved: bool | None


def _split(key: str) -> tuple[str, str] | None:
    source, colon, external = key.partition(":")
    return (source, external) if colon and source and external else None


def conversations_of(
    database: Database,
    model_version: str,
    agent_ids: Collection[str],
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[ConversationBrief]:
    """Conversations in which one of ``agent_ids`` replied, newest first."""
    wanted = set(agent_ids)
    if not wanted:
        return []
    with database.session() as session:
        records = conversations.conversations_with_agents(
            session, wanted, limit=limit, offset=offset
        )
        ids = [record.id for record in records]
        scores = assessments.reply_scores(session, ids, model_version)
        agents = conversations.main_agents(session, ids)
        return [
            _brief(
                conversation_key(r),
                r.channel,
                r.created_at,
                r.csat,
                r.resolved,
                agents.get(r.id),
                scores.get(r.id, []),
            )
            for r in records
        ]


def _brief(
    key: str,
    channel: str | None,
    started_at: datetime | None,
    csat: float | None,
    resolved: bool | None,
    agent: str | None,
    scores: list[int],
) -> ConversationBrief:
    return ConversationBrief(
        id=key,
        channel=channel,
        started_at=started_at,
        agent_id=agent,
        replies=len(scores),
        mean_score=fmean(scores) if scores else None,
        csat=csat,
        resolved=resolved,
    )


def conversation_detail(
    database: Database, model_version: str, key: str
) -> tuple[ConversationBrief, list[dict[str, Any]], set[str]] | None:
    """A conversation's summary, its messages (with assessments) and the agents who replied."""
    parts = _split(key)
    if parts is None:
        return None
    with database.session() as session:
        conversation = conversations.conversation_by_key(session, *parts)
        if conversation is None:
            return None
        messages: list[dict[str, Any]] = []
        agents: set[str] = set()
        scores: list[int] = []
        rows = assessments.assessed_messages(session, conversation.id, model_version)
        for message, agent, record in rows:
            assessment = None
            if record is not None:
                assessment = {
                    k: v for k, v in record.result.items() if k not in ("context", "reply")
                }
                scores.append(record.score)
            if agent is not None and not agent.is_bot:
                agents.add(agent.external_id)
            messages.append(
                {
                    "id": message.external_id,
                    "role": message.role,
                    "author": (agent.name or agent.external_id) if agent else "customer",
                    "timestamp": message.timestamp,
                    "text": message.text,
                    "public": message.public,
                    "assessment": assessment,
                }
            )
        brief = _brief(
            conversation_key(conversation),
            conversation.channel,
            conversation.created_at,
            conversation.csat,
            conversation.resolved,
            conversations.main_agents(session, [conversation.id]).get(conversation.id),
            scores,
        )
    return brief, messages, agents
