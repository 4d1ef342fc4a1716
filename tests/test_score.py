"""The overall score: what the situation needed, met by the findings, minus the anti-patterns;
documented, bounded, and monotone in the findings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.assessment.overall import (
    CRITICAL_CAP,
    GAP_ELEMENT,
    MEETS,
    NO_HELP_CAP,
    PENALTIES,
    Situation,
    element_values,
    element_weights,
    overall_score,
)
from heard.results import NEED_KINDS, Finding, FindingKind, MechanismResult, Source, Span
from heard.scoring.antipatterns import COURTESY
from heard.scoring.registry import scorers

SPAN = (Span(Source.REPLY, 0, 1, "x"),)
MECHANISM_CODES = {"emotional_reaction", "interpretation", "exploration"}
STRENGTHS = sorted({code for table in MEETS.values() for code in table})
PROBLEMS = sorted(PENALTIES)
GAPS = sorted(GAP_ELEMENT)


def finding(code: str) -> Finding:
    if code in PENALTIES:
        kind = FindingKind.ANTI_PATTERN
    elif code in GAP_ELEMENT:
        kind = FindingKind.GAP
    else:
        kind = FindingKind.STRENGTH
    return Finding(code, kind, "", SPAN, "test")


def mechanisms(p: list[tuple[float, float, float]]) -> dict[str, MechanismResult]:
    names = ("emotional_reactions", "interpretations", "explorations")
    return {name: MechanismResult(name, 0, probs) for name, probs in zip(names, p, strict=True)}


probability = (
    st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
    .filter(lambda t: sum(t) > 0)
    .map(lambda t: tuple(x / sum(t) for x in t))
)
situations = st.builds(
    Situation,
    kind=st.sampled_from(NEED_KINDS),
    emotion=st.sampled_from(
        ["frustrated", "anxious", "disappointed", "confused", "satisfied", "neutral"]
    ),
    intensity=st.floats(0, 1),
    complex=st.booleans(),
    has_specifics=st.booleans(),
    failure=st.booleans(),
)


def test_every_emitted_code_is_in_the_rubric() -> None:
    emitted = {code for scorer in scorers() for code in scorer.codes} - MECHANISM_CODES
    rubric = set(STRENGTHS) | set(PROBLEMS) | set(GAPS) | {"excessive_sympathy"}
    assert emitted <= rubric, emitted - rubric
    assert rubric <= emitted, f"rubric codes no scorer emits: {rubric - emitted}"


def test_a_complete_answer_to_a_routine_question_is_exemplary() -> None:
    routine = Situation("question", "neutral", 0.15, False, False, False)
    score, parts = overall_score({}, [finding("answers_question")], routine)
    assert score >= 80, parts
    assert "no_next_steps" not in parts


def test_pity_without_action_is_capped() -> None:
    loss = Situation("problem", "disappointed", 0.7, False, True, True)
    found = [finding(c) for c in ("acknowledges_feeling", "apology", "personalised", "warm_tone")]
    with_pity = overall_score({}, [*found, finding("sympathy_not_empathy")], loss)[0]
    assert with_pity < 40  # held near SYMPATHY_CAP: poor


def test_no_help_when_help_was_needed_is_capped() -> None:
    problem = Situation("problem", "frustrated", 0.5, False, False, True)
    found = [finding(c) for c in ("acknowledges_feeling", "apology", "warm_tone")]
    assert overall_score({}, found, problem)[0] < 40 + NO_HELP_CAP / 4


def test_the_situation_decides_what_is_needed() -> None:
    calm_question = element_weights(Situation("question", "neutral", 0.1, False, False, False))
    angry_failure = element_weights(Situation("problem", "frustrated", 0.9, True, True, True))
    assert "acknowledge" not in calm_question and "own" not in calm_question
    assert {"help", "acknowledge", "own", "understand", "personal"} <= set(angry_failure)
    praise = element_weights(Situation("praise", "satisfied", 0.6, False, True, False))
    assert "help" not in praise


def test_a_full_fix_carries_most_of_the_empathy_for_a_moderately_upset_customer() -> None:
    """Naming the feeling still counts after a full fix, for less; a very upset customer needs it
    whatever the fix."""
    fixed = [finding("clear_next_steps")]
    acknowledged = [*fixed, finding("acknowledges_feeling")]
    moderate = Situation("problem", "frustrated", 0.45, False, False, True)
    very = Situation("problem", "frustrated", 0.8, False, False, True)
    gap_moderate = (
        overall_score({}, acknowledged, moderate)[0] - overall_score({}, fixed, moderate)[0]
    )
    gap_very = overall_score({}, acknowledged, very)[0] - overall_score({}, fixed, very)[0]
    assert 0 < gap_moderate < gap_very
    partly = [finding("next_steps")]
    assert (
        overall_score({}, [*partly, finding("acknowledges_feeling")], moderate)[0]
        - overall_score({}, partly, moderate)[0]
        > gap_moderate
    )


def test_praise_beside_a_question_needs_more_than_plain_politeness() -> None:
    asked = Situation("question", "satisfied", 0.5, False, False, False)
    praised = Situation("question", "satisfied", 0.5, False, False, False, praised=True)
    answer = [finding("answers_question")]
    assert overall_score({}, answer, asked)[0] >= 80 > overall_score({}, answer, praised)[0]
    thanked = [*answer, finding("warm_tone")]
    assert overall_score({}, thanked, praised)[0] >= 80


@settings(max_examples=300, deadline=None)
@given(
    st.sets(st.sampled_from(STRENGTHS + PROBLEMS + GAPS)),
    st.sampled_from(STRENGTHS),
    st.sampled_from(PROBLEMS),
    st.lists(probability, min_size=3, max_size=3),
    situations,
)
def test_score_is_monotone_in_findings(
    present: set[str],
    strength: str,
    problem: str,
    probs: list[tuple[float, float, float]],
    situation: Situation,
) -> None:
    mech = mechanisms(probs)
    base, _ = overall_score(mech, [finding(c) for c in present], situation)
    with_strength, _ = overall_score(mech, [finding(c) for c in present | {strength}], situation)
    with_problem, _ = overall_score(mech, [finding(c) for c in present | {problem}], situation)
    assert with_strength >= base >= with_problem
    assert 0 <= with_problem <= base <= with_strength <= 100


@settings(max_examples=200, deadline=None)
@given(
    st.lists(probability, min_size=3, max_size=3),
    st.lists(probability, min_size=3, max_size=3),
    situations,
)
def test_score_rises_with_the_expected_mechanism_level(
    low: list[tuple[float, float, float]],
    high: list[tuple[float, float, float]],
    situation: Situation,
) -> None:
    a, b = mechanisms(low), mechanisms(high)
    if all(a[k].expected_level <= b[k].expected_level for k in a):
        assert overall_score(a, [], situation)[0] <= overall_score(b, [], situation)[0]


def test_a_code_counts_once_however_many_spans() -> None:
    routine = Situation("question", "neutral", 0.15, False, False, False)
    answered = finding("answers_question")
    one = overall_score({}, [answered, finding("minimising")], routine)
    two = overall_score({}, [answered, finding("minimising"), finding("minimising")], routine)
    assert one == two
    assert one[1]["minimising"] == -PENALTIES["minimising"]


def test_a_flaw_keeps_a_reply_from_being_exemplary_but_one_stock_courtesy_does_not() -> None:
    routine = Situation("question", "neutral", 0.15, False, False, False)
    answered = finding("answers_question")
    warm = finding("warm_tone")
    assert overall_score({}, [answered, warm], routine)[0] >= 80
    assert 40 <= overall_score({}, [answered, warm, finding("jargon")], routine)[0] < 80
    courtesy = Span(Source.REPLY, 0, 1, "x", COURTESY)
    one = Finding("scripted_phrase", FindingKind.ANTI_PATTERN, "", (courtesy,), "test")
    two = Finding("scripted_phrase", FindingKind.ANTI_PATTERN, "", (courtesy, courtesy), "test")
    empty = finding("scripted_phrase")  # an unlabelled span: an empty script
    assert overall_score({}, [answered, warm, one], routine)[0] >= 80
    assert overall_score({}, [answered, warm, two], routine)[0] < 80
    assert overall_score({}, [answered, warm, empty], routine)[0] < 80


def test_two_kinds_of_brush_off_are_as_bad_as_a_critical_anti_pattern() -> None:
    upset = Situation("problem", "frustrated", 0.5, False, False, True)
    fixed = [finding(c) for c in ("action_taken", "apology", "warm_tone")]
    one = overall_score({}, [*fixed, finding("non_apology")], upset)[0]
    two = overall_score({}, [*fixed, finding("non_apology"), finding("minimising")], upset)[0]
    # "sorry you feel let down... mistakes happen": held near the critical cap, even with a fix
    assert two <= CRITICAL_CAP + 5 < one


def test_steps_that_fix_it_meet_ownership_halfway() -> None:
    failure = Situation("problem", "frustrated", 0.4, False, False, True)
    steps = element_values({}, [finding("gives_steps")], failure)
    assert steps["own"] == (0.5, "gives_steps")
    repeated = overall_score({}, [finding("repeats_tried")], failure)[0]
    assert overall_score({}, [finding("gives_steps")], failure)[0] > repeated
