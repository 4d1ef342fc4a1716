"""Import runs, the records they rejected, and the import jobs of uploads.

A run counts what it has committed (``records_committed``), so an interrupted import is resumed
from there; a reject is stored as (file, location, problem, field), already redacted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.storage.tables import ImportJob, ImportRun, RejectRow

RejectValues = tuple[str, str, str, str | None]  # file, location, problem, field


def interrupted_run(session: Session, fingerprint: str, options: str) -> ImportRun | None:
    """The latest run of these bytes with these options that did not finish."""
    return session.scalars(
        select(ImportRun)
        .where(
            ImportRun.fingerprint == fingerprint,
            ImportRun.options == options,
            ImportRun.status == "running",
        )
        .order_by(ImportRun.id.desc())
    ).first()


def start_run(
    session: Session, *, path: str, format: str, fingerprint: str, options: str, at: datetime
) -> ImportRun:
    run = ImportRun(
        path=path,
        format=format,
        fingerprint=fingerprint,
        options=options,
        status="running",
        started_at=at,
        records_committed=0,
        conversations=0,
        messages=0,
        rejected=0,
    )
    session.add(run)
    session.flush()
    return run


def commit_batch(
    session: Session,
    run_id: int,
    *,
    records: int,
    conversations: int,
    messages: int,
    rejects: Iterable[RejectValues],
) -> None:
    """Store a batch's rejects and add the batch to the run's counts."""
    rejected = 0
    for file, location, problem, field in rejects:
        session.add(
            RejectRow(import_id=run_id, file=file, location=location, field=field, problem=problem)
        )
        rejected += 1
    run = session.get_one(ImportRun, run_id)
    run.records_committed += records
    run.conversations += conversations
    run.messages += messages
    run.rejected += rejected


def finish_run(session: Session, run_id: int, at: datetime) -> None:
    run = session.get_one(ImportRun, run_id)
    run.status = "done"
    run.finished_at = at


def run_rejects(session: Session, run_id: int) -> list[RejectValues]:
    """Every record the run skipped, in the order met."""
    rows = session.scalars(
        select(RejectRow).where(RejectRow.import_id == run_id).order_by(RejectRow.id)
    )
    return [(row.file, row.location, row.problem, row.field) for row in rows]


def add_job(session: Session, *, user_id: int, filename: str, created_at: datetime) -> ImportJob:
    job = ImportJob(
        user_id=user_id,
        filename=filename,
        status="queued",
        records=0,
        scored=0,
        created_at=created_at,
    )
    session.add(job)
    session.flush()
    return job


def update_job(session: Session, job_id: int, **values: Any) -> None:
    job = session.get_one(ImportJob, job_id)
    for key, value in values.items():
        setattr(job, key, value)


def job(session: Session, job_id: int, *, user_id: int | None = None) -> ImportJob | None:
    """The import job, when it is ``user_id``'s (any user's when None)."""
    query = select(ImportJob).where(ImportJob.id == job_id)
    if user_id is not None:
        query = query.where(ImportJob.user_id == user_id)
    return session.scalar(query)


__all__ = [
    "RejectValues",
    "add_job",
    "commit_batch",
    "finish_run",
    "interrupted_run",
    "job",
    "run_rejects",
    "start_run",
    "update_job",
]
