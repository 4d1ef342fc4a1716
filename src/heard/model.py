"""The conversation data model, in ConvoKit's vocabulary: speakers take turns in a conversation.

A help-desk conversation as the readers import it and storage keeps it (``ImportedConversation``:
its messages, agents and outcomes) is here too; scoring reads it as a ``Conversation``.

These are plain frozen values: nothing here reads files, talks to a database or looks at a clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from heard.errors import InputError


class Role(StrEnum):
    """Who is speaking: the customer, a human agent, or an automated bot."""

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"


@dataclass(frozen=True, slots=True)
class Speaker:
    """A participant in a conversation."""

    id: str
    role: Role
    name: str | None = None
    team: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """One message. `reply_to` names the turn it answers, when the source says so."""

    id: str
    speaker_id: str
    text: str
    timestamp: datetime | None = None
    reply_to: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyInContext:
    """An agent turn with the customer turns it answers (those since the agent's previous turn)."""

    reply: Turn
    context: tuple[Turn, ...]
    history: tuple[Turn, ...] = ()  # earlier customer turns, before the context

    @property
    def history_text(self) -> str:
        return join_context(turn.text for turn in self.history)

    @property
    def context_text(self) -> str:
        """The customer turns joined by blank lines; evidence offsets on the context index this."""
        return join_context(turn.text for turn in self.context)


CONTEXT_SEPARATOR = "\n\n"


def join_context(texts: Iterator[str] | tuple[str, ...] | list[str]) -> str:
    """Join several customer messages into the one context string the engine reads."""
    return CONTEXT_SEPARATOR.join(text for text in texts if text)


@dataclass(frozen=True)
class Conversation:
    """Turns in order, and the speakers they belong to (every turn's speaker must be known)."""

    id: str
    turns: tuple[Turn, ...]
    speakers: Mapping[str, Speaker] = field(default_factory=dict)
    channel: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "turns", tuple(self.turns))
        object.__setattr__(self, "speakers", MappingProxyType(dict(self.speakers)))
        seen: set[str] = set()
        for index, turn in enumerate(self.turns):
            if turn.id in seen:
                raise InputError(
                    f"turn id {turn.id!r} appears twice",
                    where=f"conversation {self.id}",
                    field="id",
                )
            seen.add(turn.id)
            if turn.speaker_id not in self.speakers:
                raise InputError(
                    f"turn {index} ({turn.id!r}) has speaker {turn.speaker_id!r}, "
                    f"which is not among the conversation's speakers {sorted(self.speakers)}",
                    where=f"conversation {self.id}",
                    field="speaker_id",
                )

    def role_of(self, turn: Turn) -> Role:
        return self.speakers[turn.speaker_id].role

    def replies_in_context(self) -> Iterator[ReplyInContext]:
        """Each agent turn with the customer turns since the previous agent turn.

        Bot turns are neither replies nor context. An agent turn that follows another agent turn
        has an empty context (it continues the agent's previous message).
        """
        pending: list[Turn] = []
        earlier: list[Turn] = []
        for turn in self.turns:
            role = self.role_of(turn)
            if role is Role.CUSTOMER:
                pending.append(turn)
            elif role is Role.AGENT:
                yield ReplyInContext(reply=turn, context=tuple(pending), history=tuple(earlier))
                earlier.extend(pending)
                pending = []


# --- a help-desk conversation as imported and stored -------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedMessage:
    """One message. ``public`` is False for internal notes, which are stored but never scored."""

    id: str
    author_id: str
    role: Role
    text: str
    timestamp: datetime | None = None
    author_name: str | None = None
    public: bool = True
    # how many of each kind of personal data redaction replaced (set by the import service)
    redacted: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What the source says about how the conversation went. Missing is None, never zero.

    ``csat`` is normalised to [0, 1] (1 = satisfied); ``csat_raw`` keeps the source's own value
    (for example ``"good"`` or ``4``) so nothing is lost in the normalisation.
    """

    csat: float | None = None
    csat_raw: str | None = None
    csat_comment: str | None = None
    resolved: bool | None = None
    reopens: int | None = None
    escalated: bool | None = None
    first_reply_minutes: float | None = None
    resolution_minutes: float | None = None
    handle_minutes: float | None = None
    wait_minutes: float | None = None


@dataclass(frozen=True, slots=True)
class ImportedAgent:
    """A person (or bot) on the service side, as the source names them."""

    id: str
    name: str | None = None
    team: str | None = None
    is_bot: bool = False


@dataclass(frozen=True)
class ImportedConversation:
    """A conversation (ticket, chat, thread) and its messages in time order."""

    source: str  # "zendesk", "freshdesk", "intercom", "twcs", "generic"
    id: str  # the source's own id, unique within the source
    messages: tuple[ImportedMessage, ...]
    channel: str | None = None
    customer_id: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    tags: tuple[str, ...] = ()
    agents: tuple[ImportedAgent, ...] = ()  # who the agent/bot author ids are, when known
    outcomes: Outcomes = field(default_factory=Outcomes)
    location: str = ""  # where it came from, for messages about it ("tickets.jsonl:12")
