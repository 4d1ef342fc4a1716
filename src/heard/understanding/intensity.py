"""How strongly the customer feels: intensity in [0, 1] from the model's confidence and lexical cues.

The formula (also in docs/scoring.md):

    confidence = 1 - P(neutral)                       # how sure the model is there is an emotion
    intensity  = 0.15 + 0.45 * confidence + sum(cue weights), clipped to [0, 1]
                 (for a "neutral" label: 0.5 * that, capped at 0.35)

Cue weights: a strong emotion word (furious, unacceptable, terrified...) +0.20 each, at most two;
an intensifier before an emotion word (so angry, absolutely ridiculous) +0.08 each, at most two;
shouting (two or more words in capitals) +0.15; "!!" or more +0.12, a single "!" +0.04;
"??" or more +0.06; profanity +0.15; a threat to leave or escalate (cancel, lawyer, chargeback,
reviews) +0.12; a repeated contact (third time, still, again) +0.08. Softeners (a bit, slightly,
a little, no rush) subtract 0.12 each, at most two. So "I'm a bit annoyed my parcel is late"
stays low and "I am FURIOUS!!! This is the third time" goes high even when the model's
confidence is the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from heard.lexicon import phrases
from heard.results import Cue, Source, Span
from heard.text import normalise


@dataclass(frozen=True, slots=True)
class _CueRule:
    """A cue: its pattern, the weight of each occurrence, and how many occurrences count."""

    code: str
    message: str
    pattern: re.Pattern[str]
    weight: float
    cap: int
    min_count: int = 1  # fewer occurrences than this are no cue
    on_original: bool = False  # match the text as written (case and punctuation matter)


_STRONG_WORDS = (
    r"furious|livid|outraged|outrageous|disgusted|disgusting|disgraceful|appalling|appalled|"
    r"unacceptable|ridiculous|absurd|pathetic|useless|incompetent|shocking|horrendous|atrocious|"
    r"terrible|horrible|awful|worst|hate|hated|sick and tired|fed up|had enough|enraged|"
    r"infuriating|infuriated|fuming|seething|beyond angry|beyond frustrated|terrified|petrified|"
    r"panicking|panicked|desperate|devastated|heartbroken|distraught|beside myself|at my wits' end|"
    r"a joke|a scam|scammed|robbed|daylight robbery|never again|nightmare|disaster|"
    r"can't believe|cannot believe|unbelievable|shameful|a disgrace"
)
_INTENSIFIED = (
    r"(?:so|very|really|extremely|absolutely|completely|totally|utterly|incredibly|seriously|"
    r"beyond|deeply|truly|insanely|massively|hugely|genuinely) (?:\w+ )?(?:angry|annoyed|upset|"
    r"frustrated|frustrating|disappointed|disappointing|worried|anxious|scared|stressed|"
    r"stressful|confused|confusing|unhappy|ridiculous|unacceptable|bad|poor|rude|slow|"
    r"late|fed up|done)"
)
_RULES = (
    _CueRule("strong_word", "strong emotion word", phrases(_STRONG_WORDS), 0.20, 2),
    _CueRule("intensifier", "intensified feeling", phrases(_INTENSIFIED), 0.08, 2),
    _CueRule(
        "profanity",
        "swearing",
        phrases(r"fuck\w*|f\*+k\w*|shit\w*|bullshit|crap|damn|bloody|wtf|ffs|pissed(?: off)?|bs"),
        0.15,
        1,
    ),
    _CueRule(
        "threat_to_leave",
        "threat to leave or escalate",
        phrases(
            r"cancel(?:ling|led)? (?:my|the|our) (?:account|subscription|contract|order|membership)",
            r"(?:close|closing) my account",
            r"(?:my |a )?lawyers?|legal action|solicitor|small claims|sue|court",
            r"chargeback|dispute (?:the|this) (?:charge|payment)",
            r"(?:report|reporting) (?:you|this)|trading standards|ombudsman|regulator",
            r"(?:leave|leaving|write|writing) (?:a )?(?:bad |negative |1-star |one-star )?review",
            r"(?:go|going|switch|switching|move|moving) to (?:a |another )?(?:competitor|provider|bank)",
            r"social media|twitter|going public",
            r"(?:speak|talk) to (?:a |your )?(?:manager|supervisor)",
            r"never (?:use|order|shop|buy)\w* (?:from |with )?(?:you|here)",
        ),
        0.12,
        1,
    ),
    _CueRule(
        "repeated_contact",
        "repeated contact",
        phrases(
            r"(?:third|second|fourth|fifth|3rd|2nd|4th|5th|umpteenth|nth) time",
            r"yet again",
            r"(?:still|again) (?:not|no|nothing|waiting|haven't|hasn't|broken)",
            r"(?:several|many|multiple|numerous|countless|so many) times",
        ),
        0.08,
        1,
    ),
)
_SOFTENERS = phrases(
    r"a (?:bit|little|tad)(?: of a)?",
    r"slightly",
    r"somewhat",
    r"kind of|kinda|sort of|sorta",
    r"mildly",
    r"no (?:rush|hurry|worries)",
    r"(?:when|whenever) you (?:get|have) a (?:chance|moment|minute)",
    r"not (?:a )?(?:big deal|huge deal|major issue)",
    r"just (?:wondering|curious|checking)",
    r"minor",
    r"lol|lmao|rofl|haha\w*|hehe\w*",  # laughing about it: annoyed, not distressed
)
_CAPS_ALLOWED = frozenset(
    {
        "USA",
        "ATM",
        "FAQ",
        "PDF",
        "SMS",
        "URL",
        "USB",
        "GPS",
        "VAT",
        "UTC",
        "GMT",
        "BST",
        "EST",
        "PST",
        "CET",
        "CEO",
        "VIP",
        "PIN",
        "DHL",
        "UPS",
        "TNT",
        "NHS",
        "IBAN",
        "BIC",
        "API",
        "APP",
        "ASAP",
        "FYI",
        "LOL",
        "OMG",
        "DNS",
        "VPN",
        "WIFI",
        "ISP",
        "UK",
        "EU",
        "IOS",
        "CSV",
        "HTML",
    }
)
_BANGS = re.compile(r"!{2,}|(?:!\s*1+)")
_QUESTIONS = re.compile(r"\?{2,}|\?!|!\?")


# A word in capitals (not a common acronym, not a redaction placeholder such as [EMAIL], #NUMBER#,
# <PHONE> or {ORDER_ID}, whose brackets the look-arounds exclude).
_SHOUTED = re.compile(
    r"(?<![\[#<{_])\b(?!(?:" + "|".join(sorted(_CAPS_ALLOWED)) + r")\b)[A-Z]{3,}\b(?![\]#>}_])"
)


def shouted_words(text: str, source: Source = Source.CONTEXT) -> list[Span]:
    """Words in capitals that read as shouting: not acronyms or redaction placeholders."""
    return [Span.of(source, text, m.start(), m.end(), "shouting") for m in _SHOUTED.finditer(text)]


_TEXT_RULES = (
    _CueRule("shouting", "words in capitals", _SHOUTED, 0.15, 1, min_count=2, on_original=True),
    _CueRule("exclamations", "repeated exclamation marks", _BANGS, 0.12, 1, on_original=True),
    _CueRule(
        "insistent_questions", "repeated question marks", _QUESTIONS, 0.06, 1, on_original=True
    ),
    _CueRule("softener", "softened wording", _SOFTENERS, -0.12, 2),
)
SINGLE_BANG = 0.04  # one "!" when there is no "!!"


def intensity_cues(text: str, source: Source = Source.CONTEXT) -> tuple[list[Cue], float]:
    """The intensity cues found in ``text`` and the sum of their weights."""
    norm = normalise(text)
    cues: list[Cue] = []
    total = 0.0
    for rule in (*_RULES, *_TEXT_RULES):
        target = text if rule.on_original else norm
        spans = [
            Span.of(source, text, m.start(), m.end(), rule.code)
            for m in rule.pattern.finditer(target)
        ]
        if len(spans) >= rule.min_count:
            cues.append(Cue(rule.code, rule.message, tuple(spans)))
            total += rule.weight * min(len(spans), rule.cap)
    if "!" in text and not any(cue.code == "exclamations" for cue in cues):
        total += SINGLE_BANG
    return cues, total


def intensity(label: str, scores: Mapping[str, float], cue_total: float) -> float:
    """Combine the model's confidence with the cue weights (see the module docstring)."""
    confidence = 1.0 - scores.get("neutral", 0.0)
    value = 0.15 + 0.45 * confidence + cue_total
    if label == "neutral":
        value = min(0.5 * value, 0.35)
    return float(min(1.0, max(0.0, value)))
