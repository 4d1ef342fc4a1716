"""Field values as help-desk exports write them: timestamps, yes/no flags, satisfaction scores,
ids, and the names automated authors go by.

Every parser raises ``ValueError`` with a message that names the value and what was expected;
readers turn that into a ``Reject`` for the record, with the field it came from.

Satisfaction (CSAT) is normalised to [0, 1], 1 being satisfied:

- words: ``good`` → 1.0, ``bad`` → 0.0; ``offered``/``unoffered`` (a survey sent or not, with no
  answer) → None, the word kept as the raw value;
- a whole number from 1 to 5 is a 1–5 rating → (x − 1) / 4, so 1 → 0.0, 3 → 0.5, 5 → 1.0;
- a number with a decimal point between 0 and 1 is already on the 0–1 scale and is kept as is
  (``"1.0"`` → 1.0, whereas ``"1"`` → 0.0); one between 1 and 5 (an average such as 4.5) is read
  on the 1–5 scale; the whole number 0 is 0.0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TypeVar

from heard.imports.records import ImportedAgent, ImportedMessage
from heard.model import Role
from heard.times import storable

T = TypeVar("T")
LARGEST = 2**31 - 1  # counts and minutes beyond this are not a help desk's (and overflow storage)
_EPOCH = datetime.fromtimestamp(0, tz=UTC)


class MalformedError(ValueError):
    """A record a reader cannot use: what is wrong, and in which field. Readers turn it into a
    ``Reject`` for the whole record."""

    def __init__(self, problem: str, field: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.field = field


def field_value(
    record: Mapping[str, object], key: str, parse: Callable[[object], T], *, where: str = ""
) -> T:
    """``parse(record[key])``; a ``ValueError`` becomes ``MalformedError`` for ``where + key``."""
    try:
        return parse(record.get(key))
    except ValueError as error:
        raise MalformedError(str(error), f"{where}{key}") from None


_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_CSAT_WORDS: dict[str, float | None] = {
    "good": 1.0,
    "bad": 0.0,
    "offered": None,
    "unoffered": None,
}

# Whole names that only automated authors go by (Intercom's "Operator" and "Fin", Zendesk's
# "Answer Bot" and system user), and "bot" as a word or a suffix of one ("Chatbot", "Acme Bot").
# A person called "Fin Murphy" or "Ian Abbot" is not a bot.
_BOT_NAMES = frozenset(
    {
        "operator",
        "fin",
        "fin ai agent",
        "answer bot",
        "answerbot",
        "zendesk",
        "system",
        "automation",
        "automated",
        "autoresponder",
        "auto-reply",
        "virtual assistant",
        "freddy",
        "freddy ai",
    }
)
_BOT_WORD = re.compile(r"(?:\b|chat|answer|help|support)bot\b", re.IGNORECASE)


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 string (``2024-03-01T09:15:00Z``) or Unix seconds, as an aware UTC datetime.

    Timestamps without a zone are read as UTC. None or an empty string is None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a timestamp (expected ISO 8601 or Unix seconds)")
    if isinstance(value, int | float):
        return _from_unix(float(value))
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a timestamp (expected ISO 8601 or Unix seconds)")
    text = value.strip()
    if re.fullmatch(r"\d{9,11}(?:\.\d+)?", text):
        return _from_unix(float(text))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a timestamp (expected ISO 8601 such as 2024-03-01T09:15:00Z, "
            "or Unix seconds)"
        ) from None
    return storable(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def _from_unix(seconds: float) -> datetime:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{seconds!r} is not a Unix time in seconds")
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{seconds!r} is not a Unix time in seconds") from None


def parse_bool(value: object) -> bool | None:
    """true/false, yes/no, y/n, t/f, 1/0 (any case), or a JSON boolean; empty is None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError(f"{value!r} is not a yes/no value (expected true/false, yes/no or 1/0)")


def parse_count(value: object) -> int | None:
    """A whole number >= 0 (``3``, ``"3"``, ``3.0``); empty is None (unknown, not zero)."""
    number = _number(value, "a count (a whole number >= 0)")
    if number is None:
        return None
    if number < 0 or number != int(number):
        raise ValueError(f"{value!r} is not a count (a whole number >= 0)")
    return int(number)


def parse_minutes(value: object) -> float | None:
    """A duration in minutes >= 0; empty is None (unknown, not zero)."""
    number = _number(value, "a number of minutes (>= 0)")
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"{value!r} is negative; expected a number of minutes (>= 0)")
    return number


def _number(value: object, expected: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not {expected}")
    try:
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            number = float(value.strip())
        else:
            raise ValueError(f"{_short(value)} is not {expected}")
    except (ValueError, OverflowError):
        raise ValueError(f"{_short(value)} is not {expected}") from None
    if not math.isfinite(number) or abs(number) > LARGEST:
        raise ValueError(f"{_short(value)} is out of range for {expected}")
    return number


def _short(value: object, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages about a huge value."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_csat(value: object) -> tuple[float | None, str | None]:
    """The normalised CSAT in [0, 1] (or None) and the raw value as text; see the module doc."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a satisfaction score")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _CSAT_WORDS:
            return _CSAT_WORDS[word], word
        try:
            number = float(word)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a satisfaction score (expected good/bad, 1-5, or 0-1)"
            ) from None
        whole = re.fullmatch(r"[+-]?\d+", word) is not None
        return _scale(number, whole=whole, raw=value), value.strip()
    if isinstance(value, int | float):
        return _scale(float(value), whole=isinstance(value, int), raw=value), str(value)
    raise ValueError(f"{value!r} is not a satisfaction score (expected good/bad, 1-5, or 0-1)")


def _scale(number: float, *, whole: bool, raw: object) -> float:
    if whole and 1 <= number <= 5:
        return (number - 1) / 4
    if 0 <= number <= 1:
        return number
    if 1 < number <= 5:
        return (number - 1) / 4
    raise ValueError(f"{raw!r} is out of range for a satisfaction score (expected 1-5 or 0-1)")


def parse_id(value: object) -> str:
    """A record id as text: a non-empty string or a whole number (``12.0`` is ``"12"``)."""
    if value is None or value == "":
        raise ValueError("is missing")
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"{value!r} is not an id")


def optional_id(value: object) -> str | None:
    """Like ``parse_id``, but None or empty is None."""
    if value is None or value == "":
        return None
    return parse_id(value)


def looks_like_bot(name: str | None) -> bool:
    """Whether a display name is one that automated authors go by (see ``_BOT_NAMES``)."""
    if not name:
        return False
    folded = " ".join(name.lower().split())
    return folded in _BOT_NAMES or _BOT_WORD.search(name) is not None


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    """Minutes from ``start`` to ``end``, None if either is missing or ``end`` comes first."""
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 60


def in_time_order(messages: list[ImportedMessage]) -> tuple[ImportedMessage, ...]:
    """Messages sorted by timestamp (stable); in the source's order if any lacks one."""
    if any(message.timestamp is None for message in messages):
        return tuple(messages)
    return tuple(sorted(messages, key=lambda message: message.timestamp or _EPOCH))


def parse_tags(value: object) -> tuple[str, ...]:
    """A list of tag names (strings, or objects with a ``name``), as a tuple; None is ()."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"{value!r} is not a list of tags")
    tags: list[str] = []
    for tag in value:
        name = tag.get("name") if isinstance(tag, dict) else tag
        if not isinstance(name, str):
            raise ValueError(f"{tag!r} is not a tag name")
        if name.strip():
            tags.append(name.strip())
    return tuple(tags)


def optional_text(value: object) -> str | None:
    """A string, stripped; None or an empty string is None; anything else is a ValueError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value.strip() or None


def agents_of(messages: Iterable[ImportedMessage], team: str | None) -> tuple[ImportedAgent, ...]:
    """The agents and bots who wrote ``messages``, in order of first message; people get
    ``team`` (the conversation's group or team), bots none."""
    agents: dict[str, ImportedAgent] = {}
    for message in messages:
        if message.role is not Role.CUSTOMER and message.author_id not in agents:
            is_bot = message.role is Role.BOT
            agents[message.author_id] = ImportedAgent(
                id=message.author_id,
                name=message.author_name,
                team=None if is_bot else team,
                is_bot=is_bot,
            )
    return tuple(agents.values())
