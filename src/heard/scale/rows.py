"""Generic message rows in Dask partitions → ``ImportedConversation`` values and ``Reject``s.

Each row is read by the generic reader's own row parser (``heard.imports.generic``), so a row
means the same here as in ``heard import``: the same required columns, cleaning of HTML, quoted
e-mail and signatures, timestamps, CSAT and resolved values, and the same conversation assembly
(messages in time order, then in the order of the rows).

Rows cross a shuffle between reading and scoring, so they travel in one arrow-friendly shape
(:func:`prepare`): every field as text or None, where a value that is not text (a JSON number,
a boolean, a list) is kept as JSON behind a marker and restored exactly before parsing; plus the
conversation id the shuffle groups on (``KEY``) and the row's position in the archive
(``ORDER``: input partition and row within it), which keeps messages with equal timestamps in
the order of the archive.

A row that cannot be used is a ``Reject`` located by the ids it has: "conversation 4711, message
m3", with the column at fault. A JSON Lines line that is not UTF-8, not JSON or not an object has
no ids to give; it is located by its first characters.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd

from heard.imports.generic import (
    SOURCE,
    TARGETS,
    columns,
    conversation_from_rows,
    parse_row,
)
from heard.imports.records import ImportedConversation, Reject
from heard.imports.values import parse_id

KEY = "_key"  # the conversation id the shuffle groups on ("" when it cannot be read)
ORDER = "_order"  # input partition << 32 | row within it
WHERE = "_where"  # a JSON Lines line that could not be read: where, and what is wrong
PROBLEM = "_problem"
FIELDS: tuple[str, ...] = TARGETS
PREPARED: tuple[str, ...] = (KEY, ORDER, *FIELDS, WHERE, PROBLEM)
RAW: tuple[str, ...] = (*FIELDS, WHERE, PROBLEM)
_JSON = "\x00json:"  # marks a value kept as JSON text (a number, boolean, list...)
_BOM = "\ufeff"
# bytes that are not UTF-8, as the "surrogateescape" error handler leaves them in the text
_UNDECODED = re.compile("[\udc80-\udcff]")
_WANTED = columns(None)


def encode(value: object) -> str | None:
    """A field value as text or None (see the module docstring); :func:`decode` reverses it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return _JSON + json.dumps(value) if value.startswith(_JSON) else value
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.as_unit("us", round_ok=True).to_pydatetime()
    if isinstance(value, datetime | date):
        return value.isoformat()  # what the parser reads as ISO 8601 (no zone: UTC)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    try:
        return _JSON + json.dumps(value)
    except (TypeError, ValueError):
        return str(value)


def decode(value: object) -> object:
    if isinstance(value, str) and value.startswith(_JSON):
        return json.loads(value[len(_JSON) :])
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def empty_frame(names: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in names})


def read_jsonl_block(buffer: StringIO, **_options: Any) -> pd.DataFrame:
    """One block of a JSON Lines file as raw field columns (the ``engine`` of
    ``dask.dataframe.read_json``, which decodes blocks with the "surrogateescape" handler). Keys
    are matched without regard to case; a line that is not UTF-8 or not a JSON object becomes a
    row with only ``WHERE`` and ``PROBLEM``. Blank lines are skipped."""
    rows: list[list[str | None]] = []
    for number, line in enumerate(buffer):
        text = line.removeprefix(_BOM) if number == 0 else line
        if not text.strip():
            continue
        if _UNDECODED.search(text):
            rows.append([None] * len(FIELDS) + [_line_where(text), _not_utf8(text)])
            continue
        try:
            value = json.loads(text)
        except ValueError as error:
            problem = f"is not JSON ({getattr(error, 'msg', error)})"
            rows.append([None] * len(FIELDS) + [_line_where(text), problem])
            continue
        if not isinstance(value, dict):
            rows.append([None] * len(FIELDS) + [_line_where(text), "is not a JSON object"])
            continue
        folded = {str(key).strip().lower(): item for key, item in value.items()}
        rows.append([encode(folded.get(name)) for name in FIELDS] + [None, None])
    if not rows:
        return empty_frame(RAW)
    return pd.DataFrame(rows, columns=list(RAW), dtype=object)


def _not_utf8(text: str) -> str:
    raw = text.encode("utf-8", "surrogateescape")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at column {error.start + 1})"
    return "is not UTF-8 text"


def _line_where(text: str) -> str:
    start = text.strip()
    return f"the line starting {start[:40]!r}"


def field_columns(names: list[str]) -> dict[str, str]:
    """Field → the column that holds it, matched without regard to case (the first match)."""
    found: dict[str, str] = {}
    for name in names:
        folded = str(name).strip().lower()
        if folded in FIELDS and folded not in found:
            found[folded] = name
    return found


def prepare(frame: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """An input partition (JSON Lines block or Parquet piece) in the shape that is shuffled."""
    number = int(partition_info["number"]) if partition_info else 0
    size = len(frame)
    encoded = PROBLEM in frame.columns  # a JSON Lines block: values are already encoded
    names = {name: name for name in FIELDS} if encoded else field_columns(list(frame.columns))
    out: dict[str, list[Any]] = {}
    for name in FIELDS:
        if name not in names:
            out[name] = [None] * size
        elif encoded:
            out[name] = [None if v is None or v is pd.NA else v for v in frame[name].tolist()]
        else:
            out[name] = [encode(value) for value in frame[names[name]].tolist()]
    for name in (WHERE, PROBLEM):
        out[name] = (
            [None if v is None or v is pd.NA else v for v in frame[name].tolist()]
            if encoded
            else [None] * size
        )
    keys: list[str] = []
    for value in out["conversation_id"]:
        try:
            keys.append(parse_id(decode(value)))
        except ValueError:
            keys.append("")
    prepared = pd.DataFrame({name: pd.Series(out[name], dtype=object) for name in RAW})
    prepared.insert(0, ORDER, pd.Series([(number << 32) + i for i in range(size)], dtype="int64"))
    prepared.insert(0, KEY, pd.Series(keys, dtype=object))
    return prepared


def prepared_meta() -> pd.DataFrame:
    meta = empty_frame(PREPARED)
    meta[ORDER] = meta[ORDER].astype("int64")
    return meta


def _id_or_none(value: object) -> str | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


def row_where(conversation: object, message: object) -> str:
    """Where a row is: "conversation 4711, message m3", or what it lacks to say so."""
    conversation_id, message_id = _id_or_none(conversation), _id_or_none(message)
    if conversation_id is None and message_id is None:
        return "a row without a conversation id or message id"
    if conversation_id is None:
        return f"a row without a conversation id, message {message_id}"
    if message_id is None:
        return f"conversation {conversation_id}, a row without a message id"
    return f"conversation {conversation_id}, message {message_id}"


def _rows(frame: pd.DataFrame) -> Iterator[tuple[int, dict[str, object], str | None, str | None]]:
    ordered = frame.sort_values(ORDER, kind="stable") if len(frame) > 1 else frame
    data = [ordered[name].tolist() for name in (ORDER, *FIELDS, WHERE, PROBLEM)]
    for values in zip(*data, strict=True):
        fields = {name: decode(value) for name, value in zip(FIELDS, values[1:-2], strict=True)}
        where, problem = decode(values[-2]), decode(values[-1])
        yield (
            int(values[0]),
            fields,
            where if isinstance(where, str) else None,
            problem if isinstance(problem, str) else None,
        )


def conversations_from_rows(
    frame: pd.DataFrame, source: str
) -> tuple[list[ImportedConversation], list[int], list[tuple[int, Reject]]]:
    """The conversations whose rows are in ``frame`` (all of each conversation's rows must be
    there) in the order of their first row, the position in the archive (``ORDER``) of each one's
    first row, and the rows rejected on the way, each with its position."""
    rejects: list[tuple[int, Reject]] = []
    pieces: dict[str, list[Any]] = {}
    seen: dict[str, set[str]] = {}
    for order, values, where, problem in _rows(frame):
        if problem is not None:
            rejects.append((order, Reject(source, where or "a line", problem)))
            continue
        try:
            row = parse_row(order, values, _WANTED)
        except ValueError as error:  # MalformedError says which field; others do not
            where = row_where(values.get("conversation_id"), values.get("message_id"))
            problem = getattr(error, "problem", str(error))
            rejects.append((order, Reject(source, where, problem, getattr(error, "field", None))))
            continue
        ids = seen.setdefault(row.conversation_id, set())
        if row.message.id in ids:
            problem = (
                f"message id {row.message.id!r} appears twice in conversation "
                f"{row.conversation_id!r}"
            )
            where = row_where(row.conversation_id, row.message.id)
            rejects.append((order, Reject(source, where, problem, _WANTED["message_id"])))
            continue
        ids.add(row.message.id)
        pieces.setdefault(row.conversation_id, []).append(row)
    path = Path(source)
    conversations = [conversation_from_rows(path, piece) for piece in pieces.values()]
    return conversations, [int(piece[0].line) for piece in pieces.values()], rejects


__all__ = [
    "FIELDS",
    "KEY",
    "ORDER",
    "PREPARED",
    "RAW",
    "SOURCE",
    "conversations_from_rows",
    "decode",
    "empty_frame",
    "encode",
    "field_columns",
    "prepare",
    "prepared_meta",
    "read_jsonl_block",
    "row_where",
]
