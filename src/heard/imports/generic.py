"""Generic CSV or JSON Lines: one row (or line) per message.

Columns (JSONL keys), matched without regard to case:

=================  ========  ==================================================================
column             required  meaning
=================  ========  ==================================================================
conversation_id    yes       the conversation (ticket, chat) the message belongs to
message_id         yes       unique within the conversation
timestamp          yes       ISO 8601 (``2024-03-01T09:15:00Z``; no zone means UTC) or Unix s
author_id          yes       who wrote it
role               yes       ``customer``, ``agent`` or ``bot``
text               yes       the message (plain text; HTML is cleaned when it looks like HTML)
agent_name         no        the agent's or bot's display name (ignored on customer rows)
team               no        the agent's team
channel            no        email, chat, phone...
customer_id        no        the customer; otherwise the first customer author
csat               no        good/bad, 1-5, or 0-1 (see ``heard.imports.values``)
resolved           no        true/false, yes/no, 1/0
escalated          no        true/false, yes/no, 1/0: handed to a higher tier or a manager
reopens            no        how many times the ticket was reopened (a whole number >= 0)
wait_minutes       no        how long the customer waited in all (minutes, >= 0)
handle_minutes     no        the agents' handling time (minutes, >= 0)
=================  ========  ==================================================================

Other names are mapped with ``mapping`` (target field → column in the file), as the CLI's
``--map text=body --map conversation_id=ticket`` does.

Consecutive rows of the same conversation become one ``ImportedConversation``, messages in time
order. If a conversation's rows are not next to each other, it is yielded once per run of rows
(pieces with the same id), and storage merges the pieces by message id; a run longer than
``max_piece`` rows is also split. Conversation fields (channel, customer and the outcomes) are
taken from the rows of each piece: the first non-empty channel and customer, the last non-empty
value of each outcome (csat, resolved, escalated, reopens, wait and handle minutes). An empty
outcome is unknown, never zero. A row that cannot be read is a ``Reject`` at its physical line
(for CSV, the line the row starts on); the rest of its conversation is kept, since here a row is
the record.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from heard.errors import InputError
from heard.imports import streams
from heard.imports.cleaning import clean_html, clean_text
from heard.imports.records import (
    ImportedAgent,
    ImportedConversation,
    ImportedMessage,
    Outcomes,
    Reject,
)
from heard.imports.values import (
    MalformedError,
    in_time_order,
    optional_id,
    parse_bool,
    parse_count,
    parse_csat,
    parse_id,
    parse_minutes,
    parse_timestamp,
)
from heard.model import Role

log = logging.getLogger(__name__)

SOURCE = "generic"
REQUIRED = ("conversation_id", "message_id", "timestamp", "author_id", "role", "text")
OUTCOME_FIELDS = ("escalated", "reopens", "wait_minutes", "handle_minutes")
OPTIONAL = ("agent_name", "team", "channel", "customer_id", "csat", "resolved", *OUTCOME_FIELDS)
TARGETS = REQUIRED + OPTIONAL
T = TypeVar("T")
MAX_PIECE = 1000  # rows of one conversation held before a piece is yielded

_HTML = re.compile(r"<(?:p|div|br|span|html|body|table|ul|ol|li|blockquote|a)\b[^>]*>", re.I)


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """``["text=body", "conversation_id=ticket"]`` → ``{"text": "body", ...}``.

    Each item is ``TARGET=COLUMN``; the target must be one of ``TARGETS`` and appear once.
    """
    mapping: dict[str, str] = {}
    for item in items:
        target, equals, column = item.partition("=")
        target, column = target.strip(), column.strip()
        if not equals or not target or not column:
            raise InputError(
                f"{item!r} is not TARGET=COLUMN (for example text=body)", field="--map"
            )
        if target not in TARGETS:
            raise InputError(
                f"{target!r} is not a field that can be mapped; fields: {', '.join(TARGETS)}",
                field="--map",
            )
        if target in mapping:
            raise InputError(
                f"{target!r} is mapped twice ({mapping[target]!r} and {column!r})", field="--map"
            )
        mapping[target] = column
    return mapping


def check_mapping(mapping: Mapping[str, str]) -> None:
    """An ``InputError`` if a mapping names a target field that does not exist."""
    unknown = sorted(set(mapping) - set(TARGETS))
    if unknown:
        raise InputError(
            f"{', '.join(map(repr, unknown))} cannot be mapped; fields: {', '.join(TARGETS)}",
            field="--map",
        )


def columns(mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Target field → the column name looked for in the file (folded to lower case)."""
    mapping = mapping or {}
    return {target: mapping.get(target, target).strip().lower() for target in TARGETS}


@dataclass(frozen=True, slots=True)
class _Row:
    conversation_id: str
    message: ImportedMessage
    line: int
    team: str | None
    channel: str | None
    customer_id: str | None
    csat: tuple[float | None, str | None]
    resolved: bool | None
    escalated: bool | None = None
    reopens: int | None = None
    wait_minutes: float | None = None
    handle_minutes: float | None = None


def read_generic(
    path: Path, *, mapping: Mapping[str, str] | None = None, max_piece: int = MAX_PIECE
) -> Iterator[ImportedConversation | Reject]:
    """The conversations of a generic CSV or JSONL export (see the module doc)."""
    check_mapping(mapping or {})
    wanted = columns(mapping)
    rows = _jsonl_rows(path, wanted) if streams.is_jsonl(path) else _csv_rows(path, wanted)
    piece: list[_Row] = []
    seen: set[str] = set()
    conversations = rejects = 0
    for row in rows:
        if isinstance(row, Reject):
            rejects += 1
            yield row
            continue
        if piece and (row.conversation_id != piece[0].conversation_id or len(piece) >= max_piece):
            conversations += 1
            yield conversation_from_rows(path, piece)
            piece, seen = [], set()
        if row.message.id in seen:
            rejects += 1
            yield Reject(
                str(path),
                f"line {row.line}",
                f"message id {row.message.id!r} appears twice in conversation "
                f"{row.conversation_id!r}",
                wanted["message_id"],
            )
            continue
        seen.add(row.message.id)
        piece.append(row)
    if piece:
        conversations += 1
        yield conversation_from_rows(path, piece)
    log.info("%s: %d conversation pieces, %d rejected rows", path, conversations, rejects)


def _csv_rows(path: Path, wanted: dict[str, str]) -> Iterator[_Row | Reject]:
    rows = streams.csv_rows(path)
    header = next(rows, None)
    if header is None:
        raise InputError("has no header row", where=str(path))
    if isinstance(header, streams.BadRow):
        raise InputError(f"header (line {header.line}) {header.problem}", where=str(path))
    names = [name.strip().lower() for name in header[1]]
    position = {name: index for index, name in reversed(list(enumerate(names)))}
    missing = [target for target in REQUIRED if wanted[target] not in position]
    if missing:
        raise InputError(
            f"lacks the column(s) {', '.join(wanted[target] for target in missing)} "
            f"(has {', '.join(header[1])}); name your columns with --map, for example "
            f"--map {missing[0]}=YOUR_COLUMN",
            where=str(path),
        )
    index = {target: position.get(column) for target, column in wanted.items()}
    for row in rows:
        if isinstance(row, streams.BadRow):
            yield Reject(str(path), f"line {row.line}", row.problem)
            continue
        line, fields = row
        if len(fields) != len(names):
            yield Reject(
                str(path),
                f"line {line}",
                f"has {len(fields)} fields where the header has {len(names)}",
            )
            continue
        values: dict[str, object] = {
            target: (fields[at] if at is not None else None) for target, at in index.items()
        }
        yield _row_or_reject(path, line, values, wanted)


def _jsonl_rows(path: Path, wanted: dict[str, str]) -> Iterator[_Row | Reject]:
    for record in streams.jsonl_records(path):
        if isinstance(record, Reject):
            yield record
            continue
        line = record.line or record.index
        if not isinstance(record.value, dict):
            yield Reject(str(path), f"line {line}", "is not a JSON object")
            continue
        folded = {str(key).strip().lower(): value for key, value in record.value.items()}
        values = {target: folded.get(column) for target, column in wanted.items()}
        yield _row_or_reject(path, line, values, wanted)


def _row_or_reject(
    path: Path, line: int, values: dict[str, object], wanted: dict[str, str]
) -> _Row | Reject:
    try:
        return parse_row(line, values, wanted)
    except MalformedError as error:
        return Reject(str(path), f"line {line}", error.problem, error.field)


def parse_row(line: int, values: dict[str, object], wanted: dict[str, str]) -> _Row:
    def parsed(target: str, parse: Callable[[object], T]) -> T:
        value = values.get(target)
        if target in REQUIRED and (value is None or (isinstance(value, str) and not value.strip())):
            raise MalformedError("is empty", wanted[target])
        try:
            return parse(value)
        except ValueError as error:
            raise MalformedError(str(error), wanted[target]) from None

    conversation_id = parsed("conversation_id", parse_id)
    message_id = parsed("message_id", parse_id)
    author_id = parsed("author_id", parse_id)
    role = parsed("role", _role)
    timestamp = parsed("timestamp", parse_timestamp)
    text = parsed("text", _clean)
    csat = parsed("csat", parse_csat)
    resolved = parsed("resolved", parse_bool)
    customer_id = parsed("customer_id", optional_id)
    escalated = parsed("escalated", parse_bool)
    reopens = parsed("reopens", parse_count)
    wait_minutes = parsed("wait_minutes", parse_minutes)
    handle_minutes = parsed("handle_minutes", parse_minutes)
    service_side = role is not Role.CUSTOMER
    message = ImportedMessage(
        id=message_id,
        author_id=author_id,
        role=role,
        text=text,
        timestamp=timestamp,
        author_name=_text_or_none(values.get("agent_name")) if service_side else None,
    )
    return _Row(
        conversation_id=conversation_id,
        message=message,
        line=line,
        team=_text_or_none(values.get("team")) if service_side else None,
        channel=_text_or_none(values.get("channel")),
        customer_id=customer_id,
        csat=csat,
        resolved=resolved,
        escalated=escalated,
        reopens=reopens,
        wait_minutes=wait_minutes,
        handle_minutes=handle_minutes,
    )


def _role(value: object) -> Role:
    word = str(value).strip().lower()
    if word not in {role.value for role in Role}:
        raise ValueError(f"{value!r} is not a role (expected customer, agent or bot)")
    return Role(word)


def _clean(value: object) -> str:
    """The message text, cleaned as HTML when it looks like HTML, else as plain text."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    text = clean_html(value) if _HTML.search(value) else clean_text(value)
    if not text:
        raise ValueError("is empty once quoted e-mail and signature are removed")
    return text


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def conversation_from_rows(path: Path, piece: list[_Row]) -> ImportedConversation:
    messages = in_time_order([row.message for row in piece])
    agents: dict[str, ImportedAgent] = {}
    for row in piece:
        message = row.message
        if message.role is Role.CUSTOMER:
            continue
        known = agents.get(message.author_id)
        agents[message.author_id] = ImportedAgent(
            id=message.author_id,
            name=(known.name if known else None) or message.author_name,
            team=(known.team if known else None) or row.team,
            is_bot=message.role is Role.BOT,
        )
    customers = [row.customer_id for row in piece if row.customer_id]
    if not customers:
        customers = [m.author_id for m in messages if m.role is Role.CUSTOMER]
    csats = [row.csat for row in piece if row.csat[1] is not None]
    csat, csat_raw = csats[-1] if csats else (None, None)

    def last(name: str) -> Any:
        known = [getattr(row, name) for row in piece if getattr(row, name) is not None]
        return known[-1] if known else None

    stamps = [m.timestamp for m in messages if m.timestamp is not None]
    return ImportedConversation(
        source=SOURCE,
        id=piece[0].conversation_id,
        messages=tuple(messages),
        channel=next((row.channel for row in piece if row.channel), None),
        customer_id=customers[0] if customers else None,
        created_at=min(stamps) if stamps else None,
        updated_at=max(stamps) if stamps else None,
        agents=tuple(agents.values()),
        outcomes=Outcomes(
            csat=csat,
            csat_raw=csat_raw,
            resolved=last("resolved"),
            escalated=last("escalated"),
            reopens=last("reopens"),
            wait_minutes=last("wait_minutes"),
            handle_minutes=last("handle_minutes"),
        ),
        location=f"{path}:{piece[0].line}",
    )
