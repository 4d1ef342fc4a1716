"""The flat rows analytics works on, as the storage layer hands them over.

One ``ReplyRow`` per scored agent reply and one ``ConversationRow`` per conversation. Texts are
already redacted. ``document`` is the assessment as stored (its JSON contract,
``Assessment.to_dict()``); code reads it as a value, ``row.assessment`` (an
:class:`~heard.results.Assessment`, read from the document on first use, so a row whose score
alone is needed never builds one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from heard.results import Assessment


@dataclass(frozen=True)
class ReplyRow:
    conversation_id: str  # "source:id", unique across sources
    message_id: str
    agent_id: str
    agent_name: str | None
    team: str | None
    timestamp: datetime | None
    channel: str | None
    reply: str
    context: str
    document: Mapping[str, Any]
    first_reply: bool = False  # the agent side's first reply in the conversation

    @cached_property
    def assessment(self) -> Assessment:
        return Assessment.from_dict(self.document, reply=self.reply, context=self.context)

    @property
    def score(self) -> int:
        return int(self.document["score"])

    @property
    def finding_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.assessment.findings)

    def level(self, mechanism: str) -> int | None:
        """The mechanism's level, None when the assessment has no reading of it."""
        found = self.assessment.mechanisms.get(mechanism)
        return None if found is None else found.level


@dataclass(frozen=True)
class ConversationRow:
    conversation_id: str
    agent_id: str | None  # the agent who wrote most of the replies
    team: str | None
    channel: str | None
    started_at: datetime | None
    customer_turns: int
    agent_turns: int
    start_emotion: str | None
    start_intensity: float | None
    peak_emotion: str | None
    peak_intensity: float | None
    end_emotion: str | None
    end_intensity: float | None
    trajectory: str | None  # see heard.analytics.trajectory.TRAJECTORIES
    first_reply_score: int | None
    resolved: bool | None
    csat: float | None
    # more of what the source says (None is unknown, never zero)
    customer_key: str | None = None  # pseudonymised
    escalated: bool | None = None
    reopens: int | None = None
    wait_minutes: float | None = None
    first_reply_minutes: float | None = None
    handle_minutes: float | None = None
