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

from heard.analytics.scored import ScoredConversation, ScoredReply
from heard.analytics.trajectory import Point, trajectory
from heard.assessment.engine import Assessor
from heard.imports.records import ImportedConversation
from heard.model import Conversation, ReplyInContext, Role, Speaker, Turn
from heard.storage.assessments import cached_keys, scored_versions, store_scored
from heard.storage.conversations import (
    conversations_to_score,
    iter_chunks,
    load_conversations,
    public_messages,
)
from heard.storage.database import Database, Session

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


def score_stored(
    session: Session, ids: Sequence[int], assessor: Assessor, version: str
) -> list[ScoredConversation]:
    """Score these stored conversations and store what scoring found, in ``session``; the
    replies already assessed by this model are not assessed again."""
    records = load_conversations(session, ids)
    model = [model_conversation(str(r.id), public_messages(r)) for r in records]
    scored = score_conversations(
        model, assessor, known=lambda keys: cached_keys(session, keys, version)
    )
    store_scored(session, list(zip(records, scored, strict=True)), version)
    return scored


def pending(database: Database, model_version: str, *, rescore: bool = False) -> int:
    """How many conversations :func:`score_pending` would score."""
    with database.session() as session:
        return len(conversations_to_score(session, model_version, rescore=rescore))


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
            for result in score_stored(session, chunk, assessor, version):
                summary.replies += len(result.replies)
                summary.assessed += sum(1 for r in result.replies if r.assessment is not None)
        summary.conversations += len(chunk)
        if progress:
            progress(summary.conversations, len(ids))
    return summary
