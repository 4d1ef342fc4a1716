"""What a support message says about the customer's emotion beyond the words a model trained on
Reddit comments and tweets has seen: documented adjustments of the model's probabilities,
applied in the engine before the label is chosen (docs/scoring.md, "Emotion in support
messages"). Each factor multiplies a label's probability, the scores are renormalised, and each
adjustment becomes a cue quoting the customer's words.

| cue | when | factors |
|---|---|---|
| ``acknowledgement`` | the whole message is a bare "ok", "Yes.", "sure", "got it", or a goodbye ("No, that's everything, bye!") | neutral ×6, then mixed 85% with neutral |
| ``complaint`` | a service failure is reported ("hasn't arrived", "crashed", "charged twice") | satisfied ×0.25 unless they thank someone; neutral ×0.3, or ×0.1 when the message carries an intensity cue (a strong word, "!!", capitals: "on hold 45 mins, this is a joke") |
| ``repeated_failure`` | it failed again ("still doesn't work", "third time", "didn't help") | frustrated ×2.5, neutral ×0.5, satisfied ×0.2 |
| ``shouting`` | two or more words in capitals (not acronyms or redaction placeholders) | frustrated ×2.5, neutral ×0.4 |
| ``sarcasm`` | thanks for a failure ("thanks for cancelling my flight", "thanks for nothing"), or praise beside a reported failure ("Really loving this airline", "'next-day' delivery") | satisfied ×0.05, frustrated ×4, then mixed 80% with frustrated |
| ``distress`` | words of despair, meant or hyperbolic ("I just want to die", "I can't cope any more", "hopeless") | satisfied ×0.05, neutral ×0.3, disappointed ×2 |
| ``loss`` | a bereavement ("my mum passed away", "our dog died", "was put to sleep") | disappointed ×3, neutral ×0.3, satisfied ×0.3 (grief maps to disappointed, as GoEmotions' grief and sadness do) |
| ``at_stake`` | something essential is at risk and time is short (rent, medication, a flight tomorrow, fraud, "urgent") | anxious ×2.5 |
| ``plain_question`` | a question with no failure, no confusion words and no other cue ("How do I change my password?") | confused ×0.5, neutral ×2 |
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from heard.lexicon import phrases
from heard.results import Cue, Source, Span
from heard.text import normalise
from heard.understanding.intensity import intensity_cues, shouted_words
from heard.understanding.needs import FAREWELL, PRAISE, PROBLEM, bereavements, farewells
from heard.understanding.self_report import reweight

ACKNOWLEDGEMENT_ONLY = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|yes please|no|nope|ok|okay|k|kk|sure|right|alright|all right|fine|"
    r"got it|done|understood|noted|ok done|okay done|that's it|that's all|correct|yes correct|"
    r"yes that's right|that's right|will do|one moment|one sec|hold on|sec|hmm+|um+|uh+|mm+)\W*$"
)
_THANKS = phrases(
    r"thank\w*", r"thanks", r"cheers", r"appreciate\w*", r"great", r"love", r"brilliant", r"perfect"
)
_REPEATED_FAILURE = phrases(
    r"still (?:not|no|doesn't|does not|isn't|is not|won't|can't|cannot|hasn't|haven't|nothing|"
    r"broken|waiting|the same|happening|getting|showing|charging|failing|crashing|down)",
    r"(?:doesn't|does not|didn't|did not|hasn't|has not|won't) (?:\w+ )?(?:work|help|fix|solve|change) "
    r"(?:either|again|still)",
    r"(?:that|this|it|the (?:fix|reset|restart|update|steps)) (?:didn't|did not|doesn't|does not|hasn't) "
    r"(?:help|work|fix|solve|change) ?(?:anything|a thing)?",
    r"(?:third|fourth|fifth|3rd|4th|5th|umpteenth|nth) time",
    r"(?:yet )?again(?:!|\?|\.|,|$| and\b| today\b| this (?:week|month|morning)\b)",
    r"yet again",
    r"(?:i|we) (?:already|have already|'ve already) (?:did|done|tried|sent|told|explained|called|"
    r"restarted|reset|followed)",
    r"(?:i|we) did (?:all|everything|that|this)",
    r"keeps? (?:happening|crashing|failing|dropping|charging|asking|logging)",
    r"every (?:single )?time",
    r"no one (?:has )?(?:ever )?(?:called|replied|answered|got back|came)",
    r"nobody (?:has )?(?:ever )?(?:called|replied|answered|got back|came)",
)
# Thanks for a failure: sarcastic on its own ("thanks for cancelling my flight").
_SARCASTIC_THANKS = phrases(
    r"thanks?(?: so much| a lot| a bunch| very much)? for (?:(?:\w+ ){0,2})(?:cancel\w*|los(?:ing|t)|"
    r"charg\w*|ignor\w*|wast\w*|break\w*|ruin\w*|delay\w*|nothing|keeping me|making me|leaving me|"
    r"sending me (?:the wrong|a broken)|hanging up|dropping|blocking|locking|overcharg\w*|"
    r"double[- ]charg\w*|the (?:runaround|wait|delay))",
    r"thank you(?: so much| very much)? for (?:(?:\w+ ){0,2})(?:cancel\w*|los(?:ing|t)|charg\w*|"
    r"ignor\w*|wast\w*|break\w*|ruin\w*|delay\w*|nothing|keeping me|making me|leaving me|hanging up|"
    r"overcharg\w*|the (?:runaround|wait|delay))",
    r"thanks? (?:a lot|a bunch|for nothing)(?![^.!?\n]{0,30}\b(?:help|sort|fix|quick))",
    r"love that for me",
    r"yeah,? right",
)
# Praise that a failure in the same message turns into sarcasm.
_SARCASTIC = phrases(
    r"(?:really |just |absolutely |so |totally )?(?:loving|love|loved|enjoying|enjoy) (?:this|that|it|the way|how|being|waiting|paying|getting|spending|having)\b",
    r"(?:oh |just |how )?(?:great|perfect|brilliant|fantastic|wonderful|lovely|awesome|amazing|"
    r"superb|marvell?ous|terrific|splendid|stellar|excellent|fabulous|wow|nice)(?: one| job| work| stuff| service)?(?=\s*[.!,:;?\u2014-])",
    r"(?:great|stellar|excellent|brilliant|amazing|fantastic|top notch|world[- ]class|five[- ]star|"
    r"outstanding|superb|impressive|top) (?:service|job|work|support|customer service|experience|"
    r"stuff|effort|airline|company|team)",
    r"(?:well done|bravo|kudos|nice one|good job|great job|slow clap|genius|impressive)",
    r"just what i (?:needed|wanted)",
    r"exactly what i (?:needed|wanted)",
    r"what a (?:great|fantastic|wonderful|brilliant|lovely|fun|joy|treat|surprise)\b",
    r"so (?:helpful|useful|efficient|quick|fast)(?=\s*[.!,:;?]|$)",
    r"(?:best|greatest) (?:service|company|airline|bank|customer service) ever",
    # "Love a pizza that turns up cold", "Loving the efficiency", "Five stars."
    r"(?:love|loving|gotta love|got to love|you've got to love) (?:a|an) \w+ that",
    r"(?:loving|love|enjoying) the (?:efficiency|service|speed|wait|communication|customer service|"
    r"support|updates|professionalism)",
    r"(?:truly|really|absolutely|just) the highlight of",
    r"(?:five|5|ten|10) stars?(?=\s*[.!]|\s*$)",
    r"10/10",
)
# Counting the wait: "nine days and counting", "it's been a week".
_WAITING = phrases(
    r"and counting",
    r"(?:it's|it has|it's now|it has now) been (?:a|one|two|three|four|five|six|\w+) (?:days?|weeks?|months?)",
    r"(?:like|same as) (?:it was )?(?:last|the) (?:time|week|month)",
    r"and the (?:month|week|time) before",
)
_SCARE_QUOTES = re.compile(
    r"[\"'\u2018\u201c](?:next[- ]day(?: delivery)?|express|fast|quick|24/7|priority|premium|customer service|"
    r"support|help|guaranteed|instant|same[- ]day|unlimited|free|fixed|resolved|sorted|service|"
    r"dedicated|superfast|fibre|high[- ]speed|on time|urgent|vip|on its way|improved|upgrade|"
    r"important to you|valued|loyalty|best|premium)[\"'\u2019\u201d]",
    re.IGNORECASE,
)
_AT_STAKE = phrases(
    r"rent",
    r"mortgage",
    r"bills? (?:is|are) due",
    r"medication|medicine|prescription|insulin|inhaler",
    r"(?:my|our) (?:baby|child|kids|son|daughter|mum|mom|dad|mother|father) (?:is|needs|has)",
    r"fraud\w*|scam\w*|stolen|hacked|someone (?:has )?(?:used|accessed|taken)|unauthori[sz]ed|"
    r"not me|i didn't make",
    r"(?:flight|train|surgery|appointment|interview|wedding|funeral|exam|deadline|visa|move)"
    r"(?: is)? (?:tomorrow|tonight|today|in (?:\w+ )?(?:hours?|days?)|on (?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday))",
    r"urgent\w*|asap|emergency|desperate\w*|as soon as possible|right away|immediately",
    r"(?:what|how) (?:do|should|can) i do",
    r"what (?:if|happens if)",
    r"(?:all )?my (?:savings|money|wages|salary|pension|benefits)",
    r"(?:without|no) (?:money|food|heating|power|electricity|water|a phone|internet) (?:for|until|since)",
    r"can(?:'t|not) (?:pay|afford|buy|get to|reach)",
    r"(?:overdrawn|overdraft|eviction|bailiffs?|debt collectors?)",
    r"savings|payroll|deposit|completion|passport|visa|boarding|job interview|interview|operation|"
    r"hospital|hospice|baby|tax return|uninsured|insurance (?:has )?lapsed|lapsed|cut (?:us |me )?off|"
    r"emergency credit|no heating|heating(?:'s| has)? (?:gone )?off|minus \w+|freezing|"
    r"(?:dad|mum|mom|mother|father)(?:'s| is) (?:eighty|ninety|\d{2})|elderly|"
    r"wrong account|dodgy link|phishing|someone (?:has )?used my|wasn't me|it was not me|"
    r"heart|tablets|inhaler|oxygen|epipen",
    r"(?:flight|train|ferry|coach|bus|boarding|concert|wedding|funeral|exam|interview|surgery|operation|appointment|completion|move)(?: is| was)? (?:tonight|today|tomorrow|in \w+ (?:hours?|days?)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))",
    r"(?:we|i) (?:leave|fly|travel|move|go) (?:in \w+ days|tomorrow|tonight|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))",
)

# Some cues settle the label whatever the model guessed: the probabilities are mixed with the
# cue's own label at this weight (a bare "Yes." is neutral; sarcasm is frustration).
MIXTURES: Mapping[str, tuple[str, float]] = {
    "acknowledgement": ("neutral", 0.85),
    "sarcasm": ("frustrated", 0.8),
    "worried_stakes": ("anxious", 0.6),
}

# Words of real confusion, as opposed to a plain question (which a model trained on Reddit's
# "confusion" label takes for confusion).
_CONFUSION = phrases(
    r"confus\w*",
    r"(?:don't|do not|can't|cannot|didn't|did not) (?:understand|get it|follow|make sense|see why|"
    r"see how|figure out|work out|tell)",
    r"(?:doesn't|does not|don't|do not) make (?:any )?sense",
    r"makes no sense",
    r"not sure (?:what|how|why|which|where|if|whether)",
    r"no idea (?:what|how|why|which|where)",
    r"what does (?:this|that|it|the) [^?]{0,40}mean",
    r"what (?:is|are) (?:this|these|that|those)(?: \w+)? (?:charges?|fees?|for)",
    r"unclear|puzzled|baffled|lost|clueless|mixed up|mix-up",
    r"(?:why|how come) (?:is|am|was|are|do|does|did|has|have)",
    r"\?\?|\?!",
)

# Time running out, or an outcome they cannot know: with something at stake, that is worry.
_PRESSURE = phrases(
    r"will (?:i|we|you|it|they|my|our|the)\b",
    r"(?:is|are|am|was) (?:my|our|i|we)\b[^.?!]{0,30}\?",
    r"am i\b",
    r"what (?:happens|will happen|do i do|should i do|can i do|now)",
    r"can (?:it|this|that|you) (?:be|still|please)",
    r"is there (?:any|a) way",
    r"please (?:tell me|help|hurry|block|stop|confirm|check)",
    r"\bhelp\b",
    r"hurry|asap|urgent\w*|emergency|right now|immediately|tonight|today|tomorrow|by \d|"
    r"in (?:\w+ )?(?:hours?|minutes?)|before (?:they|it|friday|monday|the)|deadline|due (?:at|by|on|today|tomorrow)",
    r"can(?:'t|not) (?:miss|travel|pay|afford|lose|wait|get|go|be without)",
    r"(?:worried|scared|panick\w*|afraid|frightened|terrified|nervous|anxious)",
    r"(?:i|we) (?:only )?have (?:\w+ )?(?:left|until|no money)",
    r"(?:only|just) (?:\w+ ){0,2}left",
    r"(?:falls?|fall) through|lose the (?:contract|house|job|sale|deal|flat)",
)

# Despair, meant or hyperbolic ("I just want to die", "I can't go on like this"): not contentment.
_DISTRESS = phrases(
    r"(?:want|wanna|going|ready|about) to (?:die|end it(?: all)?|kill myself|end my life|give up on "
    r"everything)",
    r"kill myself|end my life|suicid\w*|self[- ]harm\w*",
    r"can(?:'t|not) (?:go on|take (?:it|this|any ?more)|cope(?: any ?more)?)",
    r"(?:no|nothing) (?:reason|point) (?:to|in) (?:live|living|go on|going on)",
    r"(?:hopeless|worthless|at the end of my tether|at breaking point)",
)

Adjustment = tuple[str, str, Mapping[str, float]]
ADJUSTMENTS: Mapping[str, Adjustment] = {
    "acknowledgement": ("acknowledgement", "a bare acknowledgement", {"neutral": 6.0}),
    "complaint": ("complaint", "reports a service failure", {"neutral": 0.3}),
    "repeated_failure": (
        "repeated_failure",
        "it failed again",
        {"frustrated": 2.5, "neutral": 0.5, "satisfied": 0.2},
    ),
    "shouting": (
        "shouting",
        "words in capitals",
        {"frustrated": 2.5, "neutral": 0.4, "satisfied": 0.3},
    ),
    "sarcasm": (
        "sarcasm",
        "praise or thanks around a failure: sarcasm",
        {"satisfied": 0.05, "frustrated": 4.0},
    ),
    "loss": (
        "loss",
        "a bereavement: grief reads as sadness",
        {"disappointed": 3.0, "neutral": 0.3, "satisfied": 0.3},
    ),
    "distress": (
        "distress",
        "words of despair: never read as content, whatever a 'lol' says",
        {"satisfied": 0.05, "neutral": 0.3, "disappointed": 2.0},
    ),
    "at_stake": ("at_stake", "something essential at stake", {"anxious": 2.5}),
    "worried_stakes": (
        "worried_stakes",
        "something essential at stake, and time short or the outcome unknown",
        {"anxious": 3.0, "satisfied": 0.3},
    ),
    "plain_question": (
        "plain_question",
        "a plain question, with no sign of confusion or trouble",
        {"confused": 0.5, "neutral": 2.0},
    ),
}
COMPLAINT_SATISFIED = 0.25  # the complaint's factor for satisfied, unless they thank someone
HEATED_COMPLAINT_NEUTRAL = 0.1  # the complaint's factor for neutral when it carries heat cues


def _farewell_only(norm: str) -> bool:
    """A goodbye and nothing else ("No, that's everything, bye!"): calm, whatever its "!"."""
    if not farewells(norm, thanked=False):
        return False
    rest = FAREWELL.sub(" ", norm)
    return not rest.strip(" ,.!") or bool(ACKNOWLEDGEMENT_ONLY.match(rest))


def _spans(pattern: re.Pattern[str], subject: str, text: str, source: Source) -> list[Span]:
    return [Span.of(source, text, m.start(), m.end()) for m in pattern.finditer(subject)]


def support_priors(
    scores: Mapping[str, float],
    text: str,
    source: Source = Source.CONTEXT,
    *,
    heated: bool | None = None,
) -> tuple[dict[str, float], list[Cue]]:
    """Apply every adjustment whose cue is in ``text`` (see the module docstring). ``heated``:
    whether the text carries intensity cues, when the caller has already read them."""
    norm = normalise(text)
    found: dict[str, tuple[list[Span], Mapping[str, float]]] = {}

    def add(name: str, spans: list[Span], factors: Mapping[str, float] | None = None) -> None:
        if spans:
            found[name] = (spans, factors if factors is not None else ADJUSTMENTS[name][2])

    if ACKNOWLEDGEMENT_ONLY.match(norm) or _farewell_only(norm):
        add("acknowledgement", [Span.of(source, text, 0, len(text))])
    problems = _spans(PROBLEM, norm, text, source)
    sarcasm = _spans(_SARCASTIC_THANKS, norm, text, source)
    praise_words = _spans(_SARCASTIC, norm, text, source)
    quoted = _spans(_SCARE_QUOTES, text, text, source)
    waiting = _WAITING.search(norm) is not None
    if problems or waiting or (quoted and (praise_words or _THANKS.search(norm))):
        sarcasm += praise_words + quoted
    add("sarcasm", sarcasm)
    if problems and ("sarcasm" in found or not PRAISE.search(norm)):
        thanked = _THANKS.search(norm) is not None and "sarcasm" not in found
        complaint = dict(ADJUSTMENTS["complaint"][2])
        if not thanked:
            complaint["satisfied"] = COMPLAINT_SATISFIED
        if heated if heated is not None else intensity_cues(text, source)[1] > 0:
            complaint["neutral"] = HEATED_COMPLAINT_NEUTRAL  # "on hold 45 mins, this is a joke"
        add("complaint", problems, complaint)
    add("repeated_failure", _spans(_REPEATED_FAILURE, norm, text, source))
    add("loss", [Span.of(source, text, m.start(), m.end()) for m in bereavements(norm)])
    add("distress", _spans(_DISTRESS, norm, text, source))
    shouted = shouted_words(text, source)
    if len(shouted) >= 2:
        add("shouting", shouted)
    stakes = _spans(_AT_STAKE, norm, text, source)
    pressure = _spans(_PRESSURE, norm, text, source)
    if stakes and pressure and "sarcasm" not in found:
        add("worried_stakes", stakes + pressure)
    else:
        add("at_stake", stakes)
    if (
        not problems
        and "?" in text
        and not _CONFUSION.search(norm)
        and not found.keys() - {"at_stake"}
    ):
        add("plain_question", [Span.of(source, text, 0, len(text))])
    adjusted = dict(scores)
    cues: list[Cue] = []
    for name, (spans, multipliers) in found.items():
        adjusted = reweight(adjusted, multipliers)
        if name in MIXTURES:
            label, weight = MIXTURES[name]
            adjusted = {
                k: (1 - weight) * p + (weight if k == label else 0.0) for k, p in adjusted.items()
            }
        code, message, _ = ADJUSTMENTS[name]
        cues.append(Cue(code, message, tuple(spans)))
    return adjusted, cues
