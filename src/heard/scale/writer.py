"""The driver's side: one scored partition → the database, in the caller's transaction.

The rows written are the local engine's (``heard import`` then ``heard score``): the same
tables, the same values, only the surrogate ids differ. Two paths:

- conversations new to the database (the bulk of any first run) are inserted with one
  ``executemany`` INSERT per table and partition: conversation, message, assessment and summary
  rows built with the repository's own value functions and ``store_scored``'s rules. Through
  the ORM's unit of work (``save_conversations`` and ``store_scored`` for each conversation) the
  same rows cost over ten times more of the driver's CPU, which on a small machine is taken
  from the workers;
- conversations already stored go through the repository (``save_conversations``) and
  ``store_scored``, exactly as the local engine does. One already scored and unchanged since is
  left as it is (as ``heard score`` leaves it); one whose stored messages are more than the
  archive's rows (it was merged with an earlier import) is scored again here, on the driver, from
  what is stored, so that its scores cover the whole conversation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import JSON, Insert, Table, Text, bindparam, insert, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from heard.errors import InputError
from heard.imports.records import ImportedConversation
from heard.scale.results import LatestAgents, ScoredPartition
from heard.services.models import assessor
from heard.services.scoring import (
    ScoredConversation,
    model_conversation,
    score_conversations,
    store_scored,
)
from heard.storage.repository import (
    cached_keys,
    conversation_values,
    message_values,
    ordered_messages,
    save_conversations,
    upsert_agents,
)
from heard.storage.tables import (
    Agent,
    AssessmentRecord,
    ConversationRecord,
    ConversationSummary,
    MessageRecord,
)

log = logging.getLogger(__name__)

CHUNK = 500  # ids per IN (...) query
CONVERSATIONS = cast(Table, ConversationRecord.__table__)
MESSAGES = cast(Table, MessageRecord.__table__)
ASSESSMENTS = cast(Table, AssessmentRecord.__table__)
SUMMARIES = cast(Table, ConversationSummary.__table__)


@dataclass
class WriteCounts:
    conversations: int = 0  # conversations written (new or updated)
    messages: int = 0  # their messages in the archive
    inserted: int = 0  # new to the database
    updated: int = 0  # already stored: merged through the repository
    rescored: int = 0  # merged with stored messages the archive lacks: scored on the driver
    unchanged: int = 0  # already scored and unchanged since: left as they are

    def add(self, other: WriteCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _chunks(values: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield list(values[start : start + CHUNK])


def _stored_ids(session: Session, source: str, external_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(external_ids):
        rows = session.execute(
            select(ConversationRecord.external_id, ConversationRecord.id).where(
                ConversationRecord.source == source, ConversationRecord.external_id.in_(chunk)
            )
        )
        found.update(dict(rows.all()))
    return found


def write_partition(
    session: Session,
    partition: ScoredPartition,
    *,
    key: bytes,
    model_version: str,
    tier: str,
    agents: LatestAgents | None = None,
) -> WriteCounts:
    """Store the partition's conversations and scores (see the module docstring). ``agents``
    holds the agents' names and teams of the partitions written before in the same run (see
    :class:`LatestAgents`); without it, the partition's own are stored."""
    counts = WriteCounts()
    pairs = list(zip(partition.conversations, partition.scored, strict=True))
    by_source: dict[str, list[tuple[ImportedConversation, ScoredConversation]]] = {}
    for pair in pairs:
        by_source.setdefault(pair[0].source, []).append(pair)
    for source, group in by_source.items():
        stored = _stored_ids(session, source, [c.id for c, _ in group])
        new = [pair for pair in group if pair[0].id not in stored]
        old = [pair for pair in group if pair[0].id in stored]
        if new:
            _insert_new(session, source, new, partition, key, model_version)
            counts.inserted += len(new)
        if old:
            _merge_stored(session, source, old, partition, key, model_version, tier, counts)
    _latest_agent_values(session, partition, agents)
    counts.conversations = len(pairs)
    counts.messages = sum(len(c.messages) for c, _ in pairs)
    return counts


def _latest_agent_values(
    session: Session, partition: ScoredPartition, agents: LatestAgents | None
) -> None:
    """Agents' names and teams as the conversation latest in the archive gives them."""
    if agents is None:
        return
    agents.add(partition)
    by_source: dict[str, list[str]] = {}
    for source, agent_id in {*partition.agent_names, *partition.agent_teams}:
        by_source.setdefault(source, []).append(agent_id)
    for source, ids in by_source.items():
        for chunk in _chunks(ids):
            for row in session.scalars(
                select(Agent).where(Agent.source == source, Agent.external_id.in_(chunk))
            ):
                name, team = (
                    agents.name(source, row.external_id),
                    agents.team(source, row.external_id),
                )
                if name is not None and row.name != name:
                    row.name = name
                if team is not None and row.team != team:
                    row.team = team


# -- new conversations: multi-row INSERTs --------------------------------------------------------


def insert_many(session: Session, statement: Insert, rows: list[dict[str, Any]]) -> None:
    """Run an INSERT for many rows (all with the same keys) with the driver's ``executemany``.

    The statement and every value's conversion are SQLAlchemy's own (its compiled SQL and each
    parameter type's bind processor), so the stored values are those ``session.execute`` would
    store; what is skipped is its bookkeeping for each row, which on a partition costs more than
    the database itself."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    compiled = statement.compile(dialect=dialect, column_keys=names)
    order: list[str] = list(compiled.positiontup or ()) if compiled.positional else names
    convert = [
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in order
    ]
    if compiled.positional:
        params: list[Any] = [
            tuple(process(row[name]) if process else row[name] for name, process in convert)
            for row in rows
        ]
    else:
        params = [
            {name: process(row[name]) if process else row[name] for name, process in convert}
            for row in rows
        ]
    connection.exec_driver_sql(compiled.string, params)


def _columns(table: Table) -> dict[str, Any]:
    return {column.name: None for column in table.columns if column.name != "id"}


def _insert_new(
    session: Session,
    source: str,
    pairs: list[tuple[ImportedConversation, ScoredConversation]],
    partition: ScoredPartition,
    key: bytes,
    model_version: str,
) -> None:
    conversations = [conversation for conversation, _ in pairs]
    agents = upsert_agents(session, source, conversations)
    session.flush()  # the agents' ids
    blank = _columns(CONVERSATIONS)
    insert_many(
        session,
        insert(CONVERSATIONS),
        [
            {
                **blank,
                "tags": [],
                **conversation_values(conversation, key),
                "source": source,
                "external_id": conversation.id,
                "scored_version": model_version,
            }
            for conversation in conversations
        ],
    )
    ids = _stored_ids(session, source, [conversation.id for conversation in conversations])
    assessed = _insert_assessments(session, pairs, partition, model_version)
    scores = _first_scores(session, pairs, partition, assessed, model_version)
    messages: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    for conversation, scored in pairs:
        replies = {reply.message_id: reply for reply in scored.replies}
        for seq, message in enumerate(conversation.messages):
            values = message_values(message, seq, source, agents, key)
            agent: Agent | None = values.pop("agent")
            reply = replies.get(message.id)
            messages.append(
                {
                    "conversation_id": ids[conversation.id],
                    "external_id": message.id,
                    **values,
                    "agent_id": agent.id if agent is not None else None,
                    "assessment_key": reply.cache_key if reply else None,
                    "first_reply": reply.first_reply if reply else False,
                }
            )
        summaries.append(_summary(ids[conversation.id], scored, agents, scores, model_version))
    insert_many(session, insert(MESSAGES), messages)
    insert_many(session, insert(SUMMARIES), summaries)


def _insert_assessments(
    session: Session,
    pairs: list[tuple[ImportedConversation, ScoredConversation]],
    partition: ScoredPartition,
    model_version: str,
) -> set[str]:
    """Insert the new assessments these conversations need; the keys this partition assessed."""
    wanted = list(
        dict.fromkeys(
            reply.cache_key
            for _, scored in pairs
            for reply in scored.replies
            if reply.cache_key in partition.assessments
        )
    )
    already = cached_keys(session, wanted, model_version) if wanted else set()
    rows = [
        {
            "cache_key": cache_key,
            "model_version": model_version,
            "score": partition.assessments[cache_key][0],
            "result_json": partition.assessments[cache_key][1],
        }
        for cache_key in wanted
        if cache_key not in already
    ]
    if rows:
        insert_many(session, _insert_assessment(session), rows)
    return set(wanted)


def _insert_assessment(session: Session) -> Insert:
    """An INSERT that stores the worker's JSON text as it is (the JSON column would serialise
    the dict with the same ``json.dumps``; PostgreSQL needs the text cast to json)."""
    text: ColumnElement[Any] = bindparam("result_json", type_=Text)
    if session.get_bind().dialect.name == "postgresql":
        text = sql_cast(text, JSON)
    return insert(ASSESSMENTS).values(
        cache_key=bindparam("cache_key"),
        model_version=bindparam("model_version"),
        score=bindparam("score"),
        result=text,
    )


def _first_scores(
    session: Session,
    pairs: list[tuple[ImportedConversation, ScoredConversation]],
    partition: ScoredPartition,
    assessed: set[str],
    model_version: str,
) -> dict[str, int]:
    """The score of each conversation's first reply, by its cache key."""
    firsts = {scored.replies[0].cache_key for _, scored in pairs if scored.replies}
    scores = {k: partition.assessments[k][0] for k in firsts if k in assessed}
    missing = [k for k in firsts if k not in scores]
    for chunk in _chunks(missing):
        rows = session.execute(
            select(AssessmentRecord.cache_key, AssessmentRecord.score).where(
                AssessmentRecord.model_version == model_version,
                AssessmentRecord.cache_key.in_(chunk),
            )
        )
        scores.update(dict(rows.all()))
    return scores


def _summary(
    conversation_id: int,
    scored: ScoredConversation,
    agents: dict[str, Agent],
    scores: dict[str, int],
    model_version: str,
) -> dict[str, Any]:
    """The ``conversation_summaries`` row, as ``store_scored`` fills it."""
    path = scored.trajectory
    agent = agents.get(scored.primary_agent) if scored.primary_agent is not None else None
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
        "first_reply_score": scores.get(scored.replies[0].cache_key) if scored.replies else None,
        "primary_agent_id": agent.id if agent is not None else None,
    }


# -- conversations already stored: the repository and store_scored -------------------------------


def _with_assessments(scored: ScoredConversation, partition: ScoredPartition) -> ScoredConversation:
    replies = [
        replace(reply, assessment=json.loads(partition.assessments[reply.cache_key][1]))
        if reply.cache_key in partition.assessments
        else reply
        for reply in scored.replies
    ]
    return replace(scored, replies=replies)


def _merge_stored(
    session: Session,
    source: str,
    pairs: list[tuple[ImportedConversation, ScoredConversation]],
    partition: ScoredPartition,
    key: bytes,
    model_version: str,
    tier: str,
    counts: WriteCounts,
) -> None:
    save_conversations(session, [conversation for conversation, _ in pairs], key)
    records: dict[str, ConversationRecord] = {}
    for chunk in _chunks([conversation.id for conversation, _ in pairs]):
        records.update(
            (record.external_id, record)
            for record in session.scalars(
                select(ConversationRecord)
                .where(
                    ConversationRecord.source == source, ConversationRecord.external_id.in_(chunk)
                )
                .options(selectinload(ConversationRecord.messages))
            )
        )
    merged: list[ConversationRecord] = []
    for conversation, scored in pairs:
        record = records[conversation.id]
        if record.scored_version is not None:  # scored, and nothing changed since
            counts.unchanged += 1
            continue
        if {m.external_id for m in record.messages} != {m.id for m in conversation.messages}:
            merged.append(record)
            continue
        store_scored(session, record, _with_assessments(scored, partition), model_version)
        counts.updated += 1
    if merged:
        _rescore(session, merged, model_version, tier)
        counts.rescored += len(merged)


def _rescore(
    session: Session, records: list[ConversationRecord], model_version: str, tier: str
) -> None:
    """Score conversations from what is stored (as ``heard score`` does), here on the driver."""
    engine = assessor(tier)
    if engine.model_version != model_version:
        raise InputError(
            f"heard here scores with {engine.model_version} and the workers with "
            f"{model_version}; install the same heard on the workers and here"
        )
    log.debug("scoring %d conversations merged with earlier imports", len(records))
    model = [
        model_conversation(
            str(record.id),
            (
                (m.external_id, m.role, m.author_key, m.text)
                for m in ordered_messages(record)
                if m.public
            ),
        )
        for record in records
    ]
    scored = score_conversations(
        model, engine, known=lambda keys: cached_keys(session, keys, model_version)
    )
    for record, result in zip(records, scored, strict=True):
        store_scored(session, record, result, model_version)


__all__ = ["WriteCounts", "write_partition"]
