"""Scorers are small registered components with versioned names ("heard.blame.v1").

A scorer reads an :class:`~heard.scoring.exchange.Exchange` and the findings of the scorers that ran
before it, and returns new findings; it never mutates its input. The registry is an explicit,
ordered list (no registration side effects at import): detectors first, then the judges that
weigh earlier findings (sympathy versus empathy, genericness, fit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from heard.errors import InputError
from heard.results import Finding, FindingKind, Span
from heard.scoring.exchange import Exchange

DetectFunction = Callable[[Exchange, Sequence[Finding]], list[Finding]]


@dataclass(frozen=True, slots=True)
class Scorer:
    """A named, versioned detector. ``codes`` lists every finding code it may emit."""

    base_name: str
    version: int
    detect: DetectFunction
    codes: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"heard.{self.base_name}.v{self.version}"

    def __call__(self, exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
        findings = self.detect(exchange, earlier)
        for finding in findings:
            if finding.code not in self.codes:
                raise AssertionError(f"{self.name} emitted undeclared code {finding.code!r}")
        return findings

    def found(
        self, code: str, kind: FindingKind, message: str, evidence: Sequence[Span]
    ) -> list[Finding]:
        """One finding when there is evidence for it, none otherwise."""
        return [self.finding(code, kind, message, evidence)] if evidence else []

    def finding(
        self, code: str, kind: FindingKind, message: str, evidence: Sequence[Span]
    ) -> Finding:
        """A finding stamped with this scorer's name; evidence is de-duplicated, in text order."""
        # one span per stretch of text, however many cues quote it
        unique = {(s.source, s.start, s.end): s for s in evidence}
        ordered = sorted(unique.values(), key=lambda s: (s.source, s.start, s.end))
        return Finding(code, kind, message, tuple(ordered), self.name)


@cache
def scorers() -> tuple[Scorer, ...]:
    """Every registered scorer, in the order they run (built once, on first use)."""
    from heard.scoring import answers, antipatterns, behaviours, judges, mechanisms

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
