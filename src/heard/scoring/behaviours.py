"""Service behaviours a good reply shows: acknowledgement, validation, apology and ownership, next
steps, personalisation and questions. Each finding quotes the words that show it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from heard.lexicon import (
    ACTION,
    ACTION_DONE,
    ACTION_ING,
    FEELING,
    FEELING_STRICT,
    I_WILL,
    INTENSIFIER,
    NOTED,
    NUMBER_WORD,
    PASSIVE_DONE,
    RECOGNISE,
    TIME_UNIT,
    VAGUE_WHEN,
    WHEN,
    phrases,
)
from heard.results import Finding, FindingKind, Span
from heard.scoring.answers import fully_answered
from heard.scoring.antipatterns import scripted_spans
from heard.scoring.exchange import Exchange, TextView
from heard.scoring.scorer import Scorer
from heard.scoring.specifics import SPECIFIC_DETAILS, STOPWORDS, shared_specifics, specifics

STRENGTH, GAP, ANTI = FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN

# --- acknowledgement of the customer's feeling -------------------------------------------------

_KIN = (
    r"(?:mum|mom|mother|dad|father|husband|wife|partner|son|daughter|brother|sister|grandmother|"
    r"grandfather|grandad|granddad|grandpa|grandma|gran|granny|nan|nana|uncle|aunt|auntie|cousin|"
    r"niece|nephew|baby|child|little one|boy|girl|friend|fianc[eé]e?|boyfriend|girlfriend|parents?|"
    r"family|stepdad|stepmum|stepfather|stepmother|mother-in-law|father-in-law|loved one)"
)
_ACKNOWLEDGE = phrases(
    # "I can see how frustrating this is", "I completely understand why you're worried"
    rf"(?:i|we) (?:can |could |completely |totally |fully |really |truly |absolutely |just )*{RECOGNISE}"
    rf" (?:just |exactly |completely )?(?:how|why|that|what)\b[^.!?\n]{{0,80}}?\b{FEELING_STRICT}",
    # "I can only imagine how stressful", "I can't imagine how worrying" (an idiom, not a negation)
    rf"(?:i|we) (?:can only|can't|cannot|can not) (?:begin to )?imagine\b[^.!?\n]{{0,60}}?\b{FEELING}",
    # "that must be frustrating", "this has been so stressful", "it sounds really worrying"
    rf"(?:that|this|it|which)(?:'s| is| must be| must have been| sounds| sounds like it was| has been|"
    rf" would be| was| would have been| can be)(?: (?:such )?(?:a )?{INTENSIFIER})*(?: an?)? {FEELING}(?! to\b)",
    # "you're understandably frustrated", "you must be worried"
    rf"you(?:'re| are| must be| must feel| sound| seem|'ve been| have been| were| feel)"
    rf"(?: {INTENSIFIER})* {FEELING}",
    # "I understand your frustration", "I hear your concern"
    rf"{RECOGNISE} (?:\w+ )?(?:your|the|this) (?:frustration|concern|worry|worries|anxiety|"
    rf"disappointment|confusion|anger|upset|stress|feelings?)",
    r"i hear you",
    # "Three days stuck with the party on Saturday is stressful"
    rf"(?:is|was|must be|must have been|has been|sounds|sound|feels|felt)(?: (?:such )?(?:a |an )?{INTENSIFIER})* (?:an? )?{FEELING_STRICT}",
    # "such a stressful week", "you've had a rough few days"
    rf"(?:such|you(?:'ve| have)? had) (?:a |an )?(?:really |very |quite |{INTENSIFIER} )*(?:{FEELING}|rough|tough|hard|difficult) (?:time|week|day|few days|month|experience|start|morning|evening|night)",
    # "You're right to be angry", "you have every reason to feel let down"
    rf"you(?:'re| are| were| have| had)? (?:\w+ ){{0,3}}to (?:be|feel) (?:{INTENSIFIER} )*(?:{FEELING}|fed up|let down|angry|upset)",
    # condolence and the weight of what they are carrying
    r"sorry (?:for|about) (?:the|your) loss",
    rf"(?:sorry|condolences) (?:to hear )?(?:about|for) (?:your|the) (?:{_KIN}|loss)",
    r"(?:my|our) (?:\w+ )?(?:condolences|sympathies)",
    r"(?:thinking of|thoughts are with) you",
    r"you(?:'re| are|'ve been| have been) (?:dealing|coping|going through|struggling|juggling|living) (?:with )?(?:so much|a lot|all (?:of )?this|everything|this)",
    rf"(?:sounds|sound) (?:like )?(?:it's been |it has been |it was |a |an )?(?:{INTENSIFIER} )*{FEELING}",
    rf"(?:what|how) (?:a |an )?(?:{INTENSIFIER} )*{FEELING}",
    # the weight of what happened, named: "that's a rotten morning", "that's far too long",
    # "eight years is a lot to lose", "it's money you rely on"
    rf"(?:that's|that is|this is|it's|it is|that was|which is|must have been|is|was) (?:a |an )?(?:{INTENSIFIER} )*(?:{FEELING}) (?:time|week|day|morning|evening|night|start|end|position|situation|place|thing|experience|wait|way|weekend|few days)",
    r"(?:that's|that is|this is|it's|is|was) (?:far|way|much|simply) too (?:long|much|slow|late|many)",
    r"(?:a lot|so much|too much) (?:to lose|to deal with|at once|to take in|to handle|on your plate)",
    r"(?:that's|that is|this is|it's) a lot",
    r"(?:this|that|it) (?:really |genuinely )?(?:does )?matters?",
    r"money you (?:rely|depend|count) on",
    r"(?:isn't|is not|wasn't|was not) (?:ok|okay|good enough|acceptable|what you (?:paid|signed up|asked) for)",
    rf"(?:sorry|so sorry) (?:about|for|to hear about) your (?:{_KIN}|dog|cat|pet)",
    # the impact named: "that's such a letdown", "it's the worst day for it", "a real pain"
    r"(?:that's|that is|this is|it's|it is|what|such|is|was) (?:such |a |an |the |really |real |so |very )*(?:letdown|let-down|let down|pain|blow|shock|worst \w+|last thing you need(?:ed)?)\b",
    r"would (?:stress|worry|upset|frustrate|annoy|wear down|exhaust|frighten|scare|rattle) (?:anyone|anybody|most people|me)",
    r"(?:wear|wears|get|gets) anyone down",
    # care first, in an emergency: "are you all safe?", "is everyone out of the car?"
    r"(?:are you|is everyone|is everybody|are you all|are you both|are the kids|is he|is she)(?: all)? (?:ok|okay|safe|alright|all right|out of|hurt|behind|somewhere safe|warm)",
    r"(?:could|might|may|can) be serious",
    r"(?:this|that|it) (?:needs|deserves) (?:sorting|fixing|to be sorted|to be fixed|attention) (?:today|now|urgently|straight away)",
)


# A feeling named as a generality ("it can be frustrating when appointments need to be
# rescheduled", "we know how disappointing it is when an order isn't right") is about customers in
# general, not this one: it counts for less (``heard.assessment.overall.GENERIC_ACKNOWLEDGEMENT``).
GENERIC = "generic"
_GENERAL = re.compile(
    # the bare stock condolence ("Sorry for your loss."); "I'm so sorry about Bella" is theirs
    r"(?<!very )(?<!so )(?<!truly )(?<!deeply )(?<!terribly )(?<!really )\bsorry for your loss\b|"
    rf"\bcan be (?:a |an |such a |so |really |very |quite |incredibly |extremely )*{FEELING}|"
    rf"\b{FEELING} (?:it is|it's|it can be|that can be|this can be) (?:when|to|for (?:anyone|"
    r"people|customers|everyone))\b"
)


# Condolence that names who they lost ("I'm so sorry about Milo"): the name is the customer's own.
_SORRY_ABOUT = re.compile(r"\bsorry (?:to hear )?(?:about|for) ([a-z][a-z'-]+)\b")


def _named_condolences(exchange: Exchange) -> list[Span]:
    """After a bereavement, "sorry about <a name the customer used>" is condolence."""
    if exchange.customer.needs.kind != "loss":
        return []
    spans = []
    for match in exchange.reply.matches(_SORRY_ABOUT):
        name = match.group(1)
        capitalised = name[0].upper() + name[1:]
        if name not in STOPWORDS and re.search(
            rf"\b{re.escape(capitalised)}\b", exchange.context.text
        ):
            spans.append(exchange.reply.span(match.start(), match.end()))
    return spans


# What an acknowledged feeling is about ("concerned about the cost of the coat"): when it is money
# or time and the customer never spoke of either, the acknowledgement is off target. Only these
# two topics are judged: they are the classic misreading (a price answer to someone waiting for a
# gift, a "sorry for the wait" to someone charged twice) and are recognisable from words alone.
_FEELING_OBJECT = re.compile(
    r"\s*(?:about|over|regarding|with|at|by) (?:the |your |this |that |our |any |an? )?"
    r"(?:extra |additional |high |higher |late |long |recent )?([a-z]+)"
)
_TOPICS: dict[str, tuple[frozenset[str], re.Pattern[str]]] = {
    "money": (
        frozenset(
            "cost costs price prices pricing fee fees charge charges bill bills billing refund "
            "money payment payments amount expense compensation".split()
        ),
        re.compile(
            r"[£$€]|\b(?:cost\w*|pric\w*|fees?|charg\w*|bill\w*|refund\w*|money|pa(?:y|id|yment)\w*|"
            r"expensive|cheap\w*|afford\w*|debit\w*|credit\w*|overcharg\w*|quid|pounds?|dollars?|"
            r"euros?|budget|deposit|invoice\w*)\b"
        ),
    ),
    "time": (
        frozenset("delay delays wait waiting lateness timing".split()),
        re.compile(
            r"\b(?:late|delay\w*|wait\w*|still|yet|since|days?|weeks?|hours?|minutes?|months?|long|"
            r"slow\w*|when|processing|overdue|taking|took|ages|tomorrow|tonight|today|saturday|"
            r"sunday|monday|tuesday|wednesday|thursday|friday|deadline|time)\b"
        ),
    ),
}


def _off_target(exchange: Exchange, end: int) -> bool:
    """Whether the feeling named just before ``end`` is about money or time when the customer
    spoke of neither ("I understand you're concerned about the cost" to someone whose gift is
    late)."""
    match = _FEELING_OBJECT.match(exchange.reply.norm, end)
    if match is None:
        return False
    head = match.group(1)
    return any(
        head in words and not cue.search(exchange.context.norm) for words, cue in _TOPICS.values()
    )


def _acknowledgement(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    spans = _named_condolences(exchange)
    off_target: list[Span] = []
    non_apologies = [m.span() for m in reply.matches(NON_APOLOGY_PATTERN)]
    for match in reply.matches(_ACKNOWLEDGE):
        if any(start <= match.start() < end for start, end in non_apologies):
            continue  # "sorry you were upset by our email" names a feeling only to disown it
        text = match.group(0)
        # "I don't see why you're upset" is the opposite of acknowledgement; "I can't imagine how
        # hard this is" is an idiom of it.
        # A match that carries its own negation ("isn't good enough") means what it says.
        if reply.negated_from_outside(match) or (
            re.search(r"\b(?:don't|do not|didn't|never)\b", text) and "imagine" not in text
        ):
            continue
        sentence = reply.sentence_at(match.start())
        clause = reply.norm[sentence.start : sentence.end] if sentence else text
        if exchange.context.text.strip() and _off_target(exchange, match.end()):
            end = sentence.end if sentence else match.end()
            off_target.append(reply.span(match.start(), end))
            continue
        label = GENERIC if _GENERAL.search(clause) else ""
        spans.append(reply.span(match.start(), match.end(), label))
    return ACKNOWLEDGEMENT.found(
        "acknowledges_feeling",
        STRENGTH,
        "Names the customer's feeling, so they know it registered.",
        spans,
    ) + ACKNOWLEDGEMENT.found(
        "off_target_acknowledgement",
        GAP,
        "Names a feeling about something the customer never raised: it shows the reply was not "
        "listening. Acknowledge what they did say.",
        off_target,
    )


ACKNOWLEDGEMENT = Scorer(
    "acknowledgement", 1, _acknowledgement, ("acknowledges_feeling", "off_target_acknowledgement")
)

# --- validation -----------------------------------------------------------------------------

_VALIDATE = phrases(
    rf"(?:that's|that is|it's|it is|this is|which is)(?: {INTENSIFIER})* (?:understandable|reasonable|fair|valid(?! (?:for|until|till|from|through|on|at|in|to)\b)|"
    r"natural|a fair point|a fair question|a good question|a great question|completely normal|"
    r"totally normal)",
    r"(?:understandably|naturally|of course) you(?:'re| are| would be| feel)",
    r"you(?:'re| are) (?:absolutely |completely |totally |quite |so |entirely )?right(?: to\b| that\b| about\b|(?=[,.!;:]|$))",
    r"(?:anyone|anybody|i|most people|we) would (?:be|feel) (?:the same|just as \w+|\w+ too|"
    rf"(?:{INTENSIFIER} )?{FEELING})",
    r"i(?:'d| would) (?:be|feel) (?:the same|exactly the same|just as \w+|\w+ too)",
    r"(?:it|that) makes (?:complete |total |perfect )?sense (?:that you|you(?:'d| would| are|'re)|given|after)",
    r"you (?:have|had) every (?:right|reason)",
    rf"i(?:'d| would)(?: have)? (?:be|been|feel|felt) (?:{INTENSIFIER} )?(?:{FEELING}|fed up|furious|livid|angry|upset|the same)(?: too| as well)?",
    r"(?:fair|good|reasonable) (?:question|point|ask)\b",
    r"you did (?:the right thing|right)",
    rf"{FEELING} (?:is|sounds like) (?:exactly |definitely )?the (?:right|only) word",
    r"you were right to",
    r"(?:feels|sounds|seems|is|looks) (?:\w+ )?(?:steep|unfair|harsh|excessive|wrong to me|a lot)\b",
    r"(?:was|is|that's|that is|it's|it is) (?:a |an )?(?:completely |totally |very |perfectly )?(?:sensible|reasonable|fair|natural|understandable|good) (?:call|thing to do|decision|choice|reaction|response|question|thing to ask)",
    r"you(?:'re| are) not (?:wrong|alone|imagining (?:it|things)|being unreasonable)",
    r"(?:it's|it is|that's|this is|it was|this was) not your fault",
    r"you (?:did|have done) nothing wrong",
    r"you didn't do anything wrong",
    r"no wonder you(?:'re| are| feel)",
    r"you shouldn't have (?:had )?to",
    r"you should(?: not|n't) have to",
    r"(?:that's|that is|this is|it's|it is) not (?:ok|okay|acceptable|good enough|the experience)",
    r"(?:is|was|isn't|wasn't)(?: not)? (?:the service|what) you (?:should (?:get|have|expect)|deserve|"
    r"expect|paid for)",
)


def _validation(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    # "that's not reasonable" negates the validation; "not your fault" is validation because of it.
    return VALIDATION.found(
        "validates_feeling",
        STRENGTH,
        "Tells the customer their reaction makes sense.",
        exchange.reply.affirmed(_VALIDATE),
    )


VALIDATION = Scorer("validation", 1, _validation, ("validates_feeling",))

# --- apology, non-apology and ownership --------------------------------------------------------

NON_APOLOGY_PATTERN = phrases(
    r"sorry (?:that |if )?you(?:'re| are)? (?:feel|feeling|felt|think|thought|see it|took it|"
    r"were offended|are offended|perceive|perceived)\b[^.!?\n]{0,30}",
    r"sorry if (?:you|this|that|anyone|we|i) (?:feel|felt|caused|has caused|have caused|offended|"
    r"upset|came across|seemed|were)\b[^.!?\n]{0,30}",
    r"sorry you(?:'re| are) (?:upset|unhappy|offended|annoyed|angry)",
    r"sorry (?:that )?you (?:were|are|'re|got|felt|have been|'ve been) (?:so )?(?:upset|offended|unhappy|annoyed|angry|hurt|put out)(?: by| with| about)?[^.!?\n]{0,30}",
    r"(?:apologi[sz]e|apologies) if\b[^.!?\n]{0,30}",
    r"sorry for how you feel",
    r"sorry you feel that way",
)
_APOLOGY = phrases(
    rf"(?:i'm|i am|we're|we are)(?: {INTENSIFIER})* sorry",
    r"(?:i|we) (?:sincerely |truly |deeply |really |do )?apologi[sz]e",
    r"(?:my|our) (?:sincere |sincerest |deepest |genuine |humble )?apologies",
    r"sorry (?:about|for|that)",
    r"sorry(?=[,!.](?: |$))",
    # "Sorry it took longer than it should have", "sorry we missed you", "sorry your parcel is late"
    r"sorry(?= (?:it|this|we|we've|we're|the|your|our|i|i've|i'm)\b)",
    r"apologies (?:for|about)",
    r"(?:please )?accept (?:my|our) apologies",
)
_SCRIPTED_APOLOGY_TAIL = re.compile(
    r"\s*(?:for|about) (?:any|all the|the|this) (?:inconvenience|trouble|frustration|confusion|"
    r"disruption|issues?)(?: caused| (?:this|that|it) (?:may|might|has|have)? ?(?:have )?(?:caused|cause))?"
    r"(?: you)?(?=\s*(?:[.!]?\s*$|,?\s*and\b))"
)

# "We are sorry to hear you are experiencing difficulties with...": the form letter's opening.
_STOCK_SORRY_TO_HEAR = re.compile(
    r"\s*to (?:hear|learn) (?:that )?(?:you(?:'re| are| have been|'ve been| were)?|of) (?:experiencing|"
    r"having|facing|encountering) (?:some |any |an? )?(?:difficult(?:y|ies)|issues?|problems?|"
    r"trouble|inconvenience)\b"
)


def _apology(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    findings: list[Finding] = []
    non_apologies = reply.spans(NON_APOLOGY_PATTERN)
    if non_apologies:
        findings.append(
            APOLOGY.finding(
                "non_apology",
                ANTI,
                "Apologises for the customer's feelings rather than for what happened; "
                "it reads as blaming them for being upset.",
                non_apologies,
            )
        )
    taken = [(s.start, s.end) for s in non_apologies]
    genuine = []
    for match in reply.matches(_APOLOGY):
        if any(start <= match.start() < end for start, end in taken):
            continue
        if reply.is_negated(match.start()):
            continue
        sentence = reply.sentence_at(match.start())
        end = sentence.end if sentence is not None else match.end()
        tail = reply.norm[match.end() : end]
        if _SCRIPTED_APOLOGY_TAIL.match(tail) or _STOCK_SORRY_TO_HEAR.match(tail):
            continue  # "sorry for any inconvenience": scripted, counted by the scripted scorer
        if re.match(r"\s*(?:that |if )?you (?:feel|felt|think)", tail):
            continue
        genuine.append(reply.span(match.start(), min(end, match.end() + 80)))
    if genuine:
        findings.append(
            APOLOGY.finding(
                "apology",
                STRENGTH,
                "Apologises for what happened.",
                genuine,
            )
        )
    return findings


APOLOGY = Scorer("apology", 1, _apology, ("apology", "non_apology"))

_OWNERSHIP = phrases(
    r"(?:that's|that is|this is|it's|it is|it was|this was|that was)(?: completely| entirely| totally|"
    r" fully| absolutely)? (?:on us|on me|down to us|down to me|our (?:fault|mistake|error|"
    r"responsibility|bad|doing)|my (?:fault|mistake|error|responsibility|bad))",
    r"(?:we|i)(?:'ve| have)? (?:made|make) (?:a |an )?(?:\w+ )?(?:mistake|error|mess|mix-up)",
    r"(?:we|i)(?:'ve| have)? (?:messed|mixed|screwed|slipped) up",
    r"(?:we|i)(?:'ve| have)? dropped the ball",
    r"(?:we|i) (?:should have|should've|shouldn't have|should not have) (?:[a-z]+ed|been|done|told|sent|caught|spotted|made|let|given|kept|known|seen)\b",
    r"(?:we|i) (?:failed to|let you down)",
    r"(?:we|i)(?:'ve| have)? (?:got|gotten) (?:this|that|it) wrong",
    r"(?:we|i)(?:'ve| have)? let you down",
    r"i(?:'ll| will) (?:personally|make sure|take care of|look after|own this|handle this|"
    r"see this through|stay on|keep an eye|follow (?:this|it) through|take it from here|"
    r"sort (?:this|it) out|get (?:this|it) sorted|get (?:this|it) fixed)",
    r"(?:i'm|i am) (?:personally )?(?:taking|going to take) (?:care|ownership|responsibility)",
    r"i take (?:full |complete )?(?:responsibility|ownership)",
    r"leave (?:it|this) with me",
    r"i've got (?:this|it) from here",
    r"(?:this|that|it) (?:should|shouldn't|should not) (?:not )?have happened",
    r"(?:it|this|that|we) should (?:never|not) (?:have )?(?:let (?:that|this|it) happen|happen(?:ed)?)",
    rf"i(?:'ll| will) {ACTION} (?:it|this|that|them|everything)(?: \w+)? myself",
    r"(?:come|comes|go|goes) (?:straight|directly) (?:back )?to me",
    r"(?:take|taking) (?:this|it|that|the \w[\w-]*(?: \w[\w-]*)?) off your (?:plate|hands|mind)",
    r"(?:i've|i have) taken over (?:your|this|the)",
    r"(?:that's|this is|it's) not (?:ok|okay|acceptable|good enough) (?:on our part|from us)",
)


_PERSONAL_ACTION = phrases(
    rf"i(?:'ll| will| am going to|'m going to) (?:also |now |personally |then )?{ACTION}\b",
    rf"i(?:'ve| have) (?:also |now |just |already |personally )?{ACTION_DONE}\b",
)


def _ownership(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    personal = [reply.span(m.start(), m.end()) for m in reply.matches(_PERSONAL_ACTION)]
    spans = personal if len({s.text.lower() for s in personal}) >= 2 else []
    # "it's not our fault" is deflection (anti-patterns), never ownership
    spans += reply.affirmed(_OWNERSHIP)
    return OWNERSHIP.found(
        "ownership", STRENGTH, "Owns the problem instead of passing it on.", spans
    )


OWNERSHIP = Scorer("ownership", 1, _ownership, ("ownership",))

# --- next steps -------------------------------------------------------------------------------

_ADVERBS = r"(?:(?:also|now|just|personally|then|already|immediately|gladly|happily|now gone ahead and|gone ahead and|go ahead and|be able to|be happy to|be glad to|try to|make sure to|make sure (?:that )?(?:we|i|it|this|your \w+) (?:will |is |are |gets? )?)\s+)*"
# Something already with the customer, whatever names it: "Reset link's in your inbox now", "your
# keys are at reception".
_ARRIVED = (
    r"[a-z][\w-]*(?:'s| is| are)(?: now| already| all)? (?:in your (?:inbox|account|wallet|app|"
    r"basket|bank)|(?:ready|waiting) (?:for you )?(?:at|in) (?:reception|the desk|the counter|"
    r"the front desk|the lobby|store|the store|branch|the branch))\b"
)
# The service working again, a fix done: "the app's back up", "payments are going through".
_BACK_UP = (
    r"(?:it|this|that|(?:your|the|our) (?:\w[\w-]* ){0,2}\w[\w-]*?)(?:'s| is| are)(?: now| all)? "
    r"(?:back (?:up|online|on|to normal|working)|working (?:again|normally|as normal)|up and running|"
    r"going through(?: as normal)?|fixed|resolved|restored)\b|" + _ARRIVED
)
# A participle that reports a service action done ("emailed", "renewed", "unblocked", "sent"), not
# the failure itself ("cancelled", "delayed", "declined"), what was merely heard ("noted",
# "received", "made aware") or a step handed on ("passed", "escalated": those owe a time).
_SERVICE_PARTICIPLE = (
    r"(?!(?:cancel+ed|delayed|declined|rejected|damaged|charged|overcharged|billed|debited|"
    r"blocked|suspended|locked|closed|affected|caused|reported|received|estimated|delivered|"
    r"noted|logged|recorded|passed|escalated|forwarded|referred|informed|advised|asked|"
    r"notified|flagged|hacked|compromised|missed|deleted|disconnected|reduced|increased|"
    r"impacted|experienced|expected)\b)"
    r"(?:(?:un|re|pre)?[a-z]{3,}ed|sent|resent|paid|put|set|kept|held|found|shown|brought|"
    r"sorted|topped up|rolled back|switched (?:on|back on)|turned (?:on|back on)|taken off)"
)
# What a passive report is about, amounts and codes included: "the refund of £59.99 was issued".
_REPORTED_SUBJECT = (
    r"(?:it|this|that|(?:your|the|this|that|our) (?:[£$€]?[\w-]+(?:[.,]\d+)*,? ){0,3}"
    r"[£$€]?\w[\w-]*(?:[.,]\d+)*|"
    # a possessive names the thing too: "Friday's appointment is cancelled"
    r"(?!(?:it|that|there|what|here|he|she|who|where|let|one|everyone|nobody)'s\b)[a-z]+'s "
    r"(?:[\w-]+ ){0,2}[\w-]+)"
)
_COMMITMENT = phrases(
    # "I'll refund", "we will send", "I'm going to call"
    rf"{I_WILL} {_ADVERBS}{ACTION}\b[^.!?\n]{{0,120}}",
    # a live handover: "I'm connecting you to our bookings team now"
    r"(?:i'm|i am|we're|we are) (?:now |just )?(?:connecting|transferring|putting) you (?:through |over )?to\b[^.!?\n]{0,120}",
    # "I've refunded", "we have escalated", "I've just sent"
    rf"(?:i've|i have|we've|we have|i|we) {_ADVERBS}{ACTION_DONE}\b[^.!?\n]{{0,120}}",
    # "our engineer will call", "the courier will deliver"
    r"(?:they|(?:our|the|a|an|your|my) (?:\w+ )?(?:team|engineer|technician|specialist|courier|driver|manager|"
    r"colleague|supervisor|department|agent|adviser|advisor|store|warehouse|bank|partner|handler|"
    r"underwriter|assessor|surveyor|plumber|electrician|fitter|rep|representative|officer|nurse|"
    r"pharmacist|doctor|branch|office|someone|person)s?)(?: will|'ll| is going to| are going to)"
    rf" {_ADVERBS}\w+[^.!?\n]{{0,120}}",
    # "you'll receive", "you will get an e-mail", "you'll have a report by Friday"
    r"you(?:'ll| will| should) (?:now |then |also )?(?:receive|get|see|hear|be (?:able|contacted|"
    r"notified|refunded|emailed|called|sent|credited))\b[^.!?\n]{0,120}",
    r"you(?:'ll| will) (?:now |then |also )?have\b[^.!?\n]{0,120}",
    # "your account manager, Dev, will call you tomorrow"
    r"(?:our|the|a|an|your|my) (?:\w+ ){0,2}\w+, [a-z]+, (?:will|'ll) \w+[^.!?\n]{0,120}",
    # any verb after "I'll": "I'll rebill your account", "I'll let you know"
    rf"{I_WILL} {_ADVERBS}(?!be\b|have\b|need\b|want\b|try\b|hope\b|wait\b|think\b|see what\b)(?:re-|pre-|co-)?[a-z]{{3,}}\b[^.!?\n]{{0,120}}",
    # offers: "I can send it to our appeals team today", "I can get an engineer to you tomorrow"
    rf"(?:i|we) can (?:also |now |then )?(?:{ACTION}|offer|get|put|move|book|send|give)\b(?=[^.!?\n]{{0,80}}\b(?:today|tonight|tomorrow|by|within|in \d|this|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{{1,2}}(?::\d{{2}})?\s?(?:am|pm)|between|at \d))[^.!?\n]{{0,120}}",
    # how long it takes: "It takes around 10 working days", "Payments can take up to 10 days"
    rf"(?:\w+ ){{0,2}}\w+ (?:takes?|will take|should take|can take|may take|usually takes?|normally takes?) (?:about |around |up to |roughly |only )?{NUMBER_WORD} {TIME_UNIT}[^.!?\n]{{0,60}}",
    # "Done: your limit is raised", "All sorted, the refund is on its way"
    r"^(?:done|all done|sorted|all sorted|fixed|that's done)[:!.,-]\s*[^.!?\n]{0,120}",
    # done to the customer's booking: "You have been rebooked on TP1351"
    r"you(?:'ve| have)? been (?:\w+ )?(?:re)?[a-z]{3,}(?:ed|en)\b[^.!?\n]{0,120}",
    # what they expect: "our engineers expect a fix on Thursday", "we hope to have power back tonight"
    r"(?:i|we|they|our \w+|the \w+) (?:expect|expects|hope|hopes|aim|aims|plan|plans) to (?:have|get|restore|fix|send|finish|complete|resolve|reopen|release)\b[^.!?\n]{0,120}",
    r"(?:i|we|they|our \w+|the \w+) (?:expect|expects) (?:a|the|your) (?:fix|update|answer|resolution|decision|refund|delivery|replacement)\b[^.!?\n]{0,120}",
    # an offer to do it here and now: "I can take the claim details here in the chat"
    r"(?:i|we) can (?:\w+ )?(?:take|do|set up|sort|handle|process|book|arrange|send|add|change|move|refund|cancel|fix|reset|unlock|lift|switch|transfer|raise|log|start)\b[^.!?\n]{0,60}\b(?:here|now|for you|today|right away|straight away)\b[^.!?\n]{0,60}",
    # "I can certainly arrange that", "I can complete it with you now on this call"
    rf"(?:i|we) can (?:certainly |definitely |absolutely |of course |also |now |then )?(?:{ACTION}|complete|finish|do|sort out|set up|take care of)\b(?=[^.!?\n]{{0,60}}(?:\b(?:here|now|today|for you|right away|straight away|on this call|while you wait)\b|:))[^.!?\n]{{0,120}}",
    # "let's get your meter reading in now", "let's get that fixed"
    rf"let's (?:{ACTION}|get)\b[^.!?\n]{{0,120}}",
    # the service is back: "the app's back up as of 10:20", "payments are going through as normal"
    r"(?<!once )(?<!when )(?<!if )(?<!until )(?<!after )(?<!soon as )(?<!before )"
    + _BACK_UP
    + r"[^.!?\n]{0,120}",
    # "your refund will arrive", "the replacement will be delivered", "it will reach you"
    r"(?:it|this|(?:(?:your|the|a|an|our) )?(?:\w[\w-]* ){0,2}\w[\w-]*)(?: will|'ll) (?:be (?:back|sent|delivered|refunded|credited|"
    r"processed|fixed|restored|unlocked|reactivated|replaced|visible|with you|on its way|active|paid|"
    r"issued|returned|transferred|closed|cancelled|canceled|removed|updated|reviewed|collected|"
    r"posted|dispatched|shipped|booked|ready|done|completed|reissued|applied|waived|reversed)|"
    r"arrive|reach you|show|appear|land|clear|come through|go out|ship|leave|be with you|"
    r"be in your (?:account|bank|inbox|email|e-mail|mailbox)|be on your (?:card|account|statement)|be there|be ready)\b[^.!?\n]{0,120}",
    # any service participle: "the account will be unfrozen within the hour"
    rf"(?:it|this|(?:your|the|our) (?:\w[\w-]* ){{0,2}}\w[\w-]*)(?: will|'ll) be (?!(?:charged|delayed|declined|rejected|lost|closed|unable|disappointed|sorry|happy|glad|pleased)\b)(?:un|re)?[a-z]{{3,}}(?:ed|en)\b(?=[^.!?\n]{{0,80}}{WHEN.pattern})[^.!?\n]{{0,120}}",
    # scheduled: "your replacement ships by Friday", "the engineer arrives tomorrow"
    r"(?:it|this|they|(?:your|the|a|an|our) (?:\w[\w-]* ){0,3}\w[\w-]*) (?:ships|arrives|leaves|goes out|is due|are due|is scheduled|are scheduled|is on its way|are on their way|lands|departs|is out for delivery|is ready|are ready|(?:usually |normally )?(?:confirms?|repl(?:y|ies)|responds?|answers?|decides?|calls?|emails?|texts?|visits?|comes?|gets? back))\b(?=[^.!?\n]{0,80}\b(?:today|tonight|tomorrow|by|on|at|within|in \d|this|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d))[^.!?\n]{0,120}",
    # any action reported done: "I've reopened claim CL-4471", "we've upgraded your plan"
    r"(?:i've|i have|we've|we have) (?:also |now |just |already |personally )?(?!(?:noticed|seemed|wanted|needed|hoped|wondered|realised|realized|enjoyed|loved|liked|received|learned|learnt|heard|experienced|been|had|tried|billed|charged|overcharged|debited|missed|failed|delayed|messed|mixed|caused|dropped|lost)\b)(?:re)?[a-z]{3,}ed\b[^.!?\n]{0,120}",
    # "let me check", "let me escalate this"
    rf"let me {ACTION}\b[^.!?\n]{{0,120}}",
    # passive reports: "the duplicate charge has been refunded", "your visit is booked for Friday"
    rf"{_REPORTED_SUBJECT} (?:is|are|has been|have been|was|were)(?: now| already| just| also)? {PASSIVE_DONE}\b[^.!?\n]{{0,120}}",
    # the same after any subject: "which has now been rolled back", "is in stock and has been
    # sent", "a reset link has been emailed to you" (not under "if", "once": ``_HYPOTHETICAL``)
    rf"(?:has|have)(?: now| already| just| also)? been {_SERVICE_PARTICIPLE}\b[^.!?\n]{{0,120}}",
    # work under way, by whoever does it: "your refund is being processed", "the team is working on
    # a fix", "engineers are on site" (a promise without a time, unless one is given)
    r"(?:is|are)(?: now| currently| already| still)? being (?:processed|reviewed|repaired|fixed|"
    r"prepared|serviced|investigated|looked at|rebooked|handled|sorted|dealt with|shipped|sent|"
    r"arranged|replaced|restored|rebuilt|cleaned|checked|refunded|reissued|re-issued)\b[^.!?\n]{0,120}",
    r"(?:(?:the|our|your) )?(?:\w+ )?(?:team|engineers?|developers?|technicians?|staff|colleagues|crew|"
    r"specialists?|department)s? (?:is|are|'re)(?: now| currently| already| actively| still)?(?: aware and)? "
    r"(?:working (?:on|to)|looking into|investigating|fixing|repairing|restoring|on site|on it|"
    r"on the way|on their way)\b[^.!?\n]{0,120}",
    # present progressive: "I'm refunding the second charge", "we're sending a new one"
    rf"(?:i'm|i am|we're|we are) (?:now |just |also |currently |already )?{ACTION_ING}\b[^.!?\n]{{0,120}}",
    # feedback passed on: "I've shared this with our design team", "we've let the team know"
    r"(?:i've|i have|we've|we have|i|we) (?:also |now |already )?(?:passed|shared|forwarded|fed|flagged|sent) (?:this|it|that|your \w+(?: \w+)?) (?:on|back|to|with)\b[^.!?\n]{0,120}",
    r"(?:i've|i have|we've|we have) (?:also |now |already )?let (?:the|our|my) (?:\w+ ){0,2}(?:team|manager|colleagues?|department|developers?|engineers?) know\b[^.!?\n]{0,120}",
    # a plain present with a time, as many writers of English as a second language say it:
    # "I write you in 2 days", "I make the refund today"
    rf"(?:i|we) (?:now |also |then )?(?:{ACTION}|write|make|do|come back|get back|answer|reply)\b(?=[^.!?\n]{{0,60}}\b(?:today|tonight|tomorrow|in \d+|in (?:one|two|three|a few|a couple of) |within|by |on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this (?:morning|afternoon|evening|week)|next week|right now|now\b))[^.!?\n]{{0,120}}",
    # expectations: "I should have an update by Friday"
    r"(?:i|we) (?:should|expect to|hope to|will) have (?:an? |the |some )?(?:update|answer|news|decision|result|reply)\b[^.!?\n]{0,120}",
)


_CLAUSE_OPENERS = frozenset(
    {
        "and",
        "so",
        "then",
        "also",
        "now",
        "today",
        "yesterday",
        "already",
        "but",
        "first",
        "next",
        "finally",
        "ok",
        "okay",
        "right",
        "yes",
        "sure",
        "there",
        "meanwhile",
        "plus",
        "or",
        "instead",
        "otherwise",
        "tomorrow",
        "tonight",
        "here",
        "great",
        "done",
    }
)


def _in_relative_clause(norm: str, start: int) -> bool:
    """Whether a bare "i"/"we" at ``start`` follows a noun or a relative pronoun ("the email
    we sent", "the email that we sent"), rather than opening a clause ("and we sent it")."""
    if not re.match(r"(?:i|we) (?!'|have|will|am|are)", norm[start : start + 8]):
        return False
    before = re.search(r"([a-z0-9']+)\s*$", norm[max(0, start - 30) : start])
    return before is not None and before.group(1) not in _CLAUSE_OPENERS


# A commitment that is already carried out ("I've refunded", "the charge has been reversed",
# "we've let the team know") needs no "when"; a promise of something to come does.
_DONE = re.compile(
    rf"^(?:{_BACK_UP}|"
    r"(?:done|all done|sorted|all sorted|fixed|that's done)[:!.,-]|you(?:'ve| have)? been (?:\w+ )?(?:re)?[a-z]{3,}(?:ed|en)\b)|"
    rf"^(?:(?:i've|i have|we've|we have|i|we) {_ADVERBS}(?:{ACTION_DONE}|passed|shared|forwarded|fed|flagged|let|(?:re)?[a-z]{{3,}}ed)\b|"
    r"(?:it|this|that|(?:your|the|this|that|our) (?:\w[\w-]* ){0,3}\w[\w-]*) (?:has been|have been|is|are|was|were)(?: now| already| just| also)? [a-z]{3,}(?:ed|en)\b|"
    rf"{_REPORTED_SUBJECT} (?:is|are|has been|have been|was|were)(?: now| already| just| also)? {PASSIVE_DONE}\b|"
    rf"(?:has|have)(?: now| already| just| also)? been {_SERVICE_PARTICIPLE}\b)"
)


# A purpose or reason clause after the action does not undo it ("so nothing else can be bought");
# "and there's nothing we can do" does.
_CLAUSE_END = re.compile(r"[;:]|\b(?:so|because|which|once|until|while)\b")
_NOTED = re.compile("^" + NOTED)
# Handing it on is a step, not the fix: "I've asked billing to correct it", "I've put in a refund
# request", "I've chased it" leave the customer asking "and when will it be done?".
_HANDED_ON = re.compile(
    r"\b(?:passed|forwarded|sent|referred|handed) (?:this|it|that|(?:your|the) (?:\w+ ){0,2}\w+) (?:on|over|along|to)\b|\blet (?:the|our|my) (?:\w+ ){0,2}\w+ know\b|"
    r"\basked (?:the|our|my|your|a) (?:\w+ ){0,3}?(?:to|for|whether|if)\b|"
    r"\b(?:put in|submitted|raised|made|logged) (?:a|an) (?:\w+ ){0,2}(?:request|ticket|query|application|fault|claim|complaint|report)\b|"
    r"\bchased(?: up)?\b"
)


# Attention promised with no action in it: "we'll look into it", "someone will be in touch".
VAGUE = "vague"
_VAGUE_STEP = re.compile(
    r"\b(?:look(?:ing)? into|investigat\w*|be in touch|get back to|come back to|reach out|"
    r"respond(?: to you)?|reply to you|contact you|"
    r"follow(?:ing)? up|keep you (?:updated|posted|informed)|let you know|see what|update you|"
    r"(?:connecting|transferring|putting) you|(?:be )?contact(?:ed)? (?:you|with you)|be contacted|be in contact|hear (?:back )?from (?:us|them|someone|the \w+)|"
    r"take a look|have a look)\b"
)
# ...unless the same sentence names the action ("we'll look into it and refund the fee").
_CONCRETE_STEP = re.compile(
    rf"\b(?:{ACTION_DONE}|refund|replace|rebook|book|cancel|send|credit|waive|fix|repair|reset|"
    r"restore|unlock|reissue|re-issue|reverse|transfer|deliver|collect|post)\b(?! (?:into|up)\b)"
)


# Work under way "now" is happening now, not done by a time: "engineers are working on it now".
_IN_PROGRESS = re.compile(
    r"\b(?:being \w+ed|working on|looking into|investigating|on site|on it)\b"
)
_IN_PROGRESS_NOW = re.compile(r"\b(?:right now|now|currently|as we speak)\b")


def _timed(clause: str) -> bool:
    """Whether a commitment's clause gives a time; for work under way, "now" is not one."""
    if _IN_PROGRESS.search(clause):
        clause = _IN_PROGRESS_NOW.sub("", clause)
    return WHEN.search(clause) is not None


_PERFECT_PASSIVE = re.compile(r"(?:has|have)(?: now| already| just| also)? been\b")
_HYPOTHETICAL = re.compile(r"\b(?:if|once|when|until|unless|after|before|as soon as|whether)\b")
# A step that waits on a condition, a failure or the customer's wish: "if it doesn't arrive, ...",
# "should you need them sooner, ...", "if you'd like, I can ..." (answers._FALLBACK is narrower:
# steps for when the fix fails, which are not the fix).
_CONDITIONAL = re.compile(r"(?:^|\b)(?:if|unless|should (?:you|it|they|that|this))\b")


def _clause_before(view: TextView, position: int) -> str:
    """The words of the clause that lead up to ``position``."""
    sentence = view.sentence_at(position)
    start = sentence.start if sentence is not None else max(0, position - 80)
    return re.split(r"[,;:]", view.norm[start:position])[-1]


def _next_steps(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    # passing feedback on to the team is the whole job; passing on a problem to fix or a question
    # to answer is a step that still owes a time
    needs_action = (
        exchange.customer.needs.kind == "question"
        or exchange.customer.needs.has("request")
        or (exchange.customer.needs.kind == "problem" and exchange.customer.needs.has("problem"))
    )
    timed: list[Span] = []
    untimed: list[Span] = []
    conditional: list[Span] = []
    done: list[Span] = []
    covered: list[tuple[int, int]] = []
    for match in reply.matches(_COMMITMENT):
        if any(start <= match.start() < end for start, end in covered):
            continue
        if _in_relative_clause(reply.norm, match.start()):
            continue  # "the email we sent" describes the email; it commits to nothing
        # Only a negation inside the commitment cancels it ("I won't", "nothing will"); one
        # before it usually belongs to a condition ("if that doesn't help I'll book an engineer").
        # ("I've locked the account so nothing else can be bought" commits to the lock).
        head = _CLAUSE_END.split(match.group(0), maxsplit=1)[0][:40]
        if re.search(r"\b(?:not|never|no longer|unable|nothing|nobody|no one)\b|n't\b", head):
            continue
        if _PERFECT_PASSIVE.match(match.group(0)) and _HYPOTHETICAL.search(
            _clause_before(reply, match.start())
        ):
            continue  # "once the item has been inspected": not done yet
        sentence = reply.sentence_at(match.start())
        start, end = (sentence.start, sentence.end) if sentence else (match.start(), match.end())
        covered.append((start, end))
        clause = reply.norm[start:end]
        span = reply.span(start, end)
        attention_only = bool(_VAGUE_STEP.search(match.group(0))) and not (
            _CONCRETE_STEP.search(clause)
        )
        if _timed(clause):
            # "a member of our team will get back to you within 2-3 days": a reply is promised,
            # on time, but no action
            timed.append(replace(span, label=VAGUE) if attention_only else span)
        elif _DONE.match(match.group(0)) and not (
            _NOTED.search(match.group(0)) or (_HANDED_ON.search(match.group(0)) and needs_action)
        ):
            done.append(span)
        else:
            # "I've noted it down", "passed it on": and then what, when? "We'll look into it and
            # be in touch" promises attention, not an action
            untimed.append(replace(span, label=VAGUE) if attention_only else span)
            if _CONDITIONAL.search(reply.norm[start : match.start()]):
                # "If it isn't back by then, reply here and I'll restore it by hand": a step that
                # waits on a condition happens when the condition does, so it owes no date
                conditional.append(span)
    findings: list[Finding] = []
    if timed:
        findings.append(
            NEXT_STEPS.finding(
                "clear_next_steps",
                STRENGTH,
                "Says what will happen, who does it, and when.",
                timed + untimed + done,
            )
        )
        return findings
    if done:
        findings.append(
            NEXT_STEPS.finding(
                "action_taken",
                STRENGTH,
                "Has already done something about it.",
                done,
            )
        )
    if untimed:
        vague = [reply.span(m.start(), m.end()) for m in reply.matches(VAGUE_WHEN)]
        findings.append(
            NEXT_STEPS.finding(
                "next_steps",
                STRENGTH,
                "Commits to a concrete action.",
                untimed,
            )
        )
        owing = [span for span in untimed if span not in conditional]
        if exchange.customer.needs.kind != "praise" and owing:
            # "I'll make sure she hears it" to a thank-you note needs no "when"
            findings.append(
                NEXT_STEPS.finding(
                    "no_timeline",
                    GAP,
                    "Says what will happen but not when"
                    + (' ("soon" is not a time).' if vague else "."),
                    owing + vague,
                )
            )
    asks = bool(
        {f.code for f in earlier} & {"open_question", "closed_question", "gives_steps", "suggests"}
    )
    if not findings and not asks and _needs_action(exchange):
        findings.append(
            NEXT_STEPS.finding(
                "no_next_steps",
                GAP,
                "The customer needs something done, and the reply does not say what happens next.",
                _request_evidence(exchange.context),
            )
        )
    return findings


_REQUEST = phrases(
    r"(?:can|could|would|will) (?:you|someone|somebody|anyone)",
    r"(?:i|we) (?:want|need|would like|'d like|expect|demand|require)",
    r"please",
    r"(?:how|when|what|why|where) (?:do|does|did|can|will|is|are|should)",
    r"(?:not|isn't|doesn't|don't|hasn't|haven't|never|still no|no longer|won't|can't|cannot) "
    r"(?:work|working|arrived|received|come|turned up|load|loading|log|access|open)\w*",
    r"(?:charged|billed) (?:twice|double|again|wrong)",
    r"refund",
    r"broken|missing|wrong|late|locked|blocked|cancel\w*|error|down|outage|not working|failed|declined",
)


def _needs_action(exchange: Exchange) -> bool:
    """Whether the customer needs something done: a failure reported, an action asked for, or a
    question the reply leaves open. Praise, a plain "ok", and a question the reply fully answers
    need no next step."""
    if not exchange.context.text.strip():
        return False
    kind = exchange.customer.needs.kind
    if kind in ("praise", "none"):
        return False
    # a question fully answered needs no next step, even beside a small problem ("What's my
    # booking reference? I can't find it.")
    asked_only = kind == "question" or (
        kind == "problem" and not exchange.customer.needs.has("request")
    )
    if asked_only and fully_answered(exchange):
        return False
    if kind == "question":
        return True
    if kind == "loss" and not exchange.customer.needs.has("request"):
        return not fully_answered(exchange) and bool(exchange.customer.needs.questions)
    return True


def _request_evidence(context: TextView) -> list[Span]:
    """The customer's sentences that ask for something (the first two), else the first sentence."""
    spans = []
    for segment in context.sentences:
        if _REQUEST.search(context.norm[segment.start : segment.end]) or context.text[
            segment.start : segment.end
        ].rstrip().endswith("?"):
            spans.append(context.span(segment.start, segment.end))
        if len(spans) == 2:
            break
    if not spans and context.sentences:
        first = context.sentences[0]
        spans.append(context.span(first.start, first.end))
    return spans


NEXT_STEPS = Scorer(
    "next_steps",
    2,
    _next_steps,
    ("clear_next_steps", "action_taken", "next_steps", "no_timeline", "no_next_steps"),
)

# --- personalisation --------------------------------------------------------------------------


def _personalisation(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    context, reply = exchange.context, exchange.reply
    if not context.text.strip():
        return []
    shared = shared_specifics(reply.text, context.text)
    if exchange.history:
        # details the customer gave earlier in the conversation count too
        seen = {s.stem for s in shared}
        shared += [s for s in shared_specifics(reply.text, exchange.history) if s.stem not in seen]
    distinct = {s.stem for s in shared}
    strong = any(s.strong for s in shared)
    context_specifics = specifics(context.text)
    context_stems = {s.stem for s in context_specifics}
    if len(distinct) >= 2 or strong or (distinct and len(context_stems) <= 4):
        return [
            PERSONALISATION.finding(
                "personalised",
                STRENGTH,
                "Refers to the customer's own specifics, so the reply could only be for them.",
                [reply.span(s.segment.start, s.segment.end) for s in shared],
            )
        ]
    if len(context_stems) >= SPECIFIC_DETAILS:
        unused = [s for s in context_specifics if s.stem not in distinct]
        evidence = [context.span(s.segment.start, s.segment.end) for s in unused[:4]]
        examples = ", ".join(f'"{span.text}"' for span in evidence[:3])
        message = (
            f'Mentions only one of the customer\'s details ("{shared[0].segment.of(reply.text)}"); '
            f"another (for example: {examples}) shows the whole message landed."
            if distinct
            else f"Does not mention any of the customer's specifics (for example: {examples})."
        )
        return [PERSONALISATION.finding("not_personalised", GAP, message, evidence)]
    return []


PERSONALISATION = Scorer(
    "personalisation", 1, _personalisation, ("personalised", "not_personalised")
)

# --- warmth -------------------------------------------------------------------------------------

_WARM = phrases(
    r"thank(?:s| you)(?: so much| very much| a lot)?(?! for (?:your patience|your understanding|contacting us|reaching out|getting in touch|choosing|being a valued))",
    r"(?:i'm|i am|we're|we are|i'd be|we'd be|i'll be) (?:so |really |very )?(?:happy|glad|pleased|delighted) (?:to|you|that|it)",
    r"(?:my|our) pleasure",
    r"you're (?:very |so |most )?welcome",
    r"(?:that's|this is|what) (?:great|lovely|wonderful|brilliant|fantastic|good) (?:news|to hear)",
    r"(?:great|lovely|wonderful|brilliant|fantastic) to hear",
    r"(?:no problem|no worries|of course|absolutely|happy days|any ?time)(?= |[,.!]|$)",
    r"(?:happy|glad) to help",
    r"enjoy (?:your|the)",
    r"(?:take care|speak soon|all the best|good luck)",
    r"(?:hi|hello|hey|dear) [A-Za-z]+",
    r"[:;]-?[)d]|[\U0001f600-\U0001f64f\U0001f44d\U0001f389\u2764\u263a]",
)


def _warmth(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    # warmth read off a template ("I'd be happy to help you with that today") is not warmth
    stock = [(span.start, span.end) for span in scripted_spans(exchange)]
    warm = [
        reply.span(m.start(), m.end())
        for m in _WARM.finditer(reply.norm)
        if not any(a <= m.start() < b for a, b in stock)
    ]
    return WARMTH.found(
        "warm_tone",
        STRENGTH,
        "Sounds like a person who is glad to help, not a template.",
        warm[:3],
    )


WARMTH = Scorer("warmth", 1, _warmth, ("warm_tone",))

# --- questions ----------------------------------------------------------------------------------

_OPEN_START = re.compile(
    r"(?:(?:and|so|but|also|okay|ok|right)[, ]+)?(?:what(?! about)|how(?! about| does (?:that|this|\w+) sound| would (?:that|it)| is that)|why|which|where|when|who|tell me|"
    r"describe|walk me through|help me understand|talk me through|"
    r"(?:could|can|would|will) you (?:please )?(?:tell|describe|explain|share|walk|talk|say more|"
    r"give me more|let me know (?:what|how|why|which|more))|would you mind (?:telling|sharing|"
    r"explaining|describing))\b"
)
_EXPLORATION_PROMPT = phrases(
    r"(?:tell|let) me (?:a bit |a little )?more about",
    r"(?:i'd|i would) (?:like|love) to (?:understand|hear|know) (?:more|what|how|why)",
    r"help me understand",
    r"walk me through",
)
# Asking for what it needs to know, in chat often without a question mark: "would you give me your
# full name or account ID", "may I have your order number please", "please confirm your postcode".
_ASKS_FOR_DETAILS = re.compile(
    r"(?:^|[,;:]\s*|\b(?:sure|ok|okay|right|great|thanks|so)\W+)(?:(?:would|could|can|will) you "
    r"(?:please |kindly )?(?:give|send|provide|confirm|tell|dm|message) (?:me|us)|(?:may|can|could) i "
    r"(?:please )?(?:have|get|take|ask for|confirm)|(?:please |kindly )?(?:provide|confirm|send (?:me|us)|"
    r"share|give (?:me|us)|dm (?:me|us)|pm (?:me|us)|message (?:me|us)|email (?:me|us)|"
    r"send (?:us|me) a (?:dm|pm|message|direct message)(?: with)?)|"
    # what the next step needs from them: "We'll need a final meter reading and a copy of..."
    r"(?:we|i)(?:'ll| will|'d| would) (?:just |also |then )?need)"
    r" (?:\w+ )?(?:your|the|a|an|you're|more)\b"
)
_CLOSER = re.compile(
    r"(?:is there|was there) anything else|anything else (?:i|we) can|can i help with anything else"
)


def _questions(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    open_spans, closed_spans = [], []
    for segment in reply.sentences:
        sentence = reply.norm[segment.start : segment.end]
        is_question = sentence.rstrip().endswith("?") or bool(_ASKS_FOR_DETAILS.search(sentence))
        prompt = _EXPLORATION_PROMPT.search(sentence)
        if not is_question and not prompt:
            continue
        if _CLOSER.search(sentence):
            continue  # the scripted closer is not a question about the customer's problem
        span = reply.span(segment.start, segment.end)
        # A question may follow a preamble ("Thanks for that - what did the error say?").
        clause = re.split(r"[,;:\u2013\u2014-]\s+", sentence)[-1] if is_question else sentence
        if prompt or _OPEN_START.match(sentence.lstrip()) or _OPEN_START.match(clause.lstrip()):
            open_spans.append(span)
        else:
            closed_spans.append(span)
    return QUESTIONS.found(
        "open_question",
        STRENGTH,
        "Asks an open question that invites the customer to say more.",
        open_spans,
    ) + QUESTIONS.found(
        "closed_question",
        STRENGTH,
        "Asks a closed (yes/no or one-fact) question.",
        closed_spans,
    )


QUESTIONS = Scorer("questions", 1, _questions, ("open_question", "closed_question"))

SCORERS = (
    ACKNOWLEDGEMENT,
    VALIDATION,
    APOLOGY,
    OWNERSHIP,
    QUESTIONS,
    NEXT_STEPS,
    PERSONALISATION,
    WARMTH,
)
