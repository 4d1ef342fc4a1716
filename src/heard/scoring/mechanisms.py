"""Findings for the learned EPITOME mechanisms, quoting the rationale sentences the model chose."""

from __future__ import annotations

import re
from collections.abc import Sequence

from heard.results import Finding, FindingKind
from heard.scoring.exchange import Exchange
from heard.scoring.scorer import Scorer

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

# --- reflection, read from the pair ---------------------------------------------------------------

REFLECTS_AT = 0.6  # P(reflection) from the listening model at which a reply reflects the turn
REFLECTIVE_FORM = re.compile(
    r"\b(?:it sounds like|sounds like|so you(?:'re| are|'ve| have)?|you(?:'re| are) saying|"
    r"what i(?:'m| am) hearing|if i(?:'ve| have) understood|so (?:it's|that's)|it seems|you feel|"
    r"you(?:'ve| have) (?:been|had)|you(?:'re| are) (?:worried|frustrated|upset|stuck|left|dealing))\b"
)


def _reflection(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    """A reply the listening model (trained on the pair: EPITOME interpretations and AnnoMI's
    therapist reflections) reads as reflecting what this customer said. Parroting is caught by
    the parroting scorer; the model was trained to score echoes low."""
    if exchange.reflection is None or exchange.reflection < REFLECTS_AT:
        return []
    if not exchange.context.text.strip():
        return []
    reply = exchange.reply
    sentences = reply.sentences
    if not sentences:
        return []
    evidence = [
        reply.span(s.start, s.end)
        for s in sentences
        if REFLECTIVE_FORM.search(reply.norm[s.start : s.end])
    ] or [reply.span(sentences[0].start, sentences[0].end)]
    return [
        REFLECTION.finding(
            "reflects",
            FindingKind.STRENGTH,
            f"Reflects what the customer said (p={exchange.reflection:.2f}), so they know it "
            "was understood.",
            evidence[:2],
        )
    ]


REFLECTION = Scorer("reflection", 1, _reflection, ("reflects",))
SCORERS = (MECHANISM_FINDINGS, REFLECTION)
