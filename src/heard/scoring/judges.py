"""Judges weigh what the detectors found against the customer: sympathy versus empathy, a reply
that could go to anyone, and fit (the reply's depth matched to the emotion and the issue)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from heard.lexicon import phrases
from heard.results import NEGATIVE_EMOTIONS, Finding, FindingKind, Span, evidence_of
from heard.scoring.exchange import NEGATION, Exchange
from heard.scoring.scorer import Scorer
from heard.scoring.specifics import specifics
from heard.understanding.self_report import FEELING_WORDS

STRENGTH, GAP, ANTI = FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN

# Thresholds, documented in docs/scoring.md.
INTENSE = 0.6  # customer intensity at or above this needs an explicit acknowledgement
NOTICEABLE = 0.3  # a negative emotion at or above this deserves one
CALM = 0.35  # below this a routine question wants efficiency, not sympathy
GUSHING_SENTENCES = 3  # sentences of sympathy that bury the help, even for an upset customer
GUSHING_WORDS = 6


def _codes(findings: Sequence[Finding]) -> set[str]:
    return {f.code for f in findings}


# --- sympathy versus empathy ------------------------------------------------------------------

_PITY = phrases(
    r"(?:i feel|i'm|i am|we feel|we're)(?: so| really| very| truly)? (?:sorry for you|bad for you)",
    r"poor (?:you|thing)",
    r"(?:what a|that's a|such a|it's a|that is a) (?:real )?(?:shame|pity)",
    r"how (?:sad|awful|terrible|unfortunate|horrible|dreadful)",
    r"(?:that's|that is|this is|it's|it is)(?: so| really| very| just)? (?:sad|unfortunate|a shame|"
    r"too bad|terrible|awful|dreadful|heartbreaking)(?! (?:that|to hear)\b)",
    r"oh no+",
    r"oh dear",
    r"bless (?:you|your heart)",
    r"(?:i|we) pity",
    r"unfortunately(?:,)? (?:that|this|these things?) (?:happens?|is (?:just )?how)",
    r"(?:such|these) things happen",
)
UNDERSTANDING = ("acknowledges_feeling", "validates_feeling")
ACTION = ("clear_next_steps", "next_steps", "ownership", "open_question", "closed_question")


def _sympathy(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    pity = exchange.reply.spans(_PITY, allow_negated=False)
    if not pity:
        return []
    codes = _codes(earlier)
    understands = bool(codes & set(UNDERSTANDING)) or exchange.level("interpretations") > 0
    acts = bool(codes & set(ACTION))
    if understands and acts:
        return []
    missing = (
        "doing anything"
        if understands
        else "showing you understand" + ("" if acts else " or doing anything")
    )
    return [
        SYMPATHY.finding(
            "sympathy_not_empathy",
            ANTI,
            f"Feels sorry *for* the customer without {missing}; pity on its own can feel like "
            "being brushed off.",
            pity,
        )
    ]


SYMPATHY = Scorer("sympathy", 1, _sympathy, ("sympathy_not_empathy",))

# --- a reply that could be sent to anyone ---------------------------------------------------------


_SUBSTANCE = frozenset(
    {
        "clear_next_steps",
        "next_steps",
        "action_taken",
        "answers_question",
        "open_question",
        "closed_question",
        "ownership",
    }
)


def _generic(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    codes = _codes(earlier)
    if "personalised" in codes or not exchange.context.text.strip():
        return []
    if exchange.customer.needs.kind not in ("problem", "question", "loss"):
        return []  # "Glad it's working, have a good evening!" needs nothing of theirs
    scripted = evidence_of(earlier, "scripted_phrase")
    sentences = exchange.reply.sentences
    if not sentences:
        return []
    scripted_sentences = {
        s for s in sentences if any(s.start <= span.start < s.end for span in scripted)
    }
    # Substance counts unless it is itself a stock phrase ("we are looking into it").
    substantive = {
        f.code
        for f in earlier
        if f.code in _SUBSTANCE
        and any(
            not any(sc.start <= span.start and span.end <= sc.end + 2 for sc in scripted)
            and not (
                span.end - span.start <= 40
                and any(sc.start <= span.start < sc.end for sc in scripted)
            )
            for span in f.evidence
        )
    }
    mostly_script = len(scripted_sentences) * 2 >= len(sentences)
    if scripted and not substantive and (mostly_script or len(scripted) >= 2):
        return [
            GENERIC.finding(
                "generic_reply",
                ANTI,
                "The whole reply could be sent to any customer about anything: nothing in it is "
                "about this person's problem.",
                scripted,
            )
        ]
    return []


GENERIC = Scorer("generic", 1, _generic, ("generic_reply",))

# --- fit: emotion and complexity --------------------------------------------------------------------

_SYMPATHY_WORDS = phrases(
    r"sorry",
    r"feel for you",
    r"poor (?:you|thing|\w+)",
    r"(?:the|every \w+'s) (?:worst|nightmare)",
    r"(?:so|really|truly|absolutely) (?:terrible|awful|horrible)",
    r"oh (?:no|gosh|dear)",
    r"apologi[sz]e",
    r"apologies",
    r"understand",
    r"imagine",
    r"frustrat\w*",
    r"upset\w*",
    r"stress\w*",
    r"worr\w*",
    r"must be",
    r"feel\w*",
    r"terrible",
    r"awful",
)


def _fit(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    findings: list[Finding] = []
    codes = _codes(earlier)
    emotion = exchange.customer.emotion
    complexity = exchange.customer.complexity
    context = exchange.context
    if not context.text.strip():
        return findings
    # The learned level counts only when strong: a weak emotional reaction is often a stock phrase.
    acknowledged = bool(codes & {"acknowledges_feeling", "validates_feeling", "apology"}) or (
        exchange.level("emotional_reactions") == 2
    )
    emotion_evidence = [span for cue in emotion.cues for span in cue.evidence]
    if not emotion_evidence and context.sentences:
        first = context.sentences[0]
        emotion_evidence = [context.span(first.start, first.end)]
    loss = [
        span for cue in exchange.customer.needs.cues if cue.code == "loss" for span in cue.evidence
    ]
    if loss and not acknowledged:
        # grief is not "disappointed" or "frustrated": what is owed is condolence, whatever the
        # emotion model makes of a calmly worded bereavement
        findings.append(
            FIT.finding(
                "unacknowledged_emotion",
                GAP,
                "The customer has lost someone, and the reply does not say it is sorry for their "
                "loss; condolence comes before anything practical.",
                loss,
            )
        )
    elif emotion.label in NEGATIVE_EMOTIONS and not acknowledged:
        if emotion.intensity >= INTENSE:
            findings.append(
                FIT.finding(
                    "unacknowledged_emotion",
                    GAP,
                    f"The customer is strongly {emotion.label} and the reply does not acknowledge "
                    "it; until they feel heard, the facts will not land.",
                    emotion_evidence,
                )
            )
        elif emotion.intensity >= NOTICEABLE:
            findings.append(
                FIT.finding(
                    "no_acknowledgement",
                    GAP,
                    f"The customer sounds {emotion.label}; a short acknowledgement would help.",
                    emotion_evidence,
                )
            )
    # A reflection counts when the learned model is confident of it; a question always counts.
    explores = bool(codes & {"open_question", "closed_question"}) or any(
        exchange.mechanisms[m].probabilities[2] >= 0.75
        for m in ("explorations", "interpretations")
        if m in exchange.mechanisms
    )
    if complexity.label == "complex" and not explores:
        evidence = [span for cue in complexity.cues for span in cue.evidence]
        findings.append(
            FIT.finding(
                "complex_without_exploration",
                GAP,
                "A complex issue answered without a question or a reflection of what the customer "
                "said: check you have understood before solving.",
                evidence or emotion_evidence,
            )
        )
    calm = emotion.label not in NEGATIVE_EMOTIONS or emotion.intensity < CALM
    needs = exchange.customer.needs
    # Gushing, whoever the customer is: three sentences of sympathy, or five sympathy words, before
    # the help gets a look in.
    reply = exchange.reply
    gushing = [
        s for s in reply.sentences if len(_SYMPATHY_WORDS.findall(reply.norm[s.start : s.end])) >= 1
    ]
    if not calm and (
        len(gushing) >= GUSHING_SENTENCES
        or len(_SYMPATHY_WORDS.findall(reply.norm)) >= GUSHING_WORDS
    ):
        findings.append(
            FIT.finding(
                "excessive_sympathy",
                GAP,
                "One sentence that names the feeling is enough; more sympathy only delays the help "
                "they came for.",
                [reply.span(s.start, s.end) for s in gushing],
            )
        )
        return findings
    # "How do I change my password?" is a plain question even when it reads as confused
    asking_how = (
        emotion.label == "confused"
        and needs.kind == "question"
        and not needs.has("problem")
        and set(needs.question_types) == {"how"}
    )
    if complexity.label == "routine" and (calm or asking_how):
        reply = exchange.reply
        heavy = [
            s
            for s in reply.sentences
            if len(_SYMPATHY_WORDS.findall(reply.norm[s.start : s.end])) >= 1
        ]
        total_hits = len(_SYMPATHY_WORDS.findall(reply.norm))
        # A plain question with nothing wrong needs no sympathy at all; elsewhere a little is fine.
        plain_question = needs.kind in ("question", "none") and not needs.has("problem")
        if (plain_question and heavy and codes & {"acknowledges_feeling", "validates_feeling"}) or (
            len(heavy) >= 2 and (len(heavy) * 2 >= len(reply.sentences) or total_hits >= 4)
        ):
            findings.append(
                FIT.finding(
                    "excessive_sympathy",
                    GAP,
                    "A calm, routine question buried in sympathy: lead with the answer.",
                    [reply.span(s.start, s.end) for s in heavy],
                )
            )
    return findings


FIT = Scorer(
    "fit",
    1,
    _fit,
    (
        "unacknowledged_emotion",
        "no_acknowledgement",
        "complex_without_exploration",
        "excessive_sympathy",
    ),
)

# --- tone that misreads the customer -----------------------------------------------------------------

TAKES_AS_PRAISE = phrases(
    r"thank(?:s| you)(?: so much| very much)? for (?:your|the|those|such) (?:kind|lovely|nice|"
    r"wonderful|great|positive|generous) (?:words|comments?|feedback|message|review)",
    r"thank(?:s| you)(?: so much| very much)? for the (?:compliment|praise|shout-?out|love)",
    r"(?:glad|happy|pleased|delighted|thrilled)(?: to hear)? (?:that )?you(?:'re| are) (?:enjoying|"
    r"happy|pleased|liking|loving|satisfied)",
    r"(?:glad|happy|pleased|delighted|thrilled) you (?:like|love|liked|loved|enjoyed|enjoy)",
    r"(?:great|lovely|wonderful|so good|nice) to hear(?: that)? you(?:'re| are)? (?:enjoying|happy|"
    r"pleased|loving)",
    r"we love (?:hearing|to hear) (?:that|this|it)",
    r"(?:always )?(?:happy|glad) to (?:make|see) you (?:smile|happy)",
    # laughing along with a complaint: "Haha, love that for you too! 😄"
    r"(?:ha){2,}|hehe\w*|lol|lmao|rofl|love that for you",
    r"[\U0001f600-\U0001f606\U0001f923\U0001f602\U0001f609\U0001f61c\U0001f61d]",
)
_GRIEF_MISMATCH = phrases(
    r"(?:how |so |very |really )?(?:disappointing|disappointed|frustrating|frustrated|annoying|"
    r"annoyed|inconvenien\w*|irritating|a hassle|a nuisance|a pain|unfortunate)",
    r"(?:sorry|apologi[sz]e) for (?:any|the) (?:inconvenience|trouble|hassle)",
)
_NEGATIVE_FEELING_NAMED = phrases(
    r"sorry to hear",
    r"sorry (?:about|for) (?:your|the) (?:experience|issue|problem)",
    r"what (?:went wrong|the problem (?:is|was)|happened)",
    r"(?:look|looking) into (?:this|it|the (?:issue|problem))",
    r"(?:your|the|this) (?:frustration|disappointment|anger|upset|inconvenience)",
    r"(?:how )?(?:frustrating|upsetting|disappointing|annoying|stressful|worrying) (?:this|that|it)",
    r"sorry (?:for|about) (?:the|any|this|all the) (?:trouble|inconvenience|problem|issue|frustration|hassle)",
    r"(?:we|i) (?:sincerely )?apologi[sz]e",
    # troubleshooting a happy customer: "If you are experiencing issues with the update..."
    r"if (?:you are|you're) (?:still )?(?:experiencing|having) (?:any )?(?:issues|problems|difficulties|trouble)",
    r"if the (?:problem|issue) persists",
)


_NOT_WANTED = phrases(
    r"(?:i'm not|i am not|i wasn't|i was not|not) (?:asking|looking) for (?:a |an |the |any |my )?(?:\w+ ){0,2}?(?:refund|compensation|voucher|credit|money back|fee back|replacement|discount|apology|gesture)",
    r"(?:i|we) (?:don't|do not) (?:want|need) (?:a |an |the |any |my )?(?:\w+ ){0,2}?(?:refund|compensation|voucher|credit|money back|replacement|discount|upgrade)",
)
# The kinds of fix, by what a customer might turn down; a reply that offers a cash refund to
# someone who refused "another voucher" gives them something else.
_FIX_KINDS: Mapping[str, re.Pattern[str]] = {
    kind: phrases(*words)
    for kind, words in {
        "refund": (r"refund\w*", r"money back", r"fee back", r"reimburs\w*"),
        "voucher": (r"vouchers?", r"credit(?:ed)?", r"goodwill", r"discount\w*", r"gesture"),
        "replacement": (r"replacements?",),
        "compensation": (r"compensat\w*",),
        "upgrade": (r"upgrade\w*",),
    }.items()
}


def _denied_feeling(exchange: Exchange) -> list[Span]:
    """The reply names a feeling the customer denied ("I'm not angry, I'm just gutted")."""
    # the labels the customer denied, as the engine already read them (the self_denial cues)
    denied = {
        span.label
        for cue in exchange.customer.emotion.cues
        if cue.code == "self_denial"
        for span in cue.evidence
    }
    spans: list[Span] = []
    for label in denied:
        words = FEELING_WORDS.get(label)
        if words is None:
            continue
        pattern = re.compile(
            rf"\b(?:you(?:'re| are| must be| sound| seem| feel)(?: \w+)? (?:{words})|your (?:{words}))\b"
        )
        spans += [
            exchange.reply.span(m.start(), m.end()) for m in pattern.finditer(exchange.reply.norm)
        ]
    return spans


# Whatever else they turn down: "I'm not asking you to change the grade".
_NOT_ASKING = re.compile(
    r"\b(?:i'm not|i am not|i wasn't|i was not|we're not|we are not) (?:asking|looking|writing|"
    r"calling|ringing|contacting you) (?:you )?(?:for|to|about) (?P<what>[^.,;!?]{3,60})"
)


def _unwanted_fix(exchange: Exchange) -> list[Span]:
    """The customer said what they do not want ("I'm not asking for the fee back", "...to change
    the grade") and the reply offers exactly that instead of what they asked."""
    refused = [match.group(0) for match in _NOT_WANTED.finditer(exchange.context.norm)]
    spans: list[Span] = []
    for pattern in _FIX_KINDS.values():
        if any(pattern.search(words) for words in refused):
            spans += exchange.reply.spans(pattern, allow_negated=False)
    things = {
        specific.stem
        for match in _NOT_ASKING.finditer(exchange.context.norm)
        for specific in specifics(match.group("what"))
    }
    # a refused kind of fix was checked above: explaining the fee they did not ask back is
    # what they asked for ("I'm not asking for the fee back, I want to understand why")
    if things and not spans and not refused:
        reply = exchange.reply
        for sentence in reply.sentences:
            norm = reply.norm[sentence.start : sentence.end]
            if NEGATION.search(norm):
                continue  # "I understand you're not asking about the grade" heard them
            if things & {s.stem for s in specifics(reply.text[sentence.start : sentence.end])}:
                spans.append(reply.span(sentence.start, sentence.end))
    return spans[:2]


def _misread_tone(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    customer = exchange.customer
    cue_codes = {cue.code for cue in customer.emotion.cues}
    negative = customer.emotion.label in NEGATIVE_EMOTIONS or "sarcasm" in cue_codes
    spans: list[Span] = []
    message = ""
    if negative and customer.needs.kind != "praise":
        spans = reply.spans(TAKES_AS_PRAISE, allow_negated=False)
        message = (
            "Takes an unhappy (or sarcastic) message as praise: the customer hears that nobody read "
            "what they wrote."
        )
    if not spans and customer.needs.kind == "loss":
        spans = reply.spans(_GRIEF_MISMATCH, allow_negated=False)
        message = (
            "Names the wrong feeling for a loss: grief is not an inconvenience or a disappointment."
        )
    if not spans:
        spans = _denied_feeling(exchange) or _unwanted_fix(exchange)
        message = (
            "Names a feeling the customer said they do not have, or gives what they said they "
            "did not want: it tells them they were not heard."
        )
    if (
        not spans
        and customer.needs.has("praise")
        and customer.needs.kind in ("praise", "question")
        and customer.emotion.label == "satisfied"
        and not customer.needs.has("problem")
    ):
        spans = reply.spans(_NEGATIVE_FEELING_NAMED, allow_negated=False)
        message = "Answers a happy customer as if they had complained."
    return MISREAD.found("misread_tone", ANTI, message, spans)


MISREAD = Scorer("misread_tone", 1, _misread_tone, ("misread_tone",))

# --- selling or surveying instead of listening ---------------------------------------------------

_SALES = phrases(
    r"while i have you",
    r"before you go",
    r"(?:upgrade|switch|move) (?:you )?(?:to|onto) (?:our |the )?(?:pro|premium|plus|gold|platinum|business|unlimited|annual)\b",
    r"(?:would you|do you) (?:like|want) (?:to|me to) (?:upgrade|add|try|sign up|join|subscribe)",
    r"(?:take|complete|fill (?:in|out)) (?:our|a|this|the) (?:short |quick |brief |\d+-minute )?survey",
    r"(?:rate|review) (?:us|your (?:experience|order|stay|agent))",
    r"leave (?:us )?a (?:review|rating)",
    r"use (?:the )?code [a-z0-9]+",
    r"\d+% off (?:your )?next",
    r"(?:special|exclusive|limited[- ]time) offer",
    r"(?:our|the) (?:pro|premium|plus) plan (?:includes|gives|offers)",
    r"(?:retention|loyalty) (?:offer|discount|deal)",
    r"(?:stay|remain) with us (?:for|and get)",
    r"prize draw",
    r"before you cancel",
    r"(?:would|'d) like (?:a|me to send (?:you )?a) quote",
    r"many (?:of our )?customers find",
    r"did you know (?:you can|that you can|we (?:also )?offer)",
    r"have you (?:heard|seen) (?:about |of )?our (?:new|latest)",
    r"for (?:just|only) (?:an extra )?[£$€]?\d+(?:\.\d+)? (?:more|extra) (?:a|per|each) (?:month|year|week)",
    r"(?:keep|transfer) (?:your|the|her|his) (?:policy|plan|account|membership) (?:to|for) a new",
)


def _sales_push(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    needs = exchange.customer.needs
    if (needs.has("request") and needs.kind == "problem") or needs.kind == "question":
        return []  # they asked about plans, cover or offers themselves
    return SALES.found(
        "sales_push",
        ANTI,
        "Uses the customer's moment to sell or survey; it tells them the reply is about us.",
        exchange.reply.spans(_SALES, allow_negated=False),
    )


SALES = Scorer("sales_push", 1, _sales_push, ("sales_push",))

# --- a slow answer to something serious -----------------------------------------------------------

# Health, safety or a vulnerable person: what makes a routine pace wrong.
_VULNERABLE = phrases(
    r"medication|medicine|prescription|insulin|inhaler|oxygen|epipen|dialysis|chemo\w*|heart",
    r"hospital|hospice|carer|care home|disab\w*|wheelchair|pregnan\w*|newborn|baby",
    r"(?:my|our|her|his) (?:mother|mum|mom|father|dad|gran|nan|grandmother|grandfather) (?:is|'s) "
    r"(?:\d{2}|eighty|ninety|elderly|disabled|ill|unwell|in hospital|on her own|on his own)",
    r"(?:i am|i'm|she is|he is|she's|he's) (?:\d{2}|eighty|ninety)(?: years old)?",
    r"(?:lives|living) (?:on (?:her|his) own|alone)",
    r"elderly|vulnerable|alarm pendant|pendant alarm|lifeline",
    r"no (?:heating|hot water|power|electricity|water)|heating (?:has|'s|is)? ?(?:not worked|broken|off|gone off)|"
    r"(?:freezing|minus \w+)",
    r"(?:hard shoulder|motorway|stranded|unsafe|danger\w*|gas leak|smell of gas|fire|flood\w*)",
    r"(?:only|just) (?:way|means) (?:to|of) (?:contact|reach|call) (?:my|the|a) (?:doctor|gp|carer|family)",
    # stranded where the service is, now: "I am currently in the lobby", "we're at the gate"
    r"(?:i'm|i am|we're|we are) (?:currently |now |standing |stuck |waiting |still )*(?:in|at) the "
    r"(?:lobby|reception|front desk|airport|gate|station|counter|check-?in desk|rental desk|hotel)",
)
_SLOW = phrases(
    r"next (?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"(?:within|in|takes?|allow|up to|usually) (?:about |around |up to )?(?:[2-9]|\d\d|two|three|four|five|six|seven|ten|a few|several)(?:\s?(?:-|\u2013|to)\s?\d+)? (?:working |business )?(?:days|weeks)",
    r"(?:[2-9]|\d\d)(?:\s?(?:-|\u2013)\s?\d+) (?:working |business )?days",
    r"(?:on|for|until|from|after) the \d{1,2}(?:st|nd|rd|th)",
    r"(?:first|next) (?:standard |available )?(?:slot|appointment)",
    r"in (?:the|a) queue",
    r"in the order (?:they are|they're|it was|it is) received",
    r"when(?:ever)? (?:convenient|you have a moment|we can)",
    r"in due course",
)


_MONEY_ARRIVING = phrases(r"refund\w*|reimburs\w*|(?:your|the) (?:card|bank|statement)")


def _slow_for_stakes(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    """Health, safety or a vulnerable person at stake, however politely put, and a reply that
    answers at the pace of a routine request."""
    customer = exchange.customer
    stakes = exchange.context.spans(_VULNERABLE)
    if not stakes or customer.needs.kind not in ("problem", "question"):
        return []
    if customer.needs.kind == "question" and customer.emotion.label not in NEGATIVE_EMOTIONS:
        return []  # "Can I order my prescription online?" asks how, with nothing running out
    reply = exchange.reply
    slow = [
        span
        for span in reply.spans(_SLOW, allow_negated=False)
        # how long money takes to reach a card is the bank's pace, not the fix's
        if not _MONEY_ARRIVING.search(reply.sentence_norm(span.start))
    ]
    codes = _codes(earlier)
    if not slow and codes & {"clear_next_steps", "action_taken", "answers_question", "gives_steps"}:
        return []
    if not slow and "no_timeline" in codes:
        # "an engineer will be in touch to arrange a visit": no pace at all, for something serious
        slow = evidence_of(earlier, "no_timeline")[:1]
    if not slow:
        return []
    return [
        URGENCY.finding(
            "slow_for_stakes",
            GAP,
            "Something serious is at stake (health, safety, someone vulnerable, money they need "
            "now), even if it is said politely; the reply moves at a routine pace.",
            [*slow, *stakes[:2]],
        )
    ]


URGENCY = Scorer("urgency", 1, _slow_for_stakes, ("slow_for_stakes",))

# --- our own work failed, and the fix is handed back -----------------------------------------------

# The failure came from the company's own work: "your engineer fitted the boiler on Monday and it
# hasn't worked since", "since your update", "the pipe he fixed is leaking".
_OUR_DOING = phrases(
    r"(?:your|the) (?:engineer|technician|fitter|installer|plumber|electrician|workm[ae]n|"
    r"contractor|courier|driver|team)s? (?:\w+ ){0,3}(?:fitted|installed|repaired|fixed|replaced|"
    r"serviced|connected|disconnected|moved|changed|switched)",
    r"(?:since|after) (?:your|the) (?:\w+ )?(?:engineer|technician|visit|repair|install\w*|update|"
    r"upgrade|migration|switch ?over|changeover|fitting|service|maintenance|work)\b",
    r"(?:he|she|they) (?:fitted|installed|repaired|fixed|replaced|serviced)",
    r"(?:you|your team) (?:fitted|installed|repaired|fixed|replaced|serviced|updated|upgraded|"
    r"migrated|moved|switched|changed)",
)
_DOES_IT_THEMSELVES = frozenset({"action_taken", "clear_next_steps", "next_steps", "ownership"})


def _handed_back(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    """A failure the company's own work caused, answered only with steps for the customer."""
    customer = exchange.customer
    if not customer.needs.has("problem"):
        return []
    ours = exchange.context.spans(_OUR_DOING)
    codes = _codes(earlier)
    if not ours or "gives_steps" not in codes or codes & _DOES_IT_THEMSELVES:
        return []
    return [
        HANDED_BACK.finding(
            "handed_back",
            GAP,
            "The failure came from our own work, and the reply hands the fix back to the customer; "
            "put it right yourselves (send someone back, do it for them) and own it.",
            [*ours[:1], *evidence_of(earlier, "gives_steps")[:1]],
        )
    ]


HANDED_BACK = Scorer("handed_back", 1, _handed_back, ("handed_back",))

# --- register: the customer's style, met -------------------------------------------------------

_STIFF = phrases(
    r"dear (?:valued )?(?:customer|client|guest|member|user|patient|sir or madam|sir/madam)",
    r"thank you for your (?:enquiry|inquiry|correspondence|communication|email|message|letter)",
    r"(?:we are|i am|we're|i'm) (?:pleased|writing) to (?:confirm|inform|advise)",
    r"i can confirm that",
    r"please be advised",
    r"kindly (?:be|note|contact|ensure|be informed)",
    r"we acknowledge receipt",
    r"is there anything (?:further|else) (?:i|we) (?:may|might|can) (?:assist|help)",
    r"(?:i|we) do apologi[sz]e",
    r"should you (?:wish|require|have)",
    r"at your earliest convenience",
    r"(?:good (?:morning|afternoon|evening))\.",
    r"herewith|pursuant|aforementioned|henceforth",
    r"(?:we are|we're|i am|i'm) sorry to hear (?:that )?you(?:'re| are) experiencing",
    r"experiencing (?:difficulties|issues|problems) with",
    r"should (?:the|this|your) (?:problem|issue|difficulty|error) (?:persist|continue|recur)",
    r"(?:please )?(?:do not|don't) hesitate to (?:contact|get in touch|reach out)",
    r"(?:we|i) (?:would )?recommend that",
)
_SLANG = phrases(
    r"lol|lmao|omg|haha\w*|hehe",
    r"sure thing|no worries|no probs|easy peasy|all good|awesome|cool cool|gotcha|yep|yup|nope",
    r"hiya|hey there|heya|yo",
    r"mate|dude|buddy|hun|babe",
    r"(?<=, )(?:love|pal|sweetheart)(?=[.!?,]|$)",
    r"[\U0001f300-\U0001faff\u2600-\u27bf]|[:;]-?[)dp]",
    r"!{2,}",
)


# Slang that jars with anyone who did not write that way themselves.
_BANTER = phrases(
    r"lol|lmao|no probs|motors|quid|innit|cheers mate|yo",
    r"(?<=, )(?:mate|love|hun|babe|dude|pal|sweetheart)(?=[.!?,]|$)",
    r"(?:thanks|cheers|ta|alright|ok|okay|no worries|sorry) (?:mate|love|hun|babe|dude|pal)",
)


def _register(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    """A formal letter answered in chat slang, or a casual chat answered with a stiff template."""
    formality = exchange.customer.style.formality
    reply = exchange.reply
    if formality == "formal":
        spans = reply.spans(_SLANG)
        message = "The customer wrote formally; slang, emoji and banter read as not taking them seriously."
    elif formality == "neutral":
        spans = reply.spans(_BANTER)
        message = "Banter and pet names read as unprofessional to a customer who did not use them."
    elif formality == "informal":
        spans = reply.spans(_STIFF)
        message = "The customer wrote casually; a stiff template reads as a form letter. Answer as they wrote."
    else:
        return []
    if formality == "informal" and len(spans) < 2:
        return []  # one formal phrase in a casual reply is not a mismatch
    if formality == "neutral":
        spans = [s for s in spans if s.text.lower() not in exchange.context.norm]
    return REGISTER.found("register_mismatch", GAP, message, spans)


REGISTER = Scorer("register", 1, _register, ("register_mismatch",))

SCORERS = (SYMPATHY, GENERIC, FIT, MISREAD, SALES, URGENCY, HANDED_BACK, REGISTER)
