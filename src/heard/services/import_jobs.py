"""Imports uploaded through the API: saved, then imported and scored in a background thread,
with the progress kept in the database (``import_jobs``) so any server process can report it."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from heard.assessment.engine import Assessor
from heard.errors import HeardError, InputError, NotFoundError
from heard.imports.checks import storable_text
from heard.imports.records import Reject
from heard.privacy import redact
from heard.services import access
from heard.services.accounts import Account, audit, now
from heard.services.imports import import_export, run_rejects
from heard.services.scoring import score_pending
from heard.storage import import_runs
from heard.storage.database import Database

log = logging.getLogger(__name__)
FORMATS = ("generic", "zendesk", "freshdesk", "intercom", "twcs")


@dataclass(frozen=True)
class JobView:
    id: int
    filename: str
    status: str
    records: int
    scored: int
    rejected: int
    error: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def _view(job: Any, rejected: int) -> JobView:
    """A stored import job (``heard.storage.import_runs``) as the caller sees it."""
    return JobView(job.id, job.filename, job.status, job.records, job.scored, rejected, job.error)


def upload_formats(account: Account) -> tuple[str, ...]:
    """The formats an upload may name (admins: only they import)."""
    access.require_admin(account)
    return FORMATS


def start_import(
    database: Database,
    account: Account,
    engine: Assessor,
    upload: BinaryIO,
    filename: str,
    *,
    format: str | None = None,
) -> JobView:
    """Save the upload and import and score it in the background (admins); returns the queued
    job. ``filename`` is what the job and the audit show (redacted by the caller); the file is
    saved under a name of its own."""
    access.require_admin(account)
    if format is not None and format not in FORMATS:
        raise InputError(
            f"unknown format {format!r}; choose from {', '.join(FORMATS)}", field="format"
        )
    name = display_name(filename)
    folder = Path(tempfile.mkdtemp(prefix="heard-upload-"))
    # never a path from the client: a name of our own, with the upload's extension (formats
    # are told apart by content, and JSON Lines also by extension)
    path = folder / f"upload{_extension(name)}"
    try:
        with path.open("wb") as handle:
            shutil.copyfileobj(upload, handle)
        with database.session() as session, session.begin():
            job = import_runs.add_job(session, user_id=account.id, filename=name, created_at=now())
            view = _view(job, 0)
        worker = threading.Thread(
            target=_run,
            args=(database, engine, view.id, path, format, name),
            daemon=True,
            name=f"import-{view.id}",
        )
        worker.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # the worker owns the folder once it runs
        raise
    audit(database, account, "import", f"job:{view.id}", {"file": name})
    return view


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def display_name(filename: str | None) -> str:
    """The upload's name as shown back to people: the last part of what the client sent,
    without control characters or separators, at most 200 characters; ``export`` when nothing
    usable is left (``..``, ``/``, an empty name)."""
    last = re.split(r"[/\\]", filename or "")[-1]
    name = _UNSAFE_NAME.sub("", storable_text(last)).strip()[:200]
    return name if name.strip(".") else "export"


def _extension(name: str) -> str:
    match = _EXTENSION.search(name)
    return match.group(0).lower() if match else ""


def _update(database: Database, job_id: int, **values: Any) -> None:
    with database.session() as session, session.begin():
        import_runs.update_job(session, job_id, **values)


def _run(
    database: Database, engine: Assessor, job_id: int, path: Path, fmt: str | None, name: str
) -> None:
    try:
        _update(database, job_id, status="importing")
        done = 0

        def imported(count: int) -> None:
            nonlocal done
            done += count
            _update(database, job_id, records=done)

        summary = import_export(database, path, format=fmt, progress=imported, name=name)
        _update(database, job_id, status="scoring", run_id=summary.run_id, records=summary.records)
        scored = score_pending(
            database, engine, progress=lambda n, _total: _update(database, job_id, scored=n)
        )
        _update(database, job_id, status="done", scored=scored.conversations, finished_at=now())
    except HeardError as error:
        # what people see: the upload's name, never the server's path, and no personal data
        message = str(error).replace(str(path), name)
        _update(database, job_id, status="failed", error=redact(message).text, finished_at=now())
    except Exception:  # a background job must record its failure, not vanish
        log.exception("import job %s failed", job_id)
        _update(database, job_id, status="failed", error="internal error", finished_at=now())
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def job_status(database: Database, account: Account, job_id: int) -> tuple[JobView, list[Reject]]:
    """A job and its rejects (admins: only they import)."""
    access.require_admin(account)
    with database.session() as session:
        job = import_runs.job(session, job_id, user_id=None)
        if job is None:
            raise NotFoundError(f"no import job {job_id}")
        run_id = job.run_id
        rejects = run_rejects(database, run_id) if run_id is not None else []
        return _view(job, len(rejects)), rejects
