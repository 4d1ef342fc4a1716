"""Freshdesk tickets with their conversations, as the v2 API (``GET /api/v2/tickets/{id}
?include=conversations,requester,stats``) or an export tool writes them.

Accepted files: JSON Lines with one ticket per line, or one JSON document (a top-level array of
tickets, or ``{"tickets": [...]}`` with optional side-loaded ``agents`` (``contact.name``),
``contacts``, ``groups`` and ``satisfaction_ratings``, read in their own pass over the file).

Mapping:

- conversation: ``id``; ``requester_id`` → customer; ``source`` → channel (1 email, 2 portal,
  3 phone, 4 forum, 5 twitter, 6 facebook, 7 chat, 8 mobihelp, 9 feedback widget, 10 outbound
  email; others ``source N``); ``status`` 2 open, 3 pending, 4 resolved, 5 closed (custom
  statuses are kept as ``status N``; a status written as a word is kept as the word);
  ``tags``; ``created_at``/``updated_at``.
- messages: first the ticket's ``description`` (HTML, cleaned; ``description_text`` if there is
  no HTML), written by the requester, or by the responder for an outbound e-mail (source 10);
  then each of ``conversations`` in time order, text from the HTML ``body`` cleaned (its quote
  markers help remove quoted e-mail), else ``body_text``. ``private: true`` is an internal note.
- roles: ``incoming: true`` or the requester's ``user_id`` → customer; no ``user_id`` (an
  automation) → bot ``system``; a side-loaded agent whose name is a bot's (Freddy) → bot;
  anyone else → agent. Names from the embedded ``requester`` and side-loaded agents/contacts;
  team = the ticket's group name, else ``group <id>``.
- outcomes: resolved for 4/5, unresolved for 2/3, unknown otherwise; ``is_escalated``
  (Freshdesk's own flag, set when a ticket goes overdue) → escalated; ``stats``:
  ``first_responded_at`` → first reply minutes, ``resolved_at`` (else ``closed_at``) →
  resolution minutes, both from ``created_at`` (``reopened_at`` says a ticket was reopened but
  not how often, so reopens stay unknown). CSAT from ``satisfaction_rating`` on the ticket or a
  side-loaded satisfaction rating for it: Freshdesk's answer codes 103 (extremely happy), 102,
  101, 100 (neutral), -101, -102, -103 (extremely unhappy) are spread evenly over [0, 1]
  (103 → 1.0, 100 → 0.5, -103 → 0.0, which is also how the three-point survey's 103/100/-103
  read); any other value as in ``heard.imports.values``; ``feedback`` → the CSAT comment.

A ticket with anything malformed is rejected whole, naming the field
(``conversations[1].created_at``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from heard.imports import streams
from heard.imports.cleaning import clean_html, clean_text
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

SOURCE = "freshdesk"
STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}
SOURCES = {
    1: "email",
    2: "portal",
    3: "phone",
    4: "forum",
    5: "twitter",
    6: "facebook",
    7: "chat",
    8: "mobihelp",
    9: "feedback widget",
    10: "outbound email",
}
_OUTBOUND = 10
_RESOLVED = {"resolved": True, "closed": True, "open": False, "pending": False}
_HAPPINESS = (-103, -102, -101, 100, 101, 102, 103)  # Freshdesk's answer codes, worst first
_SYSTEM_AUTHOR = "system"


@dataclass(frozen=True, slots=True)
class _Lookups:
    names: Mapping[str, str]  # agents and contacts
    groups: Mapping[str, str]
    ratings: Mapping[str, dict[str, Any]]  # by ticket id


def read_freshdesk(path: Path) -> Iterator[ImportedConversation | Reject]:
    """The tickets of a Freshdesk export (see the module doc), one conversation per ticket."""
    lookups = _side_loads(path) if not streams.is_jsonl(path) else _Lookups({}, {}, {})
    yield from streams.conversations(
        path,
        kind="ticket",
        keys=("tickets", "results"),
        build=lambda raw: _ticket(path, raw, lookups),
    )


def _side_loads(path: Path) -> _Lookups:
    found = streams.side_loads(
        path, ("agents", "contacts", "groups", "satisfaction_ratings"), _keep
    )
    names: dict[str, str] = {}
    for key in ("contacts", "agents"):
        names.update((k, v) for k, v in found[key].items() if isinstance(v, str))
    return _Lookups(
        names=names,
        groups={k: v for k, v in found["groups"].items() if isinstance(v, str)},
        ratings={k: v for k, v in found["satisfaction_ratings"].items() if isinstance(v, dict)},
    )


def _keep(key: str, item: dict[str, Any]) -> tuple[str, str | dict[str, Any]] | None:
    if key == "satisfaction_ratings":
        ticket = item.get("ticket_id")
        return None if ticket is None else (str(ticket), item)
    if item.get("id") is None:
        return None
    name = _name(item)
    return (str(item["id"]), name) if name else None


def _name(item: Mapping[str, Any]) -> str | None:
    """``name``, or an agent's ``contact.name``."""
    contact = item.get("contact")
    name = contact.get("name") if isinstance(contact, dict) else item.get("name")
    return name.strip() or None if isinstance(name, str) else None


def _ticket(path: Path, raw: streams.RawRecord, lookups: _Lookups) -> ImportedConversation:
    ticket = raw.value
    if not isinstance(ticket, dict):
        raise MalformedError("is not a JSON object")
    ticket_id = field_value(ticket, "id", parse_id)
    requester = field_value(ticket, "requester_id", optional_id)
    responder = field_value(ticket, "responder_id", optional_id)
    group = field_value(ticket, "group_id", optional_id)
    names = dict(lookups.names)
    embedded = ticket.get("requester")
    if requester and isinstance(embedded, dict) and _name(embedded):
        names[requester] = _name(embedded) or ""
    created = field_value(ticket, "created_at", parse_timestamp)
    source = ticket.get("source")
    messages = _description(ticket, ticket_id, requester, responder, source, created)
    messages.extend(_conversations(ticket, requester))
    messages = [_named(message, names) for message in messages]
    team = (lookups.groups.get(group) or f"group {group}") if group else None
    status = _status(ticket.get("status"))
    return ImportedConversation(
        source=SOURCE,
        id=ticket_id,
        messages=in_time_order(messages),
        channel=_channel(source),
        customer_id=requester,
        status=status,
        created_at=created,
        updated_at=field_value(ticket, "updated_at", parse_timestamp),
        tags=field_value(ticket, "tags", parse_tags),
        agents=agents_of(messages, team),
        outcomes=_outcomes(ticket, ticket_id, status, created, lookups),
        location=streams.origin(path, "ticket", raw, ticket_id),
    )


def _named(message: ImportedMessage, names: Mapping[str, str]) -> ImportedMessage:
    name = names.get(message.author_id)
    if message.role is not Role.CUSTOMER and name and looks_like_bot(name):
        return replace(message, role=Role.BOT, author_name=name)
    return replace(message, author_name=name) if name else message


def _description(
    ticket: Mapping[str, Any],
    ticket_id: str,
    requester: str | None,
    responder: str | None,
    source: object,
    created: datetime | None,
) -> list[ImportedMessage]:
    html = field_value(ticket, "description", optional_text)
    plain = field_value(ticket, "description_text", optional_text)
    text = clean_html(html) if html else clean_text(plain) if plain else ""
    outbound = source == _OUTBOUND and responder is not None
    author = responder if outbound else requester
    if not text or author is None:
        return []
    role = Role.AGENT if outbound else Role.CUSTOMER
    return [
        ImportedMessage(
            id=f"{ticket_id}-description", author_id=author, role=role, text=text, timestamp=created
        )
    ]


def _conversations(ticket: Mapping[str, Any], requester: str | None) -> list[ImportedMessage]:
    conversations = ticket.get("conversations")
    if conversations is None:
        return []
    if not isinstance(conversations, list):
        raise MalformedError(f"is {type(conversations).__name__}, not a list", "conversations")
    messages: list[ImportedMessage] = []
    for index, item in enumerate(conversations):
        where = f"conversations[{index}]."
        if not isinstance(item, dict):
            raise MalformedError("is not an object", f"conversations[{index}]")
        message_id = field_value(item, "id", parse_id, where=where)
        user = field_value(item, "user_id", optional_id, where=where)
        timestamp = field_value(item, "created_at", parse_timestamp, where=where)
        incoming, private = _flag(item, "incoming", where), _flag(item, "private", where)
        html = field_value(item, "body", optional_text, where=where)
        plain = field_value(item, "body_text", optional_text, where=where)
        if html is None and plain is None and "body" not in item and "body_text" not in item:
            raise MalformedError("the conversation has no body or body_text", f"{where}body")
        text = clean_html(html, is_reply=True) if html else clean_text(plain) if plain else ""
        if not text:
            log.debug("conversation %s has no text; skipped", message_id)
            continue
        if incoming or (user is not None and user == requester):
            role = Role.CUSTOMER
        elif user is None:
            role = Role.BOT
        else:
            role = Role.AGENT
        author = user if user is not None else (requester if incoming else _SYSTEM_AUTHOR)
        if author is None:
            raise MalformedError("an incoming message without user_id or requester", where)
        messages.append(
            ImportedMessage(
                id=message_id,
                author_id=author,
                role=role,
                text=text,
                timestamp=timestamp,
                public=not private,
            )
        )
    return messages


def _flag(item: Mapping[str, Any], key: str, where: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise MalformedError(f"{value!r} is not true or false", f"{where}{key}")
    return value


def _status(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return STATUSES.get(value, f"status {value}")
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    raise MalformedError(f"{value!r} is not a Freshdesk status", "status")


def _channel(source: object) -> str | None:
    if isinstance(source, int) and not isinstance(source, bool):
        return SOURCES.get(source, f"source {source}")
    if isinstance(source, str) and source.strip():
        return source.strip().lower()
    return None


def _outcomes(
    ticket: Mapping[str, Any],
    ticket_id: str,
    status: str | None,
    created: datetime | None,
    lookups: _Lookups,
) -> Outcomes:
    csat, csat_raw, comment = _rating(ticket.get("satisfaction_rating"), "satisfaction_rating")
    if csat_raw is None and ticket_id in lookups.ratings:
        csat, csat_raw, comment = _rating(lookups.ratings[ticket_id], "satisfaction_ratings")
    stats = ticket.get("stats")
    if stats is not None and not isinstance(stats, dict):
        raise MalformedError(f"is {type(stats).__name__}, not an object", "stats")
    stats = stats or {}
    first = field_value(stats, "first_responded_at", parse_timestamp, where="stats.")
    resolved_at = field_value(stats, "resolved_at", parse_timestamp, where="stats.")
    closed_at = field_value(stats, "closed_at", parse_timestamp, where="stats.")
    escalated = ticket.get("is_escalated")
    return Outcomes(
        csat=csat,
        csat_raw=csat_raw,
        csat_comment=comment,
        resolved=_RESOLVED.get(status) if status else None,
        escalated=escalated if isinstance(escalated, bool) else None,
        first_reply_minutes=minutes_between(created, first),
        resolution_minutes=minutes_between(created, resolved_at or closed_at),
    )


def _rating(value: object, field: str) -> tuple[float | None, str | None, str | None]:
    """(csat, raw, comment) from a satisfaction rating object or a bare value."""
    if value is None:
        return None, None, None
    comment: str | None = None
    score: object = value
    where = field
    if isinstance(value, dict):
        comment = field_value(value, "feedback", optional_text, where=f"{field}.")
        ratings = value.get("ratings")
        if isinstance(ratings, dict):
            score, where = ratings.get("default_question"), f"{field}.ratings.default_question"
        else:
            score, where = value.get("rating"), f"{field}.rating"
    if isinstance(score, int) and not isinstance(score, bool) and score in _HAPPINESS:
        return _HAPPINESS.index(score) / (len(_HAPPINESS) - 1), str(score), comment
    try:
        csat, raw = parse_csat(score)
    except ValueError as error:
        raise MalformedError(str(error), where) from None
    return csat, raw, comment
