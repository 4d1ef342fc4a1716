"""Zendesk Support tickets, as the API or an export tool writes them.

Accepted files: one JSON document (``{"tickets": [...], "users": [...], "groups": [...]}`` with
the API's side-loads, ``{"results": [...]}`` from search, or a top-level array of tickets), or
JSON Lines with one ticket per line. Each ticket carries its comments in a ``comments`` array;
a ticket without one (the plain tickets API) gets its ``description`` as the single, opening
customer message. Side-loaded ``users``, ``groups`` and ``metric_sets`` are read in their own
pass over the document, keeping only names, roles and the handful of metrics used; a JSONL line
may carry its own ``users`` and ``groups`` lists.

Mapping:

- conversation: ``id``; ``status``; ``requester_id`` → customer; ``via.channel`` → channel;
  ``tags``; ``created_at``/``updated_at``.
- messages: each comment, in time order; text from ``plain_body``, else ``body``, else
  ``html_body`` cleaned (quoted e-mail and signatures removed in every case); ``public: false``
  is an internal note (``public=False``). A comment with no text left (an attachment alone) is
  skipped.
- roles, first match: author ``-1`` (Zendesk itself), a user whose name is a bot's ("Answer
  Bot"), or a comment made through ``via.channel`` ``rule`` (a trigger or automation) or an
  Answer Bot channel → bot; the requester → customer; through ``via.channel`` ``api`` by someone
  not known as an agent or admin → bot (an integration, no human); a side-loaded user with role
  ``end-user`` → customer, ``agent``/``admin`` → agent; anyone else → agent (without side-loaded
  users, other end-users in copy are taken for agents).
- names from side-loaded users; team = the ticket's group name, else ``group <id>``.
- outcomes: ``solved``/``closed`` → resolved, ``new``/``open``/``pending``/``hold`` →
  unresolved; ``satisfaction_rating.score`` ``good`` → 1.0, ``bad`` → 0.0, ``offered`` and
  ``unoffered`` → None (the word kept in ``csat_raw``), a number (the newer 1-5 surveys) as in
  ``heard.imports.values``, ``comment`` → ``csat_comment``; from the metric set (embedded as
  ``metric_set``, ``ticket_metrics`` or ``metrics``, or side-loaded ``metric_sets``):
  ``reopens``, ``reply_time_in_minutes`` → first reply, ``full_resolution_time_in_minutes`` →
  resolution, ``requester_wait_time_in_minutes`` → wait, all in calendar minutes.

A ticket with anything malformed (a comment without an id or author, a timestamp that is not
one, a body that is not text) is rejected whole, naming the field (``comments[2].created_at``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
    optional_id,
    optional_text,
    parse_csat,
    parse_id,
    parse_tags,
    parse_timestamp,
)
from heard.model import Role

log = logging.getLogger(__name__)

SOURCE = "zendesk"
RECORD_KEYS = ("tickets", "results")
_RESOLVED = {
    "solved": True,
    "closed": True,
    "new": False,
    "open": False,
    "pending": False,
    "hold": False,
}
_METRIC_KEYS = (
    "reopens",
    "reply_time_in_minutes",
    "full_resolution_time_in_minutes",
    "requester_wait_time_in_minutes",
)
_SYSTEM_AUTHOR = "-1"


@dataclass(frozen=True, slots=True)
class _User:
    role: str | None
    name: str | None
    is_bot: bool


@dataclass(frozen=True, slots=True)
class _Lookups:
    users: Mapping[str, _User]
    groups: Mapping[str, str]
    metrics: Mapping[str, dict[str, Any]]


def read_zendesk(path: Path) -> Iterator[ImportedConversation | Reject]:
    """The tickets of a Zendesk export (see the module doc), one conversation per ticket."""
    lookups = _side_loads(path) if not streams.is_jsonl(path) else _Lookups({}, {}, {})
    yield from streams.conversations(
        path,
        kind="ticket",
        keys=RECORD_KEYS,
        build=lambda raw: _ticket(path, raw, lookups),
    )


def _side_loads(path: Path) -> _Lookups:
    found = streams.side_loads(path, ("users", "groups", "metric_sets"), _keep)
    return _Lookups(
        users={key: value for key, value in found["users"].items() if isinstance(value, _User)},
        groups={key: value for key, value in found["groups"].items() if isinstance(value, str)},
        metrics={
            key: value for key, value in found["metric_sets"].items() if isinstance(value, dict)
        },
    )


def _keep(key: str, item: dict[str, Any]) -> tuple[str, _User | str | dict[str, Any]] | None:
    if key == "metric_sets":
        ticket = item.get("ticket_id")
        if ticket is None:
            return None
        return str(ticket), {name: item.get(name) for name in _METRIC_KEYS}
    if item.get("id") is None:
        return None
    if key == "groups":
        name = item.get("name")
        return (str(item["id"]), name) if isinstance(name, str) else None
    return str(item["id"]), _user(item)


def _user(item: Mapping[str, Any]) -> _User:
    name = item.get("name") if isinstance(item.get("name"), str) else None
    role = item.get("role") if isinstance(item.get("role"), str) else None
    marked = bool(item.get("is_bot") or item.get("bot"))
    return _User(role=role, name=name, is_bot=marked or looks_like_bot(name))


def _ticket(path: Path, raw: streams.RawRecord, lookups: _Lookups) -> ImportedConversation:
    ticket = raw.value
    if not isinstance(ticket, dict):
        raise MalformedError("is not a JSON object")
    ticket_id = field_value(ticket, "id", parse_id)
    requester = field_value(ticket, "requester_id", optional_id)
    group = field_value(ticket, "group_id", optional_id)
    users, groups = _with_embedded(ticket, lookups)
    team = (groups.get(group) or f"group {group}") if group else None
    created = field_value(ticket, "created_at", parse_timestamp)
    messages = _messages(ticket, ticket_id, requester, users, created)
    status = field_value(ticket, "status", optional_text)
    return ImportedConversation(
        source=SOURCE,
        id=ticket_id,
        messages=messages,
        channel=_channel(ticket.get("via")),
        customer_id=requester,
        status=status,
        created_at=created,
        updated_at=field_value(ticket, "updated_at", parse_timestamp),
        tags=field_value(ticket, "tags", parse_tags),
        agents=agents_of(messages, team),
        outcomes=_outcomes(ticket, ticket_id, status, lookups),
        location=streams.origin(path, "ticket", raw, ticket_id),
    )


def _with_embedded(
    ticket: Mapping[str, Any], lookups: _Lookups
) -> tuple[Mapping[str, _User], Mapping[str, str]]:
    """The side-loaded users and groups, with any the ticket carries itself (JSONL)."""
    users, groups = lookups.users, lookups.groups
    if isinstance(ticket.get("users"), list):
        users = dict(users)
        for item in ticket["users"]:
            if isinstance(item, dict) and item.get("id") is not None:
                users[str(item["id"])] = _user(item)
    if isinstance(ticket.get("groups"), list):
        groups = dict(groups)
        for item in ticket["groups"]:
            if isinstance(item, dict) and item.get("id") is not None:
                kept = _keep("groups", item)
                if kept is not None and isinstance(kept[1], str):
                    groups[kept[0]] = kept[1]
    return users, groups


def _channel(via: object) -> str | None:
    if isinstance(via, dict) and isinstance(via.get("channel"), str):
        return str(via["channel"]) or None
    return None


def _messages(
    ticket: Mapping[str, Any],
    ticket_id: str,
    requester: str | None,
    users: Mapping[str, _User],
    created: datetime | None,
) -> tuple[ImportedMessage, ...]:
    comments = ticket.get("comments")
    if comments is None:
        return _description(ticket, ticket_id, requester, users, created)
    if not isinstance(comments, list):
        raise MalformedError(f"is {type(comments).__name__}, not a list", "comments")
    messages: list[ImportedMessage] = []
    for index, comment in enumerate(comments):
        where = f"comments[{index}]."
        if not isinstance(comment, dict):
            raise MalformedError("is not an object", f"comments[{index}]")
        comment_id = field_value(comment, "id", parse_id, where=where)
        author = field_value(comment, "author_id", parse_id, where=where)
        timestamp = field_value(comment, "created_at", parse_timestamp, where=where)
        public = comment.get("public", True)
        if not isinstance(public, bool):
            raise MalformedError(f"{public!r} is not true or false", f"{where}public")
        text = _comment_text(comment, where, is_reply=index > 0)
        if not text:
            log.debug("ticket %s comment %s has no text; skipped", ticket_id, comment_id)
            continue
        role = _role(author, _channel(comment.get("via")), requester, users)
        user = users.get(author)
        messages.append(
            ImportedMessage(
                id=comment_id,
                author_id=author,
                role=role,
                text=text,
                timestamp=timestamp,
                author_name=user.name
                if user
                else ("Zendesk" if author == _SYSTEM_AUTHOR else None),
                public=public,
            )
        )
    return in_time_order(messages)


def _description(
    ticket: Mapping[str, Any],
    ticket_id: str,
    requester: str | None,
    users: Mapping[str, _User],
    created: datetime | None,
) -> tuple[ImportedMessage, ...]:
    description = field_value(ticket, "description", optional_text)
    if not description or requester is None:
        return ()
    text = clean_text(description)
    if not text:
        return ()
    user = users.get(requester)
    return (
        ImportedMessage(
            id=f"{ticket_id}-description",
            author_id=requester,
            role=Role.CUSTOMER,
            text=text,
            timestamp=created,
            author_name=user.name if user else None,
        ),
    )


def _comment_text(comment: Mapping[str, Any], where: str, *, is_reply: bool) -> str:
    for key in ("plain_body", "body", "html_body"):
        value = comment.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise MalformedError(f"{value!r} is not text", f"{where}{key}")
        if value.strip():
            return clean_html(value, is_reply=is_reply) if key == "html_body" else clean_text(value)
    if all(comment.get(key) is None for key in ("plain_body", "body", "html_body")):
        raise MalformedError("the comment has no plain_body, body or html_body", f"{where}body")
    return ""


def _role(
    author: str, channel: str | None, requester: str | None, users: Mapping[str, _User]
) -> Role:
    user = users.get(author)
    if author == _SYSTEM_AUTHOR or (user is not None and user.is_bot):
        return Role.BOT
    if channel == "rule" or (channel is not None and "answer_bot" in channel):
        return Role.BOT
    if author == requester:
        return Role.CUSTOMER
    human_agent = user is not None and user.role in ("agent", "admin")
    if channel == "api" and not human_agent:
        return Role.BOT
    if user is not None and user.role == "end-user":
        return Role.CUSTOMER
    return Role.AGENT


def _outcomes(
    ticket: Mapping[str, Any], ticket_id: str, status: str | None, lookups: _Lookups
) -> Outcomes:
    csat: float | None = None
    csat_raw = comment = None
    rating = ticket.get("satisfaction_rating")
    if isinstance(rating, dict):
        csat, csat_raw = field_value(rating, "score", parse_csat, where="satisfaction_rating.")
        comment = field_value(rating, "comment", optional_text, where="satisfaction_rating.")
    elif rating is not None:
        csat, csat_raw = field_value(ticket, "satisfaction_rating", parse_csat)
    metrics, where = _metric_set(ticket, ticket_id, lookups)
    reopens = metrics.get("reopens")
    if reopens is not None and (isinstance(reopens, bool) or not isinstance(reopens, int)):
        raise MalformedError(f"{reopens!r} is not a count", f"{where}reopens")
    return Outcomes(
        csat=csat,
        csat_raw=csat_raw,
        csat_comment=comment,
        resolved=_RESOLVED.get(status.lower()) if status else None,
        reopens=reopens,
        first_reply_minutes=_minutes(metrics, "reply_time_in_minutes", where),
        resolution_minutes=_minutes(metrics, "full_resolution_time_in_minutes", where),
        wait_minutes=_minutes(metrics, "requester_wait_time_in_minutes", where),
    )


def _metric_set(
    ticket: Mapping[str, Any], ticket_id: str, lookups: _Lookups
) -> tuple[Mapping[str, Any], str]:
    for key in ("metric_set", "ticket_metrics", "metrics"):
        value = ticket.get(key)
        if isinstance(value, dict):
            return value, f"{key}."
        if value is not None:
            raise MalformedError(f"is {type(value).__name__}, not an object", key)
    return lookups.metrics.get(ticket_id, {}), f"metric_sets[ticket_id={ticket_id}]."


def _minutes(metrics: Mapping[str, Any], key: str, where: str) -> float | None:
    """Calendar minutes from ``{"calendar": 12, "business": 5}`` (or a bare number)."""
    value = metrics.get(key)
    if isinstance(value, dict):
        value = value.get("calendar")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise MalformedError(f"{value!r} is not a number of minutes", f"{where}{key}")
    return float(value)
