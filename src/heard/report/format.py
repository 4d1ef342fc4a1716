"""How numbers and names read in the report (the charts' summaries and the page share these).

A missing value reads "—", never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from heard.analytics.stats import Mean, Rate
from heard.assessment.skills import SKILL_NAMES
from heard.results import MECHANISMS

MISSING = "—"
MECHANISM_LABELS = {
    "emotional_reactions": "Emotional reactions",
    "interpretations": "Interpretations",
    "explorations": "Explorations",
}
KIND_LABELS = {"strength": "strength", "gap": "gap", "anti_pattern": "anti-pattern"}


def number(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None else f"{value:,.{digits}f}"


def percent(value: float | None, digits: int = 0) -> str:
    return MISSING if value is None else f"{100 * value:.{digits}f}%"


def signed(value: float | None, digits: int = 1) -> str:
    """``+1.2``, ``-0.4``; a value that rounds to zero reads ``0.0`` (never ``-0.0``)."""
    if value is None:
        return MISSING
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text


def span(stat: Mean | Rate, fmt: Callable[[float | None], str] = number) -> str:
    """The interval as "low–high" ("—" when there is none)."""
    if stat.low is None or stat.high is None:
        return MISSING
    return f"{fmt(stat.low)}–{fmt(stat.high)}"


def label(code: str) -> str:
    """A finding or mechanism code as words: ``no_next_steps`` -> "No next steps"."""
    if code in MECHANISM_LABELS:
        return MECHANISM_LABELS[code]
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# --- outcomes, training impact, wellbeing --------------------------------------------------

OUTCOME_LABELS = {
    "csat": "CSAT",
    "repeat_contact": "Repeat contact",
    "resolved": "Resolution",
    "escalated": "Escalation",
}
# How an outcome reads after "the odds of ...".
OUTCOME_ODDS = {
    "repeat_contact": "a repeat contact",
    "resolved": "resolution",
    "escalated": "escalation",
}
SKILL_LABELS = {
    "acknowledge": "Acknowledge",
    "reflect": "Reflect",
    "explore": "Explore",
    "own": "Own",
    "next_steps": "Next steps",
    "no_anti_patterns": "No anti-patterns",
    "fit": "Fit",
}
CONTROL_LABELS = {
    "complexity": "complexity",
    "channel": "channel",
    "start_intensity": "the customer's starting intensity",
    "wait_minutes": "wait time",
}
SIGNAL_LABELS = {
    "empathy_trend": "Empathy trend",
    "scripted": "Scripted replies",
    "shorter_generic": "Shorter, more generic replies",
    "workload": "Workload",
    "after_hours": "After-hours work",
    "long_streak": "Long streak without a day off",
    "exposure": "Upset customers",
}
MEASURE_LABELS = {"empathy": "Empathy score", **MECHANISM_LABELS, **SKILL_LABELS, **OUTCOME_LABELS}


def measure_label(name: str) -> str:
    """An outcome, skill, mechanism or "empathy" as words."""
    return MEASURE_LABELS.get(name) or label(name)


def dimension_order(names: Iterable[str]) -> list[str]:
    """Dimensions as the report lists them: the mechanisms, then the seven skills, then others."""
    known = [*MECHANISMS, *SKILL_NAMES]
    return sorted(set(names), key=lambda n: (known.index(n) if n in known else len(known), n))


def between(
    low: float | None, high: float | None, fmt: Callable[[float | None], str] = number
) -> str:
    """An interval that may cross zero, as "low to high" ("—" when there is none)."""
    if low is None or high is None:
        return MISSING
    return f"{fmt(low)} to {fmt(high)}"


def p_value(value: float | None) -> str:
    """``p < 0.001``, ``p = 0.003``, ``p = 0.42``."""
    if value is None:
        return MISSING
    if value < 0.001:
        return "p < 0.001"
    return f"p = {value:.3f}" if value < 0.01 else f"p = {value:.2f}"


def rho(value: float | None) -> str:
    """A correlation to two places; one that rounds to zero reads ``0.00`` (never ``-0.00``)."""
    if value is None:
        return MISSING
    text = f"{value:.2f}"
    return text.lstrip("-") if float(text) == 0 else text


def impact_scale(metric: str) -> tuple[float, str]:
    """How a training-impact metric reads: its multiplier and unit. The empathy score is in score
    points; CSAT (0-1) as points on a 0-100 scale; skills and yes/no outcomes (shares) as
    percentage points."""
    if metric == "empathy":
        return 1.0, "points"
    if metric == "csat":
        return 100.0, "CSAT points"
    return 100.0, "pp"
