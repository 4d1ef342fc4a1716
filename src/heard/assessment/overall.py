"""The overall score, 0-100: a documented sum, monotone in the findings.

    score = BASE
          + sum(MECHANISM_POINTS[m] * expected_level(m))   # P(1) + 2 P(2), in [0, 2]
          + sum(FINDING_POINTS[code] for each distinct finding code)
    clipped to [0, 100] and rounded.

Strengths carry positive points, gaps and anti-patterns negative points, so adding a strength can
never lower the score and adding a gap or anti-pattern can never raise it (tested). The mechanism
part uses probabilities rather than hard levels so that the score moves smoothly with the model's
confidence. The table is the rubric: change it here and in docs/scoring.md together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from heard.results import Finding, FindingKind, MechanismResult

BASE = 30.0
MECHANISM_POINTS: Mapping[str, float] = {
    "emotional_reactions": 8.0,
    "interpretations": 8.0,
    "explorations": 6.0,
}
FINDING_POINTS: Mapping[str, float] = {
    # strengths
    "acknowledges_feeling": 8.0,
    "validates_feeling": 5.0,
    "apology": 5.0,
    "ownership": 7.0,
    "clear_next_steps": 10.0,
    "next_steps": 5.0,
    "personalised": 6.0,
    "open_question": 4.0,
    "closed_question": 2.0,
    # gaps
    "unacknowledged_emotion": -12.0,
    "no_acknowledgement": -4.0,
    "complex_without_exploration": -6.0,
    "excessive_sympathy": -5.0,
    "no_next_steps": -6.0,
    "no_timeline": -3.0,
    "not_personalised": -3.0,
    # anti-patterns
    "blames_customer": -15.0,
    "tone_policing": -15.0,
    "deflection": -10.0,
    "policy_shield": -10.0,
    "non_apology": -8.0,
    "generic_reply": -8.0,
    "minimising": -6.0,
    "defensive_but": -6.0,
    "sympathy_not_empathy": -6.0,
    "jargon": -4.0,
    "scripted_phrase": -2.0,
}
# Mechanism findings are reported (with evidence) but scored through MECHANISM_POINTS.
MECHANISM_CODES = frozenset({"emotional_reaction", "interpretation", "exploration"})


def points_for(finding: Finding) -> float:
    """The signed points a finding is worth (0 for mechanism findings, scored separately)."""
    if finding.code in MECHANISM_CODES:
        return 0.0
    points = FINDING_POINTS[finding.code]
    expected_sign = 1.0 if finding.kind is FindingKind.STRENGTH else -1.0
    if points * expected_sign < 0:
        raise AssertionError(f"points for {finding.code} have the wrong sign for a {finding.kind}")
    return points


def overall_score(
    mechanisms: Mapping[str, MechanismResult], findings: Iterable[Finding]
) -> tuple[int, dict[str, float]]:
    """The 0-100 score and its parts (base, each mechanism, each finding code), for display."""
    parts: dict[str, float] = {"base": BASE}
    for name, weight in MECHANISM_POINTS.items():
        result = mechanisms.get(name)
        if result is not None:
            parts[name] = weight * result.expected_level
    for finding in findings:
        if finding.code in MECHANISM_CODES or finding.code in parts:
            continue
        parts[finding.code] = points_for(finding)
    total = sum(parts.values())
    return round(min(100.0, max(0.0, total))), parts
