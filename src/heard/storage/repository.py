"""Reading and writing heard's tables. Every write is an idempotent upsert by natural key.

The services decide what to write and when to commit (one transaction per batch); these
functions only add, update and query within the session they are given.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from heard.imports.records import ImportedAgent, ImportedConversation, ImportedMessage
from heard.model import Role
from heard.storage.tables import (
    Agent,
    AssessmentRecord,
    ConversationRecord,
    MessageRecord,
    Setting,
)

PSEUDONYM_KEY = "pseudonym_key"
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


def save_conversations(
    session: Session, conversations: Sequence[ImportedConversation], key: bytes
) -> SaveCounts:
    """Insert or update these (already redacted) conversations and their messages.

    Messages are merged by id: a message seen before is updated when it changed, a new one is
    added, and none is ever removed (a later piece of the same conversation adds to it). A
    conversation whose messages changed loses its score, so that it is scored again.
    """
    counts = SaveCounts()
    by_source: dict[str, list[ImportedConversation]] = {}
    for conversation in conversations:
        by_source.setdefault(conversation.source, []).append(conversation)
    for source, group in by_source.items():
        agents = upsert_agents(session, source, group)
        ids = list({c.id for c in group})
        existing = {
            row.external_id: row
            for row in session.scalars(
                select(ConversationRecord)
                .where(ConversationRecord.source == source, ConversationRecord.external_id.in_(ids))
                .options(selectinload(ConversationRecord.messages))
            )
        }
        for conversation in group:
            row = existing.get(conversation.id)
            if row is None:
                row = ConversationRecord(
                    source=source, external_id=conversation.id, tags=[], messages=[]
                )
                session.add(row)
                existing[conversation.id] = row
                counts.conversations_new += 1
            elif _update_conversation_needed(row, conversation, key):
                counts.conversations_changed += 1
            _update_conversation(row, conversation, key)
            new, changed = _merge_messages(row, conversation, agents, key)
            counts.messages_new += new
            counts.messages_changed += changed
            if new or changed:
                row.scored_version = None
    session.flush()
    return counts


def utc_naive(moment: datetime | None) -> datetime | None:
    """Times are stored as naive UTC, the same on SQLite and PostgreSQL."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def conversation_values(conversation: ImportedConversation, key: bytes) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(conversation, name) for name in _FIELDS}
    values["created_at"] = utc_naive(conversation.created_at)
    values["updated_at"] = utc_naive(conversation.updated_at)
    values.update({name: getattr(conversation.outcomes, name) for name in _OUTCOMES})
    if conversation.customer_id is not None:
        values["customer_key"] = pseudonymise(key, conversation.source, conversation.customer_id)
    values["tags"] = sorted(set(conversation.tags)) or None
    return {name: value for name, value in values.items() if value is not None}


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


def message_values(
    message: ImportedMessage,
    seq: int,
    source: str,
    agents: dict[str, Agent],
    key: bytes,
) -> dict[str, Any]:
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


def _merge_messages(
    row: ConversationRecord,
    conversation: ImportedConversation,
    agents: dict[str, Agent],
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


# --- assessments ------------------------------------------------------------------------------


def cached_keys(session: Session, keys: Iterable[str], model_version: str) -> set[str]:
    """Which of these cache keys already have an assessment by this model."""
    wanted = list(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            session.scalars(
                select(AssessmentRecord.cache_key).where(
                    AssessmentRecord.model_version == model_version,
                    AssessmentRecord.cache_key.in_(chunk),
                )
            )
        )
    return found


def save_assessment(
    session: Session, cache_key: str, model_version: str, result: dict[str, Any]
) -> None:
    session.add(
        AssessmentRecord(
            cache_key=cache_key,
            model_version=model_version,
            score=int(result["score"]),
            result=result,
        )
    )


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


def iter_chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def scored_versions(session: Session) -> dict[str, int]:
    """How many conversations are scored by each model version."""
    rows = session.execute(
        select(ConversationRecord.scored_version, func.count())
        .where(ConversationRecord.scored_version.is_not(None))
        .group_by(ConversationRecord.scored_version)
    )
    return {str(version): int(count) for version, count in rows}


__all__ = [
    "SaveCounts",
    "cached_keys",
    "conversations_to_score",
    "iter_chunks",
    "load_conversations",
    "ordered_messages",
    "pseudonym_key",
    "pseudonymise",
    "save_assessment",
    "save_conversations",
    "scored_versions",
]
