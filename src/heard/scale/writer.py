"""The driver's side: one scored partition → the database, in the caller's transaction.

The rows written are the local engine's (``heard import`` then ``heard score``), through the
same storage functions: the same tables, the same values, only the surrogate ids differ. Two
paths:

- conversations new to the database (the bulk of any first run) are inserted in bulk, as
  ``heard import`` inserts new conversations (``insert_conversations``), here already linked to
  their assessments; the new assessments and the summaries are stored with the bulk upserts
  ``heard score`` uses (:mod:`heard.storage.assessments`). Through the ORM's unit of work the
  same rows cost over ten times more of the driver's CPU, which on a small machine is taken from
  the workers;
- conversations already stored go through ``save_conversations`` and ``store_scored``, exactly
  as the local engine does. One already scored and unchanged since is left as it is (as
  ``heard score`` leaves it); one whose stored messages are more than the archive's rows (it was
  merged with an earlier import) is scored again here, on the driver, from what is stored, so
  that its scores cover the whole conversation.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace

from heard.analytics.scored import ScoredConversation
from heard.errors import InputError
from heard.imports.records import ImportedConversation
from heard.scale.results import LatestAgents, ScoredPartition
from heard.services.models import assessor
from heard.services.scoring import score_stored
from heard.storage.assessments import (
    assessment_scores,
    save_assessments,
    save_summaries,
    store_scored,
    summary_values,
)
from heard.storage.conversations import (
    insert_conversations,
    load_by_external_id,
    rename_agents,
    save_conversations,
    stored_ids,
    upsert_agents,
)
from heard.storage.database import Session

log = logging.getLogger(__name__)


@dataclass
class WriteCounts:
    conversations: int = 0  # conversations written (new or updated)
    messages: int = 0  # their messages in the archive
    inserted: int = 0  # new to the database
    updated: int = 0  # already stored: merged as ``heard import`` merges them
    rescored: int = 0  # merged with stored messages the archive lacks: scored on the driver
    unchanged: int = 0  # already scored and unchanged since: left as they are

    def add(self, other: WriteCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


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
        stored = stored_ids(session, source, [c.id for c, _ in group])
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
    by_source: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    for source, agent_id in {*partition.agent_names, *partition.agent_teams}:
        by_source.setdefault(source, {})[agent_id] = (
            agents.name(source, agent_id),
            agents.team(source, agent_id),
        )
    for source, values in by_source.items():
        rename_agents(session, source, values)


# -- new conversations: bulk inserts -------------------------------------------------------------


def _insert_new(
    session: Session,
    source: str,
    pairs: list[tuple[ImportedConversation, ScoredConversation]],
    partition: ScoredPartition,
    key: bytes,
    model_version: str,
) -> None:
    conversations = [conversation for conversation, _ in pairs]
    scored = [result for _, result in pairs]
    agents = upsert_agents(session, source, conversations)
    session.flush()  # the agents' ids
    ids, _ = insert_conversations(
        session, source, conversations, agents, key, scored=scored, model_version=model_version
    )
    wanted = {
        reply.cache_key: partition.assessments[reply.cache_key]
        for result in scored
        for reply in result.replies
        if reply.cache_key in partition.assessments
    }
    save_assessments(session, model_version, wanted)
    firsts = [result.replies[0].cache_key for result in scored if result.replies]
    scores = {k: wanted[k][0] for k in firsts if k in wanted}
    scores.update(assessment_scores(session, [k for k in firsts if k not in scores], model_version))
    summaries = []
    for conversation, result in pairs:
        agent = agents.get(result.primary_agent) if result.primary_agent is not None else None
        first = scores.get(result.replies[0].cache_key) if result.replies else None
        summaries.append(
            summary_values(
                ids[conversation.id],
                result,
                first,
                agent.id if agent is not None else None,
                model_version,
            )
        )
    save_summaries(session, summaries)


# -- conversations already stored: save_conversations and store_scored ---------------------------


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
    records = {
        record.external_id: record
        for record in load_by_external_id(session, source, [c.id for c, _ in pairs])
    }
    merged: list[int] = []
    ready = []
    for conversation, scored in pairs:
        record = records[conversation.id]
        if record.scored_version is not None:  # scored, and nothing changed since
            counts.unchanged += 1
            continue
        if {m.external_id for m in record.messages} != {m.id for m in conversation.messages}:
            merged.append(record.id)
            continue
        ready.append((record, _with_assessments(scored, partition)))
        counts.updated += 1
    store_scored(session, ready, model_version)
    if merged:
        _rescore(session, sorted(merged), model_version, tier)
        counts.rescored += len(merged)


def _rescore(session: Session, ids: list[int], model_version: str, tier: str) -> None:
    """Score conversations from what is stored (as ``heard score`` does), here on the driver."""
    engine = assessor(tier)
    if engine.model_version != model_version:
        raise InputError(
            f"heard here scores with {engine.model_version} and the workers with "
            f"{model_version}; install the same heard on the workers and here"
        )
    log.debug("scoring %d conversations merged with earlier imports", len(ids))
    score_stored(session, ids, engine, model_version)


__all__ = ["WriteCounts", "write_partition"]
