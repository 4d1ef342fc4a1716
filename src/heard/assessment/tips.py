"""Coaching tips: the one to three changes that matter most, in words an agent can use.

Tips come from the anti-patterns with the largest penalties, then the gaps whose element the
situation weighs most (``heard.assessment.overall.priority``), each
tied to its finding and quoting its evidence. A reply with nothing to fix gets one tip naming what
to keep doing.
"""

from __future__ import annotations

from collections.abc import Sequence

from heard.assessment.overall import Situation, priority
from heard.results import NEGATIVE_EMOTIONS, CustomerReading, Finding, FindingKind, Tip
from heard.scoring.judges import CALM

MAX_TIPS = 3

_TEMPLATES: dict[str, str] = {
    "blames_customer": (
        "Take the blame out of {quote}. Say what happened without whose fault it was, then what "
        "you will do about it."
    ),
    "tone_policing": (
        "Drop {quote}: it tells the customer their feelings are the problem. Name the feeling "
        'instead ("I can see why this is so frustrating").'
    ),
    "deflection": (
        "Instead of {quote}, own the next step from your side: the customer came to you, so say "
        "what you will do, even if someone else caused it."
    ),
    "policy_shield": (
        "Replace {quote} with what you *can* do. If the policy matters, explain why it exists and "
        "offer the nearest alternative."
    ),
    "non_apology": (
        "{quote} apologises for their feelings, not for what happened. Apologise for the problem "
        'itself ("I\'m sorry your order arrived damaged").'
    ),
    "generic_reply": (
        "This reply could go to anyone. Mention their specifics (what they ordered, what went "
        "wrong, what they asked) so they know a person read it."
    ),
    "unacknowledged_emotion": (
        "The customer is {emotion} ({quote}). Open by acknowledging that before any facts: one "
        "sentence that names the feeling and the problem."
    ),
    "minimising": (
        'Cut {quote}: words like "just" and "simply" make their problem sound trivial. Give the '
        "steps plainly, without the shrug."
    ),
    "handed_back": (
        "The fault came from our own work, and the reply hands the fix back ({quote}). Say what "
        "you will do to put it right (send someone back, do it for them) and when, and own it."
    ),
    "off_target_acknowledgement": (
        "{quote} names a worry the customer never raised. Acknowledge what they did say: the "
        "thing that went wrong and what it means for them."
    ),
    "defensive_but": (
        "{quote} cancels your acknowledgement. End the acknowledgement with a full stop, or use "
        '"and".'
    ),
    "sympathy_not_empathy": (
        "{quote} is pity. Show you understand what it means for them and pair it with an action."
    ),
    "no_next_steps": (
        "Say what happens next: what you will do, who does it, and when they will hear back."
    ),
    "complex_without_exploration": (
        "This is a complex issue. Before solving, reflect back what you understood or ask one open "
        'question ("What have you tried so far?").'
    ),
    "excessive_sympathy": (
        "This was a calm, routine question: lead with the answer and keep the sympathy to one "
        "line at most."
    ),
    "jargon": "Explain or replace {quote}: the customer did not use that word.",
    "no_acknowledgement": (
        "Add a short acknowledgement of how the customer feels ({emotion}) before the solution."
    ),
    "no_timeline": 'Add when: "by Thursday", "within 2 hours", not "soon".',
    "not_personalised": (
        "Mention their specifics ({quote}) so the reply is clearly about their situation."
    ),
    "scripted_phrase": "Say {quote} in your own words, about their situation.",
}
_CONDOLENCE = (
    'Open with condolence in your own words ("I\'m so sorry for your loss", or better, naming '
    "who they lost) before anything practical; then make the practical part easy for them."
)
_GUSHING = (
    "One sentence that names the feeling is enough ({quote}); then go straight to what you are "
    "doing about it: more sympathy only delays the help."
)
_KEEP: dict[str, str] = {
    "acknowledges_feeling": "Keep naming the customer's feeling like this: {quote}.",
    "clear_next_steps": "Keep giving clear next steps with a time, like {quote}.",
    "ownership": "Keep owning the problem like this: {quote}.",
    "personalised": "Keep using the customer's specifics, as you did here.",
    "open_question": "Keep asking open questions like {quote}.",
}


def _quote(finding: Finding, limit: int = 2) -> str:
    quotes = []
    for span in finding.evidence[:limit]:
        text = span.text if len(span.text) <= 80 else span.text[:77].rstrip() + "..."
        quotes.append(f'"{text}"')
    return " and ".join(quotes) if quotes else "this"


def coaching_tips(
    findings: Sequence[Finding], customer: CustomerReading, situation: Situation | None = None
) -> tuple[Tip, ...]:
    """The top tips for this reply, most important first."""
    situation = situation or Situation.of(customer)
    problems = [f for f in findings if f.kind is not FindingKind.STRENGTH and f.code in _TEMPLATES]
    problems.sort(key=lambda f: -priority(f, situation))  # ties keep detector order
    tips = []
    upset = customer.emotion.label in NEGATIVE_EMOTIONS and customer.emotion.intensity >= CALM
    bereaved = customer.needs.kind == "loss"
    for finding in problems[:MAX_TIPS]:
        template = _TEMPLATES[finding.code]
        if finding.code == "excessive_sympathy" and upset:
            template = _GUSHING  # not "a calm, routine question": the customer is upset
        if finding.code in ("unacknowledged_emotion", "no_acknowledgement") and bereaved:
            template = _CONDOLENCE  # grief is not "disappointed"
        text = template.format(quote=_quote(finding), emotion=customer.emotion.label)
        tips.append(Tip(finding.code, text))
    if tips:
        return tuple(tips)
    for code, template in _KEEP.items():
        for finding in findings:
            if finding.code == code:
                return (Tip(code, template.format(quote=_quote(finding, 1))),)
    strengths = [f for f in findings if f.kind is FindingKind.STRENGTH]
    if strengths:
        return (Tip(strengths[0].code, "Nothing to fix here: " + strengths[0].message),)
    return ()
