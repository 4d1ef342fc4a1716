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
from collections.abc import Callable, Sequence

from heard.lexicon import NOTED, VAGUE_WHEN, WEEKDAY, WHEN, phrases
from heard.results import Finding, FindingKind, Span
from heard.scoring.exchange import Exchange, TextView
from heard.scoring.scorer import Scorer
from heard.scoring.specifics import STOPWORDS, lemma_stem, stem

STRENGTH, GAP, ANTI = FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN

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
_NOTED_ONLY = re.compile(r"^(?:(?:ok|okay|right|sure|thanks)[,!.]?\s+)?" + NOTED)
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


def _content_words(
    text: str, skip: frozenset[str], stemmer: Callable[[str], str] = stem
) -> set[str]:
    """The stems of a text's content words, leaving out stopwords, short words and ``skip``."""
    return {
        stemmer(word)
        for word in _CONTENT.findall(text)
        if len(word) > 2 and word not in STOPWORDS and word not in skip
    }


def _content_stems(text: str) -> set[str]:
    return _content_words(text, _QUESTION_WORDS)


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
        if _NOTED_ONLY.search(sentence):
            return False  # "I've noted all of that down": and then what?
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
# What may come before the imperative: a condition ("Should you wish to reschedule, kindly..."),
# "Here's how to...:", and discourse words.
_STEP_LEAD = (
    r"^(?:(?:if|should|when|once|for|to)\b[^,.!?]{0,60},\s*|here(?:'s| is) (?:how|what)\b[^:.!?]{0,40}:\s*)?"
    r"(?:(?:so|then|first|next|now|please|kindly|just|ok|okay|right|simply)[,:]?\s+)*"
)
_INSTRUCTION = re.compile(
    _STEP_LEAD + r"(?:go to|tap|click|open|select|"
    r"choose|press|enter|type|visit|log (?:in|out)|sign (?:in|out)|head to|scroll|hit|pick|use|add|"
    r"fill in|reply|send|restart|reboot|turn|hold|switch|update|reset|download|install|reinstall|uninstall|bleed|tighten|loosen|drain|wipe|reconnect|re-enter|resubmit|"
    r"follow|call|ring|move|plug|unplug|remove|delete|clear|check|try|email|upload|forward|bring|"
    r"take|keep|leave|wait|give|show|unlock|connect|disconnect|pair|tick|untick|enable|disable|"
    r"change|set|pop|put|drop|return|print|scan|screenshot|copy|paste|refresh|reopen|close|get|"
    r"make sure|ask|quote|text|message|let us know|tell us)\b|"
    r"^\s*\d[.)]\s|\byou can now\b|"
    # a way forward the customer can take: "credits can be claimed through the billing portal",
    # "you can apply for an extension using form EX-2", "we recommend updating to 5.2"
    r"\b(?:can|could|may) (?:also |now |still )?be (?:[a-z]{3,}ed|sent|paid|made|done|found|"
    r"seen|given|taken|shown)(?: for| back| in| out| off| up)? (?:through|via|using|on|at|in|from|"
    r"online|by|with|under|here)\b|"
    r"\byou can (?:also |now |still |easily )?(?:claim|apply|request|book|order|download|view|"
    r"track|manage|reschedule|rebook|collect|return|report|submit|pay|renew|cancel|change|update|"
    r"reset|use|pick|choose|select|get|find|call|ring|email|visit|bring|take|send|contact|reach|"
    r"add|remove|switch|swap|upgrade|top up|transfer|check)\b(?=[^.!?]{0,80}\b(?:through|via|using|"
    r"on|at|in|from|online|by|with|under|here|to)\b)|"
    r"\b(?:we|i)(?:'d| would)? (?:recommend|advise|suggest)(?: that)? (?:you |all |everyone |"
    r"each )?(?:\w+ ){0,4}?(?:[a-z]{3,}ing|update|install|restart|reinstall|upgrade|use|switch|"
    r"contact|call|clear|reset|change|turn|move|check)\b|\byou(?:'ll| will) (?:now )?be able to\b|\w >\s?\w|"
    r"\b(?:should|will) be (?:under|in|at) [A-Za-z]+ ?>|"
    r"\bshould (?:now )?(?:go|work|turn|be|start|come|show|appear|load|connect)\b[^.!?]{0,40}"
    r"\b(?:within|in \d|now|straight away|right away|minutes?)",
)


_CARE = re.compile(r"\b(?:take care|look after yourself|keep safe|stay safe|rest|get some sleep)\b")

# What the customer says they have already done (more than once, or as told), know how to do, or
# cannot do: "I've reset the router twice like your colleague told me", "I know how to export",
# "I can't even reset the password". A step that repeats it is not help (``repeats_tried``).
_DONE_VERB = (
    r"tried|done|followed|reset|restarted|rebooted|reinstalled|re-installed|cleared|updated|"
    r"checked|sent|resent|submitted|filled (?:in|out)|phoned in|rang|called|uploaded|emailed|"
    r"e-mailed|turned|switched|unplugged|logged (?:out|in)|signed (?:out|in)|changed|read|"
    r"gone through|paid|returned|posted|given|provided|attached|installed|deleted|disconnected|"
    r"reconnected|contacted|explained|reported|completed|cleaned|charged|plugged"
)
_AGAIN = re.compile(
    r"\b(?:already|twice|again|(?:two|three|four|five|several|many|a few|\d+) times|every time|"
    r"(?:the )?(?:second|third|fourth|fifth|sixth|umpteenth|\d+(?:st|nd|rd|th)) (?:time|attempt|go)|"
    r"(?:as|like) (?:you|your \w+|the \w+|instructed|advised|suggested|told|asked)|all (?:this|that|of (?:it|that|this))|"
    r"everything|each time|over and over|repeatedly|as well)\b"
)
_TRIED = re.compile(
    rf"\b(?:i|we)(?:'ve| have)?(?: already| even| also| both)? (?:{_DONE_VERB})\b(?P<what>[^.!?;]{{0,90}})|"
    r"\b(?:i'm|i am|we're|we are|i've been|we've been) (?:still )?trying to (?P<trying>[^.!?;]{3,90})|"
    r"\b(?:i|we) (?:already |do )?know how to (?P<known>[^.!?;,]{3,60})|"
    r"\b(?:can't|cannot|can not|couldn't) even (?P<blocked>[^.!?;,]{3,60})"
)
_NOT_A_STEP_WORD = frozenset(
    "time times twice again already even also like colleague colleagues told said asked week day "
    "today yesterday month hour minute everything all this that your you our".split()
)


def _step_words(text: str) -> set[str]:
    return _content_words(text, _NOT_A_STEP_WORD, lemma_stem)


def _tried(exchange: Exchange) -> list[tuple[Span, set[str]]]:
    """The customer's already-tried (known, impossible) steps, each with its words."""
    context = exchange.context
    said_again = _AGAIN.search(context.norm) is not None
    found: list[tuple[Span, set[str]]] = []
    for match in context.matches(_TRIED):
        if (match.group("what") or match.group("trying")) is not None and not said_again:
            continue  # "I sent the form on Monday" reports, it does not say it failed
        words = _step_words(match.group(0))
        if words:
            found.append((context.span(match.start(), match.end()), words))
    return found


def _repeats(exchange: Exchange, step: Span, tried: list[tuple[Span, set[str]]]) -> Span | None:
    """The tried step this step of the reply repeats, if any."""
    words = _step_words(exchange.reply.sentence_norm(step.start))
    for span, tried_words in tried:
        if words & tried_words:
            return span
    return None


def _instruction_steps(exchange: Exchange) -> list[Span]:
    needs = exchange.customer.needs
    if needs.kind != "problem" and not (
        needs.kind == "question" and (needs.has("problem") or needs.has("request"))
    ):
        return []  # a plain question's steps are its answer ("how do I...?"), read by answers
    reply = exchange.reply
    steps = [
        reply.span(s.start, s.end)
        for s in reply.sentences
        if not reply.norm[s.start : s.end].rstrip().endswith("?")
        and _INSTRUCTION.search(reply.norm[s.start : s.end])
    ]
    return [
        s
        for s in steps
        if not _CARE.search(s.text.lower())
        and not _FALLBACK.search(reply.norm[s.start : s.end])
        and not _SEND_US.search(reply.norm[s.start : s.end])
    ]


# Not a fix: what to do if it fails ("If it's still not working, give us a call back", "if it
# gets any worse, open a claim"), waiting to see ("keep an eye on it"), or sending us what we
# need ("send me the photos", "reply with the date": a request, read by the questions).
_FALLBACK = re.compile(
    r"^(?:if|should|in case|once|when|unless)\b[^,]{0,80}\b(?:persists?|continues?|still|again|"
    r"worse|not|n't|no (?:change|better)|doesn't|hasn't|isn't|won't|fails?|recurs?|happens again)\b|"
    r"\b(?:keep an eye on|wait and see|give it (?:a few|some|a couple of) (?:days|hours|time))\b"
)
_SEND_US = re.compile(
    _STEP_LEAD
    + r"(?:(?:send|forward|email|upload|text|message|pass)(?: (?:me|us)\b| [^.!?]{0,40}?\b(?:over|across|"
    r"back|to (?:me|us))\b)|reply (?:with|to (?:this|me|us))|let (?:me|us) know|tell (?:me|us)|"
    r"quote|confirm|provide)\b"
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


def _whole_runs(reply: TextView, steps: Sequence[Span], marked: set[Span]) -> set[Span]:
    """The marked steps and every step in the same run of consecutive step sentences: "Here's how
    to export: 1. Open Reports. 2. Choose..." repeats the export as a whole."""
    if not marked:
        return marked
    runs: list[list[Span]] = []
    for step in steps:
        if runs and not re.sub(r"[\d\s.):-]", "", reply.norm[runs[-1][-1].end : step.start]):
            runs[-1].append(step)  # nothing but numbering between them
        else:
            runs.append([step])
    return {step for run in runs if marked & set(run) for step in run}


def _steps_scorer(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    code, message = "gives_steps", "Gives the customer the steps that fix it."
    steps = _instruction_steps(exchange)
    if not steps and exchange.customer.needs.kind in ("problem", "question", "loss"):
        code, message = "suggests", "Suggests something the customer could try."
        steps = reply.spans(_SUGGESTION, allow_negated=False)[:2]
    tried = _tried(exchange) if steps else []
    again = [(step, source) for step in steps if (source := _repeats(exchange, step, tried))]
    repeated = _whole_runs(reply, steps, {step for step, _ in again})
    findings = STEPS.found(code, STRENGTH, message, [s for s in steps if s not in repeated][:3])
    if again:
        findings.append(
            STEPS.finding(
                "repeats_tried",
                ANTI,
                "Asks the customer to do what they said they have already done (or cannot do); "
                "it tells them nobody read their message.",
                [step for step, _ in again[:2]] + [source for _, source in again[:2]],
            )
        )
    return findings


STEPS = Scorer("steps", 2, _steps_scorer, ("gives_steps", "suggests", "repeats_tried"))


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
