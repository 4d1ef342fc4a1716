"""The overall score: documented, bounded, and monotone in the findings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.assessment.overall import BASE, FINDING_POINTS, MECHANISM_CODES, overall_score
from heard.results import Finding, FindingKind, MechanismResult, Source, Span
from heard.scoring.registry import scorers

SPAN = (Span(Source.REPLY, 0, 1, "x"),)
STRENGTHS = sorted(c for c, p in FINDING_POINTS.items() if p > 0)
PROBLEMS = sorted(c for c, p in FINDING_POINTS.items() if p < 0)


def finding(code: str) -> Finding:
    kind = FindingKind.STRENGTH if FINDING_POINTS[code] > 0 else FindingKind.GAP
    return Finding(code, kind, "", SPAN, "test")


def mechanisms(p: list[tuple[float, float, float]]) -> dict[str, MechanismResult]:
    names = ("emotional_reactions", "interpretations", "explorations")
    return {name: MechanismResult(name, 0, probs) for name, probs in zip(names, p, strict=True)}


probability = (
    st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
    .filter(lambda t: sum(t) > 0)
    .map(lambda t: tuple(x / sum(t) for x in t))
)


def test_every_emitted_code_has_documented_points() -> None:
    emitted = {code for scorer in scorers() for code in scorer.codes}
    assert emitted - MECHANISM_CODES <= set(FINDING_POINTS)
    assert set(FINDING_POINTS) <= emitted, "points for a code no scorer emits"


def test_nothing_found_scores_the_base() -> None:
    score, parts = overall_score({}, [])
    assert score == BASE
    assert parts == {"base": BASE}


@settings(max_examples=300, deadline=None)
@given(
    st.sets(st.sampled_from(sorted(FINDING_POINTS))),
    st.sampled_from(STRENGTHS),
    st.sampled_from(PROBLEMS),
    st.lists(probability, min_size=3, max_size=3),
)
def test_score_is_monotone_in_findings(
    present: set[str], strength: str, problem: str, probs: list[tuple[float, float, float]]
) -> None:
    mech = mechanisms(probs)
    base, _ = overall_score(mech, [finding(c) for c in present])
    with_strength, _ = overall_score(mech, [finding(c) for c in present | {strength}])
    with_problem, _ = overall_score(mech, [finding(c) for c in present | {problem}])
    assert with_strength >= base >= with_problem
    assert 0 <= with_problem <= base <= with_strength <= 100


@settings(max_examples=200, deadline=None)
@given(st.lists(probability, min_size=3, max_size=3), st.lists(probability, min_size=3, max_size=3))
def test_score_rises_with_the_expected_mechanism_level(
    low: list[tuple[float, float, float]], high: list[tuple[float, float, float]]
) -> None:
    a, b = mechanisms(low), mechanisms(high)
    if all(a[k].expected_level <= b[k].expected_level for k in a):
        assert overall_score(a, [])[0] <= overall_score(b, [])[0]


def test_a_code_counts_once_however_many_spans() -> None:
    one = overall_score({}, [finding("minimising")])[0]
    two = overall_score({}, [finding("minimising"), finding("minimising")])[0]
    assert one == two == BASE + FINDING_POINTS["minimising"]
