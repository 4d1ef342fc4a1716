"""The overall score, 0-100: what the situation needed, how much of it the reply gave, minus the
anti-patterns.

A reply is judged against its situation, the way a QA form asks "was empathy required?" before it
scores empathy. Six **elements** can be needed; each is worth the points that the situation decides
(``element_weights``: what leaving it out costs) and is met to a degree in [0, 1] by the reply's
findings and learned mechanisms (``element_values``):

- ``help``: answer what was asked, or say what will be done (and when);
- ``acknowledge``: name the customer's feeling (or, after a loss, offer condolence);
- ``own``: apologise for or own a service failure;
- ``understand``: explore or reflect a complex issue before solving it;
- ``personal``: use the customer's own specifics;
- ``courtesy``: a warm, human tone (mostly met by a plain, polite reply: ``PLAIN_COURTESY``).

    score = 100 - sum(weight[e] * (1 - degree[e]) for each needed element e)
                - sum(PENALTIES[code] for each distinct anti-pattern)
    then the caps: a CRITICAL anti-pattern holds the score near CRITICAL_CAP, a SERIOUS one near
    SERIOUS_CAP, pity without action near SYMPATHY_CAP, a loss with no condolence near
    NO_CONDOLENCE_CAP, no help when help was needed near NO_HELP_CAP, below the poor line (soft
    caps: above the cap each point counts CAP_SLOPE, so two replies keep their order); clipped
    to [0, 100] and rounded.

A strength can only raise an element's degree, and an anti-pattern only subtracts, so the score is
monotone in the findings (property-tested). Evidence labels qualify a strength rather than add one:
an acknowledgement marked ``generic`` ("it can be frustrating when…") or a step marked ``vague``
("we'll look into it") counts half, and a generic acknowledgement also limits what the learned
emotional-reactions mechanism credits on its own. Once help is fully met, a moderately upset
customer's unnamed feeling costs ``ACKNOWLEDGEMENT_WHEN_FIXED`` instead of
``NOTICEABLE_ACKNOWLEDGEMENT``. Gaps (``no_next_steps``, ``unacknowledged_emotion``…)
are the unmet elements, reported with the customer's words; they carry no points of their own,
except the misfits in ``PENALTIES`` (``excessive_sympathy``, ``slow_for_stakes``,
``register_mismatch``, ``no_timeline``). The tables are the
rubric: change them here and in docs/scoring.md together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from heard.results import (
    NEGATIVE_EMOTIONS,
    CustomerReading,
    Finding,
    MechanismResult,
    evidence_of,
)
from heard.scoring.antipatterns import COURTESY, DENSE
from heard.scoring.behaviours import GENERIC, VAGUE
from heard.understanding.needs import SUBSTANTIVE_WORDS

ELEMENTS: tuple[str, ...] = ("help", "acknowledge", "own", "understand", "personal", "courtesy")

# How far each finding meets an element (the best one counts).
MEETS: Mapping[str, Mapping[str, float]] = {
    "help": {
        "clear_next_steps": 1.0,
        "answers_question": 1.0,  # lowered to PARTIAL_ANSWER when a question is left open
        "action_taken": 0.85,
        "gives_steps": 0.8,
        "offers_alternative": 0.75,
        "next_steps": 0.5,
        "suggests": 0.45,
        "open_question": 0.5,
        "closed_question": 0.45,
        "ownership": 0.35,
    },
    "acknowledge": {
        "acknowledges_feeling": 1.0,
        "validates_feeling": 0.9,
        "apology": 0.6,
    },
    # Owning a failure: an apology or "that's on us", or taking the fix on yourself.
    "own": {
        "ownership": 1.0,
        "apology": 0.9,
        "action_taken": 0.75,
        "clear_next_steps": 0.7,
        "offers_alternative": 0.6,
        "next_steps": 0.5,
        "gives_steps": 0.5,  # the fix handed over: they still do the work, so half
        "validates_feeling": 0.4,
    },
    "understand": {
        "open_question": 1.0,
        "reflects": 1.0,
        "closed_question": 0.6,
        "personalised": 0.6,  # speaking to each of their details shows the whole picture landed
    },
    "personal": {"personalised": 1.0},
    "courtesy": {"warm_tone": 1.0, "validates_feeling": 0.7},
}
PARTIAL_ANSWER = 0.65
BARE_NO = 0.5
REFUSALS = frozenset({"bare_refusal", "policy_shield"})
# What helps depends on what was asked: a question wants its answer, not a promise to find out;
# after a bare "Yes." or an order number, the next question moves things on.
HELP_FOR: Mapping[str, Mapping[str, float]] = {
    "question": {
        "clear_next_steps": 0.6,
        "action_taken": 0.4,
        "next_steps": 0.35,
        "gives_steps": 0.6,
    },
    "none": {"open_question": 0.9, "closed_question": 0.9, "next_steps": 0.8},
}
PLAIN_COURTESY = 0.7  # a polite reply with no warmth in it
GENERIC_ACKNOWLEDGEMENT = 0.5  # a feeling named as a generality, not this customer's
VAGUE_STEP = 0.5  # a promise of attention ("we'll look into it") meets half what an action does
HANDED_BACK_STEP = 0.5  # steps handed to the customer for a failure our own work caused
JARGON_HELP = 0.5  # said in jargon that makes the whole reply hard to read ("dense"): half
THANKED_FOR = 12  # characters between "thanks" and what it is for ("for the quick help")
PRAISE_BESIDE = 25.0  # the courtesy owed to praise that comes with a question or a request
# The learned mechanisms meet elements too, by their probability-weighted level (0-2) / 2.
MECHANISM_MEETS: Mapping[str, Mapping[str, float]] = {
    "acknowledge": {"emotional_reactions": 0.7},
    "understand": {"interpretations": 1.0, "explorations": 1.0},
    "courtesy": {"emotional_reactions": 0.8},
}
PENALTIES: Mapping[str, float] = {
    "blames_customer": 30.0,
    "bare_refusal": 15.0,
    "tone_policing": 30.0,
    "misread_tone": 25.0,
    "deflection": 15.0,
    "policy_shield": 15.0,
    "non_apology": 15.0,
    "generic_reply": 12.0,
    "parroting": 12.0,
    "repeats_tried": 25.0,
    "sales_push": 12.0,
    "minimising": 12.0,
    "sympathy_not_empathy": 10.0,
    "defensive_but": 8.0,
    "off_target_acknowledgement": 8.0,
    "handed_back": 20.0,
    "excessive_sympathy": 12.0,
    "slow_for_stakes": 30.0,
    "register_mismatch": 25.0,
    "no_timeline": 6.0,
    "jargon": 6.0,
    "scripted_phrase": 4.0,
}
# Anti-patterns that make a reply poor whatever else it does, and ones that keep it from being a
# model reply (soft caps, like the others).
CRITICAL = frozenset({"blames_customer", "tone_policing", "misread_tone"})
CRITICAL_CAP = 35.0
SERIOUS = frozenset(
    {
        "non_apology",
        "policy_shield",
        "bare_refusal",
        "minimising",
        "deflection",
        "sales_push",
        "parroting",
        "repeats_tried",
    }
)
SERIOUS_CAP = 60.0
# Penalties that count each instance (up to this many) rather than once.
PER_INSTANCE: Mapping[str, int] = {"scripted_phrase": 3, "jargon": 3}
# Misfits that keep a reply from being a model one (a soft cap just under "exemplary"): jargon,
# gushing, the wrong register, slowness when something is at stake, "but", the wrong worry
# acknowledged, the fix handed back, a template. A single stock courtesy ("Thanks for getting in
# touch") is manners, not a template.
FLAWS = frozenset(
    {
        "jargon",
        "excessive_sympathy",
        "register_mismatch",
        "slow_for_stakes",
        "defensive_but",
        "off_target_acknowledgement",
        "handed_back",
        "generic_reply",
        "scripted_phrase",
    }
)
FLAWED_CAP = 75.0
SYMPATHY_CAP = 30.0
NO_CONDOLENCE_CAP = 30.0  # a loss answered without a word of condolence, however efficiently
NO_HELP_CAP = 35.0
CAP_SLOPE = 0.2
INTENSE = 0.6
NOTICEABLE = 0.3
NOTICEABLE_ACKNOWLEDGEMENT = 20.0
ACKNOWLEDGEMENT_WHEN_FIXED = 10.0
FIXED = 0.85  # the help element met by a concrete fix or a full answer


@dataclass(frozen=True, slots=True)
class Situation:
    """What the score needs to know about the customer, from their reading."""

    kind: str  # the needs kind: loss, problem, question, praise, none
    emotion: str
    intensity: float
    complex: bool
    has_specifics: bool  # the customer gave details worth using
    failure: bool  # a service failure was reported (so an apology or ownership is owed)
    praised: bool = False  # thanks or praise that wants a reply of its own, whatever else they ask
    # a message written to thank ("I just wanted to say thanks: ... I slept properly for the first
    # time in weeks"), not a thank-you on the way out ("No, that's all, thanks.")
    thanks_note: bool = False

    @classmethod
    def of(
        cls, customer: CustomerReading, *, has_specifics: bool = False, words: int = 0
    ) -> Situation:
        failure = customer.needs.has("problem")
        return cls(
            kind=customer.needs.kind,
            emotion=customer.emotion.label,
            intensity=customer.emotion.intensity,
            complex=customer.complexity.label == "complex",
            has_specifics=has_specifics,
            failure=failure,
            praised=_compliments(customer)
            and not failure
            and customer.emotion.label not in NEGATIVE_EMOTIONS,
            thanks_note=customer.needs.kind == "praise"
            and customer.needs.has("praise")
            and words >= SUBSTANTIVE_WORDS,
        )


_THANKS_ONLY = re.compile(
    r"^(?:thank\w*|thanks|cheers|many thanks|(?:much |really )?appreciated?)$"
)


def _compliments(customer: CustomerReading) -> bool:
    """Praise beyond a thank-you ("The new app is brilliant"), which wants thanks of its own;
    "Thanks for the help last month, could you..." is manners before the request."""
    spans = [span for cue in customer.needs.cues if cue.code == "praise" for span in cue.evidence]
    thanks = [span for span in spans if _THANKS_ONLY.match(span.text.lower().strip())]
    return any(
        span not in thanks
        # "Thanks for the quick help": the compliment belongs to the thank-you
        and not any(0 <= span.start - t.end <= THANKED_FOR for t in thanks)
        for span in spans
    )


def element_weights(situation: Situation) -> dict[str, float]:
    """The points each element this situation needs is worth (missing = not needed): what a reply
    loses when it leaves the element out entirely."""
    weights: dict[str, float] = {"courtesy": 10.0}
    kind = situation.kind
    if kind == "question":
        weights["help"] = 60.0
    elif kind == "problem":
        weights["help"] = 55.0
    elif kind == "loss":
        weights["help"] = 35.0
    elif kind == "none":
        weights["help"] = 30.0  # "Yes." / an order number: the reply should move things on
    elif kind == "praise":
        weights["courtesy"] = 45.0
        if situation.has_specifics:
            weights["personal"] = 8.0  # thank them for what they actually praised
    if situation.praised and kind != "praise":
        weights["courtesy"] = PRAISE_BESIDE  # "Great service! Do I fill the tank?": thank them too
    negative = situation.emotion in NEGATIVE_EMOTIONS
    if kind == "loss":
        weights["acknowledge"] = 45.0  # after a loss, condolence comes before everything
    elif negative and situation.intensity >= INTENSE:
        weights["acknowledge"] = 30.0
    elif negative and situation.intensity >= NOTICEABLE:
        weights["acknowledge"] = NOTICEABLE_ACKNOWLEDGEMENT
    if situation.failure and kind == "problem":
        weights["own"] = 15.0 if situation.intensity >= INTENSE else 10.0
    if situation.complex and kind in ("problem", "question", "loss"):
        weights["understand"] = 20.0
    if situation.has_specifics and kind in ("problem", "question", "loss"):
        weights["personal"] = 10.0
    return weights


def element_values(
    mechanisms: Mapping[str, MechanismResult],
    findings: Iterable[Finding],
    situation: Situation | None = None,
) -> dict[str, tuple[float, str]]:
    """Each element's degree in [0, 1] and what met it (a finding code or a mechanism)."""
    findings = tuple(findings)
    codes = {f.code for f in findings}
    kind = situation.kind if situation is not None else "none"
    failure = situation.failure if situation is not None else False
    # praise beside a question wants thanks of its own; a thank-you note on its own keeps the
    # plain-courtesy floor ("No, that's all, thanks." / "Great, you're all set.")
    praised = situation is not None and situation.praised and situation.kind != "praise"
    # an answer in words they do not know is only half an answer
    dense_jargon = any(span.label == DENSE for span in evidence_of(findings, "jargon"))
    values: dict[str, tuple[float, str]] = {}
    for element in ELEMENTS:
        best, source = 0.0, ""
        table = MEETS[element]
        if element == "help" and kind in HELP_FOR and not (kind == "question" and failure):
            # a question about a failure ("where's my food?") is answered by fixing it
            table = {**table, **HELP_FOR[kind]}
        for code, degree in table.items():
            if code not in codes:
                continue
            if element == "help" and code == "answers_question" and "unanswered_question" in codes:
                degree = PARTIAL_ANSWER
            if element == "help" and code == "answers_question" and codes & REFUSALS:
                degree = min(degree, BARE_NO)  # "no" and nothing else leaves them stuck
            if code == "acknowledges_feeling" and _only_labelled(findings, code, GENERIC):
                degree *= GENERIC_ACKNOWLEDGEMENT  # "it can be frustrating when…": anyone's feeling
            if code in ("next_steps", "clear_next_steps") and _only_labelled(findings, code, VAGUE):
                degree *= VAGUE_STEP  # "we'll look into it and be in touch": attention, no action
            if code == "gives_steps" and "handed_back" in codes:
                degree *= HANDED_BACK_STEP  # our own work failed: steps for them are half a fix
            if element == "help" and dense_jargon:
                degree *= JARGON_HELP  # "your PNR was auto-reaccommodated; MCO issued": not yet
            if degree > best:
                best, source = degree, code
        for name, factor in MECHANISM_MEETS.get(element, {}).items():
            result = mechanisms.get(name)
            if result is None:
                continue
            degree = factor * result.expected_level / 2.0
            if degree > best:
                best, source = degree, name
        if (
            element == "acknowledge"
            and source in MECHANISM_MEETS["acknowledge"]
            and _only_labelled(findings, "acknowledges_feeling", GENERIC)
        ):
            # the model hears a feeling named; the words show it was anyone's, not theirs
            best = min(best, GENERIC_ACKNOWLEDGEMENT)
        if (
            element == "courtesy"
            and best < PLAIN_COURTESY
            and not praised
            and not (situation is not None and situation.thanks_note)
            and not codes & CRITICAL
        ):
            # plain politeness is enough for a question, not for someone who has just praised you
            # or written to thank you, and a reply that blames, polices or misreads them is not
            # plainly polite
            best, source = PLAIN_COURTESY, "plain"
        values[element] = (best, source)
    return values


def overall_score(
    mechanisms: Mapping[str, MechanismResult],
    findings: Iterable[Finding],
    situation: Situation | None = None,
) -> tuple[int, dict[str, float]]:
    """The 0-100 score and its parts: what each missing element cost, each penalty, each cap."""
    findings = tuple(findings)
    situation = situation or Situation("none", "neutral", 0.0, False, False, False)
    weights = element_weights(situation)
    values = element_values(mechanisms, findings, situation)
    if (
        weights.get("acknowledge") == NOTICEABLE_ACKNOWLEDGEMENT
        and values["help"][0] >= FIXED
        and situation.kind != "loss"
    ):
        # moderately upset and fully helped: the fix carries most of the empathy; naming the
        # feeling still counts, for less (very upset customers need it whatever the fix)
        weights["acknowledge"] = ACKNOWLEDGEMENT_WHEN_FIXED
    parts: dict[str, float] = {}
    total = 100.0
    for element, weight in weights.items():
        shortfall = weight * (1.0 - values[element][0])
        if shortfall > 0:
            parts[f"missing {element}"] = -shortfall
            total -= shortfall
    codes = {f.code for f in findings}
    for code in sorted(codes & set(PENALTIES)):
        penalty = PENALTIES[code]
        if code in PER_INSTANCE:
            # a reply made of several stock phrases reads as a template, one in several unexplained
            # terms as a manual: each distinct one counts
            instances = len({span.text.lower() for span in evidence_of(findings, code)})
            penalty *= min(instances, PER_INSTANCE[code])
        parts[code] = -penalty
        total -= penalty
    caps = []
    if codes & CRITICAL:
        caps.append(CRITICAL_CAP)  # a QA form's "auto-fail": blame or "calm down" sink any reply
    if len(codes & SERIOUS) >= 2:
        caps.append(CRITICAL_CAP)  # two kinds of brush-off ("sorry you feel", "mistakes happen")
    elif codes & SERIOUS:
        caps.append(SERIOUS_CAP)  # a reply with these can be acceptable at best, never a model
    if any(_flaw(finding) for finding in findings):
        caps.append(FLAWED_CAP)
    if situation.kind == "loss" and "unacknowledged_emotion" in codes:
        caps.append(NO_CONDOLENCE_CAP)  # "Returning the router is mandatory" to the bereaved
    if "sympathy_not_empathy" in codes:
        caps.append(SYMPATHY_CAP)
    if "help" in weights and weights["help"] >= 35.0 and values["help"][0] == 0.0:
        caps.append(NO_HELP_CAP)
    if caps and total > min(caps):
        # a soft cap: above it only CAP_SLOPE of each point counts, so replies keep their order
        capped = min(caps) + CAP_SLOPE * (total - min(caps))
        parts["cap"] = capped - total
        total = capped
    return round(min(100.0, max(0.0, total))), {k: round(v, 2) for k, v in parts.items()}


def _only_labelled(findings: Iterable[Finding], code: str, label: str) -> bool:
    spans = evidence_of(findings, code)
    return bool(spans) and all(span.label == label for span in spans)


def _flaw(finding: Finding) -> bool:
    if finding.code not in FLAWS:
        return False
    if finding.code == "scripted_phrase":
        return len(finding.evidence) > 1 or any(s.label != COURTESY for s in finding.evidence)
    return True


def priority(finding: Finding, situation: Situation | None = None) -> float:
    """How much fixing a gap or anti-pattern matters here (larger first), for the tips."""
    if finding.code in CRITICAL or finding.code in SERIOUS:
        return 100.0 + PENALTIES[finding.code]  # anti-patterns before missing pieces
    if finding.code in PENALTIES:
        # a misfit ("add when", jargon, a stock phrase) ranks by the points it costs, so a
        # strongly upset customer left unacknowledged (30) comes before "add when" (6)
        return PENALTIES[finding.code]
    element = GAP_ELEMENT.get(finding.code)
    if element is None:
        return 0.0
    if element == "acknowledge" and situation is not None and situation.kind == "loss":
        return 200.0  # after a loss, condolence comes before everything, anti-patterns included
    weights = element_weights(situation) if situation is not None else {}
    return weights.get(element, 1.0)


# Which element each gap reports missing.
GAP_ELEMENT: Mapping[str, str] = {
    "no_next_steps": "help",
    "unanswered_question": "help",
    "no_timeline": "help",
    "unacknowledged_emotion": "acknowledge",
    "no_acknowledgement": "acknowledge",
    "complex_without_exploration": "understand",
    "not_personalised": "personal",
}
