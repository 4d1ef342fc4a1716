"""The public Python interface and the engine's contract."""

from __future__ import annotations

import pytest

import heard
from heard.errors import InputError
from heard.results import EMOTIONS, MECHANISMS, FindingKind
from heard.services.models import assessor, check_tier


def test_assess_returns_a_complete_value() -> None:
    result = heard.assess(
        "I'm so sorry about the double charge. I've refunded £34.99 today; it will be back by Friday.",
        context="I was charged twice for my subscription!! I'm really worried about my rent.",
    )
    assert 0 <= result.score <= 100
    assert set(result.mechanisms) == set(MECHANISMS)
    assert result.customer.emotion.label in EMOTIONS
    assert result.customer.emotion.label == "anxious"  # the customer says so
    assert result.has("apology") and result.has("clear_next_steps")
    assert 1 <= len(result.tips) <= 3
    assert result.rewrite
    data = result.to_dict()
    for key in ("score", "mechanisms", "customer_emotion", "findings", "tips", "rewrite"):
        assert key in data
    assert set(data["customer_emotion"]["scores"]) == set(EMOTIONS)


def test_context_may_be_several_messages() -> None:
    result = heard.assess(
        "Sorry about that! I've sent it again today.", ["Where is it?", "Still nothing!!"]
    )
    assert result.context == "Where is it?\n\nStill nothing!!"
    for finding in result.findings:
        for span in finding.evidence:
            text = result.reply if span.source == "reply" else result.context
            assert text[span.start : span.end] == span.text


@pytest.mark.parametrize("reply", ["", "   ", "\n\t"])
def test_empty_reply_is_a_clear_error(reply: str) -> None:
    with pytest.raises(InputError, match="reply is empty"):
        heard.assess(reply, "hello")


def test_long_texts_are_assessed_on_a_prefix() -> None:
    reply = "I'm sorry about the delay. " * 20_000
    result = heard.assess(reply, "where is my order " * 50_000)
    assert result.truncated
    assert len(result.reply) == 10_000 and reply.startswith(result.reply)


def test_detect_emotion() -> None:
    reading = heard.detect_emotion("I'm so confused, which button do I press?")
    assert reading.label == "confused"
    assert abs(sum(reading.scores.values()) - 1) < 1e-6
    assert any(cue.code == "self_report" for cue in reading.cues)
    calm = heard.detect_emotion("")
    assert calm.label == "neutral" and calm.intensity == 0.0


def test_unknown_tier_names_the_choices() -> None:
    with pytest.raises(InputError, match="unknown tier 'turbo'; choose one of: fast, accurate"):
        check_tier("turbo")


def test_histories_must_match_pairs() -> None:
    with pytest.raises(InputError, match="1 histories for 2 pairs"):
        assessor().assess_many([("a", ""), ("b", "")], histories=["x"])


def test_history_counts_for_personalisation_only() -> None:
    engine = assessor()
    reply = "Your Fibre Max router is on its way."
    plain = engine.assess_many([(reply, "ok thanks")])[0]
    informed = engine.assess_many([(reply, "ok thanks")], histories=["My Fibre Max router broke"])[
        0
    ]
    assert not plain.has("personalised") and informed.has("personalised")
    assert plain.customer == informed.customer


def test_a_perfect_reply_gets_a_keep_going_tip() -> None:
    result = heard.assess(
        "I'm so sorry your parcel arrived broken again, I can see how frustrating this is. That's "
        "on us. I've sent a replacement today and it will reach you by Friday. What time suits you?",
        "My parcel arrived broken, the second time this month!",
    )
    problems = [f for f in result.findings if f.kind is not FindingKind.STRENGTH]
    assert not problems, problems
    assert len(result.tips) == 1 and result.tips[0].text.startswith("Keep")


def test_a_past_action_in_a_relative_clause_is_not_a_next_step() -> None:
    for reply in ("The code is in the email we sent.", "The code is in the email that we sent."):
        result = heard.assess(reply, "Where is my code?")
        assert not result.has("next_steps") and not result.has("clear_next_steps"), reply
        # it answers the question ("where"), so no next step is missing
        assert result.has("answers_question") and not result.has("no_next_steps"), reply
    assert heard.assess("I checked and we sent it today.", "Where is my code?").has(
        "clear_next_steps"
    )


def test_interpretations_are_read_from_the_pair_with_evidence() -> None:
    """The interpretations level comes from the listening model's pair head (what *this*
    customer said matters); emotional reactions still read the reply alone; a level above 0
    always quotes its evidence."""
    engine = assessor()
    listening = engine.tier.listening
    assert listening is not None
    reply = (
        "Losing the deposit right before the move must be frightening. "
        "I went through the same thing with a landlord two years ago."
    )
    own = "My landlord kept my whole deposit and I move out on Friday, I'm panicking."
    other = "What time do you open on Saturday?"
    with_own, with_other = engine.assess_many([(reply, own), (reply, other)], listen=True)
    expected = listening.interpretations.predict_proba([own, other], [reply, reply])
    for result, row in zip((with_own, with_other), expected, strict=True):
        assert result.mechanisms["interpretations"].probabilities == pytest.approx(tuple(row))
    assert (
        with_own.mechanisms["interpretations"].probabilities
        != with_other.mechanisms["interpretations"].probabilities
    )
    assert (
        with_own.mechanisms["emotional_reactions"].probabilities
        == with_other.mechanisms["emotional_reactions"].probabilities
    )
    interpretation = with_own.mechanisms["interpretations"]
    assert interpretation.level > 0
    assert interpretation.evidence and all(span.text in reply for span in interpretation.evidence)


def _detector_cases() -> list[tuple[str, str]]:
    """(reply, context) of every hand-written detector case: varied real shapes of reply."""
    from pathlib import Path

    import yaml

    cases_file = Path(__file__).parent / "cases" / "detectors.yaml"
    data = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
    return [
        (case["reply"], case["context"])
        for group, cases in data.items()
        if group != "contexts"
        for case in cases
    ]


def test_an_assessment_round_trips_through_its_json() -> None:
    import json

    from heard.results import Assessment

    cases = _detector_cases()
    assert len(cases) > 300
    labelled = 0
    for reply, context in cases:
        value = heard.assess(reply, context=context)
        document = json.loads(json.dumps(value.to_dict()))
        back = Assessment.from_dict(document, reply=reply, context=context)
        assert back.to_dict() == value.to_dict()
        assert back.findings == value.findings  # codes, kinds, evidence, labels and scorers
        assert back.tips == value.tips and back.rewrite == value.rewrite
        assert {n: m.level for n, m in back.mechanisms.items()} == {
            n: m.level for n, m in value.mechanisms.items()
        }
        assert back.customer.needs.questions == value.customer.needs.questions
        labelled += any(s.label for f in back.findings for s in f.evidence)
    assert labelled > 10  # labels are kept, not just absent


def test_an_assessment_stored_before_scorers_were_kept_still_reads() -> None:
    from heard.results import Assessment

    value = heard.assess("I'm sorry. I've refunded the £40 today.", context="I was charged twice!")
    document = value.to_dict()
    for finding in document["findings"]:
        del finding["scorer"]
    back = Assessment.from_dict(document)
    assert [f.code for f in back.findings] == [f.code for f in value.findings]
    assert {f.scorer for f in back.findings} == {""}
    assert back.reply == "" and back.score == value.score
    del document["customer_emotion"]
    with pytest.raises(KeyError, match="customer_emotion"):
        Assessment.from_dict(document)
