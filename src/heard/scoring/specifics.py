"""Which words of a text are *specific* (its own details) rather than words that fit any message.

Used to tell a personalised reply (it mentions the customer's order, amount, device, situation) from
a reply that could be sent to anyone, and by the rewrite to find the customer's topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from heard.text import Segment, normalise

STOPWORDS = frozenset(
    (
        "a about above after again against all am an and any are aren't as at be because been "
        "before being below between both but by can can't cannot could couldn't did didn't do does "
        "doesn't doing don't down during each few for from further had hadn't has hasn't have "
        "haven't having he he'd he'll he's her here here's hers herself him himself his how how's i "
        "i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my "
        "myself no nor not of off on once only or other ought our ours ourselves out over own same "
        "shan't she she'd she'll she's should shouldn't so some such than that that's the their "
        "theirs them themselves then there there's these they they'd they'll they're they've this "
        "those through to too under until up very was wasn't we we'd we'll we're we've were weren't "
        "what what's when when's where where's which while who who's whom why why's with won't "
        "would wouldn't you you'd you'll you're you've your yours yourself yourselves also just "
        "really still even get got getting go going gone make made know think want need like one "
        "two thing things way lot much many now well yes yeah okay ok will shall may might must us "
        "oh hi hello hey dear thanks thank please sorry regards best kind sincerely cheers team"
    ).split()
)
# Words every support message uses; mentioning them is not personalisation.
GENERIC_SUPPORT = frozenset(
    (
        "help issue issues problem problems question questions query concern concerns matter "
        "request support service customer customers contact contacting message messages email "
        "emails reply time today day days experience inconvenience information info details detail "
        "look looking patience understanding feedback assist assistance apologise apologize apology "
        "apologies frustration frustrating upset understand appreciate reach reaching touch hear "
        "hearing happy glad able sure let see right soon asap possible anything everything "
        "something nothing else great good bad fine feel feeling future past thing stuff way lot "
        "bit part kind sort side end point case fact idea reason place word words world people "
        "person someone anyone everyone guys folks via keep set morning afternoon evening night "
        "whom concern madam sir first second third fourth fifth sixth seventh eighth ninth tenth last "
        "next umpteenth"
    ).split()
)


def _stem(word: str) -> str:
    """A light English stemmer: enough to match "orders"/"order" and "charged"/"charge"."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, replacement, min_len in (
        ("ies", "y", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + replacement
            break
    # "charge"/"charged" and "arrive"/"arrived" meet at "charg" and "arriv".
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


_STEMS: dict[str, str] = {}
_LEMMA_STEMS: dict[str, str] = {}


def _cached(cache: dict[str, str], word: str, compute: Callable[[str], str]) -> str:
    """``compute(word)`` through a plain dict (words are few and reused a lot), bounded in size."""
    cached = cache.get(word)
    if cached is None:
        if len(cache) > 200_000:
            cache.clear()
        cached = cache[word] = compute(word)
    return cached


def stem(word: str) -> str:
    """The cached stem of a word."""
    return _cached(_STEMS, word, _stem)


@dataclass(frozen=True, slots=True)
class Specific:
    """A specific word of a text: its stem, where it stands, and whether it is a strong detail."""

    stem: str
    segment: Segment
    strong: bool  # a number, an id, or a name: unmistakably this customer's detail


# A customer who gave this many distinct specifics expects the reply to use one.
SPECIFIC_DETAILS = 3

# Amounts with their currency and ids stay whole ("$59.99", "#48213", "CL-4471"); words otherwise.
_TOKEN = re.compile(
    r"[$£€¥]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:[$£€¥]|usd|gbp|eur)\b|"
    r"#?[A-Za-z]*\d[\w-]*\d[\w]*|#?[A-Za-z]+-?\d[\w-]*|[^\W_]+(?:'[^\W_]+)*"
)
# Not the customer's own words: redaction placeholders, handles, hashtags, retweet marks.
_NOT_THEIRS = re.compile(r"\[[A-Z_ ]+\]|#[A-Z_]+#|<[A-Z_]+>|@\w+|#[A-Za-z_]\w*|\bRT\b")
# Chat shorthand in capitals that names nothing.
_SHORTHAND = frozenset("lol omg pls plz wtf ffs asap fyi tbh imo imho idk btw thx ty dm pm".split())
_WORD_CLASSES: dict[str, bool] = {}


# Verbs every message uses: their forms name nothing of the customer's ("gotten", "tried").
_COMMON_VERBS = frozenset(
    (
        "be have do say get make go know take see come think look want give use find tell ask work "
        "seem feel try leave call need become put mean keep let begin show hear play run move live "
        "believe hold bring happen write provide sit stand lose pay meet include continue set learn "
        "change lead understand watch follow stop create speak read allow add spend grow open walk "
        "win offer remember love consider appear buy wait serve die send expect build stay fall cut "
        "reach remain suggest raise pass sell require report decide pull receive order check sort "
        "fix help contact email reply respond manage arrive deliver return cancel book update sign "
        "click tap log"
    ).split()
)


def _can_be_a_thing(word: str) -> bool:
    """Whether a lower-case word can name something of the customer's (lemminflect's tables): a
    noun ("router", "refund"), a verb that describes their problem ("crackles", "overheats"), or a
    word it does not know (names, brands, codes); not a form of a common verb ("gotten", "tried")
    and not a word that is only an adjective or adverb ("ridiculous", "yet", "quickly")."""
    cached = _WORD_CLASSES.get(word)
    if cached is None:
        from lemminflect import getAllLemmas

        classes = getAllLemmas(word)
        if not classes or "NOUN" in classes or "PROPN" in classes:
            cached = True
        elif "VERB" in classes:
            cached = not set(classes["VERB"]) & _COMMON_VERBS
        else:
            cached = False  # only an adjective or adverb ("ridiculous", "yet"): not a thing
        if len(_WORD_CLASSES) > 200_000:
            _WORD_CLASSES.clear()
        _WORD_CLASSES[word] = cached
    return cached


def lemma_stem(word: str) -> str:
    """The cached stem of a word's verb lemma (see ``_lemma_stem``)."""
    return _cached(_LEMMA_STEMS, word, _lemma_stem)


def _lemma_stem(word: str) -> str:
    """The stem of a word's verb lemma ("slept" -> "sleep", "broken" -> "break", "charged" ->
    "charg"), so that a reply's "sleep" meets the customer's "slept"; a word with no verb reading
    keeps its own stem."""
    from lemminflect import getAllLemmas

    verbs = getAllLemmas(word).get("VERB")
    lemma = verbs[0] if verbs else word
    return stem(lemma)


_NUMBERS = {
    "one": "1", "a": "1", "an": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40",
    "forty-five": "45", "fifty": "50",
}  # fmt: skip
# What the customer has been through, counted: "three nights", "5 days", "four calls".
_COUNTED = re.compile(
    r"\b(\d+|"
    + "|".join(sorted((n for n in _NUMBERS if len(n) > 2), key=len, reverse=True))
    + r")[ -](minute|hour|day|night|week|month|year|time|call|email|attempt|visit)s?\b"
)


def _counted(norm: str) -> tuple[Specific, ...]:
    """The counted spells of the customer's experience ("three nights", "5 days") in a normalised
    text, as strong specifics, the number written either way."""
    return tuple(
        Specific(
            f"{_NUMBERS.get(m.group(1), m.group(1))} {m.group(2)}", Segment(*m.span()), strong=True
        )
        for m in _COUNTED.finditer(norm)
    )


_SKIP = STOPWORDS | GENERIC_SUPPORT
_DIGIT = re.compile(r"\d")
_WORDS_ONLY = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@lru_cache(maxsize=4096)
def specifics(text: str) -> tuple[Specific, ...]:
    """The specific words of ``text`` in order: things (nouns, names, products), amounts with
    their currency, ids and numbers; stopwords, generic support words, words that cannot name a
    thing, placeholders and handles removed."""
    found = []
    norm = normalise(text)
    masked = [m.span() for m in _NOT_THEIRS.finditer(text)]
    starred = "*" in text
    tokens = _TOKEN if _DIGIT.search(norm) else _WORDS_ONLY  # amounts and ids need digits
    for match in tokens.finditer(norm):
        lowered = match.group()
        if lowered in _SKIP or lowered in _SHORTHAND:
            continue
        alphabetic = lowered.isalpha()
        if alphabetic and len(lowered) < 3:
            continue
        start, end = match.span()
        if masked and any(a <= start < b for a, b in masked):
            continue
        if starred and "*" in text[max(0, start - 1) : end + 1]:
            continue  # part of a masked word ("f***ing")
        token = text[start:end]
        if not alphabetic and _DIGIT.search(lowered):
            digits = re.sub(r"[^\d.]", "", lowered).strip(".")
            stemmed = digits if re.match(r"^[$£€¥\d]", lowered) else lowered.lstrip("#")
            if re.fullmatch(r"(?:19|20)\d\d", lowered):
                found.append(Specific(stemmed, Segment(start, end), strong=False))  # a year
                continue
            found.append(Specific(stemmed, Segment(start, end), strong=True))
            continue
        stemmed = lemma_stem(lowered)
        if stemmed in _SKIP:
            continue
        # A name or product ("Dana", "Fibre Max"), not a word in capitals for emphasis ("THIRD").
        capitalised = (
            token[0].isupper() and not token.isupper() and not _sentence_initial(text, start)
        )
        if not capitalised and not _can_be_a_thing(lowered):
            continue
        found.append(Specific(stemmed, Segment(start, end), strong=capitalised))
    return tuple(found) + _counted(norm)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip()
    return (not before and start < 4) or (bool(before) and before[-1] in ".!?\n:\"'")


def shared_specifics(reply: str, context: str) -> list[Specific]:
    """The specific words of the reply that also occur (by stem) among the context's specifics."""
    context_stems = {s.stem for s in specifics(context)} if context else set()
    return [s for s in specifics(reply) if s.stem in context_stems]
