"""Routine or complex: the right depth of empathy depends on it.

Signals (each a cue with the customer's words as evidence; weights in brackets):
- several problems [1.0]: "also", "another issue", "on top of that", or problems in 3+ sentences;
- repeated contact [1.0]: "third time", "already called", "still not", "for weeks";
- money, health, safety, legal or bereavement at stake [1.0 each, at most 2.0];
- prior failed fixes [1.0]: "tried", "restarted", "didn't work", "followed the steps";
- length [0.5 above 60 words, 1.0 above 120 words].
The issue is complex when the weights add up to 2.0 or more (``COMPLEX_AT``).
"""

from __future__ import annotations

import re

from heard.lexicon import phrases
from heard.results import ComplexityReading, Cue, Source, Span
from heard.text import normalise, sentences, word_count

COMPLEX_AT = 2.0

_SEVERAL = phrases(
    r"also",
    r"another (?:issue|problem|thing|question)",
    r"on top of (?:that|this|it all)",
    r"as well as",
    r"(?:and|plus) (?:now|then|also)",
    r"(?:second|secondly|third|thirdly|finally),",
    r"not only",
    r"two (?:issues|problems|things)",
    r"(?:several|multiple) (?:issues|problems|things)",
)
_REPEATED = phrases(
    r"(?:third|second|fourth|fifth|3rd|2nd|4th|5th|umpteenth) time",
    r"again",
    r"(?:already|previously|last week|last time|yesterday|before) (?:i |we )?(?:contacted|called|"
    r"rang|emailed|e-mailed|chatted|wrote|written|reported|spoke|raised|complained|messaged)",
    r"(?:i|we)(?:'ve| have)? (?:already )?(?:contacted|called|rang|emailed|chatted|written|reported|"
    r"spoken|raised|complained|messaged) (?:you |this )?(?:\w+ )?(?:before|already|twice|three times|"
    r"several times|last week|yesterday|multiple times)",
    r"still (?:not|no|nothing|waiting|haven't|hasn't|broken|doesn't|isn't|can't)",
    r"for (?:weeks|days|months|ages|over a week|two weeks|three weeks)",
    r"(?:several|many|multiple|numerous|countless) times",
    r"(?:ticket|case|reference|ref) (?:number |no\.? |#)?\d{3,}",
    r"every time",
    r"keep (?:getting|having|happening)",
)
_STAKES = {
    "money": phrases(
        r"refund\w*",
        r"charged (?:me|us|twice|for|again|double|extra|wrongly|the wrong|\d|[$£€])",
        r"(?:a|the|this|that|these|double|extra|duplicate|hidden|late|monthly|annual|unexpected) charges?",
        r"overcharg\w*",
        r"payment\w*",
        r"bank(?! holiday)",
        r"banking",
        r"(?:credit|debit|bank|payment) card",
        r"card (?:payment|details|number|was (?:charged|declined))",
        r"money",
        r"overdraft",
        r"overdrawn",
        r"invoice\w*",
        r"bill(?:ed|ing)?",
        r"fraud\w*",
        r"rent",
        r"mortgage",
        r"salary",
        r"wages",
        r"debt",
        r"[$£€]\s?\d[\d,.]*",
        r"\d[\d,.]* ?(?:dollars|pounds|euros|gbp|usd|eur)",
    ),
    "health": phrases(
        r"medic\w*",
        r"prescription\w*",
        r"hospital",
        r"doctor",
        r"health",
        r"allerg\w*",
        r"insulin",
        r"disab\w*",
        r"pregnan\w*",
        r"surgery",
        r"chemo\w*",
        r"wheelchair",
        r"oxygen",
        r"carer",
        r"care home",
    ),
    "safety": phrases(
        r"unsafe",
        r"danger\w*",
        r"(?:on|caught|a|house|electrical) fire",
        r"fire (?:hazard|risk|alarm|brigade|service)",
        r"smoke",
        r"injur\w*",
        r"burn(?:s|t|ed|ing)?",
        r"electric shock",
        r"gas leak",
        r"leak\w*",
        r"locked out of (?:my|our|the|his|her) (?:house|home|flat|apartment|car|room|building|property)",
        r"stranded",
        r"stuck abroad",
        r"no heating",
        r"elderly",
        r"vulnerable",
        r"my (?:baby|child|kids|children)",
    ),
    "legal": phrases(r"lawyer", r"legal", r"court", r"gdpr", r"data protection", r"police"),
    "bereavement": phrases(
        r"passed away",
        r"died",
        r"death",
        r"funeral",
        r"deceased",
        r"bereave\w*",
        r"late (?:husband|wife|father|mother|mum|mom|dad|partner|son|daughter|brother|sister)(?:'s)?",
    ),
}
_FAILED_FIXES = phrases(
    r"(?:i|we)(?:'ve| have)? (?:already )?(?:tried|restarted|rebooted|reinstalled|reset|cleared|"
    r"updated|followed)",
    r"(?:didn't|did not|doesn't|does not|hasn't|has not|never) (?:work|help|fix|solve|change)\w*",
    r"no luck",
    r"nothing (?:works|worked|helps|helped|changed)",
    r"still (?:broken|not working|doesn't work|the same|happening)",
    r"(?:the|your) (?:fix|solution|steps|instructions) (?:didn't|did not|don't|do not)",
    r"same (?:problem|issue|error) (?:again|as before)",
)
_PROBLEM = re.compile(
    r"\b(?:not|never|no|can't|cannot|won't|didn't|doesn't|isn't|wasn't|haven't|hasn't|wrong|broken|"
    r"missing|late|error|failed|fail|failing|charged|locked|problem|issue|declined|crash\w*|down|"
    r"stuck|frozen|lost|damaged|cancelled)\b"
)


def assess_complexity(text: str, source: Source = Source.CONTEXT) -> ComplexityReading:
    """Read the complexity signals of the customer's message(s)."""
    norm = normalise(text)
    cues: list[Cue] = []
    score = 0.0

    def spans_of(pattern: re.Pattern[str]) -> tuple[Span, ...]:
        return tuple(Span.of(source, text, m.start(), m.end()) for m in pattern.finditer(norm))

    several = spans_of(_SEVERAL)
    problem_sentences = [s for s in sentences(text) if _PROBLEM.search(norm[s.start : s.end])]
    if (several and problem_sentences) or len(problem_sentences) >= 3:
        evidence = several or tuple(
            Span.of(source, text, s.start, s.end) for s in problem_sentences[:3]
        )
        cues.append(Cue("several_problems", "more than one problem", evidence))
        score += 1.0
    repeated = spans_of(_REPEATED)
    if repeated:
        cues.append(Cue("repeated_contact", "contacted before or waiting a long time", repeated))
        score += 1.0
    stakes_score = 0.0
    for name, pattern in _STAKES.items():
        found = spans_of(pattern)
        if found:
            cues.append(Cue(f"stakes_{name}", f"{name} at stake", found))
            stakes_score += 1.0
    score += min(stakes_score, 2.0)
    failed = spans_of(_FAILED_FIXES)
    if failed:
        cues.append(Cue("failed_fixes", "earlier fixes did not work", failed))
        score += 1.0
    length = word_count(text)
    if length > 60:
        weight = 1.0 if length > 120 else 0.5
        cues.append(Cue("long_message", f"a long message ({length} words)"))
        score += weight
    label = "complex" if score >= COMPLEX_AT else "routine"
    return ComplexityReading(label, score, tuple(cues))
