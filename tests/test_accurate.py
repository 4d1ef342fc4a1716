"""The shipped accurate tier, for real: the fine-tuned encoder run with ONNX Runtime (int8)."""

from __future__ import annotations

import pytest

from heard.results import EMOTIONS, MECHANISMS
from heard.services.models import assessor

pytestmark = pytest.mark.encoder


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return assessor("accurate")


def test_accurate_tier_reads_the_customer(engine) -> None:  # type: ignore[no-untyped-def]
    readings = engine.detect_emotions(
        [
            "I'm terrified my account has been hacked, all my savings are in there",
            "Thank you so much, the replacement arrived and it's perfect!",
            "Please update my delivery address to 12 Park Lane, Leeds.",
        ]
    )
    assert [r.label for r in readings] == ["anxious", "satisfied", "neutral"]
    for reading in readings:
        assert set(reading.scores) == set(EMOTIONS)
        assert abs(sum(reading.scores.values()) - 1) < 1e-6


def test_accurate_tier_levels_and_token_evidence(engine) -> None:  # type: ignore[no-untyped-def]
    context = "My dad is in hospital and I can't travel on Saturday. I don't know what to do."
    warm = (
        "I'm so sorry to hear about your dad, that must be really frightening. What dates would "
        "work better for you?"
    )
    cold = "Bookings cannot be changed."
    warm_result, cold_result = engine.assess_many([(warm, context), (cold, context)])
    assert warm_result.tier == "accurate"
    assert warm_result.mechanisms["emotional_reactions"].level > 0
    assert warm_result.mechanisms["explorations"].level > 0
    assert cold_result.mechanisms["emotional_reactions"].level == 0
    assert warm_result.score > cold_result.score + 30
    for name in MECHANISMS:
        result = warm_result.mechanisms[name]
        assert abs(sum(result.probabilities) - 1) < 1e-6
        for span in result.evidence:
            assert warm[span.start : span.end] == span.text
    question = warm_result.mechanisms["explorations"].evidence
    assert any("What dates" in span.text for span in question)


def test_accurate_tier_handles_empty_context_and_long_text(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.assess("I've refunded it. " * 2000, "")
    assert result.truncated
    assert result.customer.emotion.label == "neutral"
