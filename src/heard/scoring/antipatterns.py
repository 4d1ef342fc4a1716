"""Anti-patterns: blame, deflection, minimising, tone policing, hiding behind policy, jargon, the
defensive "but", and scripted phrases. Each finding quotes the offending words.

Traps handled on purpose (and tested): "it's not your fault" is validation, not blame; "no problem
at all" and "not a big deal for us to fix" are reassurance, not minimising; "I just checked" is
about the agent, not the customer; "kindly" is formal politeness, neither warm nor rude, and it
does not excuse what follows it ("kindly calm down" is still tone policing).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from heard.lexicon import phrases
from heard.results import Finding, FindingKind, Span, evidence_of
from heard.scoring.exchange import Exchange
from heard.scoring.scorer import Scorer

ANTI = FindingKind.ANTI_PATTERN

# --- blaming the customer, and deflecting responsibility ------------------------------------------

_CUSTOMER_ACTION = (
    r"(?:read|check|checked|follow|followed|enter|entered|type|typed|select|selected|update|"
    r"updated|provide|provided|know|known|call|called|contact|contacted|notice|noticed|look|looked|"
    r"double-check|double-checked|save|saved|verify|verified|confirm|confirmed|review|reviewed|"
    r"pay|paid|cancel|cancelled|keep|kept|use|used|click|clicked|attach|attached|include|included|"
    r"mention|mentioned|tell|told|inform|informed|listen|listened|pay attention|paid attention|"
    r"make sure|made sure|ensure|ensured|ask|asked|wait|waited|order|ordered|fill|filled|tick|ticked|"
    r"back up|backed up|charge|charged|install|installed|register|registered|sign|signed)"
)
_BLAME = phrases(
    rf"you (?:really |clearly |obviously )?(?:should have|should've|shouldn't have|should not have|"
    rf"ought to have|were supposed to|needed to|could have just|could've just|would have known)"
    rf"(?: have)? (?!been\b)(?:\w+ )?{_CUSTOMER_ACTION}\b[^.!?\n]{{0,60}}",
    rf"you (?:didn't|did not|failed to|forgot to|neglected to|never) (?:\w+ )?{_CUSTOMER_ACTION}\b"
    r"[^.!?\n]{0,60}",
    r"(?:as|like) (?:i|we)(?: have| had|'ve)? (?:already |previously |clearly |just |also )?"
    r"(?:said|stated|mentioned|explained|told you|informed you|advised|pointed out)",
    r"as (?:previously |already )?(?:stated|mentioned|explained|advised|noted)",
    r"per my (?:last|previous|earlier) (?:email|e-mail|message|reply|note)",
    r"(?:i've|i have|we've|we have) already (?:told|explained|said|answered)",
    r"if you (?:had|'d) (?:\w+ )?(?:read|checked|followed|listened|looked|paid attention|entered|told|"
    r"informed|let us know|updated|contacted|called|mentioned|given)\b[^,.!?\n]{0,40}",
    r"if you (?:would|'d) (?:just )?(?:read|listen|follow|check)",
    r"(?:it's|it is|that's|that is|this is|it was|this was)(?: entirely| completely| clearly|"
    r" obviously| really)? (?:your|the customer's) (?:own )?(?:fault|mistake|responsibility|error|"
    r"problem)",
    r"(?:this|that|it) (?:is|was) (?:caused|down to) (?:by )?(?:you|your (?:own )?(?:mistake|error))",
    r"user error",
    r"you (?:clearly |obviously )?(?:misunderstood|misread|got it wrong|made (?:a|an) (?:\w+ )?"
    r"(?:mistake|error))",
    r"you (?:entered|typed|selected|chose|gave|put in) (?:it|(?:the|your|a|an) (?:\w[\w-]* ){0,3}\w[\w-]*) "
    r"(?:wrong|wrongly|incorrectly)",
    r"(?:clearly|plainly) (?:states|stated|says|said|shows|showed|explains|explained|mentioned|"
    r"marked|written|visible|listed)",
    # lecturing: "please take more care", "make sure you always check", "order earlier in future"
    r"(?:please )?(?:take more care|be more careful|pay more attention)",
    r"(?:please )?make sure you (?:always |do )?(?:check|read|enter|double-check|update|keep|follow|provide|order|submit)\b[^.!?\n]{0,60}",
    r"(?:we|i) (?:would )?(?:recommend|suggest|advise|ask) (?:that )?(?:you )?[^.!?\n]{0,50}\b(?:in future|next time|in the future)",
    r"in (?:the )?future,? (?:please )?(?:make sure|ensure|remember|check|try)\b[^.!?\n]{0,60}",
    r"(?:it is|it's|it was) (?:the )?(?:customer's|patient's|guest's|passenger's|member's|account holder's|your) (?:own )?responsibility",
    r"had you (?:\w+ ){0,3}(?:updated|read|checked|entered|told|called|contacted|followed|given)\b[^.!?\n]{0,60}",
    r"the (?:reading|number|details?|address|code|date|information|postcode) you (?:submitted|entered|gave|provided|typed|supplied) (?:was|were) (?:incorrect|wrong|invalid)",
    r"you (?:entered|typed|submitted|gave|put) [^.!?\n]{1,30} instead of",
)
_DEFLECTION = phrases(
    r"(?:it's|it is|that's|that is|this is|it was|this was|that was)(?: really| simply| actually|"
    r" honestly)? not (?:our|my|the company's) (?:fault|problem|responsibility|issue|doing|"
    r"concern|mistake)",
    r"(?:nothing|not anything) to do with (?:us|me|our (?:side|end|company|team))",
    r"(?:that's|it's|this is|that is|it is)(?: really| entirely)? (?:the courier's|the carrier's|"
    r"the bank's|your bank's|the manufacturer's|the supplier's|their|another department's|"
    r"the other team's|a third party's) (?:fault|problem|responsibility|issue|mistake)",
    r"(?:you'll|you will) (?:have|need) to (?:take it up with|speak (?:to|with)|talk (?:to|with)|contact|"
    r"call|ring|email|get in touch with|raise it with|go to) (?:them|the courier|your bank|the bank|the "
    r"manufacturer|the seller|the retailer|the airline|the carrier|the supplier|the delivery company)"
    r"(?: directly| yourself| instead)?",
    r"(?:we're|we are|i'm|i am) not responsible for",
    r"(?:becomes|is|are|become) (?:the courier's|the carrier's|the bank's|your bank's|their|the "
    r"manufacturer's|the supplier's) (?:responsibility|problem)",
    r"(?:isn't|is not|not) something (?:we|i) can (?:\w+ )?(?:resolve|fix|help with|sort|deal with)"
    r"(?: from (?:our|my) (?:side|end))?",
    # the door shut: "it's not my department", "please do not contact us again about this"
    r"(?:it's|it is|that's|that is|this is)(?: really| simply| just)? not (?:my|our) (?:department|"
    r"area|job|team|remit|responsibility)",
    r"(?:please )?(?:do not|don't) (?:contact|call|email|write to|chase) us (?:again|further)",
    # the cause put out of reach: "which is outside our control", "beyond our control"
    r"(?:outside|beyond|out of) (?:of )?(?:our|my|the company's) (?:control|hands)",
)


def _blame(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    return BLAME.found(
        "blames_customer",
        ANTI,
        "Puts the fault on the customer; they stop listening and start defending.",
        reply.spans(_BLAME, allow_negated=False),  # "it's not your fault" is not blame
    ) + BLAME.found(
        "deflection",
        ANTI,
        "Pushes responsibility elsewhere instead of helping from where you stand.",
        reply.spans(_DEFLECTION),
    )


BLAME = Scorer("blame", 1, _blame, ("blames_customer", "deflection"))

# --- minimising -----------------------------------------------------------------------------------

_MINIMISE = phrases(
    # advice aimed at the customer: "you just need to", "all you have to do is", "simply click"
    r"you(?:'ll| will| can| could| would| need to| have to| only need to| should|'d)? (?:just|simply|"
    r"merely|only) (?:need to |have to )?\w+",
    r"all (?:you|you'll|you will) (?:need|have|ever need) to do is",
    r"(?:it's|it is|that's|that is|this is|it was|was|is)(?: really| actually)? (?:just|only|"
    r"merely|simply) (?:a |an )?(?:small|minor|tiny|little|quick|simple|slight|temporary)"
    r" (?:\w+)",
    r"(?:it's|it is|that's|that is|this is|it was)(?: really| actually)? (?:nothing(?! (?:that )?you)|no big deal|"
    r"not (?:a )?big deal|not (?:that|so) (?:bad|serious|big|important)|not the end of the world|"
    r"a first world problem|not a (?:real|big) problem)",
    r"(?:it's|it is|that's|that is|this is)(?: really| very| super| pretty| quite)? (?:easy|simple|"
    r"straightforward|quick)(?! to (?:see|imagine|understand why|understand how))(?: to (?:do|find|use|follow|set up|understand|fix|sort))?",
    r"(?:you're|you are) overreacting",
    r"(?:this|it|that|these things|delays?(?: like (?:this|that))?|issues?(?: like (?:this|that))?|"
    r"problems?(?: like (?:this|that))?) happens? (?:all the time|a lot|every day|quite often)",
    r"(?:it's|it is|that's|this is)(?: only| just| simply)+ (?:taking|running) (?:a (?:little|bit|tad) )?"
    r"(?:longer|late|slow|behind)",
    r"(?:a (?:little|bit|tad) )(?:longer|later|slower) than usual",
    r"(?:everyone|everybody) (?:else )?(?:manages|knows|can do)",
    r"obviously",
    r"as you can (?:clearly |obviously )?see",
    r"you (?:clearly|obviously)",
    r"(?:a |an )?(?:small|minor|tiny|slight) (?:inconvenience|glitch|hiccup|issue|problem|delay)",
    r"(?:occasionally |sometimes )?(?:mistakes|delays|errors|accidents|these things|things like this|glitches) (?:do |can |will )?happen",
    r"(?:these things|it|this|things like this|issues like this) (?:usually |normally |often |tend to |will )?(?:sorts?|resolves?|fix(?:es)?|clears?|works?) (?:themselves|itself) out",
    r"(?:it's|it is|that's|that is|it was)(?: really)? (?:just|only|merely) (?:one|a|an|two|a few|\d+|[$£€]\d[\d.,]*) (?:\w+ ){0,2}(?:charge|fee|day|days|minutes?|hours?|month|week|payment|delay|item|thing|pounds?|dollars?|euros?)\b",
    r"(?:it's|it is|i'm sure it's|i am sure it is|i'm sure it'll be|it'll be|it will be|it's probably|it is probably)(?: all| probably)? (?:fine|okay|ok|nothing to worry about|nothing serious)(?! (?:not )?to\b| if you\b)",
    r"(?:i'm|i am) sure (?:it's|it is|it'll be|everything is|all is) (?:all )?(?:fine|ok|okay)",
    # the problem guessed small: "it's probably just condensation", "most likely only a blip"
    r"(?:it's|it is|that's|that is|this is|it was|it'll be|it will be)(?: (?:probably|likely|most likely|almost certainly|i'm sure|surely))+ (?:just|only|nothing)\b(?: \w+){0,5}",
    r"(?:no need|nothing) to (?:worry|panic)(?! about (?:that|the (?:cost|payment|fee|form|paperwork))\b)",
)
# Sentence-initial imperatives: "Just restart the app." / "Simply log in again."
_MINIMISING_IMPERATIVE = re.compile(r"(?:^|(?<=[.!?\n]) *)(?:just|simply) ([a-z]+)")
_NOT_MINIMISING_AFTER_JUST = frozenset(
    {
        "to",
        "wanted",
        "want",
        "checking",
        "checked",
        "a",
        "so",
        "in",
        "letting",
        "let",
        "now",
        "heard",
        "spoke",
        "sent",
        "confirming",
        "confirmed",
        "noticed",
        "one",
        "quickly",
    }
)
# Reassurance about *our* effort, not the customer's problem: "not a big deal for us to fix".
_OUR_EFFORT = re.compile(
    r"\s*(?:at all\s*)?(?:for (?:us|me|our team)|on our (?:end|side)|to (?:fix|sort|change|resolve|"
    r"update|do|correct|arrange|put right))"
)
_EASY_FOR_CUSTOMER = re.compile(r"(?:easy|simple|straightforward|quick)")
_ADVICE = re.compile(
    r"you(?:'ll| will| can| could| would| need to| have to| only need to| should|'d)? (?:just|simply|only)"
)


# Words that make "you only need to…" a kindness (less to do, no pressure) rather than a shrug.
_REASSURANCE = phrases(
    r"when(?:ever)? you (?:can|are ready|feel ready|have (?:a moment|time)|get (?:a chance|time))",
    r"no (?:hurry|rush|pressure)",
    r"in your own time",
    r"there's no (?:hurry|rush|deadline)",
    r"(?:that's|that is) (?:all|everything)",
    r"nothing else",
    r"we(?:'ll| will) (?:do|handle|take care of) the rest",
    # the worry taken off their hands: "no need to worry about the router: I'll send a bag"
    r"(?:no need|nothing) to (?:worry|panic) about (?:\w+ ){0,3}?\w+\W+(?:\w+ )?(?:i|we)(?:'ll| will|'ve| have)\b",
)


def _sentence_end(view: Any, position: int) -> int:
    sentence = view.sentence_at(position)
    return sentence.end if sentence is not None else position + 80


# Words that make a failure small, which only minimise when health or safety was at stake.
_SOFTENED = phrases(
    r"mix-?ups?",
    r"(?:isn't|is not|wasn't|was not|weren't|not) quite (?:right|what you (?:expected|wanted))",
    r"hiccups?",
    r"mishaps?",
    r"(?:didn't|did not|doesn't|does not) (?:quite )?meet (?:your )?expectations",
)
_HARM_AT_STAKE = frozenset({"stakes_health", "stakes_safety"})


def _minimising(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    spans: list[Span] = []
    for match in reply.matches(_MINIMISE):
        text = match.group(0)
        after = reply.norm[match.end() : match.end() + 40]
        if _OUR_EFFORT.match(after):
            continue  # "it's not a big deal for us to fix" / "it's easy for us to change"
        struggling = exchange.customer.needs.has("problem") or (
            exchange.customer.emotion.label in ("frustrated", "confused", "anxious")
        )
        if not struggling and (_EASY_FOR_CUSTOMER.search(text) or _ADVICE.match(text)):
            continue  # "it's quick to set up", "you can just tap Edit": information, to a calm asker
        if _REASSURANCE.search(reply.norm[match.start() : _sentence_end(reply, match.end())]):
            continue  # "you only need to send it when you can, no hurry" lightens their load
        negated_here = reply.is_negated(match.start())
        if negated_here and not re.search(r"\bnot\b|\bno\b|nothing", text):
            continue  # "I don't think it's just a glitch"
        spans.append(reply.span(match.start(), match.end()))
    struggling = exchange.customer.needs.has("problem") or (
        exchange.customer.emotion.label in ("frustrated", "confused", "anxious")
    )
    harmed = {cue.code for cue in exchange.customer.complexity.cues} & _HARM_AT_STAKE
    if harmed and exchange.customer.needs.has("problem"):
        # "a mix-up with your order" to a parent whose son needed his EpiPen
        spans += [span for span in reply.spans(_SOFTENED, allow_negated=False) if span not in spans]
    for match in _MINIMISING_IMPERATIVE.finditer(reply.norm):
        if match.group(1) in _NOT_MINIMISING_AFTER_JUST or not struggling:
            continue
        if _REASSURANCE.search(reply.norm[match.start() : _sentence_end(reply, match.end())]):
            continue
        if not any(s.start <= match.start() < s.end for s in spans):
            spans.append(reply.span(match.start(), match.end()))
    return MINIMISING.found(
        "minimising",
        ANTI,
        'Makes the problem or the fix sound trivial ("just", "simply", "obviously"); to someone '
        "who is stuck it says the problem is them.",
        spans,
    )


MINIMISING = Scorer("minimising", 1, _minimising, ("minimising",))

# --- tone policing ----------------------------------------------------------------------------

TONE_POLICING_PATTERN = phrases(
    r"(?:please |kindly )?(?:calm down|settle down|chill out|take a (?:deep )?breath|cool down|"
    r"cool it|simmer down)",
    r"(?:please |kindly )?(?:be|remain|stay|keep) (?:calm|polite|respectful|civil|patient|reasonable)",
    r"(?:there's|there is) no (?:need|reason|call) (?:to|for) (?:be |get |getting |being )?(?:so )?"
    r"(?:rude|shout\w*|yell\w*|swear\w*|aggressive|hostile|abusive|that (?:language|tone|attitude)|"
    r"raise your voice|upset|angry|worked up|emotional|dramatic|nasty)",
    r"(?:no need|there's no need) for (?:that|the attitude|the tone|the language|the caps)",
    r"(?:watch|mind) (?:your|the) (?:language|tone|words)",
    r"(?:let's|let us|please|can we|could we) (?:keep|stay) (?:this|it|things|the conversation) (?:civil|polite|calm|respectful|professional|friendly)",
    r"(?:lower|don't raise|do not raise) your voice",
    r"(?:don't|do not) (?:be|get) (?:so )?(?:rude|angry|upset|aggressive|emotional|worked up|"
    r"dramatic|hysterical|personal|nasty)",
    r"(?:i|we) (?:won't|will not|cannot|can't|do not|don't) (?:tolerate|accept) (?:this|that|your|such|"
    r"abusive|bad|foul|offensive|rude|aggressive)(?: kind of)? (?:language|tone|behaviou?r|attitude|abuse|"
    r"rudeness|messages|comments)",
    r"if you (?:continue|keep|carry on) (?:to )?(?:shout|yell|swear|be rude|being rude|using|"
    r"to use|speaking|talking)",
    r"your (?:tone|attitude|language) (?:is|isn't|won't|will not|doesn't)",
    r"(?:you're|you are) (?:being )?(?:rude|unreasonable|aggressive|emotional|hysterical|dramatic|"
    r"abusive|hostile)",
    r"(?:getting|being) (?:angry|upset|rude|worked up) (?:won't|will not|doesn't|does not) help",
    r"(?:shouting|yelling|swearing|typing in caps) (?:won't|will not|doesn't|does not) help",
    r"(?:please )?(?:don't|do not|stop) (?:shout\w*|yell\w*|swear\w*|using (?:capitals|caps)|typing in (?:capitals|caps))",
    r"(?:we|i) (?:would )?ask (?:that )?you (?:to )?(?:remain|stay|be|keep) (?:courteous|polite|calm|civil|respectful)",
    r"(?:lower|lowering) your voice",
    # the manner corrected, however politely: "writing in capital letters won't help", "I'd
    # appreciate it if you didn't swear", "please don't use capitals", "keep things calm"
    r"(?:writing|typing|messaging|shouting|swearing|capitals|caps|capital letters)(?: in (?:capital letters|capitals|caps))? (?:won't|will not|doesn't|does not|isn't going to) (?:help|get|make|speed|change)",
    r"(?:i'd|i would|we'd|we would) (?:appreciate|prefer) (?:it )?if you (?:didn't|did not|don't|wouldn't|could stop|stopped|refrained)",
    r"(?:please )?(?:don't|do not|avoid|refrain from) (?:use|using|writing in|typing in) (?:capitals|caps|capital letters|bad language|that language|profanity)",
    r"(?:keep|keeping) (?:things|this|it|the conversation|messages|your messages) (?:calm|civil|polite|respectful|friendly)",
    r"(?:comes|come) across as (?:shouting|rude|aggressive|abusive)",
    r"(?:our|my) (?:staff|team|colleagues|agents) (?:deserve|are owed) (?:respect|courtesy)",
    r"(?:remember|bear in mind) (?:that )?(?:i'm|i am|we're|we are) (?:only |just )?(?:trying to help|human|here to help)",
    # correcting how they write rather than hearing what they wrote: "I think you mean 'bought'",
    # "please write in full sentences"
    r"(?:i think |i believe |i assume )?you mean(?:t)? (?:to say )?[\"'\u201c\u2018]",
    r"(?:please )?(?:write|type|use|reply in) (?:in )?(?:full|complete|proper) (?:sentences|english|words)",
    r"(?:your|the) (?:english|grammar|spelling|writing) (?:isn't|is not|was not|wasn't|is (?:hard|difficult|poor|bad)|makes (?:it|this) (?:hard|difficult))",
)


def _tone_policing(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    # "you don't have to stay patient any longer" is skipped; "no need to be rude" is kept
    spans = exchange.reply.affirmed(TONE_POLICING_PATTERN)
    return TONE_POLICING.found(
        "tone_policing",
        ANTI,
        "Corrects how the customer expresses themselves instead of what upset them; it "
        "escalates almost every time.",
        spans,
    )


TONE_POLICING = Scorer("tone_policing", 1, _tone_policing, ("tone_policing",))

# --- hiding behind policy ---------------------------------------------------------------------

POLICY_PATTERN = phrases(
    r"(?:it's|it is|that's|that is|this is)(?: just| simply| unfortunately| strictly)? (?:against )?"
    r"(?:our|company|the|store|bank|bank's|company's) (?:policy|policies|rules?|procedure|process)",
    r"(?:company|our|the) (?:policy|policies|rules?|terms|procedures?) (?:states?|says?|do not|"
    r"does not|don't|doesn't|prevents?|prohibits?|requires?|is|are|clearly|won't|will not|only)",
    r"(?:according to|per|as per|in line with|due to|because of|under) (?:our|the|company|bank) "
    r"(?:policy|policies|rules?|terms(?: and conditions)?|t&cs?|t and cs|procedures?|guidelines)",
)
REFUSAL_PATTERN = re.compile(
    r"\b(?:can't|cannot|can not|unable|not able|not possible|won't|will not|wouldn't|would not|"
    r"no longer|not eligible|non-?refundable|not refundable|no refunds?|not covered|don't offer|"
    r"do not offer|don't do|do not do|don't provide|do not provide|isn't possible|is not possible|"
    r"not available|isn't available|not something we|"
    r"i'm afraid|i am afraid|unfortunately|"
    r"ineligible|doesn't allow|does not allow|don't allow|do not allow|not allowed|not permitted|"
    r"prevents?|prohibits?|denied|decline[sd]?|refuse[sd]?|nothing)\b"
)
POLICY_IDIOM_PATTERN = phrases(
    r"(?:there's|there is) (?:really |unfortunately |simply )?nothing (?:more |else |further )?"
    r"(?:i|we) can do",
    r"(?:i|we) (?:can't|cannot|can not|am unable to|are unable to|'m unable to|'re unable to|"
    r"am not able to|are not able to|'m not able to|'re not able to) (?:do anything|help (?:you )?"
    r"(?:any further|further|with (?:that|this)))",
    r"(?:that's|it's|this is|that is|it is) (?:out of|beyond) (?:my|our) (?:hands|control)",
    r"rules are rules",
    r"(?:i|we) (?:don't|do not) make the (?:rules|policy|policies)",
    r"(?:my|our) hands are tied",
    r"(?:i'm|i am|we're|we are) not (?:allowed|permitted|authori[sz]ed) to",
    r"(?:that's|it's) just (?:the way|how) (?:it is|things are|it works)",
    r"computer says no",
    r"(?:our|the|this|that) decision is final",
    r"(?:will|won't|would|wouldn't) not change the (?:outcome|decision)",
    r"(?:will not|won't) change (?:the|our) (?:outcome|decision)",
    # the small print held up instead of an answer: "...set out in our terms and conditions,
    # which you agreed to when you joined"
    r"(?:which|that|as) you (?:agreed to|accepted|signed up to|signed)(?= when| at| on| upon| before)",
)


_ALTERNATIVE = phrases(
    r"what (?:i|we) (?:can|could) do",
    r"here's what (?:i|we) can",
    r"instead",
    r"alternatively",
    r"(?:i|we) (?:can|could) offer",
    r"(?:one|another|the best|the closest|a) (?:option|alternative)",
    r"(?:i|we)(?:'ve| have) (?:started|arranged|set up|booked|raised|requested|applied)",
)


# A flat "no" to what the customer asked: "we wouldn't offer…", "that isn't possible".
BARE_REFUSAL_PATTERN = phrases(
    r"(?:we|i) (?:wouldn't|would not|won't|will not|can't|cannot|can not|don't|do not|are unable to|"
    r"am unable to|'re unable to|'m unable to|are not able to|'re not able to|am not able to|"
    r"'m not able to|aren't able to) (?:be able to )?(?:offer|give|provide|refund|reimburse|"
    r"compensate|accept|allow|approve|honou?r|waive|change|exchange|replace|upgrade|extend|"
    r"cover|make (?:an )?exceptions?|do (?:that|this|refunds?|exchanges?))\b[^.!?\n]{0,80}",
    r"(?:that|this|it|a refund|an exchange|an upgrade|compensation)(?:'s| is|'s not| isn't| is not|"
    r" won't be| will not be| wouldn't be| would not be) (?:not )?(?:possible|available|something "
    r"we (?:can|could|do|offer))\b[^.!?\n]{0,60}",
    r"(?:you're|you are|you aren't|you're not|you are not) not? ?(?:eligible|entitled) (?:to|for)\b[^.!?\n]{0,60}",
    r"(?:is|are)(?: strictly)? non-?refundable",
    r"no refunds? (?:can|will|is|are)\b[^.!?\n]{0,40}",
    # the rule as the answer: "renewals can only be refunded within 7 days", "it is outside this
    # window", "the charge applies to all cancellations", "accounts are non-transferable"
    r"(?:can|may|will) only be (?:refunded|cancel+ed|changed|amended|returned|exchanged|accessed|"
    r"transferred|discussed|waived|reimbursed|booked|added|made)\b[^.!?\n]{0,80}",
    r"(?:is|are|falls?|was|were)(?: now)? outside (?:this|the|our) (?:\w+ )?(?:window|period|"
    r"timeframe|time frame|time limit|policy)\b[^.!?\n]{0,40}",
    r"(?:applies|apply) to (?:all|every|any) (?:\w+ )?(?:cancel+ations?|customers?|bookings?|claims?|"
    r"orders?|accounts?|policies|changes|returns)\b[^.!?\n]{0,60}",
    r"(?:cannot|can't|can not) be (?:guaranteed|refunded|cancel+ed|transferred|changed|amended|"
    r"waived|reversed)\b[^.!?\n]{0,60}",
    r"(?:is|are)(?: strictly)? non-?transferable\b[^.!?\n]{0,60}",
)


def _offers_alternative(exchange: Exchange, earlier: Sequence[Finding]) -> bool:
    """A way forward: an alternative named, an action taken or promised, or a question to find one."""
    if _ALTERNATIVE.search(exchange.reply.norm) is not None:
        return True
    codes = {f.code for f in earlier}
    return bool(codes & {"clear_next_steps", "next_steps", "action_taken"})


def _policy_shield(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    spans = [reply.span(m.start(), m.end()) for m in reply.matches(POLICY_IDIOM_PATTERN)]
    # A policy explained on the way to a solution ("our policy covers this, so I've started your
    # refund") or next to an alternative ("...; what I can do is...") is not a shield.
    offers_alternative = _offers_alternative(exchange, earlier)
    for match in reply.matches(POLICY_PATTERN):
        sentence = reply.sentence_at(match.start())
        clause = reply.norm[sentence.start : sentence.end] if sentence else match.group(0)
        if REFUSAL_PATTERN.search(clause) and not offers_alternative:
            spans.append(reply.span(match.start(), match.end()))
    findings = POLICY_SHIELD.found(
        "policy_shield",
        ANTI,
        "Hides behind policy: the customer hears 'no' and no way forward. Say what you *can* do.",
        spans,
    )
    alternatives = reply.spans(_ALTERNATIVE)
    findings += POLICY_SHIELD.found(
        "offers_alternative",
        FindingKind.STRENGTH,
        "Offers a way forward: what you *can* do.",
        alternatives,
    )
    if not spans and not offers_alternative:
        refusals = reply.spans(BARE_REFUSAL_PATTERN)
        findings += POLICY_SHIELD.found(
            "bare_refusal",
            ANTI,
            "Says no and stops there: the customer is left with nowhere to go. Add the reason in "
            "a few words and what you *can* do instead.",
            refusals,
        )
    return findings


POLICY_SHIELD = Scorer(
    "policy_shield", 2, _policy_shield, ("policy_shield", "bare_refusal", "offers_alternative")
)

# --- jargon -----------------------------------------------------------------------------------

JARGON_PATTERN = phrases(
    r"sla",
    r"rma",
    r"tier[ -]?[123]",
    r"l[123](?: (?:support|team|queue))?",
    r"back[- ]?end",
    r"front[- ]?end",
    r"server[- ]side",
    r"client[- ]side",
    r"(?:dns )?propagation",
    r"dns",
    r"api",
    r"endpoint",
    r"ttl",
    r"cache (?:invalidation|flush|layer)",
    r"provisioning",
    r"re-?provision\w*",
    r"hotfix",
    r"regression",
    r"deprecated",
    r"sso",
    r"oauth",
    r"sku",
    r"ach",
    r"pre-?auth(?:ori[sz]ation)?",
    r"auth(?:ori[sz]ation)? hold",
    r"settlement (?:batch|window|file)",
    r"reconciliation",
    r"batch (?:job|run|process)",
    r"sync (?:job|issue|error|process)",
    r"escalation queue",
    r"root cause analysis",
    r"rca",
    r"p[1-4] (?:incident|ticket|issue)",
    r"sev(?:erity)? ?[1-4]",
    r"incident (?:ticket|number|management)",
    r"ticket (?:queue|triage)",
    r"triage[sd]?",
    r"kb article",
    r"config(?:uration)? (?:change|file|flag)",
    r"feature flag",
    r"latency",
    r"packet loss",
    r"upstream (?:provider|issue|outage)",
    r"payload",
    r"bounce(?:d)? (?:back )?(?:at|from) (?:the )?gateway",
    r"gateway (?:error|timeout)",
    r"chargeback",
    r"ledger",
    r"mid-?cycle",
    r"pro-?rata",
    r"subrogation",
    r"donor (?:network|provider|operator)",
    r"port(?:ing)? (?:request|authori[sz]ation|date)",
    r"ported",
)
# Jargon that makes the whole reply hard to read (the label its evidence carries).
DENSE = "dense"
DENSE_TERMS = 3
_EXPLAINED = re.compile(
    r"^\s*(?:\(|,? (?:which|that) (?:means|is)|, i\.e\.|, meaning|, in other words)"
)


# Acronyms everyone knows; any other in capitals that the customer did not use is jargon.
_KNOWN_ACRONYMS = frozenset(
    "OK ID PIN SMS FAQ UK US USA EU PDF URL TV PC GP NHS VAT ATM DVD USB GPS CEO VIP AM PM IBAN "
    "BIC IT HR ASAP FYI BST GMT UTC EST PST CET DHL UPS TNT SIM WIFI MOT BBC ITV PS PS5 XL XS "
    "QR CV NI DM IOS CSV HTML SUV MPV EV XLSX XLS DOC DOCX JPG JPEG PNG MB GB KB TB HD LED LCD "
    "SSD RAM CPU DIY DOB ETA AA RAC DVLA HMRC IRS DSL ADSL 4G 5G LTE MMS PO BBQ TBC ISA".split()
)
# An acronym stands alone: "CL" in the reference "CL-48213" or "CA" in "CA$15" is not one, and
# nor is a redaction placeholder ("[NAME]", "#NUMBER#", "<PHONE>", "{ORDER_ID}").
_ACRONYM = re.compile(r"(?<![\w$£€\[#<{_-])[A-Z]{2,7}s?(?![\w$£€\]#>}_-])")


# An agent's initials signing a social-media reply: "^JK", "*TJ", "/AV", "- MK".
_SIGN_OFF_MARK = re.compile(r"(?:[\^*/~\u2013\u2014-]|\s-)\s?$")


def _signed_off(text: str, start: int, end: int) -> bool:
    """Whether the capitals at ``start:end`` are the agent's initials signing the reply."""
    if end - start > 3:
        return False
    if _SIGN_OFF_MARK.search(text[max(0, start - 2) : start]):
        return True
    return not text[end:].strip(" .!)") and text[:start].rstrip().endswith((".", "!", "?"))


def _acronyms(exchange: Exchange) -> list[Span]:
    """Unexplained acronyms the customer did not use ("RPL", "ILOs", "APL")."""
    reply, context = exchange.reply, exchange.context
    if reply.text.upper() == reply.text:
        return []  # a reply in capitals throughout says nothing about acronyms
    spans = []
    for match in _ACRONYM.finditer(reply.text):
        word = match.group(0)
        if word.endswith("s") and word[:-1].isupper():
            word = word[:-1]
        if word in _KNOWN_ACRONYMS or _signed_off(reply.text, match.start(), match.end()):
            continue
        if len(word) > 5 and sum(c in "AEIOU" for c in word) > len(word) // 5:
            continue  # a long word in capitals is shouting ("PLEASE"), not "MSISDN"
        if re.search(r"(?<![\w'])" + re.escape(word.lower()) + r"s?(?![\w'])", context.norm):
            continue  # the customer used it
        if _EXPLAINED.match(reply.norm[match.end() : match.end() + 30]):
            continue
        spans.append(reply.span(match.start(), match.end()))
    return spans


def _jargon(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply, context = exchange.reply, exchange.context
    spans = _acronyms(exchange)
    for match in reply.matches(JARGON_PATTERN):
        term = match.group(0)
        if re.search(r"(?<![\w'])" + re.escape(term) + r"(?![\w'])", context.norm):
            continue  # the customer used the word themselves
        if _EXPLAINED.match(reply.norm[match.end() : match.end() + 30]):
            continue
        spans.append(reply.span(match.start(), match.end()))
    # one term once: "DNS" inside "DNS propagation" is the same term
    spans = [
        span
        for span in spans
        if not any(
            other is not span
            and other.start <= span.start
            and span.end <= other.end
            and (other.end - other.start) > (span.end - span.start)
            for other in spans
        )
    ]
    spans.sort(key=lambda span: span.start)
    terms = {span.text.lower() for span in spans}
    if len(terms) >= DENSE_TERMS and len(terms) >= len(reply.sentences):
        # several terms, about one a sentence: a manual, not a reply with a term in it
        spans = [replace(span, label=DENSE) for span in spans]
    return JARGON.found(
        "jargon",
        ANTI,
        "Uses internal or technical terms the customer did not use; say what it means for them.",
        spans,
    )


JARGON = Scorer("jargon", 1, _jargon, ("jargon",))

# --- the defensive "but" ----------------------------------------------------------------------

_SOFTENER = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|understand|appreciate|hear you|see (?:that|how|why|your)|"
    r"get (?:that|it)|know (?:that|how|this|it|what)|realise|realize|sympathi[sz]e|i hear)\b"
)
_BUT = re.compile(
    r"(?:,\s*|\s+|^)(?:but|however|although|though|yet|that said|having said that|nevertheless|"
    r"nonetheless|even so)\b[,]?"
)
_NOT_DEFENSIVE_AFTER = re.compile(
    r"\s*(?:i'll|i will|let me|we'll|we will|i've|i have|we've|we have|i can|we can|the good news|"
    r"here's what|what i can|i'm going to|we're going to|i am going to|i'd like to|there's a way|"
    r"i've gone ahead|also|for now|now)\b"
)


def _defensive_but(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply = exchange.reply
    spans = []
    previous_soft: int | None = None
    for segment in reply.sentences:
        sentence = reply.norm[segment.start : segment.end]
        soft = _SOFTENER.search(sentence)
        for but in _BUT.finditer(sentence):
            if but.start() == 0 and previous_soft is not None:
                start = previous_soft  # "I understand your frustration. However, ..."
            elif soft is not None and soft.start() < but.start():
                start = segment.start + soft.start()
            else:
                continue
            word = but.group(0).strip(" ,").strip()
            before = sentence[: but.start()]
            if word in ("though", "although", "yet") and but.start() > 0:
                continue  # concessive "though" after a clause is rarely the defensive move
            if re.search(r"not only\b[^,]*$|nothing$|all$", before.strip()):
                continue
            if _NOT_DEFENSIVE_AFTER.match(sentence[but.end() :]):
                continue
            spans.append(reply.span(start, segment.start + but.end()))
            break
        previous_soft = segment.start + soft.start() if soft else None
    return DEFENSIVE_BUT.found(
        "defensive_but",
        ANTI,
        'Takes back an acknowledgement with "but"/"however"; the customer only hears what '
        "comes after it.",
        spans,
    )


DEFENSIVE_BUT = Scorer("defensive_but", 1, _defensive_but, ("defensive_but",))

# --- scripted phrases -------------------------------------------------------------------------

SCRIPTED = phrases(
    r"(?:we|i) (?:sincerely )?apologi[sz]e for (?:any|the) (?:inconvenience|trouble|frustration|"
    r"confusion|disruption)(?: (?:this|that|it) (?:may|might|has|may have|might have) (?:caused|cause"
    r"|been))?(?: you)?",
    r"(?:we are |we're |i am |i'm )?sorry for (?:any|the) (?:inconvenience|trouble|disruption)"
    r"(?: (?:caused|this may have caused|this has caused))?",
    r"(?:we|i) (?:apologi[sz]e|are sorry|'re sorry) for the delay in (?:responding|our response|"
    r"getting back)",
    r"thank you(?: so much| very much)? for (?:your patience|your understanding|"
    r"bringing this to our attention|your continued patience|choosing us|being a valued customer)",
    r"thanks(?: so much)? for your patience",
    r"(?:great|good|excellent) question",
    r"(?:i'd|i would|i'll|i will) be (?:happy|glad|more than happy) to (?:help|assist)(?: you)?(?: with (?:that|this|your \w+))?(?: today)?",
    r"your (?:call|business|feedback|satisfaction|custom) is (?:very )?(?:important|valuable) to us",
    r"we (?:value|appreciate) your (?:feedback|business|custom|patience|understanding|loyalty)",
    r"(?:is there|was there) anything else (?:i|we) can (?:help|assist) (?:you )?with(?: today)?",
    r"please (?:do not|don't) hesitate to (?:contact|reach out|get in touch)",
    r"(?:please )?feel free to (?:contact|reach out|get in touch)",
    r"rest assured",
    r"please be advised",
    r"kindly be (?:informed|advised)",
    r"we regret to inform you",
    r"at your earliest convenience",
    r"(?:we are|we're) (?:currently )?looking into (?:it|this|the matter|the issue|your (?:issue|"
    r"concern|query))",
    r"(?:we are|we're|i am|i'm) sorry to hear (?:that|about that|this)",
    r"sorry to hear that",
    r"(?:i|we) understand your (?:concern|frustration)",
    r"(?:i|we) can assure you",
    r"we strive to",
    r"for your (?:information|reference)",
    r"your (?:concern|issue|query|ticket) has been (?:noted|escalated|forwarded|logged)",
)


# Stock courtesies: openers and closers that read as a template when they pile up, but one of
# them in a reply that is otherwise its own ("Thanks for getting in touch, Chloe") is manners.
# Their spans are labelled COURTESY so the score can tell the two kinds apart.
STOCK_COURTESY = phrases(
    r"thank you(?: so much| very much)? for (?:contacting us|reaching out|getting in touch|"
    r"your (?:email|message|enquiry|inquiry|query))",
    r"thanks(?: so much)? for (?:reaching out|contacting us|getting in touch)",
    r"(?:i )?hope (?:this|that) (?:helps|email finds you well|message finds you well)",
    r"(?:i )?hope you(?:'re| are) (?:well|doing well|having a (?:good|great) day)",
    r"have a (?:nice|great|good|wonderful|lovely|blessed) (?:day|weekend|evening)",
)
COURTESY = "courtesy"


def scripted_spans(exchange: Exchange) -> list[Span]:
    """The reply's stock phrases, found once per exchange (the warmth scorer needs them too), in
    the order they appear; stock courtesies carry the label ``COURTESY``."""

    def find(e: Exchange) -> list[Span]:
        spans = e.reply.spans(SCRIPTED) + e.reply.spans(STOCK_COURTESY, label=COURTESY)
        return sorted(spans, key=lambda span: span.start)

    return exchange.memo("scripted", find)


def _scripted(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    spans = scripted_spans(exchange)
    return SCRIPTED_PHRASES.found(
        "scripted_phrase",
        ANTI,
        "Stock phrases read as a template; say it in your own words about their situation.",
        spans,
    )


SCRIPTED_PHRASES = Scorer("scripted", 1, _scripted, ("scripted_phrase",))

# --- parroting ---------------------------------------------------------------------------------

PARROT_RUN = 8  # this many of the customer's words in a row, echoed back, is parroting
PARROT_SHARE = 0.6  # or this share of a reply sentence in copied runs of four or more words
_WORD_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def copied_runs(reply: str, context: str, *, minimum: int = 4) -> list[tuple[int, int, int]]:
    """Runs of at least ``minimum`` words of ``context`` repeated in ``reply`` (each run made of
    overlapping ``minimum``-word sequences the context also has), as (start, end, words)
    character offsets into the reply. Linear in the texts' lengths."""
    reply_words = [(m.group(0), m.start(), m.end()) for m in _WORD_TOKEN.finditer(reply)]
    if len(reply_words) < minimum:
        return []
    context_words = _WORD_TOKEN.findall(context)
    grams = {tuple(context_words[i : i + minimum]) for i in range(len(context_words) - minimum + 1)}
    if not grams:
        return []
    words = [w for w, _, _ in reply_words]
    copied = [False] * len(words)
    for i in range(len(words) - minimum + 1):
        if tuple(words[i : i + minimum]) in grams:
            for k in range(i, i + minimum):
                copied[k] = True
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(words):
        if not copied[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and copied[j + 1]:
            j += 1
        runs.append((reply_words[i][1], reply_words[j][2], j - i + 1))
        i = j + 1
    return runs


_DETAIL = re.compile(
    r"^(?:\d[\w:.,/-]*|[A-Z][\w'-]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"\d+(?:st|nd|rd|th))$",
    re.IGNORECASE,
)
READ_BACK_SHARE = 0.3


def _read_back(run: str) -> bool:
    """A run made largely of details (numbers, names, dates): a read-back, not an echo."""
    words = _WORD_TOKEN.findall(run)
    details = sum(1 for w in words if (_DETAIL.match(w) and not w.islower()) or w[:1].isdigit())
    return bool(words) and details / len(words) >= READ_BACK_SHARE


def _parroting(exchange: Exchange, earlier: Sequence[Finding]) -> list[Finding]:
    reply, context = exchange.reply, exchange.context
    runs = copied_runs(reply.norm, context.norm)
    spans: list[Span] = []
    for start, end, size in runs:
        sentence = reply.sentence_at(start)
        sentence_words = (
            len(_WORD_TOKEN.findall(reply.norm[sentence.start : sentence.end]))
            if sentence
            else size
        )
        copied = sum(n for a, _, n in runs if sentence and sentence.start <= a < sentence.end)
        if _read_back(reply.text[start:end]):
            continue  # confirming the booking back ("three vehicles at Heathrow T5 on 4 March")
        if (
            sentence
            and copied / max(sentence_words, 1) < PARROT_SHARE
            and any(
                sentence.start <= span.start < sentence.end
                for span in evidence_of(
                    earlier, "apology", "acknowledges_feeling", "validates_feeling"
                )
            )
        ):
            # their words inside an apology that says what it means ("I'm sorry: being kept
            # waiting for 50 minutes ... is not the service you should get"): acknowledgement
            continue
        if size >= PARROT_RUN or (sentence_words >= 6 and copied / sentence_words >= PARROT_SHARE):
            spans.append(reply.span(start, end))
    return PARROTING.found(
        "parroting",
        ANTI,
        "Echoes the customer's own words back; a reflection says what you understood, in your "
        "words.",
        spans,
    )


PARROTING = Scorer("parroting", 1, _parroting, ("parroting",))

SCORERS = (
    BLAME,
    MINIMISING,
    TONE_POLICING,
    POLICY_SHIELD,
    JARGON,
    DEFENSIVE_BUT,
    SCRIPTED_PHRASES,
    PARROTING,
)
