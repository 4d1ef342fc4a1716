"""Does the reply answer what the customer asked?

For each question the customer asked (``heard.understanding.needs``), an answering sentence of the
reply is a statement (not a question back) that either names the thing asked for (a time for
"when", an amount for "how much", steps for "how do I", a yes or no for "can I", a reason for
"why") or speaks to the question's own words ("open" and "Saturday" for "What time do you open on
Saturday?"). "Please check our website" points somewhere else and answers nothing unless it says
exactly where. A routine question that is fully answered needs no next step (docs/scoring.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from heard.results import Finding, FindingKind, Span
from heard.scoring.exchange import Exchange
from heard.scoring.lexicon import VAGUE_WHEN, WEEKDAY, WHEN, phrases
from heard.scoring.registry import Scorer
from heard.scoring.specifics import STOPWORDS, stem

STRENGTH, GAP = FindingKind.STRENGTH, FindingKind.GAP

_TIME = phrases(
    r"\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)",
    r"\d{1,2}:\d{2}",
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?",
    WEEKDAY,
    r"\d+\s?(?:-|to|\u2013)?\s?\d*\s?(?:minutes?|mins?|hours?|hrs?|days?|working days?|business days?|weeks?|months?)",
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of) (?:minutes?|hours?|days?|working days?|business days?|weeks?|months?)",
    r"(?:an|a|half an) (?:hour|day|week|month)",
    r"noon|midday|midnight|overnight|24/7|24 hours|around the clock|weekends?|weekdays?",
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{1,2}|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*",
    r"open|closed?|closing",
)
_AMOUNT = phrases(
    r"[$£€¥]\s?\d[\d,.]*",
    r"\d[\d,.]*\s?(?:dollars|pounds|euros|usd|gbp|eur|p|cents?|pence|%|percent|per cent)",
    r"free(?: of charge)?",
    r"no (?:charge|cost|fee)",
    r"(?:costs?|price|fee|charge) (?:is|of|are)",
    r"\d+",
)
_PLACE = phrases(
    r"(?:at|in|on|from|near|next to|opposite|inside) (?:the |our |your )?[a-z]+",
    r"located",
    r"address",
    r"branch",
    r"terminal|gate|counter|desk|floor|level",
)
_HOW = re.compile(
    r"(?:^|[.:;,]\s*|\b(?:then|and|first|next|just|simply|please)\s+)(?:go to|tap|click|open|select|choose|press|enter|type|visit|log in|sign in|head to|scroll|hit|pick|use|add|fill in|reply with|send us|restart|turn|hold|switch|update|reset|download|install|follow|call|ring|pop)\b|"
    r"\byou(?:'ll| will)? (?:can|could|just|need to|have to|'ll need to|will need to|should)\b|"
    r"\b(?:under|in|via|through) (?:settings|account|profile|the app|my account|your account|the menu|preferences|billing|orders)\b|>|\bstep\b|^\s*\d[.)]",
    re.MULTILINE,
)
_OPENER = r"^(?:(?:hi|hello|hey|thanks|thank you|good question|great question|dear|good (?:morning|afternoon|evening)|okay|ok|right|sure)[^.!?]{0,30}[,.!-]\s*)?"
# A yes or a no: answers a yes/no question on its own.
_YES_NO = re.compile(
    _OPENER + r"(?:yes|yeah|yep|yup|no|nope|sure|absolutely|definitely|of course|certainly|correct|"
    r"that's right|exactly|indeed|afraid not|not (?:at the moment|yet|currently|right now|any more)|"
    r"(?:unfortunately|sadly|i'm afraid|i am afraid),? (?:not|no|we don't|we do not|we can't|"
    r"we cannot|you can't|you cannot|it isn't|it's not|it is not|there isn't|there is no|"
    r"that's not|we aren't|it doesn't|it won't|we won't|we only|it only|only))\b"
)
# A statement that answers yes or no when it is about the thing asked ("you can pay it in at any
# branch", "breakfast is included").
_STATEMENT = re.compile(
    _OPENER + r"(?:it is|it isn't|it's|it does|it doesn't|it will|it won't|it can|it can't|you can|"
    r"you can't|you cannot|you do|you don't|you will|you won't|you need|you'll need|you'll|"
    r"we do|we don't|we can|we can't|we cannot|we will|we won't|we have|we've|we offer|we ship|"
    r"we deliver|there is|there's|there are|there isn't|there aren't|they are|they're|they do|"
    r"they don't|both|either|neither|only|all|you (?:may|might|probably|wouldn't|won't|shouldn't) "
    r"(?:not )?need)\b"
)
_REASON = phrases(
    r"because",
    r"due to",
    r"(?:the|that's the|the main) reason",
    r"that's (?:because|why)",
    r"this is (?:because|why)",
    r"caused by",
    r"(?:since|as) (?:the|your|it|we|our|you)",
    r"so that",
    r"which (?:is why|means)",
    r"(?:happened|happens) when",
)
# A statement about the thing asked: "breakfast is included", "it supports cross-play".
_AFFIRMS = phrases(
    r"(?:is|are|isn't|aren't|does|doesn't|do|don't|can|can't|will|won't|has|hasn't|have|haven't)"
    r"(?: not| now| also| only| already)?",
    r"includes?|included|supports?|supported|covers?|covered|ships?|delivers?|accepts?|allows?|offers?",
)
# Where a thing is: "it's at the Leeds depot", "out for delivery", "on its way".
_STATUS = phrases(
    r"on (?:its|their) way",
    r"out for delivery",
    r"(?:is|are|was|were) (?:at|in|with) (?:the|our|your|a) ",
    r"depot|warehouse|sorting (?:office|centre|center)|in transit|dispatched|shipped|delivered|"
    r"collected|held|customs|processing|approved|issued|sent|posted|arriv\w+",
)
# An explanation: "It's a temporary hold for extras", "That's for the 10 days left on Pro".
_EXPLAINS = re.compile(
    r"^(?:(?:hi|hello|dear)[^.!?]{0,30}[,.!-]\s*)?(?:that's|that is|it's|it is|this is|it was|that was|"
    r"this was|these are|those are|they're|they are|the (?:\w+ ){0,2}(?:is|was|are|were)|we (?:hold|take|"
    r"charge|add|apply|do this|did this|needed|need|ask|check)|you (?:pay|paid|were charged|get|got)|"
    r"because|since|as)\b"
)
# Something that will happen: "a drying company will ring you", "you'll get".
_IN_DUE_COURSE = re.compile(r"\b(?:in due course|when (?:we|they) can|at some point|be in touch)\b")
_FUTURE = re.compile(r"\b(?:will|'ll|is going to|are going to)\b")
_DONE_STATEMENT = re.compile(
    r"^(?:(?:yes|sure|done|great|ok|okay|of course)[,!.]?\s+)?(?:i've|i have|we've|we have|i|we) (?:now |just |already |also )?[a-z]+(?:ed|en|t)\b"
)
_ANY_WAY = re.compile(
    r"\b(?:is there (?:any|a) way|any chance|can (?:you|i|we)|could (?:you|i|we)|would it be possible)\b"
)
_CAN_OFFER = re.compile(r"\b(?:i|we) can\b|\byou can\b|\b(?:i|we)(?:'ll| will)\b")
# A name in the answer: "Forno Rossi on Harbour Street".
_NAME = re.compile(
    r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?: [A-Z][a-z]+)+|\b[A-Z][a-z]+(?: [A-Z][a-z]+)* (?:Ltd|Street|Road|Bakery|Cafe|Café)\b"
)
# Pointing elsewhere: an answer only when it says exactly where (a path, a name, a number).
_ELSEWHERE = phrases(
    r"(?:please )?(?:check|see|visit|refer to|look at|consult|read|browse)(?: out)? (?:our|the) (?:website|site|web ?site|faq\w*|help ?(?:centre|center|pages?)|knowledge base|terms|policy|policies|page|app)",
    r"(?:you can |you'll |you will )?find (?:all )?(?:the |this |that |more )?(?:information|info|details|answer\w*)? ?(?:on|in) (?:our|the) (?:website|site|faq\w*|help ?(?:centre|center)|app)",
    r"(?:i'll|i will|we'll|we will) (?:pass|forward) (?:this|that|it|your (?:question|query|request)) on",
    r"(?:contact|call|email|ask|speak to|talk to|ring) (?:the|our|your|another|a) (?:relevant )?(?:team|department|store|branch|provider|reception|colleague|manager|specialist|office)",
    r"(?:you'd|you would|you'll|you will) (?:need|have) to (?:speak|talk|contact|call|ask|ring|check|email|write)",
    r"(?:unable|not able|can't|cannot) (?:to )?(?:really )?(?:advise|help|answer|say|comment|tell you)",
    r"(?:pass|passed|forward|forwarded|refer|referred) (?:this|that|it|your (?:query|question|request))",
    r"(?:get|be) back to you",
    r"(?:be|get) in touch",
    r"refer to (?:our|the)",
    r"let (?:the|your|our) (?:relevant )?(?:department|team|office|bank|provider|branch|school|university) know",
)
# A sentence about the customer's feelings (or ours) is not the answer to their question.
_FEELING_TALK = phrases(
    r"sorry",
    r"apologi[sz]e",
    r"apologies",
    r"(?:i|we) (?:completely |totally |really |fully )?(?:understand|know|can imagine|appreciate)",
    r"frustrat\w*|stress\w*|worr\w*|confus\w*|upset\w*|annoy\w*",
    r"(?:great|good|excellent) question",
    r"happy to help|glad to help",
)
_SPECIFIC = re.compile(r"\d|>|\"|'[A-Z]|\b[A-Z][a-z]+ (?:>|->)|\bunder [A-Z]")
_TYPE_PATTERN: dict[str, re.Pattern[str]] = {
    "time": _TIME,
    "amount": _AMOUNT,
    "place": _PLACE,
    "reason": _REASON,
}
_CONTENT = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_QUESTION_WORDS = frozenset(
    "what when where which who whom whose why how time long much many day date cost price "
    "please tell know wondering wonder question quick hi hello hey thanks".split()
)


def _content_stems(text: str) -> set[str]:
    return {
        stem(word)
        for word in _CONTENT.findall(text)
        if word not in STOPWORDS and word not in _QUESTION_WORDS and len(word) > 2
    }


def _answers(question: str, kind: str, sentence: str, original: str, *, alone: bool = True) -> bool:
    """Whether a statement of the reply answers one question of the customer. A time or an amount
    answers the only question of its kind; with two ("when does term start, and when can I move
    in?") each answer must be about its own question."""
    if sentence.rstrip().endswith("?"):
        return False
    if _ELSEWHERE.search(sentence) and not _SPECIFIC.search(original):
        return False
    if _FEELING_TALK.search(sentence) and not (
        _SPECIFIC.search(original) or _YES_NO.match(sentence.lstrip())
    ):
        return False
    shared = _content_stems(question) & _content_stems(sentence)
    if kind == "how":
        return bool(_HOW.search(sentence) or _INSTRUCTION.search(sentence)) and (
            bool(shared) or len(sentence.split()) >= 4
        )
    if kind == "next":
        if VAGUE_WHEN.search(sentence) or _IN_DUE_COURSE.search(sentence):
            return False  # "someone will be in touch in due course" says nothing about what now
        return bool(
            _DONE_STATEMENT.match(sentence.lstrip())
            or _INSTRUCTION.search(sentence)
            or (_FUTURE.search(sentence) and WHEN.search(sentence))
        )
    if kind in ("reason", "other") and _EXPLAINS.match(sentence.lstrip()):
        return True
    if kind == "yes_no":
        if _DONE_STATEMENT.match(sentence.lstrip()) and shared:
            return True
        if _ANY_WAY.search(question) and _CAN_OFFER.search(sentence):
            return True  # "Is there any way to get it back?" / "We can post it to you."
        return (
            bool(_YES_NO.match(sentence.lstrip()))
            or (bool(shared) and _STATEMENT.match(sentence.lstrip()) is not None)
            or (bool(shared) and _AFFIRMS.search(sentence) is not None)
            or len(shared) >= 2  # "Will my 60 credits count?" / "45 of your 60 credits count"
        )
    if kind == "name":
        return _NAME.search(original) is not None
    if kind == "status":
        return bool(_TIME.search(sentence) or WHEN.search(sentence) or _STATUS.search(sentence))
    pattern = _TYPE_PATTERN.get(kind)
    if pattern is not None:
        return bool(pattern.search(sentence)) and (
            bool(shared)
            or (
                alone
                and kind in ("time", "amount")
                and bool(WHEN.search(sentence) or pattern.search(sentence))
            )
        )
    if _DONE_STATEMENT.match(sentence.lstrip()) and shared:
        return True  # "Can you move it to Saturday?" / "I've moved it to Saturday."
    return len(shared) >= 2


def _match_questions(exchange: Exchange) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """(answering sentences of the reply, the customer's questions left unanswered)."""
    needs = exchange.customer.needs
    reply, context = exchange.reply, exchange.context
    answered: list[Span] = []
    unanswered: list[Span] = []
    for question, kind in zip(needs.questions, needs.question_types, strict=True):
        question_norm = context.norm[question.start : question.end]
        alone = needs.question_types.count(kind) == 1
        hits = [
            reply.span(s.start, s.end)
            for s in reply.sentences
            if _answers(
                question_norm,
                kind,
                reply.norm[s.start : s.end],
                reply.text[s.start : s.end],
                alone=alone,
            )
        ]
        if hits:
            answered.extend(h for h in hits[:2] if h not in answered)
        else:
            unanswered.append(question)
    return tuple(answered), tuple(unanswered)


def question_answers(exchange: Exchange) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """(answering sentences, unanswered questions), computed once per exchange."""
    return exchange.memo("answers", _match_questions)


def fully_answered(exchange: Exchange) -> bool:
    """The customer asked something, and every question has an answer in the reply."""
    answered, unanswered = question_answers(exchange)
    return bool(answered) and not unanswered


# Steps the customer can take that fix it: "Move the cable to the grey port", "1. Open Settings".
_INSTRUCTION = re.compile(
    r"^(?:(?:so|then|first|next|now|please|just|ok|okay|right)[,:]?\s+)*(?:go to|tap|click|open|select|"
    r"choose|press|enter|type|visit|log (?:in|out)|sign (?:in|out)|head to|scroll|hit|pick|use|add|"
    r"fill in|reply|send|restart|reboot|turn|hold|switch|update|reset|download|install|reinstall|"
    r"follow|call|ring|move|plug|unplug|remove|delete|clear|check|try|email|upload|forward|bring|"
    r"take|keep|leave|wait|give|show|unlock|connect|disconnect|pair|tick|untick|enable|disable|"
    r"change|set|pop|put|drop|return|print|scan|screenshot|copy|paste|refresh|reopen|close|get|"
    r"make sure|ask|quote|text|message|let us know|tell us)\b|"
    r"^\s*\d[.)]\s|\byou can now\b|\byou(?:'ll| will) (?:now )?be able to\b|\w >\s?\w|"
    r"\b(?:should|will) be (?:under|in|at) [A-Za-z]+ ?>|"
    r"\bshould (?:now )?(?:go|work|turn|be|start|come|show|appear|load|connect)\b[^.!?]{0,40}"
    r"\b(?:within|in \d|now|straight away|right away|minutes?)",
)


_CARE = re.compile(r"\b(?:take care|look after yourself|keep safe|stay safe|rest|get some sleep)\b")


def _instruction_steps(exchange: Exchange) -> list[Finding]:
    needs = exchange.customer.needs
    if needs.kind not in ("problem", "question") or not needs.has("problem"):
        return []
    reply = exchange.reply
    steps = [
        reply.span(s.start, s.end)
        for s in reply.sentences
        if not reply.norm[s.start : s.end].rstrip().endswith("?")
        and _INSTRUCTION.search(reply.norm[s.start : s.end])
    ]
    steps = [s for s in steps if not _CARE.search(s.text.lower())]
    return STEPS.found(
        "gives_steps", STRENGTH, "Gives the customer the steps that fix it.", steps[:3]
    )


_SUGGESTION = phrases(
    r"you (?:could|might|may|can) (?:also )?(?:try|want to|consider|look at|ask|check|switch|use|call|contact)",
    r"(?:have|did) you (?:tried|considered|thought about|looked at|checked)",
    r"it (?:might|may|could|would) (?:help|be worth|be a good idea)",
    r"(?:i'd|i would|we'd|we would) (?:suggest|recommend|advise)",
    r"(?:my|our) (?:advice|suggestion|recommendation) (?:is|would be)",
    r"(?:one|another) (?:option|thing you (?:could|can) do) (?:is|would be)",
    r"(?:why not|how about) (?:try|trying|ask|asking|use|using)",
    r"(?:try|consider) (?:to )?\w+ing",
)


def _steps_scorer(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    found = _instruction_steps(exchange)
    if found:
        return found
    needs = exchange.customer.needs
    if needs.kind not in ("problem", "question", "loss"):
        return []
    return STEPS.found(
        "suggests",
        STRENGTH,
        "Suggests something the customer could try.",
        exchange.reply.spans(_SUGGESTION, allow_negated=False)[:2],
    )


STEPS = Scorer("steps", 1, _steps_scorer, ("gives_steps", "suggests"))


def _answers_scorer(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    if not exchange.customer.needs.questions:
        return []
    answered, unanswered = question_answers(exchange)
    findings: list[Finding] = []
    if answered:
        findings.append(
            ANSWERS.finding(
                "answers_question",
                STRENGTH,
                "Answers what the customer asked.",
                answered,
            )
        )
    codes = {f.code for f in earlier}
    acted = bool(
        codes
        & {"clear_next_steps", "next_steps", "open_question", "closed_question", "gives_steps"}
    )
    if unanswered and not acted:
        pointed = _ELSEWHERE.search(exchange.reply.norm) is not None
        findings.append(
            ANSWERS.finding(
                "unanswered_question",
                GAP,
                "Leaves the customer's question unanswered"
                + (" (pointing them elsewhere is not an answer)." if pointed else "."),
                unanswered,
            )
        )
    return findings


ANSWERS = Scorer("answers", 1, _answers_scorer, ("answers_question", "unanswered_question"))
