"""Sentence repairs for the suggested rewrite: each anti-pattern's words edited out or turned
neutral, keeping every fact of the sentence (see ``heard.assessment.rewrite``).

- blame frames are removed or made neutral ("you didn't enter your postcode" → "your postcode
  wasn't entered"; "you should have checked the address, so I've resent it today" → "next time,
  it helps to check the address, so I've resent it today"); a sentence that is only the advice
  once the blame is out ("As I said, you should have checked the address.") goes;
- minimisers, tone policing, non-apologies, pity and content-free stock phrases are dropped;
- a defensive "but" becomes a full stop; "it's not our fault" goes;
- a policy refusal gains "What I can do instead is [the nearest alternative you can offer]".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from heard.lexicon import phrases
from heard.scoring.antipatterns import (
    POLICY_PATTERN,
    REFUSAL_PATTERN,
    SCRIPTED,
    STOCK_COURTESY,
    TONE_POLICING_PATTERN,
)
from heard.scoring.behaviours import NON_APOLOGY_PATTERN
from heard.scoring.judges import TAKES_AS_PRAISE
from heard.text import normalise

SLOT_ACTION = "[what you will do]"
SLOT_WHEN = "[when]"
SLOT_ALTERNATIVE = "[the nearest alternative you can offer]"


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


def repair_sentence(
    sentence: str, codes: set[str], *, keep: Sequence[tuple[int, int]] = ()
) -> tuple[str, str]:
    """The sentence with its anti-patterns repaired, and any text to add after it.

    ``keep`` are (start, end) offsets in the sentence of words that must survive (the draft's
    acknowledgements and apologies): the edits that would delete them are skipped."""
    kept = [sentence[max(0, a) : b] for a, b in keep if b > a]
    repaired, suffix = _repair(sentence, codes)
    if all(k.lower() in repaired.lower() for k in kept):
        return repaired, suffix
    # an edit took out what the customer needed to hear: repair without the deleting edits
    gentler, suffix = _repair(sentence, codes - _DELETING)
    if all(k.lower() in gentler.lower() for k in kept):
        return gentler, suffix
    return sentence, suffix


# A blame sentence that is only advice once the blame is out: it goes, unless it carries a fact.
_ADVICE_ONLY = re.compile(r"^\W*next time, it helps to\b[^.!?]*[.!?]?\s*$", re.IGNORECASE)
_CARRIES = re.compile(r"\d|\b(?:i've|i'll|we've|we'll|i have|i will|we have|we will|you'll)\b")
# Edits that delete phrases outright (rather than rewording them).
_DELETING = frozenset(
    {"scripted_phrase", "generic_reply", "sympathy_not_empathy", "non_apology", "misread_tone"}
)


def _repair(sentence: str, codes: set[str]) -> tuple[str, str]:
    text = sentence
    suffix = ""
    if "blames_customer" in codes:
        for pattern, replacement in _blame_edits():
            text = pattern.sub(replacement, text)
        if _ADVICE_ONLY.match(text) and not _CARRIES.search(normalise(text)):
            text = ""  # "next time, it helps to check the address" is still a lecture
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
    if "misread_tone" in codes and TAKES_AS_PRAISE.search(normalise(text)):
        # thanks for "kind words" to an unhappy customer, laughing along with their complaint:
        # the sentence goes, unless it also carries a fact or a commitment
        rest = _sub_normalised(TAKES_AS_PRAISE, text, "")
        text = rest if _CARRIES.search(normalise(rest)) else ""
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
    matches = [*SCRIPTED.finditer(norm), *STOCK_COURTESY.finditer(norm)]
    for match in sorted(matches, key=lambda m: m.start()):
        if match.start() < last or not _CONTENT_FREE_SCRIPT.search(match.group(0)):
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


def tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"([,;:])\s*([.!?])", r"\2", text)
    text = re.sub(r"([.!?])\s*[,;:]+", r"\1", text)
    text = re.sub(r"\.\s*\.", ".", text)
    text = re.sub(r"^[\s,;:.\-\u2013\u2014]+", "", text)
    text = re.sub(r"(?<=[.!?]) +[,;:\-\u2013\u2014]+\s*", " ", text)
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text.strip()


def word_total(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))
