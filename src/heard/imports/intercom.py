"""Intercom conversations, as the REST API (``GET /conversations/{id}``, 2.x) or an export tool
writes them.

Accepted files: JSON Lines with one conversation per line, or one JSON document (a top-level
array, or ``{"type": "conversation.list", "conversations": [...]}``, with optional side-loaded
``teams`` and ``admins`` for names, read in their own pass over the file).

Mapping:

- conversation: ``id``; ``source.type`` → channel (``conversation``, the Messenger, is
  ``chat``); the first contact (``contacts.contacts[0].id``, else the opening author) →
  customer; ``state`` (or the older ``open`` flag); ``tags.tags[].name``;
  ``created_at``/``updated_at`` (Unix seconds, as every Intercom time).
- messages: the opening message ``source`` (HTML ``body``, its ``author``), then each of
  ``conversation_parts`` (``{"type": "conversation_part.list", "conversation_parts": [...]}`` or
  a plain list) in time order. ``comment`` parts are public, ``note`` parts internal notes
  (``public=False``); other parts (assignment, open, close, snoozed...) become messages only
  when their body has text. Bodies are HTML, cleaned; a part with no text left is skipped.
- roles by ``author.type``: ``user``, ``lead``, ``contact`` → customer; ``admin`` and ``team`` →
  agent; ``bot`` → bot; an admin whose name is a bot's ("Operator", "Fin") → bot; an opening
  message ``delivered_as: automated`` from an admin (a campaign, not a reply) → bot. Any other
  author type rejects the conversation. Names from ``author.name`` (or side-loaded admins);
  team = the ``team_assignee_id``'s name from side-loaded teams, else ``team <id>``.
- outcomes: ``state`` closed → resolved, open/snoozed → unresolved;
  ``conversation_rating.rating`` 1-5 → (r − 1) / 4, its ``remark`` → CSAT comment;
  ``statistics``: ``count_reopens`` → reopens, ``time_to_admin_reply`` (else
  ``first_admin_reply_at`` − ``first_contact_reply_at``) → first reply, ``time_to_last_close``
  (else ``time_to_first_close``) → resolution, ``handling_time`` → handle time, all seconds
  turned into minutes.

A conversation with anything malformed is rejected whole, naming the field
(``conversation_parts[3].author.type``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from heard.imports import streams
from heard.imports.cleaning import clean_html
from heard.imports.records import (
    ImportedConversation,
    ImportedMessage,
    Outcomes,
    Reject,
)
from heard.imports.values import (
    MalformedError,
    agents_of,
    field_value,
    in_time_order,
    looks_like_bot,
    minutes_between,
    optional_id,
    optional_text,
    parse_csat,
    parse_id,
    parse_tags,
    parse_timestamp,
)
from heard.model import Role

log = logging.getLogger(__name__)

SOURCE = "intercom"
AUTHOR_ROLES = {
    "user": Role.CUSTOMER,
    "lead": Role.CUSTOMER,
    "contact": Role.CUSTOMER,
    "admin": Role.AGENT,
    "team": Role.AGENT,
    "bot": Role.BOT,
}
_PRIVATE_PARTS = frozenset({"note"})
_RESOLVED = {"closed": True, "open": False, "snoozed": False}


@dataclass(frozen=True, slots=True)
class _Lookups:
    admins: Mapping[str, str]
    teams: Mapping[str, str]


def read_intercom(path: Path) -> Iterator[ImportedConversation | Reject]:
    """The conversations of an Intercom export (see the module doc)."""
    if streams.is_jsonl(path):
        lookups = _Lookups({}, {})
    else:
        found = streams.side_loads(path, ("admins", "teams"), _keep)
        lookups = _Lookups(found["admins"], found["teams"])
    yield from streams.conversations(
        path,
        kind="conversation",
        keys=("conversations", "results", "data"),
        build=lambda raw: _conversation(path, raw, lookups),
    )


def _keep(_key: str, item: dict[str, Any]) -> tuple[str, str] | None:
    name = item.get("name")
    if item.get("id") is None or not isinstance(name, str) or not name.strip():
        return None
    return str(item["id"]), name.strip()


def _conversation(path: Path, raw: streams.RawRecord, lookups: _Lookups) -> ImportedConversation:
    record = raw.value
    if not isinstance(record, dict):
        raise MalformedError("is not a JSON object")
    conversation_id = field_value(record, "id", parse_id)
    created = field_value(record, "created_at", parse_timestamp)
    messages: list[ImportedMessage] = []
    source = record.get("source")
    if source is not None and not isinstance(source, dict):
        raise MalformedError(f"is {type(source).__name__}, not an object", "source")
    if source:
        opening = _source_message(source, conversation_id, created)
        if opening is not None:
            messages.append(opening)
    messages.extend(_parts(record))
    messages = [_named(message, lookups) for message in messages]
    team_id = field_value(record, "team_assignee_id", optional_id)
    team = (lookups.teams.get(team_id) or f"team {team_id}") if team_id else None
    state = _state(record)
    return ImportedConversation(
        source=SOURCE,
        id=conversation_id,
        messages=in_time_order(messages),
        channel=_channel(source),
        customer_id=_customer(record, messages),
        status=state,
        created_at=created,
        updated_at=field_value(record, "updated_at", parse_timestamp),
        tags=_tags(record.get("tags")),
        agents=agents_of(messages, team),
        outcomes=_outcomes(record, state),
        location=streams.origin(path, "conversation", raw, conversation_id),
    )


def _source_message(
    source: Mapping[str, Any], conversation_id: str, created: datetime | None
) -> ImportedMessage | None:
    body = field_value(source, "body", optional_text, where="source.")
    text = clean_html(body) if body else ""
    if not text:
        return None
    author_id, role, name = _author(source.get("author"), "source.author")
    if role is Role.AGENT and source.get("delivered_as") == "automated":
        role = Role.BOT
    message_id = field_value(source, "id", optional_id, where="source.")
    return ImportedMessage(
        id=message_id or f"{conversation_id}-source",
        author_id=author_id,
        role=role,
        text=text,
        timestamp=created,
        author_name=name,
    )


def _parts(record: Mapping[str, Any]) -> list[ImportedMessage]:
    container = record.get("conversation_parts")
    parts = container.get("conversation_parts") if isinstance(container, dict) else container
    if parts is None:
        return []
    if not isinstance(parts, list):
        raise MalformedError(f"is {type(parts).__name__}, not a list", "conversation_parts")
    messages: list[ImportedMessage] = []
    for index, part in enumerate(parts):
        where = f"conversation_parts[{index}]."
        if not isinstance(part, dict):
            raise MalformedError("is not an object", f"conversation_parts[{index}]")
        part_id = field_value(part, "id", parse_id, where=where)
        part_type = field_value(part, "part_type", optional_text, where=where)
        if part_type is None:
            raise MalformedError("is missing", f"{where}part_type")
        timestamp = field_value(part, "created_at", parse_timestamp, where=where)
        body = field_value(part, "body", optional_text, where=where)
        text = clean_html(body, is_reply=True) if body else ""
        if not text:
            continue  # assignments, state changes and empty comments carry no words
        author_id, role, name = _author(part.get("author"), f"{where}author")
        messages.append(
            ImportedMessage(
                id=part_id,
                author_id=author_id,
                role=role,
                text=text,
                timestamp=timestamp,
                author_name=name,
                public=part_type not in _PRIVATE_PARTS,
            )
        )
    return messages


def _author(author: object, where: str) -> tuple[str, Role, str | None]:
    if not isinstance(author, dict):
        raise MalformedError("is missing or not an object", where)
    kind = author.get("type")
    if not isinstance(kind, str) or kind not in AUTHOR_ROLES:
        raise MalformedError(
            f"{kind!r} is not an Intercom author type ({', '.join(AUTHOR_ROLES)})", f"{where}.type"
        )
    author_id = field_value(author, "id", parse_id, where=f"{where}.")
    name = field_value(author, "name", optional_text, where=f"{where}.")
    role = AUTHOR_ROLES[str(kind)]
    if role is Role.AGENT and looks_like_bot(name):
        role = Role.BOT
    return author_id, role, name


def _named(message: ImportedMessage, lookups: _Lookups) -> ImportedMessage:
    if message.author_name or message.role is Role.CUSTOMER:
        return message
    name = lookups.admins.get(message.author_id)
    if not name:
        return message
    role = Role.BOT if looks_like_bot(name) else message.role
    return replace(message, author_name=name, role=role)


def _channel(source: Mapping[str, Any] | None) -> str | None:
    kind = source.get("type") if source else None
    if not isinstance(kind, str) or not kind:
        return None
    return "chat" if kind == "conversation" else kind


def _customer(record: Mapping[str, Any], messages: list[ImportedMessage]) -> str | None:
    contacts = record.get("contacts")
    listed = contacts.get("contacts") if isinstance(contacts, dict) else contacts
    if isinstance(listed, list) and listed and isinstance(listed[0], dict):
        try:
            found = optional_id(listed[0].get("id"))
        except ValueError:
            found = None
        if found:
            return found
    return next((m.author_id for m in messages if m.role is Role.CUSTOMER), None)


def _tags(value: object) -> tuple[str, ...]:
    listed = value.get("tags") if isinstance(value, dict) else value
    try:
        return parse_tags(listed)
    except ValueError as error:
        raise MalformedError(str(error), "tags") from None


def _state(record: Mapping[str, Any]) -> str | None:
    state = record.get("state")
    if isinstance(state, str) and state:
        return state.lower()
    if isinstance(record.get("open"), bool):
        return "open" if record["open"] else "closed"
    return None


def _outcomes(record: Mapping[str, Any], state: str | None) -> Outcomes:
    csat: float | None = None
    csat_raw = remark = None
    rating = record.get("conversation_rating")
    if isinstance(rating, dict):
        csat, csat_raw = field_value(rating, "rating", parse_csat, where="conversation_rating.")
        remark = field_value(rating, "remark", optional_text, where="conversation_rating.")
    elif rating is not None:
        raise MalformedError(f"is {type(rating).__name__}, not an object", "conversation_rating")
    stats = record.get("statistics")
    if stats is not None and not isinstance(stats, dict):
        raise MalformedError(f"is {type(stats).__name__}, not an object", "statistics")
    stats = stats or {}
    reopens = stats.get("count_reopens")
    if reopens is not None and (isinstance(reopens, bool) or not isinstance(reopens, int)):
        raise MalformedError(f"{reopens!r} is not a count", "statistics.count_reopens")
    first_reply = _seconds(stats, "time_to_admin_reply")
    if first_reply is None:
        first_reply = minutes_between(
            field_value(stats, "first_contact_reply_at", parse_timestamp, where="statistics."),
            field_value(stats, "first_admin_reply_at", parse_timestamp, where="statistics."),
        )
    resolution = _seconds(stats, "time_to_last_close")
    if resolution is None:
        resolution = _seconds(stats, "time_to_first_close")
    return Outcomes(
        csat=csat,
        csat_raw=csat_raw,
        csat_comment=remark,
        resolved=_RESOLVED.get(state) if state else None,
        reopens=reopens,
        first_reply_minutes=first_reply,
        resolution_minutes=resolution,
        handle_minutes=_seconds(stats, "handling_time"),
    )


def _seconds(stats: Mapping[str, Any], key: str) -> float | None:
    """A duration in seconds, as minutes."""
    value = stats.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise MalformedError(f"{value!r} is not a number of seconds", f"statistics.{key}")
    return value / 60
