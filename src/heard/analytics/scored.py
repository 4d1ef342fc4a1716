"""What scoring found in one conversation: each reply's assessment key and the customer's
trajectory. The scoring service makes these; storage keeps them (assessments, reply links and the
conversation's summary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heard.analytics.trajectory import Trajectory


@dataclass
class ScoredReply:
    message_id: str
    cache_key: str
    first_reply: bool
    assessment: dict[str, Any] | None  # None when it was already cached


@dataclass
class ScoredConversation:
    """What scoring found in one conversation (what the database stores for it)."""

    conversation_id: str
    replies: list[ScoredReply]
    trajectory: Trajectory | None
    customer_turns: int
    agent_turns: int
    primary_agent: str | None


__all__ = ["ScoredConversation", "ScoredReply"]
