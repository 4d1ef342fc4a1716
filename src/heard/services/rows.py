"""Stored, scored conversations as the flat rows analytics works on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from heard.analytics.rows import ConversationRow, ReplyRow
from heard.errors import InputError
from heard.storage.database import Database
from heard.storage.repository import scored_versions
from heard.storage.tables import (
    Agent,
    AssessmentRecord,
    ConversationRecord,
    ConversationSummary,
    MessageRecord,
)


def conversation_key(record: ConversationRecord) -> str:
    return f"{record.source}:{record.external_id}"


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
    replies: list[ReplyRow] = []
    conversations: list[ConversationRow] = []
    with database.session() as session:
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
        others = {v: n for v, n in scored_versions(session).items() if v != model_version}
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
