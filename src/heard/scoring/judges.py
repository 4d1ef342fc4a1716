"""Judges weigh what the detectors found against the customer: sympathy versus empathy, a reply
that could go to anyone, and fit (the reply's depth matched to the emotion and the issue)."""

from __future__ import annotations

from collections.abc import Sequence

from heard.results import NEGATIVE_EMOTIONS, Finding, FindingKind, Span
from heard.scoring.exchange import Exchange
from heard.scoring.lexicon import phrases
from heard.scoring.registry import Scorer

STRENGTH, GAP, ANTI = FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN

# Thresholds, documented in docs/scoring.md.
INTENSE = 0.6  # customer intensity at or above this needs an explicit acknowledgement
NOTICEABLE = 0.3  # a negative emotion at or above this deserves one
CALM = 0.35  # below this a routine question wants efficiency, not sympathy


def _codes(findings: Sequence[Finding]) -> set[str]:
    return {f.code for f in findings}


def _spans(findings: Sequence[Finding], *codes: str) -> list[Span]:
    return [span for f in findings if f.code in codes for span in f.evidence]


# --- sympathy versus empathy ------------------------------------------------------------------

_PITY = phrases(
    r"(?:i feel|i'm|i am|we feel|we're)(?: so| really| very| truly)? (?:sorry for you|bad for you)",
    r"poor (?:you|thing)",
    r"(?:what a|that's a|such a|it's a|that is a) (?:real )?(?:shame|pity)",
    r"how (?:sad|awful|terrible|unfortunate|horrible|dreadful)",
    r"(?:that's|that is|this is|it's|it is)(?: so| really| very| just)? (?:sad|unfortunate|a shame|"
    r"too bad|terrible|awful|dreadful|heartbreaking)(?! (?:that|to hear)\b)",
    r"oh no+",
    r"oh dear",
    r"bless (?:you|your heart)",
    r"(?:i|we) pity",
    r"unfortunately(?:,)? (?:that|this|these things?) (?:happens?|is (?:just )?how)",
    r"(?:such|these) things happen",
)
UNDERSTANDING = ("acknowledges_feeling", "validates_feeling")
ACTION = ("clear_next_steps", "next_steps", "ownership", "open_question", "closed_question")


def _sympathy(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    pity = exchange.reply.spans(_PITY, allow_negated=False)
    if not pity:
        return []
    codes = _codes(earlier)
    understands = bool(codes & set(UNDERSTANDING)) or exchange.level("interpretations") > 0
    acts = bool(codes & set(ACTION))
    if understands and acts:
        return []
    missing = (
        "doing anything"
        if understands
        else "showing you understand" + ("" if acts else " or doing anything")
    )
    return [
        SYMPATHY.finding(
            "sympathy_not_empathy",
            ANTI,
            f"Feels sorry *for* the customer without {missing}; pity on its own can feel like "
            "being brushed off.",
            pity,
        )
    ]


SYMPATHY = Scorer("sympathy", 1, _sympathy, ("sympathy_not_empathy",))

# --- a reply that could be sent to anyone ---------------------------------------------------------


def _generic(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    codes = _codes(earlier)
    if "personalised" in codes or not exchange.context.text.strip():
        return []
    scripted = _spans(earlier, "scripted_phrase")
    sentences = exchange.reply.sentences
    if not sentences:
        return []
    scripted_sentences = {
        s for s in sentences if any(s.start <= span.start < s.end for span in scripted)
    }
    substantive = codes & {"clear_next_steps", "next_steps", "open_question", "ownership"}
    mostly_script = len(scripted_sentences) * 2 >= len(sentences)
    if scripted and (mostly_script or (len(scripted) >= 2 and not substantive)):
        return [
            GENERIC.finding(
                "generic_reply",
                ANTI,
                "The whole reply could be sent to any customer about anything: nothing in it is "
                "about this person's problem.",
                scripted,
            )
        ]
    return []


GENERIC = Scorer("generic", 1, _generic, ("generic_reply",))

# --- fit: emotion and complexity --------------------------------------------------------------------

_SYMPATHY_WORDS = phrases(
    r"sorry",
    r"apologi[sz]e",
    r"apologies",
    r"understand",
    r"imagine",
    r"frustrat\w*",
    r"upset\w*",
    r"stress\w*",
    r"worr\w*",
    r"must be",
    r"feel\w*",
    r"terrible",
    r"awful",
)


def _fit(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    findings: list[Finding] = []
    codes = _codes(earlier)
    emotion = exchange.customer.emotion
    complexity = exchange.customer.complexity
    context = exchange.context
    if not context.text.strip():
        return findings
    # The learned level counts only when strong: a weak emotional reaction is often a stock phrase.
    acknowledged = bool(codes & {"acknowledges_feeling", "validates_feeling", "apology"}) or (
        exchange.level("emotional_reactions") == 2
    )
    emotion_evidence = [span for cue in emotion.cues for span in cue.evidence]
    if not emotion_evidence and context.sentences:
        first = context.sentences[0]
        emotion_evidence = [context.span(first.start, first.end)]
    if emotion.label in NEGATIVE_EMOTIONS and not acknowledged:
        if emotion.intensity >= INTENSE:
            findings.append(
                FIT.finding(
                    "unacknowledged_emotion",
                    GAP,
                    f"The customer is strongly {emotion.label} and the reply does not acknowledge "
                    "it; until they feel heard, the facts will not land.",
                    emotion_evidence,
                )
            )
        elif emotion.intensity >= NOTICEABLE:
            findings.append(
                FIT.finding(
                    "no_acknowledgement",
                    GAP,
                    f"The customer sounds {emotion.label}; a short acknowledgement would help.",
                    emotion_evidence,
                )
            )
    # A reflection counts when the learned model is confident of it; a question always counts.
    explores = bool(codes & {"open_question", "closed_question"}) or any(
        exchange.mechanisms[m].probabilities[2] >= 0.75
        for m in ("explorations", "interpretations")
        if m in exchange.mechanisms
    )
    if complexity.label == "complex" and not explores:
        evidence = [span for cue in complexity.cues for span in cue.evidence]
        findings.append(
            FIT.finding(
                "complex_without_exploration",
                GAP,
                "A complex issue answered without a question or a reflection of what the customer "
                "said: check you have understood before solving.",
                evidence or emotion_evidence,
            )
        )
    calm = emotion.label not in NEGATIVE_EMOTIONS or emotion.intensity < CALM
    if complexity.label == "routine" and calm:
        reply = exchange.reply
        heavy = [
            s
            for s in reply.sentences
            if len(_SYMPATHY_WORDS.findall(reply.norm[s.start : s.end])) >= 1
        ]
        total_hits = len(_SYMPATHY_WORDS.findall(reply.norm))
        if len(heavy) >= 2 and (len(heavy) * 2 >= len(reply.sentences) or total_hits >= 4):
            findings.append(
                FIT.finding(
                    "excessive_sympathy",
                    GAP,
                    "A calm, routine question buried in sympathy: lead with the answer.",
                    [reply.span(s.start, s.end) for s in heavy],
                )
            )
    return findings


FIT = Scorer(
    "fit",
    1,
    _fit,
    (
        "unacknowledged_emotion",
        "no_acknowledgement",
        "complex_without_exploration",
        "excessive_sympathy",
    ),
)

SCORERS = (SYMPATHY, GENERIC, FIT)
