"""The suggested rewrite: the agent's own draft, repaired.

Rules the rewrite keeps (and the tests check):
- Every sentence of the draft that carries a fact or a commitment stays, edited only where an
  anti-pattern sat; untouched sentences are kept verbatim, with the draft's own line breaks.
- It adds what was missing: an opening that names the customer's feeling and their specific issue
  (in the customer's own words: "your order 48213"), an open question when a complex issue was
  not explored, and the next step.
- It never invents facts: no number, date, amount or promise that is not in the input. Where a
  promise is needed, it leaves a visible slot for the agent to fill: ``I'll [what you will do] by
  [when]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from heard.assessment.repairs import (
    SLOT_ACTION,
    SLOT_ALTERNATIVE,
    SLOT_WHEN,
    repair_sentence,
    tidy,
    word_total,
)
from heard.results import NEGATIVE_EMOTIONS, CustomerReading, Finding, Source, Span
from heard.text import normalise, sentences

# Where an untimed commitment is, so that "by [when]" can be added to it.
_COMMITMENT_WORDS = re.compile(
    r"\b(?:i'll|i will|we'll|we will|i've|we've|you'll|you will)\b", re.IGNORECASE
)

__all__ = ["SLOT_ACTION", "SLOT_ALTERNATIVE", "SLOT_WHEN", "customer_topic", "suggest_rewrite"]


# --- finding the customer's topic, in their own words ------------------------------------------

_TOPIC_NOUNS = frozenset(
    (
        "order orders parcel package packages delivery deliveries refund refunds payment payments "
        "charge charges card account accounts subscription subscriptions bill bills invoice "
        "invoices booking bookings flight flights reservation ticket tickets internet broadband "
        "connection line phone phones app password login device laptop router tablet item items "
        "product products purchase purchases plan contract membership transfer transaction "
        "transactions statement loan mortgage insurance claim appointment shipment return returns "
        "replacement exchange service services email emails address fee fees balance credit trip "
        "hotel room car order's upgrade renewal cancellation data wifi signal tv boiler machine "
        "washer fridge phone's"
    ).split()
)
_POSSESSIVE_NP = re.compile(
    r"\b(my|our)\s+((?:[a-z0-9][\w'-]*\s+){0,3}?[a-z0-9][\w'-]*)"
    r"(?=\s*(?:[.,;:!?)]|\s(?:is|was|has|had|have|and|but|from|for|to|on|in|at|with|that|which|"
    r"keeps|still|never|hasn't|isn't|wasn't|didn't|won't|got|arrived|came|never)\b|$))"
)
_THE_NP = re.compile(r"\bthe\s+((?:[a-z0-9][\w'-]*\s+){0,2}?([a-z][\w'-]*))\b")


def customer_topic(context: str) -> str | None:
    """The customer's main subject as a short noun phrase in their words, seen from the agent.

    "My order 48213 hasn't arrived" gives "your order 48213"; None when nothing fits.
    """
    norm = normalise(context)
    candidates: list[tuple[int, int, str]] = []
    for match in _POSSESSIVE_NP.finditer(norm):
        words = match.group(2).split()
        head = next((i for i, w in enumerate(words) if w in _TOPIC_NOUNS), None)
        if head is None:
            continue
        # keep up to the topic noun and an identifier right after it ("order 48213")
        end = head + 1
        if end < len(words) and re.fullmatch(r"[#]?[a-z]*\d[\w-]*", words[end]):
            end += 1
        start_offset = match.start(2)
        phrase_words = words[:end]
        original = context[start_offset : start_offset + len(" ".join(phrase_words))]
        candidates.append((0, match.start(), "your " + original))
    for match in _THE_NP.finditer(norm):
        if match.group(2) in _TOPIC_NOUNS:
            original = context[match.start(1) : match.end(1)]
            candidates.append((1, match.start(), "the " + original))
    if not candidates:
        return None
    candidates.sort()
    return candidates[0][2]


# --- openers ----------------------------------------------------------------------------------


_FEELING_PHRASE: dict[str, str] = {
    "frustrated": "I can see how frustrating this has been",
    "anxious": "I understand how worrying this is",
    "disappointed": "I understand how disappointing this is",
}


def _opener(customer: CustomerReading, topic: str | None, *, apologised: bool) -> str:
    """One opening sentence that names the feeling (and the problem), in the customer's register.

    After a loss it is a condolence, never "disappointing"; when the draft already apologises it
    names the feeling without a second "sorry"; a formal customer gets no contractions, a casual
    one no stiffness."""
    formality = customer.style.formality
    label = customer.emotion.label
    if customer.needs.kind == "loss":
        return (
            "I am so sorry for your loss."
            if formality == "formal"
            else "I'm so sorry for your loss."
        )
    about = f"the trouble with {topic}" if topic else "this"
    if label == "confused":
        subject = topic if topic else "this"
        sentence = f"I can see why {subject} has been confusing."
    elif label in _FEELING_PHRASE:
        feeling = _FEELING_PHRASE[label]
        if apologised:
            sentence = f"{feeling}."
        elif formality == "informal":
            sentence = f"Sorry about {about}, {feeling}."
        else:
            sentence = f"I'm sorry about {about}, and {feeling}."
    else:
        return ""
    if formality == "formal":
        sentence = _uncontract(sentence)
    return sentence


_CONTRACTIONS = {
    "I'm": "I am",
    "can't": "cannot",
    "it's": "it is",
    "I'll": "I will",
    "we'll": "we will",
}


def _uncontract(text: str) -> str:
    for short, full in _CONTRACTIONS.items():
        text = text.replace(short, full)
    return text


_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^\n.!?,]{0,40}(?:[,!]\s*|\s*\n\s*)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"\n\s*(?:best|regards|kind regards|best regards|warm regards|many thanks|thanks|thank you|"
    r"cheers|sincerely|all the best|speak soon|take care)\b[^\n]*(?:\n[^\n]*){0,2}\s*$",
    re.IGNORECASE,
)

# --- composing the rewrite ------------------------------------------------------------------------


def suggest_rewrite(
    reply: str, context: str, findings: Sequence[Finding], customer: CustomerReading
) -> str:
    """The draft with its anti-patterns repaired and the missing pieces added (see module doc)."""
    codes = {f.code for f in findings}
    jargon_terms = {s.text for f in findings if f.code == "jargon" for s in f.evidence}
    body, greeting, sign_off = _split_frame(reply)
    offset = len(greeting)
    segments = sentences(body)
    pieces: list[str] = []
    cursor = 0
    untimed = _untimed_commitment(findings)
    protected = _protected(findings)
    for segment in segments:
        original = segment.of(body)
        touched = _codes_in(findings, offset + segment.start, offset + segment.end)
        keep = [
            (start - offset - segment.start, end - offset - segment.start)
            for start, end in protected
            if start < offset + segment.end and end > offset + segment.start
        ]
        text, suffix = (
            repair_sentence(original, touched & codes, keep=keep) if touched else (original, "")
        )
        if text != original:
            text = tidy(text)
            if word_total(text) < 3 and not re.search(r"\d", text):
                text = ""
        if (
            untimed is not None
            and untimed.start >= offset + segment.start
            and untimed.end <= offset + segment.end
            and text
        ):
            text = _add_when(text)
        if "jargon" in touched and text:
            suffix = " ".join(p for p in (suffix, _jargon_slot(text, jargon_terms)) if p)
        pieces.append(body[cursor : segment.start])
        pieces.append(text)
        if suffix:
            pieces.append(" " + suffix)
        cursor = segment.end
    pieces.append(body[cursor:])
    repaired = "".join(pieces).strip()
    repaired = re.sub(r"[ \t]+\n", "\n", repaired)
    repaired = re.sub(r"\n{3,}", "\n\n", repaired)
    repaired = re.sub(r"[ \t]{2,}", " ", repaired)

    additions_before: list[str] = []
    additions_after: list[str] = []
    topic = customer_topic(context)
    acknowledged = bool(codes & {"acknowledges_feeling", "validates_feeling"})
    grieving = customer.needs.kind == "loss"
    if (
        (customer.emotion.label in NEGATIVE_EMOTIONS or grieving)
        and not acknowledged
        and context.strip()
    ):
        opener = _opener(customer, topic, apologised="apology" in codes)
        if opener:
            additions_before.append(opener)
    if "complex_without_exploration" in codes:
        additions_after.append(
            "So I get this right, could you tell me a bit more about what has happened so far?"
        )
    offered_alternative = SLOT_ALTERNATIVE in repaired
    if "no_next_steps" in codes and not offered_alternative:
        additions_after.append(f"Next, I'll {SLOT_ACTION} and update you by {SLOT_WHEN}.")

    if not repaired and not additions_after:
        # Nothing of the draft survived (it was all anti-pattern): leave the agent a frame to fill.
        apology = f"I'm sorry about {f'the trouble with {topic}' if topic else 'this'}."
        if not additions_before:
            additions_before.append(apology)
        additions_after.append(f"Next, I'll {SLOT_ACTION} and update you by {SLOT_WHEN}.")
    parts = [p for p in (" ".join(additions_before), repaired, " ".join(additions_after)) if p]
    composed = "\n\n".join(parts) if "\n" in reply else " ".join(parts)
    return (greeting + composed + sign_off).strip()


def _split_frame(reply: str) -> tuple[str, str, str]:
    """(body, greeting, sign-off): the greeting and sign-off are kept as written."""
    greeting_match = _GREETING.match(reply)
    greeting = greeting_match.group(0) if greeting_match else ""
    rest = reply[len(greeting) :]
    sign_match = _SIGN_OFF.search(rest)
    if sign_match and sign_match.start() > 0:
        return rest[: sign_match.start()], greeting, "\n" + rest[sign_match.start() :].lstrip("\n")
    return rest, greeting, ""


_CLAUSE_END = re.compile(r"[,;:.!?]|\s(?:but|however|because|as|since|though)\b")


def _protected(findings: Sequence[Finding]) -> list[tuple[int, int]]:
    """Reply offsets of the acknowledgements, validations and apologies the rewrite must keep
    (an apology up to the end of its clause: "I'm sorry we charged you twice")."""
    kept: list[tuple[int, int]] = []
    for finding in findings:
        if finding.code not in ("acknowledges_feeling", "validates_feeling", "apology"):
            continue
        for span in finding.evidence:
            if span.source is not Source.REPLY:
                continue
            end = span.end
            if finding.code == "apology":
                cut = _CLAUSE_END.search(span.text, 5)
                end = span.start + cut.start() if cut else span.end
            kept.append((span.start, end))
    return kept


def _codes_in(findings: Sequence[Finding], start: int, end: int) -> set[str]:
    found = set()
    for finding in findings:
        for span in finding.evidence:
            if span.source is Source.REPLY and span.start < end and span.end > start:
                found.add(finding.code)
    return found


def _untimed_commitment(findings: Sequence[Finding]) -> Span | None:
    for finding in findings:
        if finding.code == "no_timeline":
            for span in finding.evidence:
                if span.source is Source.REPLY and _COMMITMENT_WORDS.search(span.text):
                    return span
    return None


def _add_when(text: str) -> str:
    match = re.search(r"[.!?]*\s*$", text)
    cut = match.start() if match else len(text)
    return text[:cut] + f" by {SLOT_WHEN}" + text[cut:]


def _jargon_slot(text: str, terms: set[str]) -> str:
    """One slot after a sentence with unexplained terms, naming them, for the agent to explain."""
    used = [
        t
        for t in sorted(terms, key=text.find)
        if re.search(r"(?<![\w'])" + re.escape(t) + r"(?![\w'])", text)
    ]
    if not used:
        return ""
    names = used[0] if len(used) == 1 else ", ".join(used[:-1]) + " and " + used[-1]
    return f"[explain {names} in plain words]"
