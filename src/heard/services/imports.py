"""Import a help-desk export: read → redact → store, in transactions of a batch of records.

Idempotent: importing the same export again updates what changed and never duplicates (every
write is an upsert by natural key). Resumable: each batch commits together with the run's
``records_committed`` count, so a run killed at any moment is continued by running the same
command again, from the first record not yet committed, and ends with the same data as one clean
run. Rejected records are stored with the batch they were met in, so they are reported once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from heard.imports import detect_format, read_export
from heard.imports.records import ImportedConversation, ImportedMessage, Reject
from heard.model import Role
from heard.privacy import Redactor
from heard.services.batch import chunked
from heard.storage import import_runs
from heard.storage.conversations import SaveCounts, pseudonym_key, save_conversations
from heard.storage.database import Database

log = logging.getLogger(__name__)

BATCH = 200  # records (conversations or rejects) per transaction


@dataclass
class ImportSummary:
    run_id: int
    path: Path
    format: str
    records: int = 0
    resumed_from: int = 0
    counts: SaveCounts = field(default_factory=SaveCounts)
    rejects: list[Reject] = field(default_factory=list)
    redacted: dict[str, int] = field(default_factory=dict)


def fingerprint(path: Path) -> str:
    """The SHA-256 of the file's bytes: the same export is recognised whatever its name."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def redact_conversation(
    conversation: ImportedConversation, redactor: Redactor
) -> ImportedConversation:
    """The conversation with personal data replaced in every message and the CSAT remark."""
    messages: list[ImportedMessage] = []
    for message in conversation.messages:
        result = redactor(message.text)
        messages.append(
            replace(
                message,
                text=result.text,
                # customers' names are personal data, agents' names are what scorecards show
                author_name=None if message.role is Role.CUSTOMER else message.author_name,
                redacted=tuple(sorted((k, n) for k, n in result.counts.items() if n)),
            )
        )
    outcomes = conversation.outcomes
    if outcomes.csat_comment:
        outcomes = replace(outcomes, csat_comment=redactor(outcomes.csat_comment).text)
    return replace(conversation, messages=tuple(messages), outcomes=outcomes)


def redact_reject(reject: Reject, redactor: Redactor, name: str | None = None) -> Reject:
    """The reject as it may be stored, printed and returned: personal data in the rejected value
    (quoted in its problem) or in its location redacted, sizes bounded, and the file called
    ``name`` when given."""
    return Reject(
        name if name is not None else reject.file,
        redactor(reject.location).text[:200],
        redactor(reject.problem).text[:1000],
        redactor(reject.field).text[:200] if reject.field else None,
    )


def _options(fmt: str, mapping: Mapping[str, str] | None) -> str:
    return json.dumps({"format": fmt, "mapping": dict(sorted((mapping or {}).items()))})


def _start_run(
    database: Database, path: Path, fmt: str, print_: str, options: str
) -> tuple[int, int]:
    """The run to continue (an interrupted import of the same bytes) or a new one."""
    with database.session() as session, session.begin():
        interrupted = import_runs.interrupted_run(session, print_, options)
        if interrupted is not None:
            log.info(
                "resuming import %d after record %d", interrupted.id, interrupted.records_committed
            )
            return interrupted.id, interrupted.records_committed
        run = import_runs.start_run(
            session,
            path=str(path),
            format=fmt,
            fingerprint=print_,
            options=options,
            at=datetime.now(UTC).replace(tzinfo=None),
        )
        return run.id, 0


def import_export(
    database: Database,
    path: Path,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    redactor: Redactor | None = None,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
    name: str | None = None,
) -> ImportSummary:
    """Import one export file into the database (see the module docstring). ``name`` is what
    rejects call the file (an upload's own name rather than where the server saved it)."""
    fmt = format or detect_format(path, mapping=mapping)
    redactor = redactor or Redactor()
    shown = Path(name) if name is not None else path  # an upload's name, not the server's path
    run_id, done = _start_run(database, shown, fmt, fingerprint(path), _options(fmt, mapping))
    summary = ImportSummary(run_id, path, fmt, resumed_from=done)
    records = read_export(path, format=fmt, mapping=mapping)
    for index, _ in zip(range(done), records, strict=False):  # already committed
        summary.records = index + 1
    if progress and done:
        progress(done)
    for batch in chunked(records, batch_size):
        _commit_batch(database, run_id, batch, redactor, summary, name)
        if progress:
            progress(len(batch))
    with database.session() as session, session.begin():
        import_runs.finish_run(session, run_id, datetime.now(UTC).replace(tzinfo=None))
    return summary


def _commit_batch(
    database: Database,
    run_id: int,
    batch: Sequence[ImportedConversation | Reject],
    redactor: Redactor,
    summary: ImportSummary,
    name: str | None = None,
) -> None:
    conversations = [
        redact_conversation(record, redactor)
        for record in batch
        if isinstance(record, ImportedConversation)
    ]
    rejects = [
        redact_reject(record, redactor, name) for record in batch if isinstance(record, Reject)
    ]
    with database.session() as session, session.begin():
        counts = save_conversations(session, conversations, pseudonym_key(session))
        import_runs.commit_batch(
            session,
            run_id,
            records=len(batch),
            conversations=counts.conversations_new + counts.conversations_changed,
            messages=counts.messages_new + counts.messages_changed,
            rejects=[(r.file, r.location, r.problem, r.field) for r in rejects],
        )
    summary.records += len(batch)
    summary.counts.add(counts)
    summary.rejects.extend(rejects)
    for conversation in conversations:
        for message in conversation.messages:
            for kind, count in message.redacted:
                summary.redacted[kind] = summary.redacted.get(kind, 0) + count


def run_rejects(database: Database, run_id: int) -> list[Reject]:
    """Every record the run skipped, including those met before it was interrupted."""
    with database.session() as session:
        return [Reject(*values) for values in import_runs.run_rejects(session, run_id)]
