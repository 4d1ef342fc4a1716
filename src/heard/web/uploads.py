"""Uploads (``POST /api/v1/imports`` and the page form), and what an import job may show.

- **The client's file name is never a path.** A name that is empty, a folder (``.``, ``..``),
  has path parts (``a/b.csv``, ``C:\\x.csv``), a control character (NUL) or more than 255
  characters is refused with a 400. Any other name, redacted, is what the job and the audit log
  show; the import service saves the file under a name of its own.
- **A job shows no server path and no text from the file.** A failed job's error is rebuilt
  from the known messages of the readers, keeping only heard's own words, numbers and column
  names (a JSON parser's excerpt of the document, or a CSV "header" that is really a row of
  messages, is left out); an unknown error becomes a message that says where to see it in full
  (``heard import`` on the file). Rejects name the uploaded file, and a rejected value quoted in
  the problem becomes "the value".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from fastapi import Request, UploadFile
from starlette.concurrency import run_in_threadpool

from heard.imports.records import Reject
from heard.services.accounts import Account
from heard.services.import_jobs import JobView
from heard.web.errors import BadRequestError

MAX_NAME = 255
UNKNOWN_ERROR = (
    "could not be imported (the error is not shown here, as it may quote the file; "
    "`heard import` on the same file shows it in full)"
)


def upload_name(filename: str | None) -> str:
    """The name an upload called ``filename`` is shown by, personal data redacted;
    ``BadRequestError`` (400) for a name that is empty, a folder, a path, has a control character
    or is too long."""
    from heard.privacy import redact

    name = unicodedata.normalize("NFC", filename or "")
    problem = _name_problem(name)
    if problem:
        raise BadRequestError(
            f"the upload's file name {problem}: send the export as a plain file name such as "
            "export.jsonl",
            field="file",
        )
    return redact(name).text[:200]


def _name_problem(name: str) -> str | None:
    """What makes ``name`` unusable as an upload's name, or None."""
    if not name.strip():
        return "is empty"
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        return "has a control character"
    if "/" in name or "\\" in name:
        return "has folder parts"
    if not name.strip(". "):
        return "is a folder, not a file"
    return None


async def start_upload(
    request: Request, account: Account, upload: UploadFile, format: str | None
) -> JobView:
    """Check the upload's name, then hand the file to the import service, which saves it under
    a name of its own; the job and the audit show the name as uploaded (redacted)."""
    from heard.services.import_jobs import start_import

    database = request.app.state.database
    name = upload_name(upload.filename)
    view = await run_in_threadpool(
        start_import,
        database,
        account,
        request.app.state.engine,
        upload.file,
        name,  # the service saves it under a name of its own, never this one
        format=format or None,
    )
    return public_job(view)


# --- what a job may show -------------------------------------------------------------------------

# The readers' messages for a file that cannot be imported at all (heard.imports), each with the
# public wording built from the parts of the match that are heard's own: numbers, a byte, the
# expected column names. Anything after these words (a parser's excerpt, a header row) is dropped.
_COLUMNS = r"([a-z_]+(?:, [a-z_]+)*)"
_KNOWN_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), wording)
    for pattern, wording in (
        (r"is empty\Z", "is empty"),
        (r"no such file\Z|is not a file\Z|cannot be read", "could not be read on the server"),
        (
            r"is UTF-16 \(or binary\)",
            "is UTF-16 (or binary), not UTF-8 text: convert it to UTF-8 and upload it again",
        ),
        (
            r"is not UTF-8 text \(byte (0x[0-9a-f]{2}) at (offset|column) (\d+)\)",
            "is not UTF-8 text (byte {0} at {1} {2}): if it is Latin-1 or Windows-1252, "
            "convert it to UTF-8 and upload it again",
        ),
        (
            r"is not a valid JSON document after record (\d+)",
            "is not a valid JSON document after record {0}",
        ),
        (r"is not a valid JSON document", "is not a valid JSON document"),
        (
            r"is a JSON document without a record list",
            "is a JSON document without a record list (expected a top-level array, or "
            "'tickets', 'conversations' or 'results' holding one)",
        ),
        (
            r"is not an export heard knows",
            "is not an export heard knows (generic, zendesk, freshdesk, intercom, twcs): its "
            "first record looks like none of them",
        ),
        (
            rf"is a CSV file whose header .*\(it lacks {_COLUMNS}\)",
            "is a CSV file whose header is neither a twcs export nor a generic one (it lacks {0})",
        ),
        (rf"lacks the twcs column\(s\) {_COLUMNS} \(has ", "lacks the twcs column(s) {0}"),
        (rf"lacks the column\(s\) {_COLUMNS} \(has ", "lacks the column(s) {0}"),
        (r"has no header row", "has no header row"),
        (
            r"has a (\.[a-z]{1,10}) name but does not start with \{ or \[",
            "has a {0} name but does not start with {{ or [",
        ),
    )
)
_LINE = re.compile(r":(\d+)\Z")


def public_error(error: str | None, filename: str) -> str | None:
    """A job's error as the API and pages show it: no server path, no text from the file."""
    if error is None:
        return None
    if error == "internal error":
        return "internal error (the server log has details)"
    where, message = _split_where(error, filename)
    for pattern, wording in _KNOWN_ERRORS:
        found = pattern.match(message)
        if found:
            return f"{where}: {wording.format(*found.groups())}"
    return f"{filename}: {UNKNOWN_ERROR}"


def _split_where(error: str, filename: str) -> tuple[str, str]:
    """``(where, message)`` of an ``InputError``'s text (``PATH[:LINE][, field 'F']: MESSAGE``),
    with ``where`` rebuilt as ``FILENAME[, line N]`` (the path and a field name left out)."""
    found = re.match(rf"(?s).*?{re.escape(filename)}(?::(\d+))?(?:, field '[^']*')?: (.*)", error)
    if found is None:
        return filename, error
    line, message = found.groups()
    return (f"{filename}, line {line}" if line else filename), message


# A rejected value quoted at the start of a problem ("'Hello, my card ...' is not a timestamp"):
# a string or a container may hold customer text, so it is shown as "the value".
_QUOTED_VALUE = re.compile(r"""(?s)\s*['"\[{(].* (is (?:not|negative|out of range)\b.*)""")


def public_reject(reject: Reject, filename: str) -> Reject:
    """A reject as the API and pages show it: the uploaded file by its name, the place
    without a server path, a quoted value replaced by "the value"."""
    location = reject.location
    if "/" in location or "\\" in location or filename in location:
        _, _, after = location.rpartition(filename)
        line = _LINE.match(after)
        location = f"line {line.group(1)}" if line else after.lstrip(":, ") or "the file"
    problem = reject.problem
    quoted = _QUOTED_VALUE.fullmatch(problem)
    if quoted:
        problem = f"the value {quoted.group(1)}"
    return replace(reject, file=filename, location=location, problem=problem)


def public_job(view: JobView) -> JobView:
    """The job with its error as :func:`public_error` shows it."""
    return replace(view, error=public_error(view.error, view.filename))


def job_document(view: JobView, rejects: list[Reject]) -> dict[str, Any]:
    """``GET /api/v1/imports/{id}``: the job and its first 200 rejects, made public."""
    shown = public_job(view)
    return {
        **shown.to_dict(),
        "rejects": [
            {"file": r.file, "location": r.location, "field": r.field, "problem": r.problem}
            for r in (public_reject(r, view.filename) for r in rejects[:200])
        ],
    }
