"""What runs on a Dask worker: a partition of rows → redacted, scored conversations.

Nothing here touches the database: workers need the archive and heard (with its models), never
the database. The tier's models and the redactor are loaded once per worker process and kept
(``heard.services.models`` caches the assessor per process).
"""

from __future__ import annotations

import json
import logging
import threading
import time

import pandas as pd

from heard.privacy import Redactor
from heard.scale.results import KnownKeys, ScoredPartition
from heard.scale.rows import conversations_from_rows
from heard.services.imports import redact_conversation
from heard.services.models import assessor
from heard.services.scoring import from_import, score_conversations

log = logging.getLogger(__name__)

_lock = threading.Lock()
_redactor: list[Redactor] = []


def redactor() -> Redactor:
    """This process's redactor (made on first use)."""
    with _lock:
        if not _redactor:
            _redactor.append(Redactor())
        return _redactor[0]


def warm_up(tier: str) -> str:
    """Load the tier and the redactor in this worker; the model version it will score with."""
    redactor()
    return assessor(tier).model_version


def score_partition(
    frame: pd.DataFrame, number: int, *, tier: str, source: str, known: KnownKeys
) -> ScoredPartition:
    """Rows → conversations (and rejects) → redacted → scored. Replies whose cache key is
    ``known`` (already stored for this model version) are not assessed again."""
    started = time.perf_counter()
    engine = assessor(tier)
    conversations, orders, rejects = conversations_from_rows(frame, source)
    clean = redactor()
    conversations = [redact_conversation(conversation, clean) for conversation in conversations]
    scored = score_conversations(
        [from_import(conversation) for conversation in conversations], engine, known=known
    )
    assessments: dict[str, tuple[int, str]] = {}
    for result in scored:
        for reply in result.replies:
            if reply.assessment is not None:
                # serialised here, as the database's JSON column would: the driver passes it on
                assessments[reply.cache_key] = (
                    int(reply.assessment["score"]),
                    json.dumps(reply.assessment),
                )
                reply.assessment = None
    partition = ScoredPartition(
        number=number,
        model_version=engine.model_version,
        conversations=conversations,
        scored=scored,
        assessments=assessments,
        rejects=rejects,
        rows=len(frame),
        messages=sum(len(conversation.messages) for conversation in conversations),
    )
    for conversation, order in zip(conversations, orders, strict=True):
        partition.note_agents(conversation, order)
    partition.seconds = time.perf_counter() - started
    log.debug(
        "partition %d: %d rows, %d conversations, %d assessed in %.2f s",
        number,
        partition.rows,
        len(conversations),
        len(assessments),
        partition.seconds,
    )
    return partition
