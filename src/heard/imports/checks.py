"""The last check every record passes before it leaves a reader: text that both storage engines
can hold, and values that fit their columns.

- Text: a NUL character (PostgreSQL cannot store one) is removed and a lone UTF-16 surrogate
  (``"\\udc80"``, which JSON can carry and UTF-8 cannot) becomes U+FFFD, in message text, names,
  ids and every other string, so SQLite and PostgreSQL store the same thing.
- Sizes: an id, a channel, a status or a raw CSAT value longer than its column (``LIMITS``, the
  sizes in ``storage/tables.py``) makes the conversation a ``Reject`` that names the field, on
  both engines alike, instead of a database error that loses the batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from typing import Any

from heard.imports.records import ImportedConversation, Reject

# The column sizes of storage/tables.py (tests/test_hostile_inputs.py checks they agree).
LIMITS: dict[str, int] = {
    "id": 200,
    "message id": 200,
    "author id": 200,
    "agent id": 200,
    "agent name": 200,
    "team": 200,
    "channel": 64,
    "status": 32,
    "csat_raw": 64,
}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` without NUL characters and with lone surrogates replaced by U+FFFD."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    return value


def _cleaned(record: Any) -> Any:
    """A dataclass value with every string field (and tuple of strings) made storable."""
    changes = {}
    for item in fields(record):
        value = getattr(record, item.name)
        clean = _clean(value)
        if clean is not value and clean != value:
            changes[item.name] = clean
    return replace(record, **changes) if changes else record


def _too_long(conversation: ImportedConversation) -> tuple[str, str] | None:
    """(field, problem) for the first value longer than its column, or None."""
    checks: list[tuple[str, str, str | None]] = [
        ("id", "id", conversation.id),
        ("channel", "channel", conversation.channel),
        ("status", "status", conversation.status),
        ("csat_raw", "csat", conversation.outcomes.csat_raw),
    ]
    for index, message in enumerate(conversation.messages):
        checks.append(("message id", f"messages[{index}].id", message.id))
        checks.append(("author id", f"messages[{index}].author_id", message.author_id))
    for index, agent in enumerate(conversation.agents):
        checks.append(("agent id", f"agents[{index}].id", agent.id))
        checks.append(("agent name", f"agents[{index}].name", agent.name))
        checks.append(("team", f"agents[{index}].team", agent.team))
    for kind, field, value in checks:
        if value is not None and len(value) > LIMITS[kind]:
            return field, f"is {len(value)} characters long; at most {LIMITS[kind]} can be stored"
    return None


def checked_conversation(conversation: ImportedConversation) -> ImportedConversation:
    """``conversation`` with storable text everywhere (see the module docstring)."""
    result: ImportedConversation = replace(
        _cleaned(conversation),
        messages=tuple(_cleaned(m) for m in conversation.messages),
        agents=tuple(_cleaned(a) for a in conversation.agents),
        outcomes=_cleaned(conversation.outcomes),
    )
    return result


def checked(
    records: Iterable[ImportedConversation | Reject], path: str
) -> Iterator[ImportedConversation | Reject]:
    """Every record made storable; a conversation with a value too long for its column becomes
    a ``Reject`` naming it."""
    for record in records:
        if isinstance(record, Reject):
            yield _cleaned(record)
            continue
        conversation = checked_conversation(record)
        problem = _too_long(conversation)
        if problem is None:
            yield conversation
            continue
        field, message = problem
        yield Reject(path, _where(conversation, path), message, field)


def _where(conversation: ImportedConversation, path: str) -> str:
    """The conversation's place in the file, without the file's name: ``line 12``, ``ticket
    4711``."""
    origin = conversation.location
    if origin.startswith(f"{path}:"):
        return f"line {origin[len(path) + 1 :]}"
    if origin.startswith(f"{path}, "):
        return origin[len(path) + 2 :]
    return origin or f"conversation {conversation.id[:60]}"
