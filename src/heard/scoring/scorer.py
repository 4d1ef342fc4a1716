"""The scorer component: a named, versioned detector and the findings it stamps. Detector
modules define their scorers with it; ``heard.scoring.registry`` lists them in running order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
