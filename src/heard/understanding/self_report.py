"""What the customer says about their own feeling.

A documented adjustment of the emotion model's probabilities (docs/scoring.md), applied in the
engine before the label is chosen (``heard.understanding.emotion_priors`` holds the others):

- **Self-reports.** When customers name their feeling ("I'm really scared", "I feel so let down",
  "I'm slightly disappointed"), that statement outweighs what a model trained on Reddit comments
  guesses from the rest: the label's probability is multiplied by ``SELF_REPORT_BOOST``. A denial
  ("I'm not worried at all", "I'm not happy", "I'm not confused") rules the label out: its
  probability is multiplied by ``SELF_REPORT_DENIAL`` (0).
The scores are renormalised, and each statement becomes a cue with evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from heard.lexicon import INTENSIFIER, phrases
from heard.results import Cue, Source, Span
from heard.text import negated, normalise

SELF_REPORT_BOOST = 4.0
SELF_REPORT_DENIAL = 0.0

_SUBJECT = (
    r"(?:i'm|i am|i feel|i'm feeling|i am feeling|i was|i've been|i have been|i'm getting|i get|"
    r"i got|makes me|made me|leaves me|left me|we're|we are|we feel)"
)
_DEGREE = (
    rf"(?: (?:{INTENSIFIER}|now|just|getting|becoming|a bit|a little|a little bit|quite|pretty|"
    r"beyond|slightly|somewhat|mildly|rather|kind of|a tad|increasingly))*"
)
_WORDS: dict[str, str] = {
    "frustrated": r"frustrated|angry|furious|livid|annoyed|irritated|fuming|mad|outraged|fed up|sick of this|sick and tired|exasperated|pissed off|(?:rather |really |so |very )?tired of|sick of",
    "anxious": r"scared|worried|anxious|nervous|afraid|frightened|terrified|panicking|panicked|stressed|concerned|uneasy|on edge|desperate",
    "disappointed": r"disappointed|let down|sad|upset|gutted|heartbroken|devastated|unhappy|saddened|crushed",
    "confused": r"confused|lost|puzzled|baffled|unsure|not sure what|not sure how|stuck|clueless",
    "satisfied": r"happy|pleased|delighted|grateful|thrilled|relieved|impressed|satisfied|glad",
}
# The words of each feeling, as a regex alternation (the judges check a reply against them).
FEELING_WORDS: Mapping[str, str] = MappingProxyType(dict(_WORDS))
_REPORTS = {label: phrases(rf"{_SUBJECT}{_DEGREE} (?:{words})") for label, words in _WORDS.items()}
_DENIALS = {
    label: phrases(rf"{_SUBJECT} (?:not|never)(?: at all)?{_DEGREE} (?:{words})")
    for label, words in _WORDS.items()  # "I'm not sure how" stays confusion: "not" is in its words
}


def _find(
    patterns: Mapping[str, re.Pattern[str]], text: str, source: Source, *, allow_negated: bool
) -> dict[str, list[Span]]:
    norm = normalise(text)
    found: dict[str, list[Span]] = {}
    for label, pattern in patterns.items():
        for match in pattern.finditer(norm):
            if not allow_negated and negated(norm, match.start()):
                continue
            found.setdefault(label, []).append(
                Span.of(source, text, match.start(), match.end(), label)
            )
    return found


def self_reports(text: str, source: Source = Source.CONTEXT) -> dict[str, list[Span]]:
    """The labels the writer names for themselves, with the statements as evidence."""
    return _find(_REPORTS, text, source, allow_negated=False)


def self_denials(text: str, source: Source = Source.CONTEXT) -> dict[str, list[Span]]:
    """The labels the writer says they do not feel ("I'm not worried at all")."""
    return _find(_DENIALS, text, source, allow_negated=True)


def reweight(scores: Mapping[str, float], factors: Mapping[str, float]) -> dict[str, float]:
    """Scores multiplied by per-label factors and renormalised (unchanged if nothing is left)."""
    adjusted = {label: p * factors.get(label, 1.0) for label, p in scores.items()}
    total = sum(adjusted.values())
    if total <= 0:
        return dict(scores)
    return {label: p / total for label, p in adjusted.items()}


def apply_self_reports(
    scores: Mapping[str, float],
    reports: Mapping[str, list[Span]],
    denials: Mapping[str, list[Span]] | None = None,
) -> tuple[dict[str, float], list[Cue]]:
    """Boost the self-reported labels, damp the denied ones, renormalise; both become cues."""
    denials = denials or {}
    if not reports and not denials:
        return dict(scores), []
    factors = dict.fromkeys(denials, SELF_REPORT_DENIAL)
    factors.update(dict.fromkeys(reports, SELF_REPORT_BOOST))  # a report outweighs a denial
    cues = [
        Cue("self_report", f"says they feel {label}", tuple(spans))
        for label, spans in reports.items()
    ]
    cues += [
        Cue("self_denial", f"says they are not {label}", tuple(spans))
        for label, spans in denials.items()
    ]
    return reweight(scores, factors), cues
