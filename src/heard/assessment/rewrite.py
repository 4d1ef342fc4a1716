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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from heard.results import NEGATIVE_EMOTIONS, CustomerReading, Finding, Source, Span
from heard.scoring.antipatterns import (
    POLICY_PATTERN,
    REFUSAL_PATTERN,
    SCRIPTED,
    TONE_POLICING_PATTERN,
)
from heard.scoring.behaviours import NON_APOLOGY_PATTERN
from heard.scoring.lexicon import phrases
from heard.text import normalise, sentences

SLOT_ACTION = "[what you will do]"
SLOT_WHEN = "[when]"
SLOT_ALTERNATIVE = "[the nearest alternative you can offer]"


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int
    end: int
    replacement: str


# --- finding the customer's topic, in their own words ------------------------------------------

_TOPIC_NOUNS = frozenset(
    [
        "order",
        "orders",
        "parcel",
        "package",
        "packages",
        "delivery",
        "deliveries",
        "refund",
        "refunds",
        "payment",
        "payments",
        "charge",
        "charges",
        "card",
        "account",
        "accounts",
        "subscription",
        "subscriptions",
        "bill",
        "bills",
        "invoice",
        "invoices",
        "booking",
        "bookings",
        "flight",
        "flights",
        "reservation",
        "ticket",
        "tickets",
        "internet",
        "broadband",
        "connection",
        "line",
        "phone",
        "phones",
        "app",
        "password",
        "login",
        "device",
        "laptop",
        "router",
        "tablet",
        "item",
        "items",
        "product",
        "products",
        "purchase",
        "purchases",
        "plan",
        "contract",
        "membership",
        "transfer",
        "transaction",
        "transactions",
        "statement",
        "loan",
        "mortgage",
        "insurance",
        "claim",
        "appointment",
        "shipment",
        "return",
        "returns",
        "replacement",
        "exchange",
        "service",
        "services",
        "email",
        "emails",
        "address",
        "fee",
        "fees",
        "balance",
        "credit",
        "trip",
        "hotel",
        "room",
        "car",
        "order's",
        "upgrade",
        "renewal",
        "cancellation",
        "data",
        "wifi",
        "signal",
        "tv",
        "boiler",
        "machine",
        "washer",
        "fridge",
        "phone's",
    ]
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


def _opener(customer: CustomerReading, topic: str | None) -> str:
    label = customer.emotion.label
    about = f"the trouble with {topic}" if topic else "this"
    if label == "frustrated":
        return f"I'm sorry about {about}, and I can see how frustrating this has been."
    if label == "anxious":
        return f"I'm sorry about {about}, and I understand how worrying this is."
    if label == "disappointed":
        return f"I'm sorry about {about}, and I understand how disappointing this is."
    if label == "confused":
        subject = topic if topic else "this"
        return f"I can see why {subject} has been confusing."
    return ""


_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^\n.!?]{0,40}?[,!]?(?:\s*\n|\s+(?=\S))",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"\n\s*(?:best|regards|kind regards|best regards|warm regards|many thanks|thanks|thank you|"
    r"cheers|sincerely|all the best|speak soon|take care)\b[^\n]*(?:\n[^\n]*){0,2}\s*$",
    re.IGNORECASE,
)

# --- repairs of anti-patterns -------------------------------------------------------------------

_CONTENT_FREE_SCRIPT = re.compile(
    r"apologi[sz]e for (?:any|the) (?:inconvenience|trouble|frustration|confusion|disruption)|"
    r"sorry for (?:any|the) (?:inconvenience|trouble|disruption)|thank you for (?:your patience|"
    r"your understanding|contacting us|reaching out|getting in touch|bringing this|your continued|"
    r"choosing us|being a valued)|thanks for (?:your patience|reaching out|contacting us|getting in)|"
    r"is (?:important|valuable) to us|we (?:value|appreciate) your|anything else (?:i|we) can|"
    r"hesitate to|feel free to|rest assured|please be advised|kindly be|hope (?:this|that)|"
    r"hope you(?:'re| are)|have a (?:nice|great|good|wonderful|lovely|blessed)|sorry to hear|"
    r"understand your (?:concern|frustration)|can assure you|we strive to|for your (?:information|"
    r"reference)|regret to inform you(?: that)?"
)
_MINIMISER_WORDS = re.compile(r"\b(?:just|simply|merely|obviously|clearly)\s+", re.IGNORECASE)
_ONLY_SMALL = re.compile(
    r"\b(?:only|just|merely|simply)\s+(a |an )?(?:small|minor|tiny|little|quick|simple|slight|"
    r"temporary)\s+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"\b([Aa])n? (?=([A-Za-z]))")
_SMALL_THING = re.compile(
    r"\b(small|minor|tiny|slight)\s+(?=inconvenience|glitch|hiccup|issue|problem|delay)",
    re.IGNORECASE,
)
_DISMISSALS = re.compile(
    r"(?:it's|it is|that's|that is|this is|it was)(?: really| actually)? (?:nothing|no big deal|"
    r"not (?:a )?big deal|not (?:that|so) (?:bad|serious|big|important)|not the end of the world|"
    r"a first world problem|not a (?:real|big) problem)|(?:you're|you are) overreacting|(?:this|it) "
    r"happens all the time|(?:everyone|everybody) (?:else )?(?:manages|knows|can do)[^.!?]*|"
    r"as you can (?:clearly |obviously )?see,?|(?:it's|it is|that's|that is|this is)(?: really| very|"
    r" super| pretty| quite)? (?:easy|simple|straightforward|quick)(?: to (?:do|find|use|follow|set "
    r"up|understand|fix|sort))?",
    re.IGNORECASE,
)
_ALL_YOU_NEED = re.compile(
    r"all (?:you|you'll|you will) (?:need|have|ever need) to do is\s+", re.IGNORECASE
)
_BLAME_PREFIX = re.compile(
    r"(?:(?:as|like) (?:i|we)(?: have| had|'ve)? (?:already |previously |clearly |just |also )?"
    r"(?:said|stated|mentioned|explained|told you|informed you|advised|pointed out)|as (?:previously |"
    r"already )?(?:stated|mentioned|explained|advised|noted)|per my (?:last|previous|earlier) "
    r"(?:email|e-mail|message|reply|note)|(?:i've|i have|we've|we have) already (?:told|explained|"
    r"said|answered)(?: you)?(?: this)?)(?: before| already| earlier)?(?:,? that\b)?[,:]?\s*",
    re.IGNORECASE,
)
_YOUR_FAULT = re.compile(
    r"(?:it's|it is|that's|that is|this is|it was|this was)(?: entirely| completely| clearly| "
    r"obviously| really)? (?:your|the customer's) (?:own )?(?:fault|mistake|responsibility|error|"
    r"problem)(?:,? (?:because|as|since|that) |[,.;:!]\s*)?",
    re.IGNORECASE,
)
_SHOULD_HAVE = re.compile(
    r"you (?:really |clearly |obviously )?(?:should have|should've|ought to have|were supposed to|"
    r"needed to|could have just|could've just) (?:have )?(\w+)",
    re.IGNORECASE,
)
_DID_NOT = re.compile(
    r"you (?:didn't|did not|failed to|forgot to|neglected to|never) (\w+)((?: (?:the|your|a|an|this|"
    r"that|these|those|any) (?:\w[\w'-]* ){0,2}\w[\w'-]*)?)",
    re.IGNORECASE,
)
_WRONGLY = re.compile(
    r"you (entered|typed|selected|chose|gave|put in) (it|the \w[\w'-]*|your \w[\w'-]*|a \w[\w'-]*) "
    r"(?:wrong|wrongly|incorrectly)",
    re.IGNORECASE,
)
_MISUNDERSTOOD = re.compile(r"you (?:clearly |obviously )?(?:misunderstood|misread)", re.IGNORECASE)
_MADE_MISTAKE = re.compile(
    r"you (?:clearly |obviously )?made (?:a|an) (?:\w+ )?(?:mistake|error)", re.IGNORECASE
)
_CLEARLY_STATES = re.compile(
    r"\b(?:clearly|plainly) (?=states|stated|says|said|shows|showed|explains|explained|mentioned|marked|written|visible|listed)",
    re.IGNORECASE,
)
_IF_YOU_HAD = re.compile(r"if you (?:had|'d|would|'d) (?:just )?[^,.!?]*,\s*", re.IGNORECASE)
_USER_ERROR = re.compile(r"user error", re.IGNORECASE)
_NOT_OUR_FAULT = re.compile(
    r"(?:it's|it is|that's|that is|this is|it was|this was|that was)(?: really| simply| actually|"
    r" honestly)? not (?:our|my|the company's) (?:fault|problem|responsibility|issue|doing|concern|"
    r"mistake)(?:,? (?:because|as|since) |[,;:]\s*|\s*[-\u2013\u2014]\s*)?",
    re.IGNORECASE,
)
_SOMEONE_ELSES = re.compile(
    r"(?:that's|it's|this is|that is|it is)(?: really| entirely)? (the courier|the carrier|the bank|"
    r"your bank|the manufacturer|the supplier|another department|the other team|a third party)'s? "
    r"(?:fault|problem|responsibility|issue|mistake)",
    re.IGNORECASE,
)
_POLICY_NOTHING = re.compile(
    r"(?:there's|there is) (?:really |unfortunately |simply )?nothing (?:more |else |further )?"
    r"(?:i|we) can do(?: about (?:it|this|that))?|(?:i|we) (?:can't|cannot|can not|am unable to|are "
    r"unable to|'m unable to|'re unable to|am not able to|are not able to|'m not able to|'re not able "
    r"to) (?:do anything|help (?:you )?(?:any further|further|with (?:that|this)))(?: more| else)?",
    re.IGNORECASE,
)
_POLICY_DROP = re.compile(
    r"(?:,\s*)?(?:rules are rules|(?:i|we) (?:don't|do not) make the (?:rules|policy|policies)|"
    r"(?:my|our) hands are tied|(?:that's|it's|this is|that is|it is) (?:out of|beyond) (?:my|our) "
    r"(?:hands|control)|(?:that's|it's) just (?:the way|how) (?:it is|things are|it works)|computer "
    r"says no)",
    re.IGNORECASE,
)
_PITY = phrases(
    r"oh no+,?",
    r"oh dear,?",
    r"poor (?:you|thing)",
    r"bless (?:you|your heart)",
    r"(?:what a|that's a|such a|it's a) (?:real )?(?:shame|pity)",
    r"(?:that's|that is|this is|it's|it is)(?: so| really| very| just)? (?:sad|unfortunate|a shame|"
    r"too bad)",
    r"(?:i feel|i'm|i am)(?: so| really| very)? (?:sorry for you|bad for you)",
    r"how (?:sad|awful|terrible|unfortunate)",
)
_BUT_WORD = re.compile(r"(,?\s*)\b(but|however)\b,?\s*", re.IGNORECASE)
_COMMITMENT_WORDS = re.compile(
    r"\b(?:i'll|i will|we'll|we will|i've|we've|you'll|you will)\b", re.IGNORECASE
)


@lru_cache(maxsize=2048)
def _verb_forms(verb: str) -> tuple[str, str, str]:
    """(base, gerund, participle) of a verb, by lemminflect; falls back to the word itself."""
    from lemminflect import getInflection, getLemma

    base = (getLemma(verb, upos="VERB") or (verb,))[0]
    gerund = (getInflection(base, tag="VBG") or (base + "ing",))[-1]
    participle = (getInflection(base, tag="VBN") or (base + "ed",))[-1]
    return base, gerund, participle


def _blame_edits() -> list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]:
    """Substitutions that take the blame out of a sentence and keep its facts."""

    def should_have(match: re.Match[str]) -> str:
        base, _, _ = _verb_forms(match.group(1).lower())
        return f"next time, it helps to {base}"

    def did_not(match: re.Match[str]) -> str:
        verb, obj = match.group(1).lower(), match.group(2).strip()
        _, gerund, participle = _verb_forms(verb)
        if obj:
            return f"{obj} wasn't {participle}"
        return f"it looks like the {gerund} step was missed"

    def wrongly(match: re.Match[str]) -> str:
        _, _, participle = _verb_forms(match.group(1).lower().split()[0])
        obj = match.group(2)
        obj = "it" if obj.lower() == "it" else obj
        return f"{obj} was {participle} incorrectly"

    return [
        (_BLAME_PREFIX, ""),
        (_YOUR_FAULT, ""),
        (_CLEARLY_STATES, ""),
        (_IF_YOU_HAD, ""),
        (_USER_ERROR, "an error"),
        (_SHOULD_HAVE, should_have),
        (_DID_NOT, did_not),
        (_WRONGLY, wrongly),
        (_MISUNDERSTOOD, "there was a mix-up about"),
        (_MADE_MISTAKE, "there was a mistake"),
    ]


def _repair_sentence(sentence: str, codes: set[str]) -> tuple[str, str]:
    """The sentence with its anti-patterns repaired, and any text to add after it."""
    text = sentence
    suffix = ""
    if "blames_customer" in codes:
        for pattern, replacement in _blame_edits():
            text = pattern.sub(replacement, text)
    if "deflection" in codes:
        text = _NOT_OUR_FAULT.sub("", text)
        text = _SOMEONE_ELSES.sub(lambda m: f"this involves {m.group(1)}", text)
    if "minimising" in codes:
        text = _DISMISSALS.sub("", text)
        text = _ALL_YOU_NEED.sub("you can ", text)
        text = _ONLY_SMALL.sub(lambda m: m.group(1) or "", text)
        text = _SMALL_THING.sub("", text)
        text = _ARTICLE.sub(
            lambda m: m.group(1) + ("n " if m.group(2).lower() in "aeio" else " "), text
        )
        text = _MINIMISER_WORDS.sub(_keep_agent_just, text)
    if "tone_policing" in codes:
        text = _sub_normalised(TONE_POLICING_PATTERN, text, "")
    if "non_apology" in codes:
        text = _sub_normalised(NON_APOLOGY_PATTERN, text, "")
    if "scripted_phrase" in codes or "generic_reply" in codes:
        text = _drop_content_free_script(text)
    if "sympathy_not_empathy" in codes:
        text = _sub_normalised(_PITY, text, "")
    if "policy_shield" in codes:
        if _POLICY_NOTHING.search(text):
            text = _POLICY_NOTHING.sub(f"here's what I can do: {SLOT_ALTERNATIVE}", text)
        text = _POLICY_DROP.sub("", text)
        if POLICY_PATTERN.search(normalise(text)) and REFUSAL_PATTERN.search(normalise(text)):
            suffix = f"What I can do instead is {SLOT_ALTERNATIVE}."
    if "defensive_but" in codes:
        text = _soften_but(text)
    return text, suffix


def _keep_agent_just(match: re.Match[str]) -> str:
    """Drop a minimiser, except the agent's own "just" ("I just checked")."""
    before = match.string[max(0, match.start() - 8) : match.start()].lower()
    if match.group(0).lower().startswith("just") and re.search(
        r"\b(?:i|we|i've|we've|i have|we have)\s*$", before
    ):
        return match.group(0)
    return ""


def _sub_normalised(pattern: re.Pattern[str], text: str, replacement: str) -> str:
    """Apply a pattern written for normalised text to the original, by offsets."""
    norm = normalise(text)
    pieces, last = [], 0
    for match in pattern.finditer(norm):
        pieces.append(text[last : match.start()])
        pieces.append(replacement)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _drop_content_free_script(text: str) -> str:
    norm = normalise(text)
    pieces, last = [], 0
    for match in SCRIPTED.finditer(norm):
        if not _CONTENT_FREE_SCRIPT.search(match.group(0)):
            continue  # "we are looking into it" is a commitment: keep it
        pieces.append(text[last : match.start()])
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _soften_but(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.start() == 0:
            return ""
        return ". "

    return _BUT_WORD.sub(replace, text, count=1)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"([,;:])\s*([.!?])", r"\2", text)
    text = re.sub(r"([.!?])\s*[,;:]+", r"\1", text)
    text = re.sub(r"\.\s*\.", ".", text)
    text = re.sub(r"^[\s,;:.\-\u2013\u2014]+", "", text)
    text = re.sub(r"(?<=[.!?]) +[,;:\-\u2013\u2014]+\s*", " ", text)
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text.strip()


def _word_total(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


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
    for segment in segments:
        original = segment.of(body)
        touched = _codes_in(findings, offset + segment.start, offset + segment.end)
        text, suffix = _repair_sentence(original, touched & codes) if touched else (original, "")
        if text != original:
            text = _tidy(text)
            if _word_total(text) < 3 and not re.search(r"\d", text):
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
    if customer.emotion.label in NEGATIVE_EMOTIONS and not acknowledged and context.strip():
        opener = _opener(customer, topic)
        if opener:
            additions_before.append(opener)
    if "complex_without_exploration" in codes:
        additions_after.append(
            "So I get this right, could you tell me a bit more about what has happened so far?"
        )
    if "no_next_steps" in codes:
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
