"""What the customer's message needs from the reply: an answer, an action, or neither.

A reply is judged against what the situation asked for (docs/scoring.md, "What the situation
needs"): a routine question that is fully answered needs no next step; a reported failure or a
request needs something done; praise, a thank-you or a goodbye needs warmth, not a fix; a loss needs
condolence before anything else. The reading is built from documented cues, each with the
customer's words as evidence:

- **questions**: sentences ending in "?" or opening like one ("how do i…", "can you…", "is it
  possible…"), each classed by what would answer it (``time``, ``amount``, ``place``, ``how``,
  ``yes_no``, ``reason``, ``other``);
- **requests**: asks for something to be done ("please refund", "I need it cancelled", "can you
  change…");
- **problems**: reports of a failure ("hasn't arrived", "charged twice", "doesn't work", "kicked me
  out");
- **praise**: thanks or compliments with no problem reported;
- **farewell**: the customer closing ("That's all, have a great day!", "No, that's everything,
  bye"), with no question or problem;
- **loss**: a death or bereavement (not a phone or a battery that "died").
Questions include indirect ones ("I just want to see how long they last", "checking on the status
of my refund").

``kind`` sums it up: ``loss``, ``problem`` (a failure or a request to act, and by default any
message of ``SUBSTANTIVE_WORDS`` or more that is not a question or praise: people write to support
for a reason), ``question`` (only information asked), ``praise`` (thanks, praise or a goodbye), or
``none`` (nothing asked: "ok", "Yes.", an order number).
"""

from __future__ import annotations

import re

from heard.lexicon import phrases
from heard.results import Cue, EmotionReading, NeedsReading, Source, Span
from heard.text import normalise, sentences, word_count

# Openers of a question written without a question mark ("how do i reset my password").
_QUESTION_OPENER = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|so|and|also|quick q(?:uestion)?|sorry)[,!.:]?\s+)*"
    r"(?:what|when|where|which|who|whom|whose|why|how|is|are|am|was|were|do|does|did|can|could|"
    r"will|would|should|shall|may|has|have|had|any idea|is there any way|i was wondering|"
    r"i wonder|wondering)\b"
)
_ANSWER_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "name",
        re.compile(
            r"\b(?:the name of|what (?:is|was) (?:the|your) (?:name|company|brand|shop|bakery|restaurant|hotel|firm)|who (?:is|was|are|were|do i|should i)|which (?:company|courier|brand|shop|store|bakery|firm|engineer|agent|person))\b"
        ),
    ),
    (
        "next",
        re.compile(
            r"\bwhat (?:happens|will happen|do i do|should i do|can i do|now|next|are my options|can you do)\b|"
            r"\bwhat (?:do|should) (?:i|we) do\b|\bwhere do i go from here\b|\bwhat are the next steps\b"
        ),
    ),
    (
        "status",
        re.compile(
            r"\bwhere(?:'s| is| are|'re)? (?:my|our|the) \w+|\bwhat(?:'s| is) (?:happening|going on) with\b|\bany (?:update|news)\b|\bhow (?:much )?long(?:er)?\b|\b(?:status|progress) of\b|"
            r"\bwhere (?:things|it|this|that|everything|my \w+|the \w+) (?:is|are|stands?|has got to)\b|\bwhere (?:i|we) stand\b"
        ),
    ),
    (
        "time",
        re.compile(
            r"\b(?:what time|when|how long|how soon|what day|which day|by when|until when|till when|what date|opening hours|open(?:ing)? times?|hours|how many (?:more )?(?:minutes|hours|days|weeks|months))\b"
        ),
    ),
    (
        "amount",
        re.compile(
            r"\b(?:how much|how many|what(?:'s| is| does| are) the (?:price|cost|fee|charge|rate)|cost|price|fee|charge)\b"
        ),
    ),
    (
        "place",
        re.compile(r"\b(?:where|which (?:store|branch|address|office|airport|terminal|gate))\b"),
    ),
    (
        "how",
        re.compile(
            r"\b(?:how (?:do|can|should|would|to)|what(?:'s| is) the (?:best )?way|what do i (?:need|have) to do|steps)\b"
        ),
    ),
    ("reason", re.compile(r"\bwhy\b")),
    (
        "yes_no",
        re.compile(
            r"^(?:(?:hi|hello|hey|ok|okay|so|and|also|quick q(?:uestion)?|sorry)[,!.:]?\s+)*(?:is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|has|have|had)\b(?! (?:you|anyone|someone) (?:please )?(?:tell|let me know|explain|confirm|advise|say|know (?:when|where|what|why|how|which|who|how long|how much)\b|have (?:any )?idea (?:when|where|what|why|how)\b))"
        ),
    ),
)
REQUEST = phrases(
    r"(?:can|could|would|will) (?:you|someone|somebody|anyone|u) (?:please |kindly |just )?(?!tell|explain|let me know|confirm|advise)\w+",
    r"(?:i|we) (?:want|need|would like|'d like|expect|demand|require)(?: you)? (?:to |a |an |the |my |it |this |them |someone )",
    r"please (?!advise|let me know|tell|explain)(?:\w+ )?(?:refund|cancel|fix|send|change|replace|sort|stop|remove|update|close|reset|unlock|help|call|credit|return|resend|reverse|check|look)\w*",
    r"(?:i|we)(?:'d| would) (?:like|love) (?:a|my|the|to (?:cancel|return|change|get|have|claim|request|close|transfer))",
    r"(?:i want|i need|i'd like|i would like|i expect|give me|send me|get me|i deserve) (?:a |my |the |some )?(?:full )?(?:refund|replacement|compensation|money back|credit)",
    r"(?:ringing|calling|phoning|writing|emailing|messaging|contacting you|here|chatting) to (?:cancel|change|book|rebook|report|ask|request|complain|arrange|order|return|move|update|close|open|pay|get|check|confirm|query|dispute|claim)",
    r"(?:i|we) (?:need|want|would like|'d like) to (?:cancel|change|book|rebook|report|return|move|update|close|open|pay|get|claim|dispute|transfer|upgrade|downgrade|switch|add|remove)",
    r"(?:help|assist) me",
    r"(?:i|we)(?: would|'d) be (?:so |very |really |most )?(?:grateful|obliged) (?:for|if)",
    r"(?:i|we)(?: would|'d) appreciate (?:it )?if",
    r"(?:can|could|would) (?:someone|somebody|anyone|you) (?:please )?(?:explain|help|show|"
    # "can you tell me whether my policy covers dental?" asks for information, not an action
    r"tell(?! me (?:whether|if|what|when|where|why|how|which|who)\b))",
    r"(?:i|we) (?:would|must) ask that",
    r"(?:i|we) (?:would like|'d like|want|need) (?:an |some )?(?:update|answer|explanation|response|confirmation)",
    r"kindly (?:\w+)",
    r"(?:sort|fix) (?:this|it|me) out",
    r"get (?:this|it) (?:sorted|fixed|resolved)",
)
# Things that can stop working ("my phone died", "the battery died"): devices, not people or pets.
_THINGS = (
    r"(?:phone|mobile|battery|batteries|laptop|computer|pc|mac|tablet|ipad|iphone|kindle|screen|"
    r"tv|telly|monitor|car|van|engine|motor|boiler|fridge|freezer|printer|router|modem|hub|console|"
    r"controller|charger|headphones|earbuds|headset|watch|camera|drive|disk|server|app|signal|"
    r"wi-?fi|internet|broadband|connection|line|light|lights|bulb|fan|heater|oven|cooker|washer|"
    r"dryer|machine|device|unit|speaker|mouse|keyboard|sim|card|account|game)"
)
PROBLEM = phrases(
    r"(?:not|n't|never|no longer) (?:\w+ )?(?:(?:yet )?been )?(?:work\w*|arrived?|received|come|came|turned up|showed up|load\w*|log(?:ging)? in|open\w*|connect\w*|charg\w*|deliver\w*|respond\w*|replied|fixed|sorted|refunded|show\w* up|go(?:ing)? through|sync\w*|print\w*|start\w*|turn\w* on|completed|processed|paid|actioned|done|resolved|answered|dealt with|updated|corrected|credited|returned|transferred|applied|cancelled|canceled)",
    r"(?:hasn't|has not|haven't|have not|didn't|did not|wasn't|was not|isn't|is not|won't|will not|can't|cannot|couldn't|could not|doesn't|does not|don't) (?:\w+ )?(?:work|worked|arrive|arrived|come|turn up|turned up|load|loaded|open|opened|connect|connected|let me|accept|go through|get|see|find|access|log|sign|pay|use|receive|received)",
    r"(?:charged|billed|debited) (?:me |us )?(?:twice|double|two times|again|wrongly|the wrong|too much|extra|for (?:something|a|an|the))",
    r"(?:over|double)[- ]?charg\w*",
    r"(?:went out|gone out|taken|come out|came out|debited|deducted|withdrawn|processed|paid|billed) (?:\w+ )?(?:twice|two times|three times|double)",
    r"(?:was|were|got|be|been|is|are|has been|have been) (?:\w+ )?(?:cancel+ed|lost|delayed|damaged|broken|stolen|declined|rejected|blocked|locked|suspended|banned|hacked|missing|wrong|late|faulty|cut off|disconnected|overcharged|closed)",
    r"(?:cancel+ed|lost|delayed|damaged|broke|broken|stolen|declined|blocked|locked out|suspended|hacked|crashed|crashes|crashing|froze|freezes|frozen|missing|faulty|leaking|leak|outage|down|error|failed|fails|failing|stuck|kicked (?:me )?out|thrown (?:me )?out|logged (?:me )?out|threw me out|chucked me out|booted me (?:out|off)|disappeared|vanished|no signal|no internet|no power|no heating|no hot water)",
    r"(?:wrong|incorrect) (?:item|size|order|amount|address|charge|bill|name|colour|color|product|parcel|package)",
    # not what was ordered: "I ordered it with NO peanuts ... and it came covered in them",
    # "came in size M, I ordered L", "I paid for a sea view but got the car park"
    r"(?:ordered|asked for|requested)\b[^.!?\n]{0,60}\b(?:no|without|extra|not)\b[^.!?\n]{0,60}\b(?:came|arrived|turned up)\b",
    r"(?:ordered|asked for|requested|paid for|booked)\b[^.!?\n]{0,50}\b(?:but|instead)\b(?! (?:thanks|thank you|that's fine|no problem)\b)",
    r"(?:came|arrived) in (?:a |the )?(?:size|colour|color|wrong)\b[^.!?\n]{0,30}\bi (?:ordered|asked for)",
    r"(?:still|yet to|keep|keeps|kept) (?:on )?(?:not|no|waiting|broken|happening|getting|failing|crashing|charging|asking|dropping|disconnecting|cutting out|freezing|restarting|rebooting|logging (?:me )?out|buffering|timing out)",
    r"(?:still|again) (?:nothing|no \w+)",
    r"(?:waited|waiting|been waiting) (?:in )?(?:all day|for (?:hours|days|weeks|months|over|more than|\d+))",
    r"(?:waited|waiting|been waiting) (?:for )?(?:over |more than |nearly |almost )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a few|several) (?:hours?|days?|weeks?|months?)",
    r"returned to sender",
    r"(?:sent|took|directed|booked) (?:me|us|him|her|them) (?:to|into|on) the wrong",
    r"(?:missed|miss) (?:my|our|the|his|her|their) (?:\w+ )?(?:appointment|flight|connection|train|meeting|exam|interview|deadline|surgery|operation)",
    r"but (?:i've|i have|we've|we have|i was|we were|i got|we got) (?:been )?(?:charged|billed|debited)",
    r"(?:i've|i have|we've|we have) been (?:charged|billed|debited) (?:£|\$|€)?\d",
    r"(?:rung|rang|called|phoned|emailed|written|chased|contacted you) (?:\w+ )?(?:\d+|two|three|four|five|six|several|many|countless|so many) times",
    r"(?:started|keeps|kept|is|has been) (?:flickering|playing up|beeping|leaking|overheating|making (?:a|an) (?:\w+ )?noise)",
    r"warning lights?(?:'s)?",
    r"(?:no one|nobody|no-one) (?:called|answered|replied|came|turned up|got back|has got back|showed up|picked up|responded)",
    r"(?:never|haven't|have not|didn't|did not) (?:heard back|got a reply|received a reply|get a response)",
    r"(?:third|second|fourth|fifth|3rd|2nd|4th|5th|umpteenth) time",
    r"(?:didn't|did not|doesn't|does not|hasn't|has not) (?:help|fix|solve|change|do anything)",
    r"(?:unacceptable|ridiculous|disgrace\w*|appalling|terrible service|awful service|worst)",
    r"(?:a |an |this is a |such a )?(?:scam|rip-?off|daylight robbery|thieves|thieving|cowboys|joke of a)",
    r"(?:this|it|that|you|you're|you are|your \w+) (?:is|are|'s|has become)? ?(?:a |an )?(?:absolute |complete |total |bloody |actual |f\W*king )?joke\b",
    r"on hold (?:for )?(?:over |nearly |almost |more than )?(?:\d+|an?|two|three|four|five) (?:mins?|minutes|hours?)",
    r"(?:charged|billed|debited) (?:me |us )?(?:[\w£$€.,'-]+ ){1,6}(?:twice|two times|double|again)",
    r"(?:deleted|wiped|closed|banned|suspended) my (?:\w+ )?account",
    r"(?:swallowed|ate|eaten|kept|retained) (?:my|the) (?:\w+ )?card",
    # a thing that died is a failure ("the battery died after two days"), not a bereavement
    rf"{_THINGS} (?:has |had |just |completely )*died",
    r"(?:a|the) problem with",
    r"(?:an|the) issue with",
    r"(?:there's|there is) (?:a|an) (?:problem|issue|error|mistake|fault)",
    r"(?:mistake|error) (?:on|in|with) (?:my|the|your)",
    r"doesn't (?:seem to )?(?:have|show)",
    r"(?:\d+|two|three|four|five|ten|twenty|thirty|forty|fifty) (?:minutes?|mins?|hours?|days?|weeks?) (?:late|overdue|on hold|waiting|without)",
    r"(?:arrived|turned up|came|showed up|delivered) (?:cold|late|broken|damaged|open|wet|crushed|smashed|empty|soggy)",
    r"(?:cold|late|soggy) (?:food|pizza|meal|order|delivery)",
    r"day (?:two|three|four|five|six|seven|eight|nine|ten|\d+) (?:without|of|and)",
    r"(?:now )?on day (?:two|three|four|five|six|seven|eight|nine|ten|\d+)",
    r"without (?:internet|wifi|power|electricity|heating|hot water|a car|signal|a phone|service|water|"
    r"(?:a |any )?(?:telephone|phone|land) ?line|a landline|broadband|gas|a working \w+)",
    r"there(?:'s| is| was) no (?:car|room|seat|booking|record|sign|trace|one|water|heating|signal)",
    r"(?:banned|suspended|kicked|removed|thrown|locked) (?:from|for|out)",
    r"(?:price|bill|fee|charge|premium) (?:rise|increase|hike|went up|has gone up|doubled)",
    r"on hold for",
    r"(?:deleted|wiped|erased|throttled|overwritten|disappeared|gone missing|lost) (?:all )?(?:my|our|the)",
    r"(?:you|they) keep (?:sending|getting|telling|asking|charging|cancelling|losing|calling)",
    r"(?:it's|it has|it's now|it has now) been (?:a|one|two|three|four|five|six|\w+) (?:days?|weeks?|months?)",
    r"(?:can't|cannot|couldn't|could not) (?:log in|login|sign in|access|open|pay|use|get in|connect)",
)
PRAISE = phrases(
    r"thank\w*",
    r"thanks",
    r"cheers",
    r"(?:much |really |greatly |truly )?appreciated?",
    r"(?:great|amazing|brilliant|excellent|fantastic|wonderful|superb|outstanding|perfect|lovely|awesome|fab|fabulous|helpful|quick|fast|friendly|kind|patient) (?:service|job|work|help|support|team|experience|staff|agent|people)",
    r"(?:you(?:'ve| have)? been|you are|you're|that was|this is|it was|it's|was) (?:so |very |really |super |incredibly |extremely )?(?:helpful|amazing|brilliant|great|fantastic|wonderful|excellent|kind|patient|lovely|perfect|a star|a lifesaver)",
    r"(?:love|loved|loving) (?:the|my|your|it|this|how)",
    r"(?:all|everything) (?:is |'s )?(?:working|sorted|fixed|good|fine|great) (?:now|again)",
    r"(?:works|working|arrived|sorted|fixed) (?:now|perfectly|fine|great)",
    r"(?:made|make|you made) my day",
    # good news of their own wants the same warm word back: "Good news, my knee's fine now!"
    r"(?:good|great|brilliant|fantastic|wonderful) news\b(?! (?:for|about) (?:you|the company))",
    r"(?:(?:is|are|am|'s|'re|'m|feel|feeling) (?:all )?(?:fine|better|well|healed|recovered) now)",
    r"(?:is|are|was|were|you're|you are) (?:so |really |very |absolutely |just )?(?:awesome|amazing|brilliant|great|fantastic|excellent|superb|wonderful|the best|a star|stars|legends?|a lifesaver|lifesavers)\b",
    r"(?:sorted|fixed|solved|resolved) (?:my|it|the|everything|this|that)\b(?! (?:yet|properly))[^.!?]{0,30}\b(?:in|within) (?:\d+|a few|two|five|ten) (?:mins?|minutes|seconds|hours?)",
    r"(?:well done|keep it up|kudos|shout-?out|big thanks|many thanks)",
    r"(?:so |very |really )?(?:happy|pleased|delighted|thrilled|impressed|relieved)",
)
LOSS = phrases(
    r"passed away",
    r"(?:has|have|had) died",
    r"died",
    r"(?:his|her|their|my|our) death",
    r"death certificate",
    r"funeral",
    r"deceased",
    r"bereave\w*",
    r"lost (?:my|our) (?:husband|wife|mum|mom|mother|dad|father|son|daughter|brother|sister|partner|baby|grandmother|grandfather|grandma|grandpa|nan|gran|dog|cat|friend)",
    r"(?:my|our) late (?:husband|wife|father|mother|mum|mom|dad|partner|son|daughter|brother|sister)",
    r"(?:in|at) (?:the )?hospice",
    # a pet put down ("Milo was put to sleep yesterday"), not "I was put to sleep for the operation"
    r"(?<!\bi )(?<!\bwe )(?:was|were|had to be|has been|have been) put (?:down|to sleep)",
    r"had (?:him|her|them|\w+) put (?:down|to sleep)",
    r"widow(?:ed|er)?",
)
# "My phone died", "the battery has just died": a thing that stopped working is not a bereavement.
_THING_DIED = re.compile(
    rf"\b(?:{_THINGS}|it|this|that)(?:'s)?(?: \w+){{0,2}} "
    r"(?:has |had |have |just |completely |suddenly |finally |now )*died\b"
)


def bereavements(norm: str) -> list[re.Match[str]]:
    """The bereavement phrases (``LOSS``) in normalised text, without things that "died"."""
    things = [m.span() for m in _THING_DIED.finditer(norm)]
    return [
        m for m in LOSS.finditer(norm) if not any(start <= m.start() < end for start, end in things)
    ]


# "I just want to understand why I was charged", "I need to know when it will arrive"
_INDIRECT_QUESTION = re.compile(
    r"\b(?:i|we) (?:just )?(?:want|'d like|would like|should like|need|wanted|am trying|'m trying|was hoping|were hoping) to (?:understand|know|find out|work out|check|see) (?:why|how|what|when|where|whether|if|which|who)\b|"
    r"\b(?:just )?(?:checking|wondering|asking|enquiring|inquiring) (?:about )?(?:where|when|if|whether|what|how|why)\b|"
    r"\b(?:check|checking|ask|asking|enquire|enquiring|inquire|inquiring|chase|chasing) (?:on|about|up on) (?:the )?(?:status|progress) of\b|"
    r"\b(?:please )?(?:tell|explain to|let) me (?:know )?(?:why|how|what|when|where|whether|if|which)\b"
)
# Words a message needs before it counts as telling us something (not just "ok" or a number).
SUBSTANTIVE_WORDS = 8


_SECOND_QUESTION = re.compile(
    r",? (?:and|or|also|plus) (?=(?:when|where|what|which|how|why|who|can (?:i|we)|could (?:i|we)|"
    r"do (?:i|we|you)|does|is (?:it|there)|are (?:there|you)|will (?:i|it|you|we)|would (?:i|it)|"
    r"should (?:i|we))\b)"
)


def _question_type(sentence: str) -> str:
    """What would answer the question: the type whose cue comes first ("why I was charged £25
    when I was only £3 over" asks why, not when)."""
    best: tuple[int, int, str] | None = None
    for order, (name, pattern) in enumerate(_ANSWER_TYPES):
        match = pattern.search(sentence)
        if match is not None and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, name)
    return best[2] if best is not None else "other"


def read_needs(text: str, source: Source = Source.CONTEXT) -> NeedsReading:
    """What the customer's message(s) ask of the reply (see the module docstring)."""
    norm = normalise(text)
    questions: list[Span] = []
    types: list[str] = []
    for segment in sentences(text):
        sentence = norm[segment.start : segment.end]
        # the question part of a sentence ("Thanks! Do you ship to Canada?")
        asked = (
            sentence.rstrip().endswith("?")
            or bool(_QUESTION_OPENER.match(sentence))
            or bool(_INDIRECT_QUESTION.search(sentence))
        )
        if not asked:
            continue
        # two questions in one sentence ("When does term start, and when can I move in?") are
        # two things to answer
        start = segment.start
        for cut in _SECOND_QUESTION.finditer(sentence):
            head = norm[start : segment.start + cut.start()]
            if len(head.split()) >= 3 and len(sentence[cut.end() :].split()) >= 3:
                questions.append(
                    Span.of(source, text, start, segment.start + cut.start(), "question")
                )
                types.append(_question_type(head))
                start = segment.start + cut.end()
        questions.append(Span.of(source, text, start, segment.end, "question"))
        types.append(_question_type(norm[start : segment.end]))

    def spans(pattern: re.Pattern[str], label: str) -> tuple[Span, ...]:
        return tuple(
            Span.of(source, text, m.start(), m.end(), label) for m in pattern.finditer(norm)
        )

    requests = spans(REQUEST, "request")
    problems = tuple(
        s
        for s in spans(PROBLEM, "problem")
        if not _negated_problem(norm, s.start) and not _hypothetical(norm, s.start)
    )
    loss = tuple(Span.of(source, text, m.start(), m.end(), "loss") for m in bereavements(norm))
    # thanks as a sign-off ("Please could you explain? Thanks,") or in advance is manners, not praise
    praise = spans(PRAISE, "praise")
    # "Any help appreciated" thanks in advance for help not yet given: not praise
    ahead = [m.span() for m in _HELP_IN_ADVANCE.finditer(norm)]
    praise = tuple(p for p in praise if not any(a <= p.start < b for a, b in ahead))
    if questions or requests or problems:
        praise = tuple(
            span
            for span in praise
            if not (_SIGN_OFF_THANKS.match(span.text.lower()) and _signing_off(norm, span.end))
        )
    farewell = (
        tuple(
            Span.of(source, text, m.start(), m.end(), "farewell")
            for m in farewells(norm, thanked=bool(PRAISE.search(norm)))
        )
        if not (questions or problems)
        else ()
    )
    if loss:
        kind = "loss"
    elif problems or requests:
        kind = "problem"
    elif questions:
        kind = "question"
    elif praise or farewell:
        kind = "praise"  # thanks, praise or a goodbye: warmth, not a fix
    elif word_count(text) >= SUBSTANTIVE_WORDS:
        kind = "problem"  # people write to support for a reason, even without a complaint word
    else:
        kind = "none"
    cues: list[Cue] = []
    for code, message, evidence in (
        ("question", "asks a question", tuple(questions)),
        ("request", "asks for something to be done", requests),
        ("problem", "reports a problem", problems),
        ("praise", "thanks or praises", praise),
        ("loss", "a bereavement or loss", loss),
        ("farewell", "says goodbye", farewell),
    ):
        if evidence:
            cues.append(Cue(code, message, evidence))
    return NeedsReading(kind, tuple(questions), tuple(types), tuple(cues))


# The customer closing the conversation. A goodbye alone is not one: "Goodbye." or "Nothing else,
# just wanna..." can be a message from someone in crisis. A closing counts with goodwill ("have a
# great day") or a closing phrase with a goodbye or thanks ("No, that's everything, bye!").
GOODWILL = phrases(
    r"have a (?:great|good|nice|lovely|wonderful) (?:day|evening|night|weekend|afternoon|morning|one)"
)
CLOSING = phrases(
    r"(?:that's|that is|that'll be|that will be) (?:all|everything)(?: for (?:now|today))?",
    r"(?:nothing|no) (?:else|more)(?: for (?:now|today))?",
)
GOODBYE = phrases(r"(?:good)?bye|see you|speak soon|talk soon")
FAREWELL = re.compile("|".join(f"(?:{p.pattern})" for p in (GOODWILL, CLOSING, GOODBYE)))


def farewells(norm: str, thanked: bool) -> list[re.Match[str]]:
    """The customer's closing words when the message closes the conversation (see above)."""
    closing = CLOSING.search(norm) is not None
    if GOODWILL.search(norm) is None and not (
        closing and (thanked or GOODBYE.search(norm) is not None)
    ):
        return []
    return list(FAREWELL.finditer(norm))


_HELP_IN_ADVANCE = re.compile(
    r"\b(?:any|your|all) (?:help|advice|assistance|ideas)(?: (?:would be|is|will be))?"
    r"(?: much| greatly| really| very| hugely)? appreciated\b"
)
_SIGN_OFF_THANKS = re.compile(
    r"^(?:thanks|thank you|thank\w*|cheers|many thanks|much appreciated|appreciated?)$"
)
_THANKS_IN_ADVANCE = re.compile(
    r"^\s*(?:in advance|so much)?\s*(?:for (?:your|any) help)?\s*(?:[,.!]\s*)?(?:[a-z][a-z'.-]*[,.!]?\s*){0,3}$"
)


def _signing_off(norm: str, end: int) -> bool:
    """The thanks closes the message (or is "thanks in advance"): a sign-off."""
    return bool(_THANKS_IN_ADVANCE.match(norm[end : end + 40])) or norm[end : end + 11].startswith(
        " in advance"
    )


_CONDITION = re.compile(
    r"\b(?:if|in case|what if|suppose|supposing|should (?:it|my|the))\b[^.!?,;]*$"
)


def _hypothetical(norm: str, start: int) -> bool:
    """ "if it got stolen", "what happens if my flight is cancelled": no failure has happened."""
    return bool(_CONDITION.search(norm[max(0, start - 60) : start]))


_RESOLVED_BEFORE = re.compile(r"(?:no|not any|never had (?:a|any)|without (?:a|any)) *$")


def _negated_problem(norm: str, start: int) -> bool:
    """ "no problem", "without any issue": the customer says there is none."""
    return bool(_RESOLVED_BEFORE.search(norm[max(0, start - 20) : start]))


def settle_needs(needs: NeedsReading, emotion: EmotionReading) -> NeedsReading:
    """The needs in the light of the emotion read from the same message: sarcasm is a complaint
    ("thanks for cancelling my flight"), and a happy customer who only mentions a problem in
    passing ("he walked it up when the lift was broken 😊") is giving praise."""
    sarcasm = tuple(span for cue in emotion.cues if cue.code == "sarcasm" for span in cue.evidence)
    kind = needs.kind
    cues = needs.cues
    if sarcasm and kind in ("praise", "none", "question"):
        kind = "problem"
        cues = (*cues, Cue("problem", "a complaint, said sarcastically", sarcasm))
    elif (
        kind == "problem"
        and needs.has("praise")
        and not needs.has("request")
        and not needs.questions
        and emotion.label == "satisfied"
        # "I love the app but it keeps crashing" is a problem still happening, not praise
        and not any(cue.code == "repeated_failure" for cue in emotion.cues)
    ):
        kind = "praise"
        cues = tuple(c for c in cues if c.code != "problem")
    if kind == needs.kind and cues == needs.cues:
        return needs
    return NeedsReading(kind, needs.questions, needs.question_types, cues)
