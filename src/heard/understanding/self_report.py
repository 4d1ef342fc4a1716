"""Explicit self-reports of emotion ("I'm really scared", "I feel so let down", "I'm confused").

When customers name their feeling, that statement outweighs what a model trained on Reddit
comments guesses from the rest of the message. The engine multiplies the model's probability for
each self-reported label by ``SELF_REPORT_BOOST`` and renormalises (docs/scoring.md); the
statement becomes evidence of the reading. Negated reports ("I'm not angry") are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from heard.results import Cue, Source, Span
from heard.scoring.lexicon import INTENSIFIER, phrases
from heard.text import negated, normalise

SELF_REPORT_BOOST = 4.0

_STEM = rf"(?:i'm|i am|i feel|i'm feeling|i am feeling|i was|i've been|i have been|i'm getting|i get|i got|makes me|made me|leaves me|left me|we're|we are|we feel)(?: (?:{INTENSIFIER}|now|just|getting|becoming|a bit|a little|quite|pretty|beyond))*"
_WORDS: dict[str, str] = {
    "frustrated": r"frustrated|angry|furious|livid|annoyed|irritated|fuming|mad|outraged|fed up|sick of this|sick and tired|exasperated|pissed off",
    "anxious": r"scared|worried|anxious|nervous|afraid|frightened|terrified|panicking|panicked|stressed|concerned|uneasy|on edge|desperate",
    "disappointed": r"disappointed|let down|sad|upset|gutted|heartbroken|devastated|unhappy|saddened|crushed",
    "confused": r"confused|lost|puzzled|baffled|unsure|not sure what|not sure how|stuck|clueless",
    "satisfied": r"happy|pleased|delighted|grateful|thrilled|relieved|impressed|satisfied|glad",
}
_PATTERNS = {label: phrases(rf"{_STEM} (?:{words})") for label, words in _WORDS.items()}


def self_reports(text: str, source: Source = Source.CONTEXT) -> dict[str, list[Span]]:
    """The labels the writer names for themselves, with the statements as evidence."""
    norm = normalise(text)
    found: dict[str, list[Span]] = {}
    for label, pattern in _PATTERNS.items():
        for match in pattern.finditer(norm):
            inner_not = " not " in f" {match.group(0)} " and label != "confused"  # "not sure how"
            if negated(norm, match.start()) or inner_not:
                continue
            found.setdefault(label, []).append(
                Span.of(source, text, match.start(), match.end(), label)
            )
    return found


def apply_self_reports(
    scores: Mapping[str, float], reports: Mapping[str, list[Span]]
) -> tuple[dict[str, float], list[Cue]]:
    """Boost the self-reported labels and renormalise; the reports become cues."""
    if not reports:
        return dict(scores), []
    boosted = {
        label: p * (SELF_REPORT_BOOST if label in reports else 1.0) for label, p in scores.items()
    }
    total = sum(boosted.values()) or 1.0
    cues = [
        Cue("self_report", f"says they feel {label}", tuple(spans))
        for label, spans in reports.items()
    ]
    return {label: p / total for label, p in boosted.items()}, cues
