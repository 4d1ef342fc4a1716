"""Reads for the web app and API: scorecards and conversations, limited to the agents the caller
may see (the caller decides who that is with :mod:`heard.services.access`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from sqlalchemy import select

from heard.analytics.aggregates import Analysis, Group, analyse
from heard.services.rows import conversation_key, load_rows
from heard.storage.database import Database
from heard.storage.tables import Agent, AssessmentRecord, ConversationRecord, MessageRecord


def analysis_for(
    database: Database, model_version: str, agent_ids: Collection[str], *, period: str = "week"
) -> Analysis | None:
    """The analysis of the replies written by ``agent_ids`` (None when they have none)."""
    wanted = set(agent_ids)
    replies, conversations = load_rows(database, model_version)
    mine = [r for r in replies if r.agent_id in wanted]
    if not mine:
        return None
    keys = {r.conversation_id for r in mine}
    return analyse(mine, [c for c in conversations if c.conversation_id in keys], period=period)


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
        ids = list(
            session.scalars(
                select(ConversationRecord.id)
                .join(MessageRecord, MessageRecord.conversation_id == ConversationRecord.id)
                .join(Agent, MessageRecord.agent_id == Agent.id)
                .where(Agent.external_id.in_(wanted))
                .group_by(ConversationRecord.id)
                .order_by(ConversationRecord.created_at.desc(), ConversationRecord.id.desc())
                .limit(limit)
                .offset(offset)
            )
        )
        scores = _scores(session, ids, model_version)
        agents = _main_agents(session, ids)
        records = {
            c.id: c
            for c in session.scalars(
                select(ConversationRecord).where(ConversationRecord.id.in_(ids))
            )
        }
        return [_brief(records[i], agents.get(i), scores.get(i, [])) for i in ids]


def _scores(session: Any, ids: Collection[int], model_version: str) -> dict[int, list[int]]:
    """Each conversation's reply scores under ``model_version`` (one query for all)."""
    found: dict[int, list[int]] = {}
    for conversation_id, score in session.execute(
        select(MessageRecord.conversation_id, AssessmentRecord.score)
        .join(AssessmentRecord, MessageRecord.assessment_key == AssessmentRecord.cache_key)
        .where(
            MessageRecord.conversation_id.in_(ids),
            AssessmentRecord.model_version == model_version,
        )
    ):
        found.setdefault(conversation_id, []).append(score)
    return found


def _main_agents(session: Any, ids: Collection[int]) -> dict[int, str]:
    """Each conversation's main agent: the person (not a bot) who wrote most of its replies."""
    counts: dict[int, Counter[str]] = {}
    for conversation_id, agent in session.execute(
        select(MessageRecord.conversation_id, Agent.external_id)
        .join(Agent, MessageRecord.agent_id == Agent.id)
        .where(MessageRecord.conversation_id.in_(ids), Agent.is_bot.is_(False))
    ):
        counts.setdefault(conversation_id, Counter())[agent] += 1
    return {cid: min(c, key=lambda a: (-c[a], a)) for cid, c in counts.items()}


def _brief(
    conversation: ConversationRecord, agent: str | None, scores: list[int]
) -> ConversationBrief:
    return ConversationBrief(
        id=conversation_key(conversation),
        channel=conversation.channel,
        started_at=conversation.created_at,
        agent_id=agent,
        replies=len(scores),
        mean_score=fmean(scores) if scores else None,
        csat=conversation.csat,
        resolved=conversation.resolved,
    )


def conversation_detail(
    database: Database, model_version: str, key: str
) -> tuple[ConversationBrief, list[dict[str, Any]], set[str]] | None:
    """A conversation's summary, its messages (with assessments) and the agents who replied."""
    parts = _split(key)
    if parts is None:
        return None
    with database.session() as session:
        conversation = session.scalar(
            select(ConversationRecord).where(
                ConversationRecord.source == parts[0], ConversationRecord.external_id == parts[1]
            )
        )
        if conversation is None:
            return None
        messages: list[dict[str, Any]] = []
        agents: set[str] = set()
        scores: list[int] = []
        rows = session.execute(
            select(MessageRecord, Agent, AssessmentRecord)
            .join(Agent, MessageRecord.agent_id == Agent.id, isouter=True)
            .join(
                AssessmentRecord,
                (AssessmentRecord.cache_key == MessageRecord.assessment_key)
                & (AssessmentRecord.model_version == model_version),
                isouter=True,
            )
            .where(MessageRecord.conversation_id == conversation.id)
            .order_by(MessageRecord.timestamp, MessageRecord.seq, MessageRecord.id)
        )
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
            conversation, _main_agents(session, [conversation.id]).get(conversation.id), scores
        )
    return brief, messages, agents
