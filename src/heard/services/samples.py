"""The bundled sample conversations, and the demo that assesses them (``heard demo``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from heard.assessment.engine import Assessor
from heard.errors import InputError
from heard.model import Conversation, Role, Speaker, Turn
from heard.results import Assessment

SAMPLE = "conversations.json"
HELPDESK = "helpdesk.jsonl"  # a synthetic help-desk export for the demo (see the samples README)


def sample_path() -> Path:
    return Path(str(resources.files("heard") / "data" / "samples" / SAMPLE))


def helpdesk_path() -> Path:
    return Path(str(resources.files("heard") / "data" / "samples" / HELPDESK))


def demo_settings_path() -> Path:
    """The settings file for the bundled help desk (a longer fatigue window: it is small)."""
    return Path(str(resources.files("heard") / "data" / "samples" / "heard.toml"))


def load_conversations(path: Path | None = None) -> list[Conversation]:
    """Conversations from a JSON document shaped like the bundled sample (see its README)."""
    source = path or sample_path()
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"cannot read conversations: {error}", where=str(source)) from error
    items = document.get("conversations") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise InputError("expected an object with a 'conversations' list", where=str(source))
    return [_conversation(item, f"{source}, conversation {i}") for i, item in enumerate(items)]


def _conversation(item: Any, where: str) -> Conversation:
    if not isinstance(item, dict):
        raise InputError("expected an object", where=where)
    try:
        team = item.get("team")
        speakers = {
            s["id"]: Speaker(
                s["id"], Role(s["role"]), s.get("name"), team if s["role"] == "agent" else None
            )
            for s in item["speakers"]
        }
        turns = tuple(
            Turn(
                t["id"],
                t["speaker_id"],
                t["text"],
                datetime.fromisoformat(t["timestamp"]) if t.get("timestamp") else None,
                t.get("reply_to"),
            )
            for t in item["turns"]
        )
    except KeyError as error:
        raise InputError("missing field", where=where, field=str(error.args[0])) from error
    except ValueError as error:
        raise InputError(str(error), where=where) from error
    return Conversation(str(item["id"]), turns, speakers, item.get("channel"))


@dataclass(frozen=True, slots=True)
class AssessedReply:
    """One agent reply of a conversation with its assessment."""

    conversation: Conversation
    turn: Turn
    agent: Speaker
    assessment: Assessment


def assess_conversations(
    assessor: Assessor, conversations: Sequence[Conversation]
) -> list[AssessedReply]:
    """Assess every agent reply in its context (the customer turns since the agent's last reply)."""
    pending = []
    for conversation in conversations:
        for item in conversation.replies_in_context():
            pending.append((conversation, item))
    assessments = assessor.assess_many(
        [(item.reply.text, item.context_text) for _, item in pending],
        histories=[item.history_text for _, item in pending],
    )
    return [
        AssessedReply(
            conversation, item.reply, conversation.speakers[item.reply.speaker_id], assessment
        )
        for (conversation, item), assessment in zip(pending, assessments, strict=True)
    ]
