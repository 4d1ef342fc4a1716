"""Concurrent drafts scored in one batch each get their own assessment, in order."""

from __future__ import annotations

import asyncio
import json

from heard.services.models import assessor
from heard.web.batching import DraftScorer

DRAFTS = [
    (
        "I'm so sorry about the double charge; I've refunded it and it lands Thursday.",
        "I was charged twice!",
    ),
    ("Please calm down.", "This is the THIRD time my parcel is late!!"),
    ("You should have read the terms.", "Why was I charged a fee?"),
    ("Thanks, all sorted.", "Can you change my address to the new one?"),
    ("I understand how stressful that is. What error do you see?", "The app keeps crashing."),
] * 4


def test_a_batch_answers_each_draft_with_its_own_assessment() -> None:
    engine = assessor("fast")
    scorer = DraftScorer(engine)

    async def all_at_once() -> list[bytes]:
        return await asyncio.gather(*(scorer.score(reply, customer) for reply, customer in DRAFTS))

    answers = [json.loads(raw) for raw in asyncio.run(all_at_once())]
    alone = [engine.assess(reply, customer).to_dict() for reply, customer in DRAFTS]
    assert [a["score"] for a in answers] == [a["score"] for a in alone]
    assert [a["rewrite"] for a in answers] == [a["rewrite"] for a in alone]
    assert len({a["score"] for a in answers}) > 1  # they differ, so a mix-up would show


def test_a_draft_the_engine_refuses_fails_alone() -> None:
    engine = assessor("fast")
    scorer = DraftScorer(engine)

    async def run() -> list[object]:
        return await asyncio.gather(
            scorer.score("Thanks, I've sorted that.", "My order is late."),
            scorer.score("   ", "a blank draft is refused"),
            scorer.score("Please calm down.", "This is the THIRD time!!"),
            return_exceptions=True,
        )

    first, blank, last = asyncio.run(run())
    assert isinstance(blank, ValueError) and "empty" in str(blank)
    assert isinstance(first, bytes) and isinstance(last, bytes)
    assert json.loads(last)["score"] < json.loads(first)["score"]
