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
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TypeVar

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
    sample = head[:4096]
    utf16 = sample.count(b"\x00") * 4 > len(sample)  # UTF-16 text is half NULs; a stray NUL is not
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16:
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


@dataclass(frozen=True, slots=True)
class BadRow:
    """A CSV row that cannot be used, where it starts and what is wrong with it."""

    line: int
    problem: str


def csv_rows(path: Path) -> Iterator[tuple[int, list[str]] | BadRow]:
    """(line the row starts on, fields) for every non-blank row, the header included.

    Embedded newlines are fine: the line is where the row starts. A row the csv module cannot
    parse, or with bytes that are not UTF-8, is a ``BadRow`` saying what is wrong; the rows
    after it are read as usual.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    with path.open("rb") as handle:
        lines = _DecodedLines(handle, cr_only=_cr_only(path))
        reader = csv.reader(lines, delimiter=_delimiter(path))
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                log.debug("%s:%d: csv error %s", path, start, error)
                yield BadRow(start, _csv_problem(str(error)))
                start = reader.line_num + 1
                continue
            bad = lines.bad_between(start, reader.line_num)
            if bad is not None:
                yield BadRow(start, bad)
            elif row and any(field.strip() for field in row):
                yield start, row
            start = reader.line_num + 1


def _csv_problem(error: str) -> str:
    if "field larger than field limit" in error:
        return f"has a field longer than {_CSV_FIELD_LIMIT >> 20} MB, the most one field may hold"
    return f"is not a well-formed CSV row ({error})"


def _cr_only(path: Path) -> bool:
    """Whether the file ends its lines with a bare CR (old Mac style) rather than LF or CRLF."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    return b"\r" in head and b"\n" not in head


class _DecodedLines:
    """The file's lines as text, decoded one at a time. A line whose bytes are not UTF-8 is
    decoded with replacement characters and remembered, so that the row containing it is
    rejected on its own; a bare CR inside a line is a space (a CR-only file is split on CR)."""

    def __init__(self, handle: BinaryIO, *, cr_only: bool) -> None:
        self._raw = _cr_lines(handle) if cr_only else iter(handle)
        self._number = 0
        self._bad: dict[int, str] = {}

    def __iter__(self) -> _DecodedLines:
        return self

    def __next__(self) -> str:
        raw = next(self._raw)
        self._number += 1
        if self._number == 1:
            raw = raw.removeprefix(_BOM)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self._bad[self._number] = (
                f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at column {error.start + 1}); "
                "if the file is Latin-1 or Windows-1252, convert it with "
                "`iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`"
            )
            text = raw.decode("utf-8", errors="replace")
        return _BARE_CR.sub(" ", text)

    def bad_between(self, first: int, last: int) -> str | None:
        """The problem of the first undecodable line from ``first`` to ``last``, if any."""
        for number in [n for n in self._bad if first <= n <= last]:
            return self._bad.pop(number)
        return None


_BARE_CR = re.compile(r"\r(?!\n)")


def _cr_lines(handle: BinaryIO) -> Iterator[bytes]:
    """A CR-only file's lines, each with its CR, read in blocks."""
    pending = b""
    for block in iter(lambda: handle.read(1 << 16), b""):
        pending += block
        *lines, pending = pending.split(b"\r")
        for line in lines:
            yield line + b"\r"
    if pending:
        yield pending


def _delimiter(path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def csv_header(path: Path) -> list[str]:
    """The first row of a CSV file, as written ([] if it cannot be read)."""
    for row in csv_rows(path):
        return [] if isinstance(row, BadRow) else row[1]
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
            except RecursionError:
                yield Reject(str(path), f"line {number}", "is JSON nested too deeply to read")
                continue
            if _too_deep(value):
                yield Reject(
                    str(path), f"line {number}", f"is JSON nested more than {MAX_DEPTH} deep"
                )
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


def leading_jsonl_values(path: Path, limit: int) -> Iterator[object]:
    """The JSON values of the first ``limit`` non-blank lines (None for a line that is not JSON,
    is nested too deeply or is longer than ``_LINE_LIMIT``)."""
    with path.open("rb") as handle:
        for number in range(limit):
            raw = _next_line(handle)
            if raw is None:
                return
            try:
                value = json.loads(raw.removeprefix(_BOM) if number == 0 else raw)
            except (ValueError, RecursionError):
                value = None
            yield None if _too_deep(value) else value


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


def _open_json(path: Path) -> _SurrogateSafe:
    handle = path.open("rb")
    if handle.read(3) != _BOM:
        handle.seek(0)
    return _SurrogateSafe(_Utf8Repaired(handle, str(path)))


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class _Utf8Repaired:
    """A binary file whose bytes that are not UTF-8 (a Latin-1 ``é`` deep in a JSON document)
    read as U+FFFD, so that the parser carries on to the records after them instead of giving up
    on the rest of the document; how many were replaced is logged."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self._handle = handle
        self._name = name
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._replaced = 0

    def read(self, size: int = -1, /) -> bytes:
        chunk = self._handle.read(size)
        text = self._decoder.decode(chunk, final=not chunk)
        if "\ufffd" in text:
            self._replaced += text.count("\ufffd") - chunk.count(b"\xef\xbf\xbd")
        return text.encode("utf-8")

    def close(self) -> None:
        if self._replaced > 0 and self._name not in _WARNED:
            _WARNED.add(self._name)  # once per file, not once per pass over it
            log.warning("%s: %d bytes not UTF-8, read as U+FFFD", self._name, self._replaced)
        self._handle.close()


_WARNED: set[str] = set()


# A \u escape of half a UTF-16 surrogate pair with no other half: JSON allows it, UTF-8 cannot
# hold it, and ijson's C parser turns it into bytes that are not UTF-8.
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_ESCAPE = 6  # bytes in one \uXXXX escape


class _SurrogateSafe:
    """A binary file whose JSON lone-surrogate escapes read as ``\ufffd`` (the replacement
    character), so one odd character cannot refuse a whole document. The end of each read is
    held back from the first escape in its last two escapes' worth of bytes (and from the escape
    just before that one), so a pair is never split between reads."""

    def __init__(self, handle: _Readable) -> None:
        self._handle = handle
        self._pending = b""

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks for nothing to learn whether the file gives bytes
        while True:
            chunk = self._handle.read(size if size and size > 0 else -1)
            data, self._pending = self._pending + chunk, b""
            if not chunk:  # the end of the file: nothing is left to pair with
                return self._safe(data)
            cut = len(data) - 2 * _ESCAPE
            start = data.find(b"\\u", max(0, cut - _ESCAPE))
            if start != -1:
                cut = start
                while cut >= _ESCAPE and data[cut - _ESCAPE : cut - _ESCAPE + 2] == b"\\u":
                    cut -= _ESCAPE
            if cut > 0:
                data, self._pending = data[:cut], data[cut:]
                return self._safe(data)
            self._pending = data  # all escapes so far: read on before deciding

    @staticmethod
    def _safe(data: bytes) -> bytes:
        return _LONE_SURROGATE.sub(rb"\\ufffd", data) if b"\\u" in data else data

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> _SurrogateSafe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_JSON_ERRORS = (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError)
MAX_DEPTH = 100  # nesting of one record; help-desk records nest under ten deep


class _TooDeep:
    """An item of the record array nested deeper than ``MAX_DEPTH`` (skipped, not built)."""


def _too_deep(value: object) -> bool:
    """Whether a parsed JSON value nests more than ``MAX_DEPTH`` containers deep."""
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


_PURE_PYTHON = ijson.get_backend("python")


def _document_items(path: Path, key: str | None) -> Iterator[object]:
    """``_array_items`` of the document at ``path``. ijson's fast C parser refuses numbers that
    overflow 64 bits (``10**30``, ``1e400``) and with them the rest of the document; then the
    document is read again from the start with ijson's pure-Python parser, which reads them,
    and the items already given are skipped."""
    given = 0
    with _open_json(path) as handle:
        try:
            for value in _array_items(handle, key, ijson.basic_parse(handle, use_float=True)):
                given += 1
                yield value
            return
        except ijson.JSONError as error:
            if "overflow" not in str(error):
                raise
    log.debug(
        "%s: a number overflows the C parser after %d records; reading on in Python", path, given
    )
    with _open_json(path) as handle:
        events = _PURE_PYTHON.basic_parse(handle, use_float=False)
        for index, value in enumerate(_array_items(handle, key, events)):
            if index >= given:
                yield value


def _array_items(
    handle: _SurrogateSafe, key: str | None, events: Iterator[tuple[str, Any]] | None = None
) -> Iterator[object]:
    """The items of the array at the top of the document (``key`` None) or under the top-level
    ``key``, built one at a time from ijson's basic events: memory is one item, and an item
    nested deeper than ``MAX_DEPTH`` is counted through, never built (a ``_TooDeep``)."""
    events = events if events is not None else ijson.basic_parse(handle, use_float=True)
    depth = 0  # containers open around the current event, in the whole document
    for event, value in events:
        if key is None:
            if event == "start_array":
                yield from _items_of_open_array(events)
            return
        if depth == 1 and event == "map_key" and value == key:
            event, value = next(events)
            if event == "start_array":
                yield from _items_of_open_array(events)
                return
        depth += event in ("start_map", "start_array")
        depth -= event in ("end_map", "end_array")


def _items_of_open_array(events: Iterator[tuple[str, Any]]) -> Iterator[object]:
    """The items of an array whose ``start_array`` was just read, up to its ``end_array``."""
    for event, value in events:
        if event == "end_array":
            return
        yield _item(event, value, events)
    raise ijson.IncompleteJSONError("the document ends inside the record list")


def _item(first: str, value: Any, events: Iterator[tuple[str, Any]]) -> object:
    """One value built from its first event and the events after it, depth-bounded."""
    if first not in ("start_map", "start_array"):
        return float(value) if isinstance(value, Decimal) else value
    root: Any = {} if first == "start_map" else []
    stack: list[Any] = [root]
    keys: list[Any] = [None]
    skipping = 0  # containers open beyond MAX_DEPTH: counted through, not built
    spoiled = False
    for event, value in events:
        opens = event in ("start_map", "start_array")
        closes = event in ("end_map", "end_array")
        if skipping:
            skipping += opens - closes
            continue
        if event == "map_key":
            keys[-1] = value
        elif closes:
            stack.pop()
            keys.pop()
            if not stack:
                return _TooDeep() if spoiled else root
        elif opens and len(stack) >= MAX_DEPTH:
            skipping, spoiled = 1, True
        elif opens:
            child: Any = {} if event == "start_map" else []
            _attach(stack[-1], keys[-1], child)
            stack.append(child)
            keys.append(None)
        else:
            _attach(stack[-1], keys[-1], float(value) if isinstance(value, Decimal) else value)
    raise ijson.IncompleteJSONError("the document ends inside a record")


def _attach(container: Any, key: str | None, value: object) -> None:
    if isinstance(container, list):
        container.append(value)
    else:
        container[key] = value


def record_prefix(path: Path, keys: Sequence[str] = RECORD_KEYS) -> str | None:
    """Where the record array is: ``item`` for a top-level array, ``tickets.item`` for
    ``{"tickets": [...]}``, and so on; None if the document has none of ``keys``."""
    if first_char(path) == "[":
        return "item"
    wanted = set(keys)
    with _open_json(path) as handle:
        events = ijson.basic_parse(handle)
        depth = 0
        try:
            for event, value in events:
                if depth == 1 and event == "map_key" and value in wanted:
                    kind, _ = next(events)
                    if kind == "start_array":
                        return f"{value}.item"
                    depth += kind in ("start_map", "start_array")
                    continue
                depth += event in ("start_map", "start_array")
                depth -= event in ("end_map", "end_array")
        except _JSON_ERRORS as error:
            raise InputError(f"is not a valid JSON document: {error}", where=str(path)) from None
    return None


def json_records(path: Path, prefix: str) -> Iterator[RawRecord | Reject]:
    """The items under ``prefix``, one at a time. Where the document breaks off or stops being
    JSON, a ``Reject`` says so and after which record, and reading ends there: the records
    before it are kept (before the first record, it is an ``InputError``: nothing could be
    read). An item nested too deeply is a ``Reject`` of its own."""
    key = None if prefix == "item" else prefix.removesuffix(".item")
    index = 0
    try:
        for value in _document_items(path, key):
            index += 1
            if isinstance(value, _TooDeep):
                yield Reject(str(path), f"record {index}", f"is nested more than {MAX_DEPTH} deep")
                continue
            yield RawRecord(index, None, value)
    except _JSON_ERRORS as error:
        if index == 0:
            raise InputError(
                f"is not a valid JSON document ({_json_problem(error)})", where=str(path)
            ) from None
        yield Reject(
            str(path),
            f"after record {index}",
            f"the document is not valid JSON from here on ({_json_problem(error)}); "
            f"the {index} record(s) before were read",
        )


def _json_problem(error: Exception) -> str:
    """What the JSON parser found, without quoting the document (which may be personal data)."""
    if isinstance(error, UnicodeDecodeError):
        return f"byte 0x{error.object[error.start]:02x} is not UTF-8"
    if isinstance(error, ijson.IncompleteJSONError) and "incomplete" in str(error).lower():
        return "it ends in the middle of a value"
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return re.sub(r"\(right here\).*|near.*|: .*", "", text).strip() or "malformed"


def leading_json_records(path: Path, prefix: str, limit: int) -> Iterator[object]:
    """The first ``limit`` items under ``prefix`` that can be read (one nested too deeply is
    skipped); fewer if the document ends or breaks off."""
    try:
        for record in json_records(path, prefix):
            if isinstance(record, RawRecord):
                yield record.value
            limit -= 1
            if limit <= 0:
                return
    except InputError:
        return


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
        try:
            for item in _document_items(path, key):
                kept = keep(key, item) if isinstance(item, dict) else None
                if kept is not None:
                    found[key][kept[0]] = kept[1]
        except _JSON_ERRORS:
            # a document that breaks off keeps what was side-loaded before the break; the
            # record pass reports where it broke
            continue
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
