"""The flat rows analytics works on, as the storage layer hands them over.

One ``ReplyRow`` per scored agent reply and one ``ConversationRow`` per conversation. Texts are
already redacted. ``assessment`` is the assessment's JSON contract (``Assessment.to_dict()``): the
score, mechanism levels with evidence, findings with evidence, the customer's emotion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


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
    assessment: Mapping[str, Any]
    first_reply: bool = False  # the agent side's first reply in the conversation

    @property
    def score(self) -> int:
        return int(self.assessment["score"])

    @property
    def finding_codes(self) -> tuple[str, ...]:
        return tuple(f["code"] for f in self.assessment.get("findings", ()))

    def level(self, mechanism: str) -> int:
        return int(self.assessment["mechanisms"][mechanism]["level"])


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
