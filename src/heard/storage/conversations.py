"""Agents, conversations, messages and the pseudonym key: the help-desk data heard keeps.

Every write is an idempotent upsert by natural key. The services decide what to write and when
to commit (one transaction per batch); these functions only add, update and query within the
session they are given.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, selectinload

from heard.analytics.scored import ScoredConversation
from heard.model import ImportedAgent, ImportedConversation, ImportedMessage, Role
from heard.storage.bulk import insert_rows
from heard.storage.tables import Agent, ConversationRecord, MessageRecord, Setting

PSEUDONYM_KEY = "pseudonym_key"
CHUNK = 500  # ids per IN (...) query
CONVERSATIONS = cast(Table, ConversationRecord.__table__)
MESSAGES = cast(Table, MessageRecord.__table__)
# Conversation fields copied from the import (outcomes are flattened next to them).
_OUTCOMES = (
    "csat",
    "csat_raw",
    "csat_comment",
    "resolved",
    "reopens",
    "escalated",
    "first_reply_minutes",
    "resolution_minutes",
    "handle_minutes",
    "wait_minutes",
)
_FIELDS = ("channel", "status", "created_at", "updated_at")
# a new conversation's row before the import's values: every column empty, no tags
_BLANK: dict[str, Any] = {
    **{column.name: None for column in CONVERSATIONS.columns if column.name != "id"},
    "tags": [],
}


def pseudonym_key(session: Session) -> bytes:
    """This database's secret for pseudonymising customer ids (made on first use)."""
    setting = session.get(Setting, PSEUDONYM_KEY)
    if setting is None:
        setting = Setting(name=PSEUDONYM_KEY, value=secrets.token_hex(32))
        session.add(setting)
        session.flush()
    return bytes.fromhex(setting.value)


def pseudonymise(key: bytes, source: str, value: str) -> str:
    """A stable keyed hash of a customer id: the same customer links up, the id is not kept."""
    digest = hmac.new(key, f"{source}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return f"cust-{digest[:24]}"


def conversation_key(record: ConversationRecord) -> str:
    """How heard names a stored conversation: ``source:external id``."""
    return f"{record.source}:{record.external_id}"


def iter_chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class SaveCounts:
    conversations_new: int = 0
    conversations_changed: int = 0
    messages_new: int = 0
    messages_changed: int = 0

    def add(self, other: SaveCounts) -> None:
        self.conversations_new += other.conversations_new
        self.conversations_changed += other.conversations_changed
        self.messages_new += other.messages_new
        self.messages_changed += other.messages_changed


# --- agents -------------------------------------------------------------------------------------


def upsert_agents(
    session: Session, source: str, conversations: Sequence[ImportedConversation]
) -> dict[str, Agent]:
    """Upsert the agents (and bots) these conversations name; their rows by external id."""
    declared: dict[str, ImportedAgent] = {}
    for conversation in conversations:
        for agent in conversation.agents:
            declared[agent.id] = _merge_agent(declared.get(agent.id), agent)
        for message in conversation.messages:
            if message.role is not Role.CUSTOMER and message.author_id not in declared:
                declared[message.author_id] = ImportedAgent(
                    message.author_id, message.author_name, None, message.role is Role.BOT
                )
    if not declared:
        return {}
    rows = {
        row.external_id: row
        for row in session.scalars(
            select(Agent).where(Agent.source == source, Agent.external_id.in_(list(declared)))
        )
    }
    for external_id, agent in declared.items():
        row = rows.get(external_id)
        if row is None:
            row = Agent(source=source, external_id=external_id, is_bot=agent.is_bot)
            session.add(row)
            rows[external_id] = row
        if agent.name is not None:
            row.name = agent.name
        if agent.team is not None:
            row.team = agent.team
        row.is_bot = row.is_bot or agent.is_bot
    return rows


def _merge_agent(known: ImportedAgent | None, new: ImportedAgent) -> ImportedAgent:
    if known is None:
        return new
    return ImportedAgent(
        new.id, new.name or known.name, new.team or known.team, new.is_bot or known.is_bot
    )


def rename_agents(
    session: Session, source: str, values: Mapping[str, tuple[str | None, str | None]]
) -> None:
    """Set stored agents' (name, team) by external id; a None leaves the stored value."""
    for chunk in iter_chunks(list(values)):
        for row in session.scalars(
            select(Agent).where(Agent.source == source, Agent.external_id.in_(chunk))
        ):
            name, team = values[row.external_id]
            if name is not None and row.name != name:
                row.name = name
            if team is not None and row.team != team:
                row.team = team


def people(session: Session) -> list[tuple[str, str | None, str | None]]:
    """(agent id, name, team) of every stored agent who is a person, not a bot."""
    return [
        (a.external_id, a.name, a.team)
        for a in session.scalars(select(Agent).where(Agent.is_bot.is_(False)))
    ]


# --- conversations and messages: writing -------------------------------------------------------


def utc_naive(moment: datetime | None) -> datetime | None:
    """Times are stored as naive UTC, the same on SQLite and PostgreSQL."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def conversation_values(conversation: ImportedConversation, key: bytes) -> dict[str, Any]:
    """The columns an import sets on a conversation's row (those it leaves out are absent)."""
    values: dict[str, Any] = {name: getattr(conversation, name) for name in _FIELDS}
    values["created_at"] = utc_naive(conversation.created_at)
    values["updated_at"] = utc_naive(conversation.updated_at)
    values.update({name: getattr(conversation.outcomes, name) for name in _OUTCOMES})
    if conversation.customer_id is not None:
        values["customer_key"] = pseudonymise(key, conversation.source, conversation.customer_id)
    values["tags"] = sorted(set(conversation.tags)) or None
    return {name: value for name, value in values.items() if value is not None}


def message_values(
    message: ImportedMessage,
    seq: int,
    source: str,
    agents: Mapping[str, Agent],
    key: bytes,
) -> dict[str, Any]:
    """The columns an import sets on a message's row (``agent`` is the agent's row)."""
    customer = message.role is Role.CUSTOMER
    return {
        "seq": seq,
        "timestamp": utc_naive(message.timestamp),
        "role": str(message.role),
        "author_key": pseudonymise(key, source, message.author_id)
        if customer
        else message.author_id,
        "agent": None if customer else agents.get(message.author_id),
        "text": message.text,
        "public": message.public,
        "redactions": dict(message.redacted),
    }


def save_conversations(
    session: Session, conversations: Sequence[ImportedConversation], key: bytes
) -> SaveCounts:
    """Insert or update these (already redacted) conversations and their messages.

    Conversations new to the database are inserted in bulk (:func:`insert_conversations`).
    Messages of a stored one are merged by id: a message seen before is updated when it changed,
    a new one is added, and none is ever removed (a later piece of the same conversation adds to
    it). A conversation whose messages changed loses its score, so that it is scored again.
    """
    counts = SaveCounts()
    by_source: dict[str, list[ImportedConversation]] = {}
    for conversation in conversations:
        by_source.setdefault(conversation.source, []).append(conversation)
    for source, group in by_source.items():
        agents = upsert_agents(session, source, group)
        session.flush()  # the agents' ids
        stored = stored_ids(session, source, list(dict.fromkeys(c.id for c in group)))
        new: dict[str, ImportedConversation] = {}
        pieces: list[ImportedConversation] = []  # stored, or a later piece of a new one
        for conversation in group:
            if conversation.id in stored or conversation.id in new:
                pieces.append(conversation)
            else:
                new[conversation.id] = conversation
        if new:
            _, inserted = insert_conversations(session, source, list(new.values()), agents, key)
            counts.add(inserted)
        if pieces:
            counts.add(_merge_conversations(session, source, pieces, agents, key))
    session.flush()
    return counts


def insert_conversations(
    session: Session,
    source: str,
    conversations: Sequence[ImportedConversation],
    agents: Mapping[str, Agent],
    key: bytes,
    *,
    scored: Sequence[ScoredConversation] | None = None,
    model_version: str | None = None,
) -> tuple[dict[str, int], SaveCounts]:
    """Insert conversations new to the database (each id once, its agents flushed) and their
    messages, one multi-row INSERT per table; their row ids by external id. With ``scored`` (one
    for each conversation) they are stored as scored by ``model_version``: each reply linked to
    its assessment (the assessments and summaries are :mod:`heard.storage.assessments`')."""
    counts = SaveCounts(conversations_new=len(conversations))
    insert_rows(
        session,
        CONVERSATIONS,
        [
            {
                **_BLANK,
                **conversation_values(conversation, key),
                "source": source,
                "external_id": conversation.id,
                "scored_version": model_version,
            }
            for conversation in conversations
        ],
    )
    ids = stored_ids(session, source, [conversation.id for conversation in conversations])
    messages: list[dict[str, Any]] = []
    for index, conversation in enumerate(conversations):
        replies = {r.message_id: r for r in scored[index].replies} if scored is not None else {}
        rows: dict[str, dict[str, Any]] = {}
        for seq, message in enumerate(conversation.messages):
            values = message_values(message, seq, source, agents, key)
            agent: Agent | None = values.pop("agent")
            values["agent_id"] = agent.id if agent is not None else None
            known = rows.get(message.id)
            if known is not None:  # the same id again: its later values win, as in a merge
                if {name for name, value in values.items() if known[name] != value} - {
                    "seq",
                    "redactions",
                }:
                    counts.messages_changed += 1
                known.update(values)
                continue
            reply = replies.get(message.id)
            rows[message.id] = {
                "conversation_id": ids[conversation.id],
                "external_id": message.id,
                **values,
                "assessment_key": reply.cache_key if reply else None,
                "first_reply": reply.first_reply if reply else False,
            }
        messages.extend(rows.values())
    counts.messages_new = len(messages)
    insert_rows(session, MESSAGES, messages)
    return ids, counts


def _merge_conversations(
    session: Session,
    source: str,
    conversations: Sequence[ImportedConversation],
    agents: Mapping[str, Agent],
    key: bytes,
) -> SaveCounts:
    """Merge pieces of stored conversations into their rows (see :func:`save_conversations`)."""
    counts = SaveCounts()
    existing = {
        row.external_id: row
        for row in load_by_external_id(session, source, list({c.id for c in conversations}))
    }
    for conversation in conversations:
        row = existing[conversation.id]
        if _update_conversation_needed(row, conversation, key):
            counts.conversations_changed += 1
        _update_conversation(row, conversation, key)
        new, changed = _merge_messages(row, conversation, agents, key)
        counts.messages_new += new
        counts.messages_changed += changed
        if new or changed:
            row.scored_version = None
    return counts


def _update_conversation_needed(
    row: ConversationRecord, conversation: ImportedConversation, key: bytes
) -> bool:
    return any(
        getattr(row, name) != value
        for name, value in conversation_values(conversation, key).items()
    )


def _update_conversation(
    row: ConversationRecord, conversation: ImportedConversation, key: bytes
) -> None:
    """Copy what the import knows; a value the import leaves out never erases a stored one."""
    for name, value in conversation_values(conversation, key).items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _merge_messages(
    row: ConversationRecord,
    conversation: ImportedConversation,
    agents: Mapping[str, Agent],
    key: bytes,
) -> tuple[int, int]:
    known = {message.external_id: message for message in row.messages}
    new = changed = 0
    for seq, message in enumerate(conversation.messages):
        values = message_values(message, seq, conversation.source, agents, key)
        stored = known.get(message.id)
        if stored is None:
            stored = MessageRecord(external_id=message.id, **values)
            row.messages.append(stored)
            known[message.id] = stored
            new += 1
            continue
        differs = [name for name, value in values.items() if getattr(stored, name) != value]
        for name in differs:
            setattr(stored, name, values[name])
        if set(differs) - {"seq", "redactions"}:
            changed += 1
    return new, changed


# --- conversations and messages: reading -------------------------------------------------------


def stored_ids(session: Session, source: str, external_ids: Sequence[str]) -> dict[str, int]:
    """The row ids of the stored conversations among these external ids."""
    found: dict[str, int] = {}
    for chunk in iter_chunks(external_ids):
        rows = session.execute(
            select(ConversationRecord.external_id, ConversationRecord.id).where(
                ConversationRecord.source == source,
                ConversationRecord.external_id.in_(list(chunk)),
            )
        )
        found.update(dict(rows.all()))
    return found


def load_by_external_id(
    session: Session, source: str, external_ids: Sequence[str]
) -> list[ConversationRecord]:
    """The stored conversations among these external ids, with their messages."""
    found: list[ConversationRecord] = []
    for chunk in iter_chunks(external_ids):
        found.extend(
            session.scalars(
                select(ConversationRecord)
                .where(
                    ConversationRecord.source == source,
                    ConversationRecord.external_id.in_(list(chunk)),
                )
                .options(selectinload(ConversationRecord.messages))
            )
        )
    return found


def conversations_to_score(session: Session, model_version: str, *, rescore: bool) -> list[int]:
    """Ids of conversations never scored, changed since (and, with rescore, scored by another
    model), in id order."""
    statement = select(ConversationRecord.id).order_by(ConversationRecord.id)
    if rescore:
        statement = statement.where(
            ConversationRecord.scored_version.is_(None)
            | (ConversationRecord.scored_version != model_version)
        )
    else:
        statement = statement.where(ConversationRecord.scored_version.is_(None))
    return list(session.scalars(statement))


def load_conversations(session: Session, ids: Sequence[int]) -> list[ConversationRecord]:
    """These conversations with their messages and the messages' agents, in id order."""
    statement = (
        select(ConversationRecord)
        .where(ConversationRecord.id.in_(list(ids)))
        .options(
            selectinload(ConversationRecord.messages).selectinload(MessageRecord.agent),
        )
        .order_by(ConversationRecord.id)
    )
    return list(session.scalars(statement))


def ordered_messages(conversation: ConversationRecord) -> list[MessageRecord]:
    """Messages in time order; without timestamps, in the order the source gave them."""
    earliest = datetime.min
    return sorted(
        conversation.messages,
        key=lambda m: (m.timestamp is not None, m.timestamp or earliest, m.seq, m.id),
    )


def public_messages(conversation: ConversationRecord) -> list[tuple[str, str, str, str]]:
    """(message id, role, author, text) of a conversation's public messages in time order."""
    return [
        (m.external_id, m.role, m.author_key, m.text)
        for m in ordered_messages(conversation)
        if m.public
    ]


def conversation_by_key(
    session: Session, source: str, external_id: str
) -> ConversationRecord | None:
    return session.scalar(
        select(ConversationRecord).where(
            ConversationRecord.source == source, ConversationRecord.external_id == external_id
        )
    )


def conversations_with_agents(
    session: Session, agent_ids: Collection[str], *, limit: int, offset: int
) -> list[ConversationRecord]:
    """Conversations in which one of these agents (by external id) replied, newest first."""
    ids = list(
        session.scalars(
            select(ConversationRecord.id)
            .join(MessageRecord, MessageRecord.conversation_id == ConversationRecord.id)
            .join(Agent, MessageRecord.agent_id == Agent.id)
            .where(Agent.external_id.in_(list(agent_ids)))
            .group_by(ConversationRecord.id)
            .order_by(ConversationRecord.created_at.desc(), ConversationRecord.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    records = {
        c.id: c
        for c in session.scalars(select(ConversationRecord).where(ConversationRecord.id.in_(ids)))
    }
    return [records[i] for i in ids]


def main_agents(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Each conversation's main agent: the person (not a bot) who wrote most of its replies."""
    counts: dict[int, Counter[str]] = {}
    for conversation_id, agent in session.execute(
        select(MessageRecord.conversation_id, Agent.external_id)
        .join(Agent, MessageRecord.agent_id == Agent.id)
        .where(MessageRecord.conversation_id.in_(list(ids)), Agent.is_bot.is_(False))
    ):
        counts.setdefault(conversation_id, Counter())[agent] += 1
    return {cid: min(c, key=lambda a: (-c[a], a)) for cid, c in counts.items()}


def contacts(session: Session) -> list[tuple[str, str | None, datetime | None]]:
    """("source:id", pseudonymised customer, start) of every stored conversation."""
    return [
        (f"{source}:{external_id}", customer, created)
        for source, external_id, customer, created in session.execute(
            select(
                ConversationRecord.source,
                ConversationRecord.external_id,
                ConversationRecord.customer_key,
                ConversationRecord.created_at,
            )
        )
    ]


def last_message_time(session: Session, role: str | None = None) -> datetime | None:
    """When the last stored message (of ``role``, when given) was sent."""
    statement = select(func.max(MessageRecord.timestamp))
    if role is not None:
        statement = statement.where(MessageRecord.role == role)
    return session.scalar(statement)


__all__ = [
    "PSEUDONYM_KEY",
    "SaveCounts",
    "contacts",
    "conversation_by_key",
    "conversation_key",
    "conversation_values",
    "conversations_to_score",
    "conversations_with_agents",
    "insert_conversations",
    "iter_chunks",
    "last_message_time",
    "load_by_external_id",
    "load_conversations",
    "main_agents",
    "message_values",
    "ordered_messages",
    "people",
    "pseudonym_key",
    "pseudonymise",
    "public_messages",
    "rename_agents",
    "save_conversations",
    "stored_ids",
    "upsert_agents",
    "utc_naive",
]
