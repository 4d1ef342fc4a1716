"""Scorers are small registered components with versioned names ("heard.blame.v1").

A scorer (:class:`~heard.scoring.scorer.Scorer`) reads an :class:`~heard.scoring.exchange.Exchange` and the findings of the scorers that ran
before it, and returns new findings; it never mutates its input. The registry is an explicit,
ordered list (no registration side effects at import): detectors first, then the judges that
weigh earlier findings (sympathy versus empathy, genericness, fit).
"""

from __future__ import annotations

from functools import cache

from heard.errors import InputError
from heard.results import Finding
from heard.scoring import answers, antipatterns, behaviours, judges, mechanisms
from heard.scoring.exchange import Exchange
from heard.scoring.scorer import Scorer


@cache
def scorers() -> tuple[Scorer, ...]:
    """Every registered scorer, in the order they run (built once, on first use)."""
    return (
        *mechanisms.SCORERS,
        answers.STEPS,
        *behaviours.SCORERS,
        answers.ANSWERS,
        *antipatterns.SCORERS,
        *judges.SCORERS,
    )


def get(name: str) -> Scorer:
    """A registered scorer by its versioned name."""
    for scorer in scorers():
        if scorer.name == name:
            return scorer
    valid = ", ".join(s.name for s in scorers())
    raise InputError(f"unknown scorer {name!r}; registered scorers are: {valid}")


def run_all(exchange: Exchange) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    for scorer in scorers():
        findings.extend(scorer(exchange, tuple(findings)))
    return tuple(findings)
