"""Findings for the learned EPITOME mechanisms, quoting the rationale sentences the model chose."""

from __future__ import annotations

from collections.abc import Sequence

from heard.results import Finding, FindingKind
from heard.scoring.exchange import Exchange
from heard.scoring.registry import Scorer

_MESSAGES = {
    "emotional_reactions": (
        "emotional_reaction",
        "Expresses warmth or concern for the customer",
    ),
    "interpretations": (
        "interpretation",
        "Shows understanding of what the customer is going through (reflects or paraphrases)",
    ),
    "explorations": (
        "exploration",
        "Explores the customer's situation with a question",
    ),
}
_STRENGTH = {1: "weak", 2: "strong"}


def _mechanism_findings(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    findings = []
    for name, (code, message) in _MESSAGES.items():
        result = exchange.mechanisms.get(name)
        if result is None or result.level == 0 or not result.evidence:
            continue
        findings.append(
            MECHANISM_FINDINGS.finding(
                code,
                FindingKind.STRENGTH,
                f"{message} ({_STRENGTH[result.level]}, p={result.probabilities[result.level]:.2f}).",
                result.evidence,
            )
        )
    return findings


MECHANISM_FINDINGS = Scorer(
    "mechanisms", 1, _mechanism_findings, ("emotional_reaction", "interpretation", "exploration")
)
SCORERS = (MECHANISM_FINDINGS,)
