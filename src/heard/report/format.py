"""How numbers and names read in the report (the charts' summaries and the page share these).

A missing value reads "—", never 0.
"""

from __future__ import annotations

from collections.abc import Callable

from heard.analytics.stats import Mean, Rate

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
