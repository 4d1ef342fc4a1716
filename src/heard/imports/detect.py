"""Which export format a file is, and reading it: ``detect_format`` and ``read_export``.

Detection looks at the content, with the extension only choosing how to look:

- CSV (``.csv``, ``.tsv``, or a file that does not start with ``{`` or ``[``): the header row.
  All the twcs columns (``tweet_id``, ``inbound``, ``in_response_to_tweet_id``...) → ``twcs``;
  the generic required columns, after any ``mapping`` → ``generic``.
- JSON Lines (``.jsonl``, ``.ndjson``, or a file whose first two lines each start a JSON object)
  and JSON documents: the first record (the first line, or the first item of the top-level
  array or of ``tickets``/``conversations``/``results``), by the fields each format has:
  ``conversation_parts``, ``type: "conversation"`` or a ``source`` with an ``author`` →
  ``intercom``; ``conversations``, ``responder_id``, ``description_text`` or a numeric
  ``status``/``source`` → ``freshdesk``; ``comments``, ``via``, ``assignee_id``,
  ``satisfaction_rating`` or a word ``status`` → ``zendesk``; the generic columns as keys →
  ``generic``.

Anything else is an ``InputError`` that names the file and what was seen in it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path

from heard.errors import InputError
from heard.imports import streams
from heard.imports.checks import checked
from heard.imports.freshdesk import read_freshdesk
from heard.imports.generic import REQUIRED, check_mapping, columns, read_generic
from heard.imports.intercom import read_intercom
from heard.imports.records import ImportedConversation, Reject
from heard.imports.twcs import COLUMNS as TWCS_COLUMNS
from heard.imports.twcs import read_twcs
from heard.imports.zendesk import read_zendesk

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("generic", "zendesk", "freshdesk", "intercom", "twcs")
_CSV_SUFFIXES = (".csv", ".tsv")
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_ZENDESK_STATUSES = frozenset({"new", "open", "pending", "hold", "solved", "closed", "deleted"})


def detect_format(path: Path, *, mapping: Mapping[str, str] | None = None) -> str:
    """The format of the export at ``path``: one of ``FORMATS`` (see the module doc)."""
    streams.check_readable(path)
    suffix = path.suffix.lower()
    start = streams.first_char(path)
    if suffix in _CSV_SUFFIXES or (suffix not in _JSON_SUFFIXES and start not in "{["):
        return _csv_format(path, mapping)
    if start not in "{[":
        raise InputError(
            f"has a {suffix} name but does not start with {{ or [ (starts with {start!r})",
            where=str(path),
        )
    # the first record that looks like one of the formats decides: one malformed record at the
    # top of a file is a reject later, not a reason to refuse the whole file
    first: object = None
    for index, record in enumerate(_leading_records(path)):
        found = _record_format(record, mapping)
        if found is not None:
            log.debug("%s: detected %s from record %d", path, found, index + 1)
            return found
        if index == 0:
            first = record
    raise InputError(
        f"is not an export heard knows ({', '.join(FORMATS)}): its first record "
        f"{_describe(first)}, and none of the next {SNIFF_RECORDS - 1} is one either",
        where=str(path),
    )


def _csv_format(path: Path, mapping: Mapping[str, str] | None) -> str:
    header = [name.strip().lower() for name in streams.csv_header(path)]
    if all(column in header for column in TWCS_COLUMNS):
        return "twcs"
    wanted = columns(mapping)
    if all(wanted[target] in header for target in REQUIRED):
        return "generic"
    missing = [wanted[target] for target in REQUIRED if wanted[target] not in header]
    raise InputError(
        f"is a CSV file whose header ({', '.join(header[:20]) or 'empty'}) is neither a twcs "
        f"export nor a generic one (it lacks {', '.join(missing)}); "
        "name the columns with --map, for example --map text=body",
        where=str(path),
    )


SNIFF_RECORDS = 20  # records looked at to tell the format


def _leading_records(path: Path) -> Iterator[object]:
    if streams.is_jsonl(path):
        return streams.leading_jsonl_values(path, SNIFF_RECORDS)
    prefix = streams.record_prefix(path)
    if prefix is None:
        raise InputError(
            "is a JSON document without a record list (expected a top-level array, or "
            "'tickets', 'conversations' or 'results' holding one)",
            where=str(path),
        )
    return streams.leading_json_records(path, prefix, SNIFF_RECORDS)


def _record_format(record: object, mapping: Mapping[str, str] | None) -> str | None:
    if not isinstance(record, dict):
        return None
    keys = {str(key).lower() for key in record}
    source = record.get("source")
    status = record.get("status")
    if (
        "conversation_parts" in keys
        or record.get("type") == "conversation"
        or (isinstance(source, dict) and "author" in source)
    ):
        return "intercom"
    if (
        "conversations" in keys
        or "responder_id" in keys
        or "description_text" in keys
        or _is_int(status)
        or _is_int(source)
    ):
        return "freshdesk"
    if keys & {"comments", "via", "assignee_id", "satisfaction_rating"} or (
        isinstance(status, str) and status.lower() in _ZENDESK_STATUSES and "requester_id" in keys
    ):
        return "zendesk"
    wanted = columns(mapping)
    if all(wanted[target] in keys for target in REQUIRED):
        return "generic"
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(record: object) -> str:
    if record is None:
        return "is missing or is not JSON"
    if not isinstance(record, dict):
        return f"is a JSON {type(record).__name__}, not an object"
    keys = sorted(str(key) for key in record)
    shown = ", ".join(keys[:15]) + (", ..." if len(keys) > 15 else "")
    return f"has the fields {shown or 'none'}"


def read_export(
    path: Path,
    *,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Iterator[ImportedConversation | Reject]:
    """The conversations and rejects of the export at ``path``, read as they are needed.

    ``format`` is one of ``FORMATS`` (detected when None); ``mapping`` (target field → column)
    applies to ``generic`` only. An unreadable file, an unknown format or a mapping for another
    format is an ``InputError`` at once; a malformed record is a ``Reject`` in the stream.
    """
    if format is not None and format not in FORMATS:
        raise InputError(
            f"{format!r} is not a format heard reads; formats: {', '.join(FORMATS)}",
            field="format",
        )
    streams.check_readable(path)
    if mapping:
        check_mapping(mapping)
    chosen = format or detect_format(path, mapping=mapping)
    if mapping and chosen != "generic":
        raise InputError(
            f"--map applies to generic CSV/JSONL exports, and this is {chosen}",
            where=str(path),
            field="--map",
        )
    log.info("%s: reading as %s", path, chosen)
    return checked(_reader(path, chosen, mapping), str(path))


def _reader(
    path: Path, chosen: str, mapping: Mapping[str, str] | None
) -> Iterator[ImportedConversation | Reject]:
    if chosen == "generic":
        return read_generic(path, mapping=mapping)
    if chosen == "zendesk":
        return read_zendesk(path)
    if chosen == "freshdesk":
        return read_freshdesk(path)
    if chosen == "intercom":
        return read_intercom(path)
    return read_twcs(path)
