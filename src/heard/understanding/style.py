"""Communication-style cues: formal or informal, direct or indirect.

Formality counts formal markers (greetings and closings such as "Dear" and "Kind regards",
"I would like to", "could you please", titles, no contractions in a message of 25+ words) against
informal ones (contractions, "hey", chat abbreviations like "pls" and "lol", emoji, "!!", an
all-lower-case message). Directness counts direct markers (imperatives at the start of a sentence,
"I want/need/demand", "now", "immediately") against indirect ones (hedges such as "I was
wondering", "would it be possible", "sorry to bother you", "perhaps"). A side wins with a margin of
at least 1 (``MARGIN``); otherwise the reading is "neutral".
"""

from __future__ import annotations

import re

from heard.lexicon import phrases
from heard.results import Cue, Source, Span, StyleReading
from heard.text import normalise, sentences, word_count

MARGIN = 1.0

_FORMAL = phrases(
    r"dear",
    r"good (?:morning|afternoon|evening)",
    r"kind(?:est)? regards",
    r"best regards",
    r"yours (?:sincerely|faithfully|truly)",
    r"sincerely",
    r"respectfully",
    r"i would like to",
    r"i would be (?:grateful|obliged)",
    r"(?:could|would) you (?:please|kindly)",
    r"kindly",
    r"mr|mrs|ms|dr|sir|madam",
    r"i am writing",
    r"please find",
    r"furthermore",
    r"regarding",
    r"with regard to",
    r"at your earliest convenience",
)
_INFORMAL = phrases(
    r"hey",
    r"hiya",
    r"yo",
    r"lol",
    r"omg",
    r"wtf",
    r"gonna",
    r"wanna",
    r"gotta",
    r"kinda",
    r"sorta",
    r"pls",
    r"plz",
    r"thx",
    r"ty",
    r"u",
    r"ur",
    r"btw",
    r"idk",
    r"tbh",
    r"ngl",
    r"haha\w*",
    r"cheers",
    r"mate",
    r"dude",
    r"yeah",
    r"nope",
    r"yep",
    r"cos",
    r"cuz",
    r"ok+",
    r"xx+",
)
_LETTER = re.compile(r"[^\W\d_]")
_CONTRACTION = re.compile(r"\b\w+'(?:s|re|ve|ll|d|m|t)\b")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]|[:;]-?[)(dp]")
_DIRECT = phrases(
    r"(?:i|we) (?:want|need|demand|expect|require|insist)",
    r"right now",
    r"immediately",
    r"asap",
    r"(?:by|before) (?:today|tonight|the end of (?:the )?day)",
    r"(?:give|send|refund|fix|cancel|sort|stop|call|tell|explain|change|remove|reply|answer|"
    r"get) (?:me|my|this|it|the|us|our)",
)
_IMPERATIVE_START = re.compile(
    r"^(?:please )?(?:give|send|refund|fix|cancel|sort|stop|call|tell|explain|change|remove|reply|"
    r"answer|get|make|do|put|take|close|return)\b"
)
_INDIRECT = phrases(
    r"i was (?:just )?wondering",
    r"(?:would|will) it be possible",
    r"i hate to",
    r"sorry to bother",
    r"if it's not too much (?:trouble|bother)",
    r"perhaps",
    r"maybe",
    r"possibly",
    r"just wondering",
    r"i hope",
    r"if possible",
    r"when you (?:get|have) a (?:chance|moment)",
    r"i'm not sure (?:if|whether)",
    r"might",
    r"could i",
    r"would you mind",
    r"i don't suppose",
    r"if you could",
    r"it would be (?:great|nice|lovely|helpful) if",
    r"i think there (?:may|might)",
    r"it seems",
    r"a (?:bit|little)",
)


def assess_style(text: str, source: Source = Source.CONTEXT) -> StyleReading:
    """Read the formality and directness cues of the customer's message(s)."""
    norm = normalise(text)
    cues: list[Cue] = []

    def collect(code: str, message: str, spans: list[Span]) -> float:
        if spans:
            cues.append(Cue(code, message, tuple(spans)))
        return float(len(spans))

    def spans_of(pattern: re.Pattern[str]) -> list[Span]:
        return [Span.of(source, text, m.start(), m.end()) for m in pattern.finditer(norm)]

    formal = collect("formal_marker", "formal wording", spans_of(_FORMAL))
    contractions = spans_of(_CONTRACTION)
    informal = collect("informal_marker", "informal wording", spans_of(_INFORMAL))
    informal += 0.5 * collect("contraction", "contractions", contractions)
    informal += collect(
        "emoji",
        "emoji or emoticons",
        [Span.of(source, text, m.start(), m.end()) for m in _EMOJI.finditer(text)],
    )
    if text == text.lower() and len(_LETTER.findall(text)) >= 20:
        cues.append(Cue("all_lower_case", "written all in lower case"))
        informal += 1.0
    if word_count(text) >= 25 and not contractions:
        cues.append(Cue("no_contractions", "no contractions in a longer message"))
        formal += 1.0

    direct = collect("direct_marker", "direct demands", spans_of(_DIRECT))
    imperatives = []
    for segment in sentences(text):
        if _IMPERATIVE_START.match(norm[segment.start : segment.end]):
            imperatives.append(Span.of(source, text, segment.start, segment.end))
    direct += collect("imperative", "sentences that start with a command", imperatives)
    indirect = collect("indirect_marker", "hedged, indirect wording", spans_of(_INDIRECT))

    formality = _side(formal, informal, "formal", "informal")
    directness = _side(direct, indirect, "direct", "indirect")
    return StyleReading(formality, directness, tuple(cues))


def _side(first: float, second: float, first_name: str, second_name: str) -> str:
    if first - second >= MARGIN:
        return first_name
    if second - first >= MARGIN:
        return second_name
    return "neutral"
