"""Properties of the Python interface on arbitrary Unicode (Hypothesis).

Texts are built from fragments: arbitrary text, control and format characters (including the
bidirectional overrides), combining marks, emoji sequences, right-to-left scripts, very long runs of
punctuation, and customer-service phrases that make the rules fire (so that findings, evidence and
rewrites are exercised, not just the empty case).
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import heard
from heard.errors import InputError
from heard.results import EMOTIONS, MECHANISMS, Assessment, Source, Span
from heard.services.models import assessor

MAX_CHARS = 10_000

REPLY_PHRASES = [
    "I'm so sorry about the double charge.",
    "I'm sorry you feel that way.",
    "Sorry if you were offended. ",
    "Please calm down. ",
    "As per our policy, refunds take 10 days.",
    "Rules are rules.",
    "You should have checked the parcel.",
    "It's just a simple reset, ",
    "I understand, but ",
    "Thank you for your patience. ",
    "Have a nice day!",
    "I've refunded the £24 and you'll see it by Friday.",
    "I'll call you back within 2 hours.",
    "Could you tell me what happened when you tried to log in?",
    "Is there anything else I can help you with today?",
    "That's not my department.",
    "That must be so frustrating, especially with your flight tomorrow.",
    "your order 48213",
    "the refund",
]
CUSTOMER_PHRASES = [
    "This is RIDICULOUS!!",
    "order 48213 STILL hasn't arrived.",
    "I'm really worried, my flight is tomorrow at 6am.",
    "This is the third time I've asked.",
    "I don't understand what 'pro-rata' means on my invoice?",
    "Thanks so much, it works now 😊",
    "I was charged twice.",
    "Nobody ever calls back.",
]
EMOJI = ["😡", "👍🏽", "👩‍👩‍👧‍👦", "🇬🇧", "❤️", "🙏", "\U0001f92c"]
RTL = ["שלום, ההזמנה שלי לא הגיעה", "مرحبا، لم يصل طلبي", "\u202e", "\u202b", "\u200f", "\u061c"]
WHITESPACE = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000"
)

controls = st.text(st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=5)
combining = st.text(st.characters(categories=["Mn", "Mc", "Me"]), min_size=1, max_size=8)
# Hyphen runs are kept shorter: a long one takes seconds (a known slowness with its own test,
# test_a_long_run_of_hyphens_is_assessed_as_fast_as_other_punctuation), which would make this
# file's run time depend on the draw.
punctuation_runs = st.one_of(
    st.builds(
        lambda mark, count: mark * count,
        st.sampled_from([*"!?.,;:…'\"*#([])", "?!", "!!!1", "...", " !"]),
        st.integers(min_value=1, max_value=12_000),
    ),
    st.builds(lambda count: "-" * count, st.integers(min_value=1, max_value=1_500)),
)


def texts(phrases: list[str]) -> st.SearchStrategy[str]:
    fragment = st.one_of(
        st.text(max_size=30),
        st.sampled_from(phrases),
        controls,
        combining,
        st.sampled_from(EMOJI),
        st.sampled_from(RTL),
        punctuation_runs,
        st.text(st.sampled_from(WHITESPACE), min_size=1, max_size=3),
    )
    return st.lists(fragment, max_size=8).map("".join)


replies = texts(REPLY_PHRASES).filter(lambda text: text.strip() != "")
contexts = texts(CUSTOMER_PHRASES)
whitespace = st.text(st.sampled_from(WHITESPACE), max_size=20)

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_span(span: Span, reply: str, context: str) -> None:
    source = reply if span.source is Source.REPLY else context
    assert 0 <= span.start < span.end <= len(source), span
    assert source[span.start : span.end] == span.text, span


def check_invariants(result: Assessment, reply: str, context: str) -> None:
    assert type(result.score) is int
    assert 0 <= result.score <= 100

    assert set(result.mechanisms) == set(MECHANISMS)
    for mechanism in result.mechanisms.values():
        assert mechanism.level in (0, 1, 2)
        assert len(mechanism.probabilities) == 3
        assert all(isinstance(p, float) and 0.0 <= p <= 1.0 for p in mechanism.probabilities)
        assert math.isclose(sum(mechanism.probabilities), 1.0, abs_tol=1e-6)
        for span in mechanism.evidence:
            assert span.source is Source.REPLY
            check_span(span, reply, context)

    codes = {finding.code for finding in result.findings}
    for finding in result.findings:
        assert finding.evidence, f"finding {finding.code} has no evidence"
        for span in finding.evidence:
            check_span(span, reply, context)

    assert 0 <= len(result.tips) <= 3
    for tip in result.tips:
        assert tip.finding in codes, (tip, codes)
        assert tip.text.strip()

    assert isinstance(result.rewrite, str)
    assert result.truncated == (len(reply) > MAX_CHARS or len(context) > MAX_CHARS)


@PROPERTY
@given(reply=replies, context=contexts)
@example(reply="!" * 20_000, context="?" * 20_000)
@example(reply="\u202eI'm sorry\u0301\u0301\u0301 about that.", context="😡" * 50)
@example(reply="ok", context="")
@example(reply="\x00\x1b[31mSorry\x1b[0m", context="\x00")
@example(reply="İİİ ﬁx ß", context="İ was charged twice")
def test_assess_never_raises_and_keeps_its_invariants(reply: str, context: str) -> None:
    result = heard.assess(reply, context=context)
    check_invariants(result, reply, context)


@PROPERTY
@given(reply=replies, context=contexts)
@example(reply="I'm sorry you feel that way.", context="")
def test_the_rewrite_is_never_empty(reply: str, context: str) -> None:
    assert heard.assess(reply, context=context).rewrite.strip()


@pytest.mark.parametrize(
    ("reply", "context"),
    [
        ("I'm sorry you feel that way.", ""),
        (
            "I'm sorry you feel that way.",
            "I've been on hold for 45 minutes three times this week. Nobody ever calls back.",
        ),
        ("Please calm down.", ""),
        ("Rules are rules.", ""),
        ("Sorry if you were offended.", ""),
    ],
)
def test_a_reply_that_is_all_anti_pattern_still_gets_a_rewrite(reply: str, context: str) -> None:
    assert heard.assess(reply, context=context).rewrite.strip()


@PROPERTY
@given(reply=whitespace, context=contexts)
def test_an_empty_or_blank_reply_raises_input_error(reply: str, context: str) -> None:
    with pytest.raises(InputError) as caught:
        heard.assess(reply, context=context)
    assert "reply" in str(caught.value).lower()
    assert isinstance(caught.value, ValueError)


@PROPERTY
@given(text=st.one_of(contexts, whitespace))
@example(text="")
@example(text="!" * 30_000)
def test_detect_emotion_never_raises_and_reads_validly(text: str) -> None:
    reading = heard.detect_emotion(text)
    assert reading.label in EMOTIONS
    assert isinstance(reading.intensity, float)
    assert 0.0 <= reading.intensity <= 1.0
    assert set(reading.scores) == set(EMOTIONS)
    assert all(0.0 <= p <= 1.0 for p in reading.scores.values())
    assert math.isclose(sum(reading.scores.values()), 1.0, abs_tol=1e-6)
    assert reading.scores[reading.label] == max(reading.scores.values())
    for cue in reading.cues:
        for span in cue.evidence:
            assert span.source is Source.CONTEXT
            check_span(span, "", text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=st.lists(st.tuples(replies, contexts), min_size=2, max_size=4))
def test_a_batch_assesses_each_pair_as_if_alone(pairs: list[tuple[str, str]]) -> None:
    """What the batch commands rely on: a pair's result does not depend on its neighbours."""
    engine = assessor("fast")
    together = engine.assess_many(pairs)
    for (reply, context), result in zip(pairs, together, strict=True):
        assert result.to_dict() == engine.assess(reply, context).to_dict()


def test_a_long_run_of_hyphens_is_assessed_as_fast_as_other_punctuation() -> None:
    heard.assess("Warm-up.")  # load the models first
    started = time.perf_counter()
    heard.assess("-" * MAX_CHARS)
    assert time.perf_counter() - started < 1.0
