"""What every reader yields: help-desk conversations in one shape, whatever the source.

Readers turn an export (Zendesk, Freshdesk, Intercom, Twitter, generic CSV/JSONL) into
``ImportedConversation`` values and ``Reject`` values for what they could not read. A reader may
yield the same conversation more than once with different messages (a generic CSV whose rows are not
grouped, a Twitter thread spread over the file): storage merges them by message id, so a
conversation is complete once the whole export has been read.

Text here is the clean text of a message (HTML removed, quoted e-mail and signatures stripped), not
yet redacted: redaction happens in the import service, before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from heard.model import Role


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


@dataclass(frozen=True, slots=True)
class Reject:
    """Something a reader skipped, and exactly where: file, line or record id, and field."""

    file: str
    location: str  # "line 12", "ticket 4711", "tweet 119237"
    problem: str
    field: str | None = None

    def describe(self) -> str:
        where = f"{self.file}, {self.location}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.problem}"
