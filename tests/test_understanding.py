"""The customer readings: intensity, complexity, communication style and self-reported emotion.

Intensity and self-reports go through ``heard.detect_emotion`` (the fast tier's model plus the
documented lexical cues); complexity and style are read by the rule modules directly, and checked
once through ``heard.assess`` to make sure the engine hands them on.

Cases the engine currently gets wrong are kept as strict xfails with the reason.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

import heard
from heard.results import EMOTIONS, Cue, Source
from heard.understanding.complexity import COMPLEX_AT, assess_complexity
from heard.understanding.intensity import intensity, intensity_cues
from heard.understanding.self_report import SELF_REPORT_BOOST, self_reports
from heard.understanding.style import assess_style


def check_spans(text: str, cues: tuple[Cue, ...] | list[Cue]) -> None:
    """Every span of every cue quotes ``text`` exactly and points into the context."""
    for cue in cues:
        for span in cue.evidence:
            assert span.source == Source.CONTEXT
            assert 0 <= span.start < span.end <= len(text), (cue.code, span)
            assert text[span.start : span.end] == span.text, (cue.code, span)


def cue(cues: tuple[Cue, ...] | list[Cue], code: str) -> Cue:
    found = [c for c in cues if c.code == code]
    assert found, f"no {code!r} cue among {[c.code for c in cues]}"
    return found[0]


def quoted(c: Cue) -> list[str]:
    return [span.text.lower() for span in c.evidence]


def xfail(reason: str):
    return pytest.mark.xfail(reason=reason, strict=True)


# --- intensity --------------------------------------------------------------------------------

LADDERS = [
    pytest.param(
        "frustrated",
        [
            "I'm a bit annoyed my parcel is late",
            "I'm annoyed my parcel is late",
            "I'm really annoyed my parcel is late!!",
            "I am FURIOUS!!! This is the third time, absolutely unacceptable",
        ],
        id="frustrated-parcel",
    ),
    pytest.param(
        "anxious",
        [
            "I'm a little worried my payment hasn't gone through.",
            "I'm worried my payment hasn't gone through.",
            "I am TERRIFIED!!! Someone has emptied my account and I can't reach ANYONE. "
            "This is a nightmare.",
        ],
        id="anxious-payment",
    ),
    pytest.param(
        "disappointed",
        [
            "I'm a bit upset the hotel room wasn't ready.",
            "I'm upset the hotel room wasn't ready.",
            "I am DEVASTATED!!! My wedding dress arrived ruined, absolutely heartbroken, this "
            "is a disaster",
        ],
        id="disappointed-hotel-dress",
    ),
    pytest.param(
        "disappointed",
        [
            "I'm slightly disappointed the jumper was a different colour.",
            "I'm disappointed the jumper was a different colour.",
            "I'm really disappointed the jumper was a different colour.",
        ],
        id="disappointed-jumper",
    ),
    pytest.param(
        "confused",
        [
            "I'm a bit confused by my bill.",
            "I'm confused by my bill.",
            "I'm SO confused!!! Your bill makes NO sense, I can't believe how baffling this is",
        ],
        id="confused-bill",
    ),
]


@pytest.mark.parametrize(("emotion", "ladder"), LADDERS)
def test_intensity_rises_strictly_along_a_ladder(emotion, ladder):
    readings = [heard.detect_emotion(text) for text in ladder]
    values = [r.intensity for r in readings]
    assert all(r.label == emotion for r in readings), [
        (r.label, t) for r, t in zip(readings, ladder, strict=True)
    ]
    assert all(a < b for a, b in pairwise(values)), values
    assert all(0.0 <= v <= 1.0 for v in values)


@pytest.mark.parametrize(
    ("mild", "furious"),
    [
        pytest.param(
            "I'm a bit annoyed my parcel is late",
            "I am FURIOUS!!! This is the third time, absolutely unacceptable",
            id="parcel",
        ),
        pytest.param(
            "I'm a little worried my payment hasn't gone through.",
            "I am TERRIFIED!!! Someone has emptied my account and I can't reach ANYONE. "
            "This is a nightmare.",
            id="payment",
        ),
        pytest.param(
            "I'm a bit confused by my bill.",
            "I'm SO confused!!! Your bill makes NO sense, I can't believe how baffling this is",
            id="bill",
        ),
        pytest.param(
            "I'm slightly disappointed the jumper was a different colour.",
            "I'm fuming, this is bullshit and I'm cancelling my account",
            id="jumper-vs-account",
        ),
    ],
)
def test_mild_is_below_half_and_furious_above_three_quarters(mild, furious):
    assert heard.detect_emotion(mild).intensity < 0.5
    assert heard.detect_emotion(furious).intensity > 0.75


@pytest.mark.parametrize(
    ("text", "code", "quote"),
    [
        pytest.param("I am FURIOUS about this", "strong_word", "furious", id="strong-word"),
        pytest.param(
            "This is absolutely ridiculous",
            "intensifier",
            "absolutely ridiculous",
            id="intensifier",
        ),
        pytest.param("This is bullshit, fix it", "profanity", "bullshit", id="profanity"),
        pytest.param(
            "Sort it out or I'm cancelling my contract",
            "threat_to_leave",
            "cancelling my contract",
            id="threat-to-leave",
        ),
        pytest.param(
            "This is the third time I've asked", "repeated_contact", "third time", id="third-time"
        ),
        pytest.param("WHERE IS MY PARCEL", "shouting", "where", id="shouting"),
        pytest.param("Where is my parcel!!!", "exclamations", "!!!", id="exclamations"),
        pytest.param("Where is my refund??", "insistent_questions", "??", id="question-marks"),
        pytest.param("I'm a bit annoyed, no rush though", "softener", "a bit", id="softener"),
    ],
)
def test_intensity_cues_carry_evidence(text, code, quote):
    reading = heard.detect_emotion(text)
    check_spans(text, reading.cues)
    found = cue(reading.cues, code)
    assert found.evidence
    assert any(quote in q for q in quoted(found)), quoted(found)


def test_allowed_acronyms_are_not_shouting():
    cues, _ = intensity_cues(
        "The ATM ate my card and the DHL tracking page and the FAQ are no help"
    )
    assert "shouting" not in {c.code for c in cues}


def test_softeners_lower_and_cues_raise_intensity_at_equal_model_confidence():
    scores = {"frustrated": 0.7, "neutral": 0.3}
    _, soft = intensity_cues("I'm a bit annoyed my parcel is late")
    _, loud = intensity_cues("I am FURIOUS!!! This is the third time, absolutely unacceptable")
    assert soft < 0 < loud
    assert intensity("frustrated", scores, soft) < intensity("frustrated", scores, 0.0)
    assert intensity("frustrated", scores, 0.0) < intensity("frustrated", scores, loud)


def test_intensity_formula_and_neutral_cap():
    # 0.15 + 0.45 * (1 - P(neutral)) + cues, clipped; neutral: half of that, at most 0.35
    assert intensity("frustrated", {"neutral": 0.2}, 0.1) == pytest.approx(0.15 + 0.45 * 0.8 + 0.1)
    assert intensity("frustrated", {"neutral": 0.0}, 5.0) == 1.0
    assert intensity("frustrated", {"neutral": 1.0}, -5.0) == 0.0
    assert intensity("neutral", {"neutral": 0.0}, 1.0) == pytest.approx(0.35)
    assert intensity("neutral", {"neutral": 0.8}, 0.0) == pytest.approx(0.5 * (0.15 + 0.45 * 0.2))


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"], ids=["empty", "spaces", "whitespace"])
def test_empty_text_is_neutral_with_zero_intensity(text):
    reading = heard.detect_emotion(text)
    assert reading.label == "neutral"
    assert reading.intensity == 0.0
    assert reading.cues == ()
    assert set(reading.scores) == set(EMOTIONS)
    assert reading.scores["neutral"] == 1.0


def test_scores_are_a_distribution_over_the_six_labels():
    reading = heard.detect_emotion("I was charged twice and nobody answers the phone!")
    assert set(reading.scores) == set(EMOTIONS)
    assert sum(reading.scores.values()) == pytest.approx(1.0)
    assert reading.label == max(reading.scores, key=reading.scores.__getitem__)


# --- self-reports -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "statement"),
    [
        pytest.param("I'm really scared", "anxious", "I'm really scared", id="really-scared"),
        pytest.param("I'm so confused", "confused", "I'm so confused", id="so-confused"),
        pytest.param(
            "I feel so let down by the hotel.", "disappointed", "I feel so let down", id="let-down"
        ),
        pytest.param(
            "Thank you so much, I'm delighted with the new phone!",
            "satisfied",
            "I'm delighted",
            id="delighted",
        ),
        pytest.param("I'm fuming", "frustrated", "I'm fuming", id="fuming"),
        pytest.param(
            "I'm not sure how to read my bill",
            "confused",
            "I'm not sure how",
            id="not-sure-how-is-confusion",
        ),
        pytest.param(
            "I'm really scared, my parcel with my medication is late.",
            "anxious",
            "I'm really scared",
            id="scared-about-medication",
        ),
        pytest.param(
            "I'm slightly disappointed the jumper was a different colour.",
            "disappointed",
            "I'm slightly disappointed",
            id="slightly-disappointed",
        ),
        pytest.param(
            "I'm somewhat worried about the transfer to my landlord.",
            "anxious",
            "I'm somewhat worried",
            id="somewhat-worried",
        ),
    ],
)
def test_self_report_steers_the_label_and_is_quoted(text, label, statement):
    reading = heard.detect_emotion(text)
    check_spans(text, reading.cues)
    report = cue(reading.cues, "self_report")
    assert any(statement.lower() in q for q in quoted(report)), quoted(report)
    assert reading.label == label


def test_self_report_boosts_the_label_over_the_same_message_without_it():
    plain = heard.detect_emotion("My parcel with my medication is late.")
    scared = heard.detect_emotion("I'm really scared, my parcel with my medication is late.")
    assert plain.label != "anxious"
    assert scared.label == "anxious"
    assert scared.scores["anxious"] > plain.scores["anxious"]


def test_self_reports_reads_each_label_with_its_span():
    text = "I'm so confused and honestly I'm worried about the money."
    reports = self_reports(text)
    assert set(reports) == {"confused", "anxious"}
    for spans in reports.values():
        for span in spans:
            assert text[span.start : span.end] == span.text
    assert SELF_REPORT_BOOST > 1


@pytest.mark.parametrize(
    ("negated", "affirmed", "label"),
    [
        pytest.param(
            "I'm not angry, I just want to know when it arrives.",
            "I'm angry, I just want to know when it arrives.",
            "frustrated",
            id="not-angry",
        ),
        pytest.param(
            "I'm not scared, just want to know when it arrives.",
            "I'm scared, just want to know when it arrives.",
            "anxious",
            id="not-scared",
        ),
        pytest.param(
            "I'm never confused by your bills, but this one has a mistake.",
            "I'm confused by your bills, and this one has a mistake.",
            "confused",
            id="never-confused",
        ),
    ],
)
def test_negated_self_report_is_ignored(negated, affirmed, label):
    no = heard.detect_emotion(negated)
    yes = heard.detect_emotion(affirmed)
    assert "self_report" not in {c.code for c in no.cues}
    assert label not in self_reports(negated)
    assert "self_report" in {c.code for c in yes.cues}
    assert no.scores[label] < yes.scores[label]


@pytest.mark.parametrize(
    ("text", "not_label"),
    [
        pytest.param(
            "I'm not worried at all, just curious when the new card will arrive.",
            "anxious",
            id="not-worried-at-all",
        ),
        pytest.param(
            "I'm not happy at all with the engineer who came today.",
            "satisfied",
            id="not-happy-at-all",
        ),
        pytest.param(
            "I'm not confused, I just want the refund.",
            "confused",
            id="not-confused",
        ),
        pytest.param(
            "I'm not angry, I just want to know when it arrives.",
            "satisfied",
            id="not-angry-is-not-satisfied",
        ),
    ],
)
def test_negated_self_report_does_not_become_the_label(text, not_label):
    assert heard.detect_emotion(text).label != not_label


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("I was charged twice for the same taxi ride.", id="charged-twice"),
        pytest.param("My parcel is late and nobody answers the phone!", id="late-parcel"),
        pytest.param(
            "Your engineer never turned up, I waited in all day.",
            id="no-show",
        ),
        pytest.param(
            "I was charged twice for the same taxi ride. Please refund one.",
            id="charged-twice-please-refund",
        ),
    ],
)
def test_a_complaint_is_not_read_as_satisfied(text):
    reading = heard.detect_emotion(text)
    assert reading.label != "satisfied", dict(reading.scores)


# --- complexity -------------------------------------------------------------------------------

ROUTINE_MESSAGES = [
    pytest.param("Hi, what time does the Leeds branch open on Saturday?", id="opening-hours"),
    pytest.param("Can I change the name on my booking?", id="booking-name"),
    pytest.param("Do you deliver to Guernsey?", id="delivery-area"),
    pytest.param("Could you send me a copy of my March invoice?", id="one-money-signal-only"),
]


@pytest.mark.parametrize("text", ROUTINE_MESSAGES)
def test_routine_messages(text):
    reading = assess_complexity(text)
    assert reading.label == "routine"
    assert reading.score < COMPLEX_AT


@pytest.mark.parametrize(
    ("text", "code", "quote"),
    [
        pytest.param(
            "My router is broken. Also, my bill is wrong this month.",
            "several_problems",
            "also",
            id="several-also",
        ),
        pytest.param(
            "The app won't open. My card was charged twice. The website shows an error.",
            "several_problems",
            "the app won't open",
            id="several-three-problem-sentences",
        ),
        pytest.param(
            "The app won't open. My card was declined. The website shows an error.",
            "several_problems",
            "my card was declined",
            id="several-three-problems-one-declined",
        ),
        pytest.param(
            "This is the third time I've asked about my router.",
            "repeated_contact",
            "third time",
            id="repeated-third-time",
        ),
        pytest.param(
            "I already called last week about the router.",
            "repeated_contact",
            "already called",
            id="repeated-already-called",
        ),
        pytest.param(
            "I've been waiting for weeks for the router.",
            "repeated_contact",
            "for weeks",
            id="repeated-for-weeks",
        ),
        pytest.param(
            "You took £45 from my account twice.", "stakes_money", "£45", id="money-amount"
        ),
        pytest.param(
            "My prescription delivery hasn't arrived.",
            "stakes_health",
            "prescription",
            id="health-prescription",
        ),
        pytest.param(
            "There's a gas leak smell near the new meter.",
            "stakes_safety",
            "gas leak",
            id="safety-gas-leak",
        ),
        pytest.param(
            "I will be speaking to my lawyer about this contract.",
            "stakes_legal",
            "lawyer",
            id="legal-lawyer",
        ),
        pytest.param(
            "My husband passed away last month and his account is still open.",
            "stakes_bereavement",
            "passed away",
            id="bereavement-passed-away",
        ),
        pytest.param(
            "My late husband's account is still open. Please close it.",
            "stakes_bereavement",
            "late husband",
            id="bereavement-late-husbands",
        ),
        pytest.param(
            "I've already restarted the router and it didn't work.",
            "failed_fixes",
            "restarted",
            id="failed-fixes-restarted",
        ),
        pytest.param(
            "I followed the steps in your email, no luck.",
            "failed_fixes",
            "no luck",
            id="failed-fixes-no-luck",
        ),
    ],
)
def test_complexity_signals_are_cues_with_evidence(text, code, quote):
    reading = assess_complexity(text)
    check_spans(text, reading.cues)
    found = cue(reading.cues, code)
    assert found.evidence
    assert any(quote in q for q in quoted(found)), quoted(found)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("Is my new phone case in stock?", "stakes_money", id="phone-case"),
        pytest.param("My order is late.", "stakes_money", id="late-order"),
        pytest.param(
            "My phone won't charge.",
            "stakes_money",
            id="phone-wont-charge",
        ),
        pytest.param(
            "My SIM card isn't working in my new phone.",
            "stakes_money",
            id="sim-card",
        ),
        pytest.param(
            "Is the branch open on the bank holiday?",
            "stakes_money",
            id="bank-holiday",
        ),
        pytest.param(
            "My Amazon Fire tablet won't connect to the Wi-Fi.",
            "stakes_safety",
            id="fire-tablet",
        ),
    ],
)
def test_no_false_stakes(text, code):
    reading = assess_complexity(text)
    assert code not in {c.code for c in reading.cues}


def test_long_messages_count_towards_complexity():
    sixty_odd = " ".join(["The router drops the connection in the evening"] * 9)  # 72 words
    long_one = " ".join(["The router drops the connection in the evening"] * 18)  # 144 words
    medium = assess_complexity(sixty_odd)
    long = assess_complexity(long_one)
    assert cue(medium.cues, "long_message")
    assert cue(long.cues, "long_message")
    assert long.score > medium.score
    assert "long_message" not in {c.code for c in assess_complexity("The router drops.").cues}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "This is the third time I've contacted you. I was charged twice for my March bill, "
            "and on top of that I also can't log in to the app. I've already tried resetting my "
            "password and it didn't work.",
            id="repeated-money-several-failed",
        ),
        pytest.param(
            "My husband passed away and you are still charging £45 a month on his account.",
            id="bereavement-and-money",
        ),
        pytest.param(
            "My mum is elderly and on oxygen at home, and her heating has been off for days.",
            id="health-and-safety",
        ),
        pytest.param(
            "I already called yesterday about the outage and I've restarted the router twice "
            "since then.",
            id="repeated-and-failed-fix",
        ),
    ],
)
def test_complex_messages(text):
    reading = assess_complexity(text)
    check_spans(text, reading.cues)
    assert reading.label == "complex"
    assert reading.score >= COMPLEX_AT
    assert all(c.evidence for c in reading.cues if c.code != "long_message")


def test_the_engine_hands_the_complexity_reading_on():
    context = "My husband passed away and you are still charging £45 a month on his account."
    assessment = heard.assess("I'm so sorry for your loss.", context=context)
    reading = assessment.customer.complexity
    assert reading.label == "complex"
    assert {"stakes_bereavement", "stakes_money"} <= {c.code for c in reading.cues}
    check_spans(context, reading.cues)


# --- style --------------------------------------------------------------------------------------

FORMAL = (
    "Dear Sir or Madam, I am writing regarding my recent order. I would be grateful if you could "
    "confirm the delivery date. Kind regards, Margaret Hughes"
)
INFORMAL = "hey my parcel's not turned up lol, can u check pls? ta"
DIRECT = "Refund me now. I want my money back today."
INDIRECT = (
    "I was wondering if it would be possible to perhaps move my delivery, if it's not too much "
    "trouble."
)


@pytest.mark.parametrize(
    ("text", "formality", "code", "quote"),
    [
        pytest.param(FORMAL, "formal", "formal_marker", "dear", id="formal-letter"),
        pytest.param(
            "Good morning. Could you kindly confirm whether my payment was received? "
            "Yours sincerely, J. Patel",
            "formal",
            "formal_marker",
            "kindly",
            id="formal-kindly",
        ),
        pytest.param(INFORMAL, "informal", "informal_marker", "lol", id="informal-chat"),
        pytest.param(
            "hiya, my wifi's dead again, gonna lose my mind haha",
            "informal",
            "informal_marker",
            "gonna",
            id="informal-gonna",
        ),
        pytest.param("My parcel is late.", "neutral", None, None, id="neutral-plain"),
    ],
)
def test_formality(text, formality, code, quote):
    reading = assess_style(text)
    check_spans(text, reading.cues)
    assert reading.formality == formality
    if code is not None:
        found = cue(reading.cues, code)
        assert any(quote in q for q in quoted(found)), quoted(found)


def test_lower_case_message_is_informal():
    text = "my internet is down again and i need it for work tonight"
    reading = assess_style(text)
    assert reading.formality == "informal"
    assert cue(reading.cues, "all_lower_case")


@pytest.mark.parametrize(
    ("text", "directness", "code", "quote"),
    [
        pytest.param(DIRECT, "direct", "direct_marker", "i want", id="direct-demand"),
        pytest.param(
            "Cancel my contract immediately.",
            "direct",
            "imperative",
            "cancel my contract immediately",
            id="direct-imperative",
        ),
        pytest.param(
            INDIRECT, "indirect", "indirect_marker", "i was wondering", id="indirect-hedged"
        ),
        pytest.param(
            "Sorry to bother you, but would it be possible to get a copy of my bill?",
            "indirect",
            "indirect_marker",
            "sorry to bother",
            id="indirect-sorry-to-bother",
        ),
        pytest.param("My parcel is late.", "neutral", None, None, id="neutral-plain"),
    ],
)
def test_directness(text, directness, code, quote):
    reading = assess_style(text)
    check_spans(text, reading.cues)
    assert reading.directness == directness
    if code is not None:
        found = cue(reading.cues, code)
        assert any(quote in q for q in quoted(found)), quoted(found)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "I've now received the parcel, thank you.",
            id="now-in-a-thank-you",
        ),
        pytest.param(
            "I received my parcel today, thank you so much.",
            id="today-in-a-thank-you",
        ),
    ],
)
def test_a_thank_you_note_is_not_direct(text):
    assert assess_style(text).directness != "direct"


def test_the_engine_hands_the_style_reading_on():
    assessment = heard.assess("Of course, I'll confirm the date today.", context=FORMAL)
    style = assessment.customer.style
    assert style.formality == "formal"
    check_spans(FORMAL, style.cues)


def test_denying_the_only_likely_label_leaves_the_scores_usable() -> None:
    from heard.understanding.self_report import apply_self_reports, self_denials

    scores = dict.fromkeys(EMOTIONS, 0.0) | {"anxious": 1.0}
    adjusted, cues = apply_self_reports(scores, {}, self_denials("I'm not worried"))
    assert abs(sum(adjusted.values()) - 1.0) < 1e-9  # never all zeros (no label to pick)
    assert [cue.code for cue in cues] == ["self_denial"]
    partly, _ = apply_self_reports(
        scores | {"anxious": 0.9, "neutral": 0.1}, {}, self_denials("I'm not worried")
    )
    assert partly["anxious"] == 0.0 and partly["neutral"] == 1.0
