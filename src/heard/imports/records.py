"""What every reader yields: help-desk conversations in one shape, whatever the source.

Readers turn an export (Zendesk, Freshdesk, Intercom, Twitter, generic CSV/JSONL) into
``ImportedConversation`` values and ``Reject`` values for what they could not read. A reader may
yield the same conversation more than once with different messages (a generic CSV whose rows are not
grouped, a Twitter thread spread over the file): storage merges them by message id, so a
conversation is complete once the whole export has been read.

Text here is the clean text of a message (HTML removed, quoted e-mail and signatures stripped), not
yet redacted: redaction happens in the import service, before anything is stored.

The conversation values are the domain model's (:mod:`heard.model`), what storage keeps; named
here too, for the readers. ``Reject`` is the readers' own.
"""

from __future__ import annotations

from dataclasses import dataclass

from heard.model import ImportedAgent, ImportedConversation, ImportedMessage, Outcomes


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


__all__ = ["ImportedAgent", "ImportedConversation", "ImportedMessage", "Outcomes", "Reject"]
