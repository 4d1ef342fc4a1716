"""Score every agent reply in context, and summarise each conversation.

Each public agent reply is assessed with the customer's messages since the agent's previous reply
as its context (internal notes are never scored; bot messages are neither replies nor context).
Assessments are cached by (cache key, model version), where the key is a hash of the reply, its
context and the customer's earlier messages: re-running after a new import assesses only what is
new, and a new model version re-scores deliberately (``rescore=True``).

Per conversation: the customer's emotional trajectory (start, peak, end and its shape), the first
reply's score, the number of customer and agent turns, and the agent who wrote most replies.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.analytics.trajectory import Point, Trajectory, trajectory
from heard.assessment.engine import Assessor
from heard.imports.records import ImportedConversation
from heard.model import Conversation, ReplyInContext, Role, Speaker, Turn
from heard.storage.database import Database
from heard.storage.repository import (
    cached_keys,
    conversations_to_score,
    iter_chunks,
    load_conversations,
    ordered_messages,
    save_assessment,
    scored_versions,
)
from heard.storage.tables import (
    AssessmentRecord,
    ConversationRecord,
    ConversationSummary,
)

log = logging.getLogger(__name__)

BATCH = 100  # conversations per transaction
ASSESS_CHUNK = 256  # replies per call to the engine


def cache_key(item: ReplyInContext) -> str:
    """What an assessment depends on: the reply, its context and the customer's history."""
    digest = hashlib.sha256()
    for part in (item.reply.text, item.context_text, item.history_text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass
class ScoredReply:
    message_id: str
    cache_key: str
    first_reply: bool
    assessment: dict[str, Any] | None  # None when it was already cached


@dataclass
class ScoredConversation:
    """What scoring found in one conversation (what the database stores for it)."""

    conversation_id: str
    replies: list[ScoredReply]
    trajectory: Trajectory | None
    customer_turns: int
    agent_turns: int
    primary_agent: str | None


@dataclass
class ScoringSummary:
    model_version: str
    conversations: int = 0
    replies: int = 0
    assessed: int = 0  # replies the engine assessed (the rest came from the cache)
    other_versions: dict[str, int] = field(default_factory=dict)


def model_conversation(
    conversation_id: str,
    messages: Iterable[tuple[str, str, str, str]],
) -> Conversation:
    """A model conversation from (message id, role, author, text) in order, public ones only.

    A speaker is (role, author): the same id in two roles is two speakers.
    """
    turns: list[Turn] = []
    speakers: dict[str, Speaker] = {}
    for message_id, role, author, text in messages:
        speaker = f"{role}:{author}"
        speakers.setdefault(speaker, Speaker(speaker, Role(role)))
        turns.append(Turn(message_id, speaker, text))
    return Conversation(conversation_id, tuple(turns), speakers)


def from_import(conversation: ImportedConversation) -> Conversation:
    return model_conversation(
        f"{conversation.source}:{conversation.id}",
        ((m.id, str(m.role), m.author_id, m.text) for m in conversation.messages if m.public),
    )


def score_conversations(
    conversations: Sequence[Conversation],
    assessor: Assessor,
    *,
    known: Callable[[Iterable[str]], set[str]] = lambda _keys: set(),
) -> list[ScoredConversation]:
    """Assess the replies whose keys are not ``known`` (one engine call per chunk), and read the
    customer's emotion in each of their messages. Pure: nothing is stored here."""
    plans: list[tuple[Conversation, list[tuple[ReplyInContext, str]]]] = []
    for conversation in conversations:
        replies = [
            (item, cache_key(item))
            for item in conversation.replies_in_context()
            if item.reply.text.strip()
        ]
        plans.append((conversation, replies))
    cached = known(key for _, replies in plans for _, key in replies)
    pending: dict[str, ReplyInContext] = {}
    for _, replies in plans:
        for item, key in replies:
            if key not in cached:
                pending.setdefault(key, item)
    results: dict[str, dict[str, Any]] = {}
    keys = list(pending)
    for start in range(0, len(keys), ASSESS_CHUNK):
        chunk = [pending[key] for key in keys[start : start + ASSESS_CHUNK]]
        assessments = assessor.assess_many(
            [(item.reply.text, item.context_text) for item in chunk],
            histories=[item.history_text for item in chunk],
        )
        for key, assessment in zip(keys[start : start + ASSESS_CHUNK], assessments, strict=True):
            # the texts travel with the result: evidence spans index them
            results[key] = {
                **assessment.to_dict(),
                "reply": assessment.reply,
                "context": assessment.context,
            }
    customer_turns = [
        [
            t
            for t in conversation.turns
            if conversation.role_of(t) is Role.CUSTOMER and t.text.strip()
        ]
        for conversation, _ in plans
    ]
    readings = assessor.detect_emotions([t.text for turns in customer_turns for t in turns])
    scored: list[ScoredConversation] = []
    offset = 0
    for (conversation, replies), turns in zip(plans, customer_turns, strict=True):
        points = [Point(r.label, r.intensity) for r in readings[offset : offset + len(turns)]]
        offset += len(turns)
        authors = Counter(conversation.speakers[item.reply.speaker_id].id for item, _ in replies)
        scored.append(
            ScoredConversation(
                conversation_id=conversation.id,
                replies=[
                    ScoredReply(item.reply.id, key, index == 0, results.pop(key, None))
                    for index, (item, key) in enumerate(replies)
                ],
                trajectory=trajectory(points),
                customer_turns=len(turns),
                agent_turns=len(replies),
                primary_agent=authors.most_common(1)[0][0].split(":", 1)[1] if authors else None,
            )
        )
    return scored


def _record_conversation(record: ConversationRecord) -> Conversation:
    return model_conversation(
        str(record.id),
        (
            (m.external_id, m.role, m.author_key, m.text)
            for m in ordered_messages(record)
            if m.public
        ),
    )


def store_scored(
    session: Session,
    record: ConversationRecord,
    scored: ScoredConversation,
    model_version: str,
) -> None:
    """Write one conversation's assessments (new ones), reply links and summary."""
    messages = {m.external_id: m for m in record.messages}
    keys = [reply.cache_key for reply in scored.replies]
    already = cached_keys(session, keys, model_version)
    for reply in scored.replies:
        if reply.assessment is not None and reply.cache_key not in already:
            save_assessment(session, reply.cache_key, model_version, reply.assessment)
            already.add(reply.cache_key)
        message = messages[reply.message_id]
        message.assessment_key = reply.cache_key
        message.first_reply = reply.first_reply
    session.flush()
    first_score = None
    if scored.replies:
        first_score = session.scalar(
            select(AssessmentRecord.score).where(
                AssessmentRecord.cache_key == scored.replies[0].cache_key,
                AssessmentRecord.model_version == model_version,
            )
        )
    summary = session.scalar(
        select(ConversationSummary).where(
            ConversationSummary.conversation_id == record.id,
            ConversationSummary.model_version == model_version,
        )
    )
    if summary is None:
        summary = ConversationSummary(conversation_id=record.id, model_version=model_version)
        session.add(summary)
    path = scored.trajectory
    summary.customer_turns = scored.customer_turns
    summary.agent_turns = scored.agent_turns
    summary.start_emotion = path.start.label if path else None
    summary.start_intensity = path.start.intensity if path else None
    summary.peak_emotion = path.peak.label if path else None
    summary.peak_intensity = path.peak.intensity if path else None
    summary.end_emotion = path.end.label if path else None
    summary.end_intensity = path.end.intensity if path else None
    summary.trajectory = path.shape if path else None
    summary.first_reply_score = first_score
    agent = next(
        (
            m.agent_id
            for m in record.messages
            if m.role == Role.AGENT and m.author_key == scored.primary_agent
        ),
        None,
    )
    summary.primary_agent_id = agent
    record.scored_version = model_version


def score_pending(
    database: Database,
    assessor: Assessor,
    *,
    rescore: bool = False,
    batch_size: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> ScoringSummary:
    """Score every conversation not yet scored (or changed since); ``progress(done, total)``.

    With ``rescore``, conversations scored by another model version are scored again.
    """
    version = assessor.model_version
    summary = ScoringSummary(version)
    with database.session() as session:
        ids = conversations_to_score(session, version, rescore=rescore)
        summary.other_versions = {
            v: n for v, n in scored_versions(session).items() if v != version and not rescore
        }
    if progress:
        progress(0, len(ids))
    for chunk in iter_chunks(ids, batch_size):
        with database.session() as session, session.begin():
            records = load_conversations(session, chunk)
            model = [_record_conversation(record) for record in records]
            scored = score_conversations(
                model, assessor, known=lambda keys: cached_keys(session, keys, version)
            )
            for record, result in zip(records, scored, strict=True):
                store_scored(session, record, result, version)
                summary.replies += len(result.replies)
                summary.assessed += sum(1 for r in result.replies if r.assessment is not None)
        summary.conversations += len(chunk)
        if progress:
            progress(summary.conversations, len(ids))
    return summary
