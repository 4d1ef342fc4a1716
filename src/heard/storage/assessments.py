"""Assessments, conversation summaries and the scored rows analytics reads.

An assessment is kept once per (cache key, model version): the same reply in the same context is
assessed once per model. A summary holds, per conversation and model, the customer's trajectory
and the first reply's score. Both are written in bulk (:mod:`heard.storage.bulk`), the same way
by the local engine (``heard score``) and the Dask writer.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Insert, Table, Text, bindparam, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from heard.analytics.rows import ConversationRow, ReplyRow
from heard.analytics.scored import ScoredConversation
from heard.model import Role
from heard.storage.bulk import insert_many, upsert
from heard.storage.conversations import conversation_key, iter_chunks
from heard.storage.tables import (
    Agent,
    AssessmentRecord,
    ConversationRecord,
    ConversationSummary,
    MessageRecord,
)

ASSESSMENTS = cast(Table, AssessmentRecord.__table__)
SUMMARIES = cast(Table, ConversationSummary.__table__)
_SUMMARY_KEY = ("conversation_id", "model_version")


def cached_keys(session: Session, keys: Iterable[str], model_version: str) -> set[str]:
    """Which of these cache keys already have an assessment by this model."""
    found: set[str] = set()
    for chunk in iter_chunks(list(set(keys))):
        found.update(
            session.scalars(
                select(AssessmentRecord.cache_key).where(
                    AssessmentRecord.model_version == model_version,
                    AssessmentRecord.cache_key.in_(list(chunk)),
                )
            )
        )
    return found


def stored_keys(session: Session, model_version: str) -> list[str]:
    """Every cache key with an assessment by this model."""
    return list(
        session.scalars(
            select(AssessmentRecord.cache_key).where(
                AssessmentRecord.model_version == model_version
            )
        )
    )


def assessment_scores(session: Session, keys: Iterable[str], model_version: str) -> dict[str, int]:
    """The stored score of each of these cache keys under this model."""
    found: dict[str, int] = {}
    for chunk in iter_chunks(list(set(keys))):
        rows = session.execute(
            select(AssessmentRecord.cache_key, AssessmentRecord.score).where(
                AssessmentRecord.model_version == model_version,
                AssessmentRecord.cache_key.in_(list(chunk)),
            )
        )
        found.update(dict(rows.all()))
    return found


def save_assessments(
    session: Session, model_version: str, assessments: Mapping[str, tuple[int, str]]
) -> None:
    """Store new assessments: cache key → (score, the assessment as JSON text). A key already
    stored for this model is left as it is."""
    insert_many(
        session,
        _insert_assessment(session),
        [
            {
                "cache_key": cache_key,
                "model_version": model_version,
                "score": score,
                "result_json": document,
            }
            for cache_key, (score, document) in assessments.items()
        ],
    )


def assessment_json(result: Mapping[str, Any]) -> tuple[int, str]:
    """An assessment as :func:`save_assessments` stores it: (score, JSON text), the text as the
    JSON column would serialise it."""
    return int(result["score"]), json.dumps(result)


def _insert_assessment(session: Session) -> Insert:
    """An upsert that stores JSON text as it is (PostgreSQL needs the text cast to json)."""
    text: ColumnElement[Any] = bindparam("result_json", type_=Text)
    if session.get_bind().dialect.name == "postgresql":
        text = sql_cast(text, JSON)
    return upsert(session, ASSESSMENTS, ("cache_key", "model_version")).values(
        cache_key=bindparam("cache_key"),
        model_version=bindparam("model_version"),
        score=bindparam("score"),
        result=text,
    )


def summary_values(
    conversation_id: int,
    scored: ScoredConversation,
    first_score: int | None,
    primary_agent_id: int | None,
    model_version: str,
) -> dict[str, Any]:
    """A ``conversation_summaries`` row: the customer's trajectory, the turns, the first reply's
    score and the agent who wrote most replies."""
    path = scored.trajectory
    return {
        "conversation_id": conversation_id,
        "model_version": model_version,
        "customer_turns": scored.customer_turns,
        "agent_turns": scored.agent_turns,
        "start_emotion": path.start.label if path else None,
        "start_intensity": path.start.intensity if path else None,
        "peak_emotion": path.peak.label if path else None,
        "peak_intensity": path.peak.intensity if path else None,
        "end_emotion": path.end.label if path else None,
        "end_intensity": path.end.intensity if path else None,
        "trajectory": path.shape if path else None,
        "first_reply_score": first_score,
        "primary_agent_id": primary_agent_id,
    }


def save_summaries(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert or replace summaries (rows of :func:`summary_values`)."""
    if rows:
        update = [name for name in rows[0] if name not in _SUMMARY_KEY]
        insert_many(session, upsert(session, SUMMARIES, _SUMMARY_KEY, update), rows)


def store_scored(
    session: Session,
    pairs: Sequence[tuple[ConversationRecord, ScoredConversation]],
    model_version: str,
) -> None:
    """Store what scoring found in these stored conversations (loaded with their messages): the
    new assessments, each reply's link to its assessment, the summaries; each conversation is
    then scored by ``model_version``."""
    save_assessments(
        session,
        model_version,
        {
            reply.cache_key: assessment_json(reply.assessment)
            for _, scored in pairs
            for reply in scored.replies
            if reply.assessment is not None
        },
    )
    firsts = [scored.replies[0].cache_key for _, scored in pairs if scored.replies]
    scores = assessment_scores(session, firsts, model_version)
    summaries: list[dict[str, Any]] = []
    for record, scored in pairs:
        messages = {m.external_id: m for m in record.messages}
        for reply in scored.replies:
            message = messages[reply.message_id]
            message.assessment_key = reply.cache_key
            message.first_reply = reply.first_reply
        agent = next(
            (
                m.agent_id
                for m in record.messages
                if m.role == Role.AGENT and m.author_key == scored.primary_agent
            ),
            None,
        )
        first = scores.get(scored.replies[0].cache_key) if scored.replies else None
        summaries.append(summary_values(record.id, scored, first, agent, model_version))
        record.scored_version = model_version
    save_summaries(session, summaries)


def scored_versions(session: Session) -> dict[str, int]:
    """How many conversations are scored by each model version."""
    rows = session.execute(
        select(ConversationRecord.scored_version, func.count())
        .where(ConversationRecord.scored_version.is_not(None))
        .group_by(ConversationRecord.scored_version)
    )
    return {str(version): int(count) for version, count in rows}


def scored_rows(
    session: Session,
    model_version: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    agent_ids: Collection[str] | None = None,
) -> tuple[list[ReplyRow], list[ConversationRow]]:
    """Every scored public agent reply (and conversation) under this model, in time order.

    ``since``/``until`` (naive UTC) keep replies sent in [since, until); conversations are kept
    when they started in that window. Replies without a timestamp are kept. With ``agent_ids``,
    only those agents' replies, and the conversations they replied in.
    """
    author = func.coalesce(Agent.external_id, MessageRecord.author_key)
    statement = (
        select(MessageRecord, ConversationRecord, Agent, AssessmentRecord)
        .join(ConversationRecord, MessageRecord.conversation_id == ConversationRecord.id)
        .join(Agent, MessageRecord.agent_id == Agent.id, isouter=True)
        .join(
            AssessmentRecord,
            (AssessmentRecord.cache_key == MessageRecord.assessment_key)
            & (AssessmentRecord.model_version == model_version),
        )
        .where(
            MessageRecord.role == "agent",
            MessageRecord.public.is_(True),
            ConversationRecord.scored_version == model_version,
        )
        .order_by(MessageRecord.timestamp, MessageRecord.id)
    )
    if since is not None:
        statement = statement.where(
            MessageRecord.timestamp.is_(None) | (MessageRecord.timestamp >= since)
        )
    if until is not None:
        statement = statement.where(
            MessageRecord.timestamp.is_(None) | (MessageRecord.timestamp < until)
        )
    if agent_ids is not None:
        statement = statement.where(author.in_(list(agent_ids)))
    replies: list[ReplyRow] = []
    for message, conversation, agent, assessment in session.execute(statement):
        result = assessment.result
        replies.append(
            ReplyRow(
                conversation_id=conversation_key(conversation),
                message_id=message.external_id,
                agent_id=agent.external_id if agent else message.author_key,
                agent_name=agent.name if agent else None,
                team=agent.team if agent else None,
                timestamp=message.timestamp,
                channel=conversation.channel,
                reply=message.text,
                context=str(result.get("context", "")),
                document=result,
                first_reply=message.first_reply,
            )
        )
    primary = aliased(Agent)
    summaries = (
        select(ConversationSummary, ConversationRecord, primary)
        .join(ConversationRecord, ConversationSummary.conversation_id == ConversationRecord.id)
        .join(primary, ConversationSummary.primary_agent_id == primary.id, isouter=True)
        .where(
            ConversationSummary.model_version == model_version,
            ConversationRecord.scored_version == model_version,
        )
        .order_by(ConversationRecord.created_at, ConversationRecord.id)
    )
    if since is not None:
        summaries = summaries.where(
            ConversationRecord.created_at.is_(None) | (ConversationRecord.created_at >= since)
        )
    if until is not None:
        summaries = summaries.where(
            ConversationRecord.created_at.is_(None) | (ConversationRecord.created_at < until)
        )
    if agent_ids is not None:
        replied = (
            statement.with_only_columns(MessageRecord.conversation_id)
            .order_by(None)
            .correlate(None)
        )
        summaries = summaries.where(ConversationRecord.id.in_(replied))
    conversations: list[ConversationRow] = []
    for summary, conversation, agent in session.execute(summaries):
        conversations.append(
            ConversationRow(
                conversation_id=conversation_key(conversation),
                agent_id=agent.external_id if agent else None,
                team=agent.team if agent else None,
                channel=conversation.channel,
                started_at=conversation.created_at,
                customer_turns=summary.customer_turns,
                agent_turns=summary.agent_turns,
                start_emotion=summary.start_emotion,
                start_intensity=summary.start_intensity,
                peak_emotion=summary.peak_emotion,
                peak_intensity=summary.peak_intensity,
                end_emotion=summary.end_emotion,
                end_intensity=summary.end_intensity,
                trajectory=summary.trajectory,
                first_reply_score=summary.first_reply_score,
                resolved=conversation.resolved,
                csat=conversation.csat,
                customer_key=conversation.customer_key,
                escalated=conversation.escalated,
                reopens=conversation.reopens,
                wait_minutes=conversation.wait_minutes,
                first_reply_minutes=conversation.first_reply_minutes,
                handle_minutes=conversation.handle_minutes,
            )
        )
    return replies, conversations


def reply_scores(
    session: Session, ids: Collection[int], model_version: str
) -> dict[int, list[int]]:
    """Each conversation's reply scores under ``model_version`` (one query for all)."""
    found: dict[int, list[int]] = {}
    for conversation_id, score in session.execute(
        select(MessageRecord.conversation_id, AssessmentRecord.score)
        .join(AssessmentRecord, MessageRecord.assessment_key == AssessmentRecord.cache_key)
        .where(
            MessageRecord.conversation_id.in_(list(ids)),
            AssessmentRecord.model_version == model_version,
        )
    ):
        found.setdefault(conversation_id, []).append(score)
    return found


def assessed_messages(
    session: Session, conversation_id: int, model_version: str
) -> list[tuple[MessageRecord, Agent | None, AssessmentRecord | None]]:
    """A conversation's messages in time order, each with its agent and its assessment under
    ``model_version`` (None for a customer's message or one not assessed)."""
    rows = session.execute(
        select(MessageRecord, Agent, AssessmentRecord)
        .join(Agent, MessageRecord.agent_id == Agent.id, isouter=True)
        .join(
            AssessmentRecord,
            (AssessmentRecord.cache_key == MessageRecord.assessment_key)
            & (AssessmentRecord.model_version == model_version),
            isouter=True,
        )
        .where(MessageRecord.conversation_id == conversation_id)
        .order_by(MessageRecord.timestamp, MessageRecord.seq, MessageRecord.id)
    )
    return [(message, agent, record) for message, agent, record in rows]


__all__ = [
    "assessed_messages",
    "assessment_json",
    "assessment_scores",
    "cached_keys",
    "reply_scores",
    "save_assessments",
    "save_summaries",
    "scored_rows",
    "scored_versions",
    "store_scored",
    "stored_keys",
    "summary_values",
]
