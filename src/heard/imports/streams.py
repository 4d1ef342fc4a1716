"""Reading export files a record at a time, so that an archive of any size fits in memory.

- CSV: the ``csv`` module, row by row, each row with the physical line it starts on.
- JSONL: line by line; a line that is not JSON or not an object becomes a ``Reject``.
- One JSON document: ``ijson`` streams the items of the record array (a top-level array, or the
  array under ``tickets``, ``conversations`` or ``results``) one at a time. Side-loaded lists such
  as Zendesk's ``users`` and ``groups`` are read in a separate pass over the file, keeping only what
  the reader asks for, so they may come before or after the records.

Files must be UTF-8 (a byte-order mark is fine). Anything else is an ``InputError`` that says
what was seen and how to convert it.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import ijson

from heard.errors import InputError
from heard.imports.records import ImportedConversation, Reject
from heard.imports.values import MalformedError, optional_id

log = logging.getLogger(__name__)

RECORD_KEYS = ("tickets", "conversations", "results")
_SNIFF_BYTES = 1 << 16
_CSV_FIELD_LIMIT = 1 << 24  # one message body may be a long e-mail thread
_BOM = codecs.BOM_UTF8
_LINE_LIMIT = 1 << 24  # bytes of a JSONL file's first line read to sniff its format
_JSONL_SNIFF_LIMIT = 1 << 19  # bytes of a .json file's first line read to tell JSONL from JSON

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read: its position (1-based index, and line for JSONL) and its value."""

    index: int
    line: int | None
    value: object


def check_readable(path: Path) -> None:
    """An ``InputError`` unless ``path`` is a readable file that starts as UTF-8 text."""
    if not path.exists():
        raise InputError("no such file", where=str(path))
    if not path.is_file():
        raise InputError("is not a file", where=str(path))
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror or error}", where=str(path)) from None
    if not head.strip():
        raise InputError("is empty", where=str(path))
    check_utf8(head, where=str(path), final=len(head) < _SNIFF_BYTES)


def check_utf8(head: bytes, *, where: str, final: bool) -> None:
    """An ``InputError`` if ``head`` (the first bytes of a file) is not UTF-8 text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4096]:
        raise InputError(
            "is UTF-16 (or binary), not UTF-8 text; convert it with "
            "`iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`",
            where=where,
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=final)
    except UnicodeDecodeError as error:
        raise InputError(
            f"is not UTF-8 text (byte 0x{head[error.start]:02x} at offset {error.start}); "
            "if it is Latin-1 or Windows-1252, convert it with "
            "`iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`",
            where=where,
        ) from None


def first_char(path: Path) -> str:
    """The first character that is not whitespace or a byte-order mark ('' for none)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES).removeprefix(_BOM).lstrip()
    return chr(head[0]) if head else ""


# -- CSV ---------------------------------------------------------------------------------------


def csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, fields) for every non-blank row, the header included.

    Embedded newlines are fine: the line is where the row starts. A row the csv module cannot
    parse is yielded as ``(line, [])`` after logging; bytes that are not UTF-8 are an
    ``InputError`` naming the line.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    with path.open("rb") as handle:
        reader = csv.reader(_decoded_lines(path, handle), delimiter=_delimiter(path))
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                log.debug("%s:%d: csv error %s", path, start, error)
                yield start, []
                start = reader.line_num + 1
                continue
            if row and any(field.strip() for field in row):
                yield start, row
            start = reader.line_num + 1


def _decoded_lines(path: Path, handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text, decoded one at a time so that bytes which are not UTF-8 are
    reported on their own line."""
    for number, raw in enumerate(handle, start=1):
        try:
            yield (raw.removeprefix(_BOM) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at column {error.start + 1}); "
                "convert the file with `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`",
                where=f"{path}:{number}",
            ) from None


def _delimiter(path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def csv_header(path: Path) -> list[str]:
    """The first row of a CSV file, as written."""
    for _, row in csv_rows(path):
        return row
    return []


# -- JSON Lines --------------------------------------------------------------------------------


def jsonl_records(path: Path) -> Iterator[RawRecord | Reject]:
    """Each non-blank line as a ``RawRecord`` (any JSON value), or a ``Reject`` if not JSON."""
    index = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(_BOM)
            if not raw.strip():
                continue
            index += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Reject(
                    str(path),
                    f"line {number}",
                    f"is not UTF-8 text (byte 0x{raw[error.start]:02x} "
                    f"at column {error.start + 1})",
                )
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                yield Reject(str(path), f"line {number}", f"is not JSON: {error.msg}")
                continue
            yield RawRecord(index, number, value)


def _next_line(handle: BinaryIO, limit: int = _LINE_LIMIT) -> bytes | None:
    """The next non-blank line, at most ``limit`` bytes of it; None at the end."""
    while True:
        raw = handle.readline(limit)
        if not raw:
            return None
        if raw.strip():
            return raw


def first_jsonl_value(path: Path) -> object:
    """The first non-blank line's JSON value, or None if it is not JSON (or too long a line)."""
    with path.open("rb") as handle:
        raw = _next_line(handle)
    if raw is None:
        return None
    try:
        return json.loads(raw.removeprefix(_BOM))
    except ValueError:
        return None


def is_jsonl(path: Path) -> bool:
    """Whether the file is JSON Lines: by extension (.jsonl, .ndjson), or because its first line
    is a whole JSON object and more lines follow (which no JSON document can do). Reads at most
    512 KB of each of two lines, so a minified JSON document on one long line is never loaded to
    find out (a JSONL file whose first line is longer must be named .jsonl or .ndjson)."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    with path.open("rb") as handle:
        first = _next_line(handle, _JSONL_SNIFF_LIMIT)
        if first is None or not first.endswith(b"\n"):
            return False
        try:
            value = json.loads(first.removeprefix(_BOM))
        except ValueError:
            return False
        second = _next_line(handle, _JSONL_SNIFF_LIMIT)
    return isinstance(value, dict) and second is not None


# -- one JSON document -------------------------------------------------------------------------


def _open_json(path: Path) -> BinaryIO:
    handle = path.open("rb")
    if handle.read(3) != _BOM:
        handle.seek(0)
    return handle


def record_prefix(path: Path, keys: Sequence[str] = RECORD_KEYS) -> str | None:
    """The ijson prefix of the record array: ``item`` for a top-level array, ``tickets.item``
    for ``{"tickets": [...]}``, and so on; None if the document has none of ``keys``."""
    if first_char(path) == "[":
        return "item"
    wanted = set(keys)
    with _open_json(path) as handle:
        events = ijson.parse(handle)
        try:
            for prefix, event, value in events:
                if prefix == "" and event == "map_key" and value in wanted:
                    _, kind, _ = next(events)
                    if kind == "start_array":
                        return f"{value}.item"
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as error:
            raise InputError(f"is not a valid JSON document: {error}", where=str(path)) from None
    return None


def json_records(path: Path, prefix: str) -> Iterator[RawRecord]:
    """The items under ``prefix``, one at a time. A document that breaks off or is not JSON is
    an ``InputError`` that says how many records were read before."""
    index = 0
    with _open_json(path) as handle:
        try:
            for value in ijson.items(handle, prefix, use_float=True):
                index += 1
                yield RawRecord(index, None, value)
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as error:
            raise InputError(
                f"is not a valid JSON document after record {index}: {error}", where=str(path)
            ) from None


def first_json_record(path: Path, prefix: str) -> object:
    """The first item under ``prefix`` (None if there is none or it cannot be read)."""
    try:
        for record in json_records(path, prefix):
            return record.value
    except InputError:
        return None
    return None


def side_loads(
    path: Path, keys: Sequence[str], keep: Callable[[str, dict[str, Any]], tuple[str, T] | None]
) -> dict[str, dict[str, T]]:
    """For each top-level list named in ``keys`` (Zendesk's ``users``, ``groups``...), what
    ``keep(key, item)`` makes of each object item: ``(id, value)`` or None to skip it. One pass
    per key, each holding only the kept values, so a long list costs only what is kept."""
    found: dict[str, dict[str, T]] = {key: {} for key in keys}
    if first_char(path) != "{":
        return found
    for key in keys:
        with _open_json(path) as handle:
            try:
                for item in ijson.items(handle, f"{key}.item", use_float=True):
                    kept = keep(key, item) if isinstance(item, dict) else None
                    if kept is not None:
                        found[key][kept[0]] = kept[1]
            except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as error:
                raise InputError(
                    f"is not a valid JSON document: {error}", where=str(path)
                ) from None
    return found


def location(kind: str, raw: RawRecord, record_id: str | None) -> str:
    """Where a record is, for a ``Reject``: ``ticket 4711`` in a JSON document,
    ``ticket 4711 (line 12)`` in JSONL, ``line 12`` or ``ticket number 3`` without an id."""
    if record_id is None:
        return f"line {raw.line}" if raw.line else f"{kind} number {raw.index} (no id)"
    return f"{kind} {record_id} (line {raw.line})" if raw.line else f"{kind} {record_id}"


def origin(path: Path, kind: str, raw: RawRecord, record_id: str) -> str:
    """Where a conversation came from: ``tickets.jsonl:12`` or ``export.json, ticket 4711``."""
    return f"{path}:{raw.line}" if raw.line else f"{path}, {kind} {record_id}"


def records(path: Path, *, keys: Sequence[str] = RECORD_KEYS) -> Iterator[RawRecord | Reject]:
    """The export's records, whether JSONL (one per line) or one JSON document."""
    if is_jsonl(path):
        yield from jsonl_records(path)
        return
    prefix = record_prefix(path, keys)
    if prefix is None:
        raise InputError(
            f"is a JSON document without a record list (expected a top-level array or one of "
            f"{', '.join(repr(key) for key in keys)})",
            where=str(path),
        )
    yield from json_records(path, prefix)


def record_id(value: object) -> str | None:
    """A record's ``id`` if it has a readable one, for naming it in a ``Reject``."""
    if isinstance(value, dict):
        try:
            return optional_id(value.get("id"))
        except ValueError:
            return None
    return None


def conversations(
    path: Path,
    *,
    kind: str,
    keys: Sequence[str],
    build: Callable[[RawRecord], ImportedConversation],
) -> Iterator[ImportedConversation | Reject]:
    """``build`` applied to every record of a JSON/JSONL export; a record it finds malformed
    (``MalformedError``) is a ``Reject`` naming the record (``ticket 4711``) and the field."""
    built = rejected = 0
    for raw in records(path, keys=keys):
        if isinstance(raw, Reject):
            rejected += 1
            yield raw
            continue
        try:
            conversation = build(raw)
        except MalformedError as error:
            rejected += 1
            where = location(kind, raw, record_id(raw.value))
            yield Reject(str(path), where, error.problem, error.field)
            continue
        built += 1
        yield conversation
    log.info("%s: %d %ss read, %d rejected", path, built, kind, rejected)
