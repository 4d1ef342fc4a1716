"""Hand-written positive and negative examples for every rule-based finding code.

Each case is a realistic customer message and an agent reply. Positives check that the finding is
there, that its evidence is non-empty, that every span quotes its source exactly
(``source_text[start:end] == text``), and that the evidence quotes the words that trigger it.
Negatives include the traps a naive keyword detector falls into ("no problem at all", "it's not
your fault", "I just checked", "kindly"...).

Cases the engine currently gets wrong are kept as strict xfails with the reason, so that fixing
the engine turns them into passes.
"""

from __future__ import annotations

import pytest

import heard
from heard.results import Assessment, Finding, FindingKind

STRENGTH, GAP, ANTI = FindingKind.STRENGTH, FindingKind.GAP, FindingKind.ANTI_PATTERN

KINDS: dict[str, FindingKind] = {
    **dict.fromkeys(
        (
            "acknowledges_feeling",
            "validates_feeling",
            "apology",
            "ownership",
            "clear_next_steps",
            "action_taken",
            "next_steps",
            "personalised",
            "open_question",
            "closed_question",
            "answers_question",
            "warm_tone",
            "gives_steps",
        ),
        STRENGTH,
    ),
    **dict.fromkeys(
        (
            "unacknowledged_emotion",
            "no_acknowledgement",
            "complex_without_exploration",
            "excessive_sympathy",
            "no_next_steps",
            "no_timeline",
            "not_personalised",
            "unanswered_question",
        ),
        GAP,
    ),
    **dict.fromkeys(
        (
            "blames_customer",
            "bare_refusal",
            "misread_tone",
            "sales_push",
            "deflection",
            "minimising",
            "tone_policing",
            "policy_shield",
            "non_apology",
            "generic_reply",
            "defensive_but",
            "sympathy_not_empathy",
            "jargon",
            "scripted_phrase",
            "repeats_tried",
        ),
        ANTI,
    ),
}


def pos(code: str, context: str, reply: str, trigger: str, name: str, xfail: str = ""):
    """A case where ``code`` must be found, with ``trigger`` quoted in its evidence."""
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(code, True, context, reply, trigger, id=f"{code}-yes-{name}", marks=marks)


def neg(code: str, context: str, reply: str, name: str, xfail: str = ""):
    """A case where ``code`` must not be found."""
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(code, False, context, reply, None, id=f"{code}-no-{name}", marks=marks)


def describe(assessment: Assessment) -> str:
    emotion = assessment.customer.emotion
    lines = [
        f"customer: {emotion.label} {emotion.intensity:.2f}, "
        f"{assessment.customer.complexity.label} ({assessment.customer.complexity.score})",
    ]
    lines += [f"  {f.code}: {[s.text for s in f.evidence]}" for f in assessment.findings]
    return "\n".join(lines)


def the_finding(assessment: Assessment, code: str) -> Finding:
    found = [f for f in assessment.findings if f.code == code]
    assert len(found) == 1, f"expected exactly one {code!r} finding\n{describe(assessment)}"
    return found[0]


def check_evidence(assessment: Assessment, finding: Finding, trigger: str) -> None:
    assert finding.evidence, f"{finding.code} has no evidence"
    for span in finding.evidence:
        source_text = assessment.reply if span.source == "reply" else assessment.context
        assert span.source in ("reply", "context")
        assert 0 <= span.start <= span.end <= len(source_text)
        assert source_text[span.start : span.end] == span.text, span
        assert span.text.strip(), f"empty span in {finding.code}"
    quoted = [span.text.lower() for span in finding.evidence]
    assert any(trigger.lower() in text for text in quoted), (
        f"{trigger!r} not quoted in the evidence of {finding.code}: {quoted}"
    )


def check(code: str, expected: bool, context: str, reply: str, trigger: str | None) -> None:
    assessment = heard.assess(reply, context=context)
    if not expected:
        assert not assessment.has(code), f"unexpected {code!r}\n{describe(assessment)}"
        return
    assert assessment.has(code), f"missing {code!r}\n{describe(assessment)}"
    finding = the_finding(assessment, code)
    assert finding.kind is KINDS[code]
    assert finding.scorer.startswith("heard.")
    assert trigger is not None
    check_evidence(assessment, finding, trigger)


# --- acknowledgement ----------------------------------------------------------------------------

ACKNOWLEDGEMENT_CASES = [
    pos(
        "acknowledges_feeling",
        "My broadband has dropped out every evening this week and I work from home. "
        "I'm so frustrated.",
        "I can see how frustrating this has been when you rely on it for work. I've booked an "
        "engineer for Thursday morning.",
        "I can see how frustrating",
        "i-can-see-how-frustrating",
    ),
    pos(
        "acknowledges_feeling",
        "I've been charged twice for my March bill and I'm worried I'll go overdrawn.",
        "That must be really worrying with rent due this week. I've reversed the duplicate "
        "£42.50 charge today.",
        "That must be really worrying",
        "that-must-be-worrying",
    ),
    pos(
        "acknowledges_feeling",
        "Our flight to Lisbon was cancelled at the gate and I'm stuck here with two kids.",
        "I can't imagine how stressful this is with the children there. I've rebooked all three "
        "of you on the 18:40 flight tonight.",
        "I can't imagine how stressful",
        "cant-imagine-is-an-idiom",
    ),
    pos(
        "acknowledges_feeling",
        "The sofa arrived with a ripped cushion after a six-week wait. Really upset.",
        "I completely understand why you're upset after waiting six weeks. A replacement cushion "
        "is on its way.",
        "I completely understand why you're upset",
        "understand-why-youre-upset",
    ),
    pos(
        "acknowledges_feeling",
        "Someone has used my card in Spain and I'm panicking, I've never been there.",
        "You must be so worried right now. I've frozen the card and the £300 will be back in "
        "your account within 2 working days.",
        "You must be so worried",
        "you-must-be-worried",
    ),
    pos(
        "acknowledges_feeling",
        "I've asked three times for my SIM to be unlocked and I'm fed up.",
        "I hear you, and three requests is three too many. I've unlocked the SIM just now.",
        "I hear you",
        "i-hear-you",
    ),
    neg(
        "acknowledges_feeling",
        "Why is my parcel only a day late and you're not answering the phone?!",
        "I don't see why you're upset; the parcel is only a day late.",
        "dont-see-why-youre-upset",
    ),
    neg(
        "acknowledges_feeling",
        "I was charged twice for the same concert ticket.",
        "I understand. The duplicate charge has been refunded.",
        "bare-i-understand-names-no-feeling",
    ),
    neg(
        "acknowledges_feeling",
        "How do I switch to the cheaper data plan?",
        "It isn't hard to switch plans: open the app, go to Plan and pick the 10GB option.",
        "isnt-hard-is-not-a-feeling",
    ),
    neg(
        "acknowledges_feeling",
        "I'm confused, the engineer said my fee was waived but I was billed £60.",
        "I don't understand why you're frustrated, the £60 fee is in the contract you signed.",
        "dont-understand-why-frustrated",
    ),
    neg(
        "acknowledges_feeling",
        "My laptop won't boot after the update. It's still under warranty I think.",
        "I understand that the hard drive is still under warranty, so I've booked a free "
        "replacement.",
        "hard-drive-is-not-a-feeling",
    ),
    neg(
        "acknowledges_feeling",
        "Can you change my delivery address to 4 Mill Lane?",
        "Sounds good, I've updated the address to 4 Mill Lane.",
        "sounds-good",
    ),
    pos(
        "acknowledges_feeling",
        "My boiler has broken twice this week and I've got a newborn at home.",
        "I'm sorry you've had such a stressful week with the boiler. An engineer is booked for "
        "tomorrow at 8am.",
        "stressful",
        "sorry-youve-had-such-a-stressful-week",
    ),
    neg(
        "acknowledges_feeling",
        "When will my parcel arrive?",
        "It is difficult to say when the parcel will arrive, but I've chased the courier.",
        "difficult-to-say-is-a-hedge",
    ),
    pos(
        "acknowledges_feeling",
        "@YourBank Nice of your app to go down on payday. Again.",
        "Payday is the worst day for it to fail, sorry. The app is back up as of 10:20.",
        "worst day",
        "the-impact-named",
    ),
    pos(
        "acknowledges_feeling",
        "I've been at your airport desk for an hour and the car I booked isn't here.",
        "An hour at the desk with no answers isn't good enough, sorry. I've upgraded you.",
        "isn't good enough",
        "own-negation-not-cancelled-by-an-earlier-no",
    ),
    pos(
        "acknowledges_feeling",
        "I need to cancel my flights next week, my grandad passed away.",
        "I'm really sorry about your grandad. I've cancelled both flights.",
        "sorry about your grandad",
        "condolence-for-any-relative",
    ),
    pos(
        "acknowledges_feeling",
        "Please close my late husband's records.",
        "Thank you for your letter, and please accept my sincere condolences.",
        "my sincere condolences",
        "condolences-on-their-own",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), ACKNOWLEDGEMENT_CASES)
def test_acknowledgement(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- validation ---------------------------------------------------------------------------------

VALIDATION_CASES = [
    pos(
        "validates_feeling",
        "This is the third missed delivery slot. I took a day off work for it!",
        "That's completely understandable after three missed slots and a day off work. I've "
        "booked a named-day delivery for Friday.",
        "That's completely understandable",
        "thats-understandable",
    ),
    pos(
        "validates_feeling",
        "I think I broke the banking app by updating it, sorry.",
        "It's not your fault at all: the update had a bug, and it's fixed in today's version.",
        "It's not your fault",
        "its-not-your-fault",
    ),
    pos(
        "validates_feeling",
        "I must have done something wrong, my payment to the landlord bounced.",
        "You didn't do anything wrong. Our system blocked the payment by mistake and I've "
        "released it now.",
        "You didn't do anything wrong",
        "you-didnt-do-anything-wrong",
    ),
    pos(
        "validates_feeling",
        "I'm annoyed that my roaming bundle didn't work in France.",
        "You're right to be annoyed: the bundle should have worked in France. I've credited "
        "£12 to your account.",
        "You're right to",
        "youre-right-to-be-annoyed",
    ),
    pos(
        "validates_feeling",
        "The hotel cancelled my booking the night before and I'm so angry.",
        "Anyone would be angry about a cancellation the night before. I've found you a room "
        "at the Harbour Hotel at no extra cost.",
        "Anyone would be angry",
        "anyone-would-be-angry",
    ),
    pos(
        "validates_feeling",
        "I've had to chase this invoice refund four times.",
        "You shouldn't have to chase us for a refund. I've processed the £89 today.",
        "You shouldn't have to",
        "you-shouldnt-have-to",
    ),
    neg(
        "validates_feeling",
        "Your engineer was rude and left mud all over my carpet.",
        "I don't think that's fair to say about our engineer.",
        "dont-think-thats-fair",
    ),
    neg(
        "validates_feeling",
        "Can you tell me when my new card will arrive?",
        "Your new card was posted yesterday and should arrive by Thursday.",
        "plain-information",
    ),
    neg(
        "validates_feeling",
        "Where am I in the queue for a callback? I've been waiting since 9.",
        "You're right at the front of the queue now, so an adviser will call within 10 minutes.",
        "right-at-the-front-of-the-queue",
    ),
    neg(
        "validates_feeling",
        "My router keeps dropping the connection, what should I do?",
        "It makes sense to restart the router first; if that doesn't help I'll book an engineer.",
        "makes-sense-to-restart-is-advice",
    ),
    neg(
        "validates_feeling",
        "The price on the website was wrong and I want the lower price.",
        "That is not reasonable, the price was correct at the time you ordered.",
        "that-is-not-reasonable",
    ),
    neg(
        "validates_feeling",
        "Can I move my dentist insurance renewal date?",
        "Yes, I've moved your renewal date to 1 June.",
        "routine-answer",
    ),
    pos(
        "validates_feeling",
        "I'm furious, nobody told me about the £30 admin fee!",
        "Of course you're upset, nobody mentioned the fee. I've removed it.",
        "Of course you're",
        "of-course-youre-upset",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), VALIDATION_CASES)
def test_validation(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- apology and non-apology -----------------------------------------------------------------------

APOLOGY_CASES = [
    pos(
        "apology",
        "My parcel went to the wrong address, a house two streets away.",
        "I'm so sorry your parcel went to the wrong house. I've sent a courier to collect it "
        "today.",
        "I'm so sorry",
        "im-so-sorry",
    ),
    pos(
        "apology",
        "You sent me a size 12 dress instead of a size 8.",
        "We apologise for sending the wrong size. A size 8 is on its way by next-day delivery.",
        "We apologise for sending the wrong size",
        "we-apologise-for-wrong-size",
    ),
    pos(
        "apology",
        "Your agent told me the upgrade was free and now I've been billed £15.",
        "My apologies, my colleague gave you the wrong information. I've removed the £15 charge.",
        "My apologies",
        "my-apologies",
    ),
    pos(
        "apology",
        "Why have I been charged twice for my gym membership?",
        "I'm really sorry about the double charge. The second £35 payment is refunded today.",
        "I'm really sorry about the double charge",
        "sorry-about-double-charge",
    ),
    pos(
        "apology",
        "The technician never turned up and I waited in all day.",
        "Sorry, that was our mistake: the visit was booked for the wrong day. I've rebooked it "
        "for tomorrow at 8am.",
        "Sorry",
        "sorry-comma",
    ),
    neg(
        "apology",
        "The app logged me out during a transfer.",
        "We are sorry for any inconvenience.",
        "sorry-for-any-inconvenience-is-scripted",
    ),
    neg(
        "apology",
        "The app logged me out during a transfer.",
        "We are sorry for any inconvenience caused.",
        "sorry-for-any-inconvenience-caused-is-scripted",
    ),
    neg(
        "apology",
        "Your driver was rude to my mother at the door.",
        "I'm sorry you feel that way about our driver.",
        "sorry-you-feel-that-way",
    ),
    neg(
        "apology",
        "Sorry to bother you again, but is my refund through yet?",
        "No need to apologise at all! Your refund of £24 went out this morning.",
        "no-need-to-apologise",
    ),
    neg(
        "apology",
        "Sorry if this is a silly question, how do I download my statement?",
        "You don't need to be sorry, it's a good question. Tap Statements and choose PDF.",
        "you-dont-need-to-be-sorry",
    ),
    neg(
        "apology",
        "I want to change my flight from Tuesday to Wednesday.",
        "Done: you're now on Wednesday's 09:15 flight and the fare difference was £0.",
        "no-apology-at-all",
    ),
    pos(
        "apology",
        "My delivery slot was moved without anyone telling me.",
        "Apologies for the mix-up with your delivery slot.",
        "Apologies for the mix-up",
        "bare-apologies-for",
    ),
]

NON_APOLOGY_CASES = [
    pos(
        "non_apology",
        "Your driver threw my parcel over the gate.",
        "I'm sorry you feel that way about our driver.",
        "sorry you feel",
        "sorry-you-feel-that-way",
    ),
    pos(
        "non_apology",
        "Your email called me a 'difficult customer'. That's offensive.",
        "Sorry if you were offended by the email.",
        "Sorry if you were offended",
        "sorry-if-you-were-offended",
    ),
    pos(
        "non_apology",
        "The new bill layout is impossible to read.",
        "We apologise if the new layout caused any confusion.",
        "apologise if",
        "apologise-if",
    ),
    pos(
        "non_apology",
        "You put my monthly price up by £8 without telling me.",
        "We're sorry you're upset about the new pricing.",
        "sorry you're upset",
        "sorry-youre-upset",
    ),
    pos(
        "non_apology",
        "The engineer was rude and refused to take his shoes off.",
        "I'm sorry if you felt the engineer was rude.",
        "sorry if you felt",
        "sorry-if-you-felt",
    ),
    neg(
        "non_apology",
        "You charged me twice for one pizza order.",
        "I'm sorry we charged you twice. The extra £18 is already refunded.",
        "sorry-we-charged-you",
    ),
    neg(
        "non_apology",
        "My card was declined at the checkout even though I have money.",
        "I'm sorry that your card was declined. It was a fault on our side and it's fixed now.",
        "sorry-that-your-card",
    ),
    neg(
        "non_apology",
        "I've had to call three times about my broken boiler.",
        "I'm sorry that you had to call three times. An engineer will be with you tomorrow "
        "at 10am.",
        "sorry-that-you-had-to-call",
    ),
    neg(
        "non_apology",
        "I was on hold for an hour!",
        "I'm sorry you were kept on hold for an hour; that's far too long.",
        "sorry-you-were-kept-on-hold",
    ),
    neg(
        "non_apology",
        "Where is my refund?",
        "Sorry for the wait. Your refund went out this morning.",
        "sorry-for-the-wait",
    ),
    pos(
        "non_apology",
        "Your email about my late payment was really rude.",
        "I'm sorry you were upset by our email.",
        "sorry you were upset",
        "sorry-you-were-upset",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"), APOLOGY_CASES + NON_APOLOGY_CASES
)
def test_apology(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- ownership ------------------------------------------------------------------------------------

OWNERSHIP_CASES = [
    pos(
        "ownership",
        "You cancelled my direct debit without asking and now I have a late fee.",
        "That's our mistake, not yours. I've reinstated the direct debit and removed the fee.",
        "That's our mistake",
        "thats-our-mistake",
    ),
    pos(
        "ownership",
        "Nobody called me back like they promised on Monday.",
        "We dropped the ball there. I'm calling you myself at 2pm today.",
        "We dropped the ball",
        "dropped-the-ball",
    ),
    pos(
        "ownership",
        "My replacement phone still hasn't been sent after two weeks.",
        "I'll personally make sure your replacement goes out today, and I'll email you the "
        "tracking number.",
        "I'll personally",
        "ill-personally-make-sure",
    ),
    pos(
        "ownership",
        "I've explained my billing problem to four different people.",
        "Leave it with me: you won't need to explain it again.",
        "Leave it with me",
        "leave-it-with-me",
    ),
    pos(
        "ownership",
        "Your system locked me out of my account for no reason.",
        "This shouldn't have happened. Your account is unlocked now.",
        "This shouldn't have happened",
        "shouldnt-have-happened",
    ),
    pos(
        "ownership",
        "The courier damaged my TV and nobody will take responsibility.",
        "I take full responsibility for getting this sorted, and a new TV will be delivered on "
        "Saturday.",
        "I take full responsibility",
        "take-full-responsibility",
    ),
    neg(
        "ownership",
        "Your courier left my parcel in the rain and it's ruined.",
        "It's not our fault, the courier is a separate company.",
        "not-our-fault-is-deflection",
    ),
    neg(
        "ownership",
        "The parcel went to my old address.",
        "You should have checked the address before ordering.",
        "you-should-have-is-blame",
    ),
    neg(
        "ownership",
        "Where is my parcel?",
        "The courier made a mistake with the postcode, so it's back at the depot.",
        "courier-made-a-mistake",
    ),
    neg(
        "ownership",
        "Did you make a mistake on my bill? It's £20 higher.",
        "It wasn't our mistake: the £20 is your new contract price.",
        "wasnt-our-mistake",
    ),
    neg(
        "ownership",
        "When will I hear about my mortgage application?",
        "I should have an update on your application by Friday.",
        "i-should-have-an-update-is-a-forecast",
    ),
    neg(
        "ownership",
        "My router is broken.",
        "The technical team will look into it.",
        "passes-it-to-a-team",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), OWNERSHIP_CASES)
def test_ownership(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- next steps -----------------------------------------------------------------------------------

CLEAR_NEXT_STEPS_CASES = [
    pos(
        "action_taken",
        "Your app went down on payday and my rent payment didn't go through.",
        "Sorry, that's the worst day for it. The app's back up as of 10:20 and payments are going "
        "through as normal.",
        "The app's back up",
        "service-back-is-done",
    ),
    pos(
        "clear_next_steps",
        "I returned the headphones two weeks ago and still no refund.",
        "I've refunded the £59 to your card today.",
        "I've refunded the £59 to your card today",
        "refunded-today",
    ),
    pos(
        "clear_next_steps",
        "My internet has been down since Monday and I work from home.",
        "Our engineer will call you tomorrow between 8am and 12pm to arrange the visit.",
        "Our engineer will call you tomorrow",
        "our-engineer-will-call-tomorrow",
    ),
    pos(
        "clear_next_steps",
        "My internet has been down since Monday and I work from home.",
        "An engineer will call you tomorrow between 8am and 12pm to arrange the visit.",
        "An engineer will call you tomorrow",
        "an-engineer-will-call-tomorrow",
    ),
    pos(
        "clear_next_steps",
        "My debit card snapped in half.",
        "You'll receive a new card within 5 working days.",
        "You'll receive a new card within 5 working days",
        "receive-within-5-days",
    ),
    pos(
        "clear_next_steps",
        "I need to speak to someone about my late father's account.",
        "I'll call you back by 3pm with everything you need.",
        "I'll call you back by 3pm",
        "call-back-by-3pm",
    ),
    pos(
        "clear_next_steps",
        "The kettle I bought stopped working after a week.",
        "Your replacement will be delivered on Friday.",
        "Your replacement will be delivered on Friday",
        "replacement-delivered-friday",
    ),
    pos(
        "clear_next_steps",
        "Has my refund been sent yet?",
        "I just checked and your refund went out today.",
        "your refund went out today",
        "i-just-checked-refund-went-out-today",
    ),
    neg(
        "clear_next_steps",
        "My laptop screen flickers all the time.",
        "I'll look into it and get back to you soon.",
        "soon-is-not-a-time",
    ),
    neg(
        "clear_next_steps",
        "Can I get a refund today?",
        "We can't refund it today.",
        "cant-refund-today",
    ),
    neg(
        "clear_next_steps",
        "Can I collect my order from the branch tomorrow?",
        "Tomorrow is a bank holiday, so the branch is closed.",
        "date-without-an-action",
    ),
    neg(
        "clear_next_steps",
        "Please waive the late fee, I was in hospital.",
        "I have checked and there's nothing we can do about the fee today.",
        "checked-and-nothing-can-be-done",
    ),
    neg(
        "clear_next_steps",
        "Can you move my delivery?",
        "Thanks for letting us know.",
        "no-action",
    ),
    pos(
        "clear_next_steps",
        "Where is my refund for the returned jacket?",
        "Your refund has been processed and will show in your account in 3-5 working days.",
        "3-5 working days",
        "range-of-working-days",
    ),
    pos(
        "clear_next_steps",
        "The engineer didn't turn up yesterday.",
        "I've rebooked your engineer visit for Friday at 8am.",
        "Friday at 8am",
        "rebooked",
    ),
    pos(
        "clear_next_steps",
        "My phone line has been dead since Tuesday.",
        "Our engineers will fix the line on Friday.",
        "on Friday",
        "plural-engineers",
    ),
    pos(
        "clear_next_steps",
        "I was charged twice for the same taxi ride.",
        "We're refunding the second charge today.",
        "today",
        "present-progressive-commitment",
    ),
    pos(
        "clear_next_steps",
        "The engineer didn't turn up yesterday.",
        "Your engineer visit is booked for tomorrow at 8am.",
        "tomorrow at 8am",
        "passive-is-booked",
    ),
    pos(
        "clear_next_steps",
        "The washing machine arrived with a dented drum.",
        "I'm booking a replacement for Thursday, and we'll take the old one then.",
        "for Thursday",
        "for-a-weekday-is-a-time",
    ),
    pos(
        "clear_next_steps",
        "There's £200 of purchases on my card I didn't make.",
        "The £200 goes to our payments team, and they'll email you within 2 working days.",
        "they'll email you",
        "they-will-is-a-commitment",
    ),
    pos(
        "action_taken",
        "Someone's hacked my account.",
        "I've locked the account so nothing else can be bought, and opened a recovery case.",
        "locked the account",
        "a-purpose-clause-does-not-cancel-the-action",
    ),
]

NEXT_STEPS_CASES = [
    pos(
        "next_steps",
        "The bill is £40 higher than my contract says.",
        "I'll escalate this to our billing team.",
        "I'll escalate this to our billing team",
        "ill-escalate",
    ),
    pos(
        "action_taken",
        "The courier left my parcel in a puddle.",
        "I've raised a complaint with the courier.",
        "I've raised a complaint with the courier",
        "ive-raised-a-complaint",
    ),
    pos(
        "next_steps",
        "Is my sofa actually in stock?",
        "Let me check with the warehouse.",
        "Let me check with the warehouse",
        "let-me-check",
    ),
    pos(
        "next_steps",
        "The blender arrived with a cracked jug.",
        "We'll send a replacement jug soon.",
        "We'll send a replacement jug soon",
        "well-send-soon",
    ),
    pos(
        "next_steps",
        "I cancelled my subscription but was charged again.",
        "Your refund will be processed shortly.",
        "Your refund will be processed shortly",
        "refund-processed-shortly",
    ),
    neg(
        "next_steps",
        "My internet keeps dropping.",
        "I'll call you tomorrow at 10am to run a line test.",
        "timed-commitment-is-clear-not-vague",
    ),
    neg(
        "next_steps",
        "Can you change my booking to Saturday?",
        "I won't be able to change the booking.",
        "wont-be-able-to",
    ),
    neg(
        "next_steps",
        "My order hasn't arrived.",
        "Could you kindly send me the order number?",
        "question-is-not-a-commitment",
    ),
    neg(
        "next_steps",
        "Please cancel my order, I ordered the wrong one.",
        "I'm afraid I can't cancel the order because it has already shipped.",
        "i-cant-cancel",
    ),
    neg(
        "next_steps",
        "How do I return the shoes?",
        "You'll need to print the returns label from your account.",
        "customer-instruction-not-agent-commitment",
    ),
]

NO_TIMELINE_CASES = [
    neg(
        "no_timeline",
        "I'm locked out of my account and my wages are in it.",
        "I'm sorry. I'll stay with you on this. The account will be unfrozen within the hour.",
        "will-be-unlocked-within-the-hour",
    ),
    pos(
        "no_timeline",
        "The blender arrived with a cracked jug.",
        "We'll send a replacement jug soon.",
        "soon",
        "soon-is-vague",
    ),
    pos(
        "no_timeline",
        "The bill is £40 higher than my contract says.",
        "I'll escalate this to our billing team.",
        "I'll escalate this",
        "escalate-with-no-when",
    ),
    pos(
        "no_timeline",
        "I cancelled my subscription but was charged again.",
        "Your refund will be processed shortly.",
        "shortly",
        "shortly-is-vague",
    ),
    pos(
        "no_timeline",
        "My new phone won't charge.",
        "Our technical team will contact you as soon as possible.",
        "as soon as possible",
        "asap-is-vague",
    ),
    neg(
        "no_timeline",
        "My internet keeps dropping.",
        "I'll call you tomorrow at 10am to run a line test.",
        "tomorrow-at-10am",
    ),
    neg(
        "no_timeline",
        "Where's my refund?",
        "Your refund will land within 3 working days.",
        "within-3-working-days",
    ),
    neg(
        "no_timeline",
        "I returned the boots last week.",
        "I've refunded the boots today.",
        "refunded-today",
    ),
    neg(
        "no_timeline",
        "Thanks for the quick help yesterday!",
        "You're very welcome, glad it's working.",
        "no-commitment-no-gap",
    ),
    neg(
        "no_timeline",
        "My account is locked and I need to pay my rent.",
        "I'm unlocking your account straight away, and I'll text you when it's done.",
        "straight-away",
    ),
    neg(
        "no_timeline",
        "Where is my refund for the returned jacket?",
        "Your refund has been processed and will show in your account within 3 to 5 working days.",
        "within-3-to-5-working-days",
    ),
]

NO_NEXT_STEPS_CASES = [
    pos(
        "no_next_steps",
        "My order #4471 still hasn't arrived. Can you tell me where it is?",
        "Thanks for getting in touch about your order.",
        "Can you tell me where it is?",
        "asks-where-order-is",
    ),
    pos(
        "no_next_steps",
        "I was charged twice for my phone bill. I want a refund.",
        "I'm sorry to hear about the double charge.",
        "I want a refund",
        "wants-refund",
    ),
    pos(
        "no_next_steps",
        "My card is blocked and I'm abroad. Please unblock it.",
        "I understand how stressful that must be when you're travelling.",
        "Please unblock it",
        "please-unblock",
    ),
    pos(
        "no_next_steps",
        "The heating engineer never came. When will someone come out?",
        "That's really disappointing to hear.",
        "When will someone come out?",
        "when-will-someone-come",
    ),
    neg(
        "no_next_steps",
        "My order #4471 still hasn't arrived. Can you tell me where it is?",
        "It's at the Leeds depot and will be delivered tomorrow before noon.",
        "reply-says-what-happens",
    ),
    neg(
        "no_next_steps",
        "Thanks so much, the new router works perfectly!",
        "That's great to hear, enjoy the faster speeds.",
        "satisfied-customer-needs-nothing",
    ),
    neg(
        "no_next_steps",
        "",
        "Hello, how can I help today?",
        "no-context",
    ),
    neg(
        "no_next_steps",
        "I was charged twice for my phone bill. I want a refund.",
        "I've refunded the second charge; it will show within 3 days.",
        "refund-done",
    ),
    neg(
        "no_next_steps",
        "I was charged twice for the same taxi ride, can you refund one of them?",
        "I'm refunding the second charge right now.",
        "present-progressive-refund",
    ),
    neg(
        "no_next_steps",
        "Please cancel my gym membership, I've moved away.",
        "I've done that for you: the membership is cancelled and you won't be charged again.",
        "ive-done-that-for-you",
    ),
    neg(
        "no_next_steps",
        "I was charged twice for my gym membership, can you refund one?",
        "The duplicate charge has been refunded today.",
        "passive-has-been-refunded",
    ),
    neg(
        "no_next_steps",
        "My gym class booking vanished and I was still charged for it.",
        "That class was removed in error, so the £8 charge has been voided.",
        "passive-voided",
    ),
    neg(
        "no_next_steps",
        "The app won't open this morning and I need to pay my rent.",
        "The app's back up as of 9:40, so you can pay your rent now.",
        "service-back-up",
    ),
    neg(
        "no_next_steps",
        "My electricity bill says £900 for one month, that can't be right.",
        "If you can send me a meter photo, I'll re-issue the bill today.",
        "hyphenated-reissue",
    ),
    neg(
        "no_next_steps",
        "My bank card snapped in half this morning.",
        "Let's get a replacement card out to you.",
        "lets-do-it",
    ),
    neg(
        "no_next_steps",
        "Our card machine keeps failing and we've got a queue of customers.",
        "First I book the engineer, they can come today after 2 o'clock. Okay?",
        "plain-present-after-first",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"),
    CLEAR_NEXT_STEPS_CASES + NEXT_STEPS_CASES + NO_TIMELINE_CASES + NO_NEXT_STEPS_CASES,
)
def test_next_steps(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- personalisation ------------------------------------------------------------------------------

PERSONALISED_CASES = [
    pos(
        "personalised",
        "My Pixel 8 screen cracked after two days and order 55821 only arrived on Monday.",
        "I'm sorry your Pixel 8 screen cracked so soon. I've arranged a replacement for order "
        "55821 today.",
        "55821",
        "order-number-and-model",
    ),
    pos(
        "personalised",
        "I was charged £129.99 for a Premium plan I downgraded from in March.",
        "You're right: you moved off Premium in March, so I've refunded the £129.99.",
        "Premium",
        "plan-and-amount",
    ),
    pos(
        "personalised",
        "The hotel in Porto had no hot water for our whole anniversary weekend.",
        "No hot water on your anniversary weekend in Porto is not what you paid for. I've "
        "refunded two nights.",
        "Porto",
        "place-and-occasion",
    ),
    pos(
        "personalised",
        "My landline crackles whenever it rains.",
        "A crackle that comes with the rain usually means water in the line; an engineer will "
        "check the landline tomorrow.",
        "crackle",
        "echoes-the-symptom",
    ),
    neg(
        "personalised",
        "My Nike Pegasus trainers in size 9 were meant to arrive Saturday for my marathon, "
        "order 88123.",
        "Thank you for contacting us. We will look into this.",
        "stock-reply",
    ),
    neg(
        "personalised",
        "My blue Nike Pegasus trainers in size 9 were meant to arrive Saturday for my marathon "
        "training.",
        "We're looking into this issue and will update you.",
        "generic-support-words-only",
    ),
    neg(
        "personalised",
        "",
        "Your refund of £20 is on its way.",
        "no-context",
    ),
    neg(
        "personalised",
        "Hello, the Vodafone bill for my mum's SIM shows £46.20 instead of £18 this month.",
        "Please check the FAQ page for help with that.",
        "points-to-faq",
    ),
]

NOT_PERSONALISED_CASES = [
    pos(
        "not_personalised",
        "My order #4471 for a Dyson V11 still hasn't arrived and the tracking is stuck at Leeds.",
        "Thank you for contacting us. We will look into this.",
        "4471",
        "ignores-order-product-depot",
    ),
    pos(
        "not_personalised",
        "The Barclaycard payment of £312 to Ryanair went out twice on 3 May.",
        "We're sorry to hear that. A member of the team will be in touch.",
        "Barclaycard",
        "ignores-card-amount-merchant",
    ),
    pos(
        "not_personalised",
        "Our villa in Crete had a broken air conditioner all week and the rep never came.",
        "Thanks for your feedback, we'll pass it on.",
        "Crete",
        "ignores-villa-crete",
    ),
    pos(
        "not_personalised",
        "The Samsung fridge freezer I bought on 12 March is leaking water onto the kitchen floor.",
        "I'm sorry to hear that. Please do not hesitate to contact us again.",
        "Samsung",
        "ignores-fridge-leak",
    ),
    neg(
        "not_personalised",
        "My order #4471 for a Dyson V11 still hasn't arrived and the tracking is stuck at Leeds.",
        "Your Dyson V11 (order 4471) is at our Leeds depot and will be delivered tomorrow.",
        "uses-the-details",
    ),
    neg(
        "not_personalised",
        "Hi, can you help please?",
        "Of course, what do you need?",
        "nothing-specific-to-mention",
    ),
    neg(
        "not_personalised",
        "",
        "Your refund is on its way.",
        "no-context",
    ),
    neg(
        "not_personalised",
        "The Barclaycard payment of £312 to Ryanair went out twice on 3 May.",
        "I can see the second £312 payment to Ryanair and I've reversed it today.",
        "mentions-amount-and-merchant",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"),
    PERSONALISED_CASES + NOT_PERSONALISED_CASES,
)
def test_personalisation(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- questions ------------------------------------------------------------------------------------

OPEN_QUESTION_CASES = [
    pos(
        "open_question",
        "The app keeps throwing an error when I log in.",
        "What does the error message say when you log in?",
        "What does the error message say",
        "what-does-the-error-say",
    ),
    pos(
        "open_question",
        "The engineer visit was a disaster.",
        "Could you tell me what happened when the engineer arrived?",
        "Could you tell me what happened",
        "could-you-tell-me",
    ),
    pos(
        "open_question",
        "Since the price rise I can barely afford my phone plan.",
        "How has the new tariff affected your monthly budget?",
        "How has the new tariff affected",
        "how-has-it-affected",
    ),
    pos(
        "open_question",
        "The banking app crashes all the time.",
        "Tell me a bit more about when the app crashes.",
        "Tell me a bit more about",
        "tell-me-more-without-question-mark",
    ),
    pos(
        "open_question",
        "I was refused at the counter when I tried to withdraw cash.",
        "Thanks for letting me know - which branch did you visit?",
        "which branch did you visit?",
        "preamble-then-which",
    ),
    neg(
        "open_question",
        "Thanks, the refund has arrived.",
        "Great! Is there anything else I can help with?",
        "anything-else-is-a-closer",
    ),
    neg(
        "open_question",
        "My order hasn't arrived.",
        "Could you kindly send me the order number?",
        "kindly-send-is-closed",
    ),
    neg(
        "open_question",
        "My refund is missing.",
        "Did the refund arrive in your account yesterday?",
        "did-is-closed",
    ),
    neg(
        "open_question",
        "The airline lost my suitcase on my honeymoon.",
        "What a nightmare that must have been! I've filed the claim for you today.",
        "what-a-exclamation-is-not-a-question",
    ),
    neg(
        "open_question",
        "My internet is slow.",
        "Have you tried restarting the router?",
        "have-you-tried-is-closed",
    ),
    pos(
        "open_question",
        "The app keeps crashing.",
        "Would you mind telling me what happens just before it crashes?",
        "Would you mind telling me",
        "would-you-mind-telling",
    ),
    pos(
        "open_question",
        "The boiler is making a strange noise.",
        "Can you describe the noise the boiler makes?",
        "Can you describe the noise",
        "can-you-describe",
    ),
    neg(
        "open_question",
        "Can someone call me about my bill?",
        "How about I call you tomorrow at 5pm?",
        "how-about-proposal-is-yes-no",
    ),
]

CLOSED_QUESTION_CASES = [
    pos(
        "closed_question",
        "I didn't get a confirmation for my booking.",
        "Did you receive the confirmation email at your work address?",
        "Did you receive the confirmation email",
        "did-you-receive",
    ),
    pos(
        "closed_question",
        "My order hasn't arrived.",
        "Could you kindly send me the order number?",
        "Could you kindly send me the order number?",
        "could-you-kindly-send",
    ),
    pos(
        "closed_question",
        "My broadband isn't working.",
        "Is the light on the front of the router flashing red?",
        "Is the light on the front of the router flashing red?",
        "is-the-light-red",
    ),
    pos(
        "closed_question",
        "The engineer didn't come today.",
        "I'm sorry. Would you like me to book a new slot for Thursday?",
        "Would you like me to book a new slot",
        "would-you-like-me-to",
    ),
    pos(
        "closed_question",
        "I ordered the same lamp twice by mistake.",
        "Shall I cancel the second order?",
        "Shall I cancel the second order?",
        "shall-i-cancel",
    ),
    neg(
        "closed_question",
        "Thanks, the replacement has arrived.",
        "Glad it's arrived! Is there anything else I can help you with today?",
        "anything-else-is-a-closer",
    ),
    neg(
        "closed_question",
        "The app keeps throwing an error when I log in.",
        "What does the error message say?",
        "open-question-only",
    ),
    neg(
        "closed_question",
        "Where's my refund?",
        "Your refund went out this morning.",
        "statement-only",
    ),
    neg(
        "closed_question",
        "The sofa was delivered damaged.",
        "Tell me a bit more about the damage.",
        "prompt-is-open",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"),
    OPEN_QUESTION_CASES + CLOSED_QUESTION_CASES,
)
def test_questions(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- blame and deflection -------------------------------------------------------------------------

BLAME_CASES = [
    pos(
        "blames_customer",
        "My parcel went to my old flat.",
        "You should have checked the address before ordering.",
        "You should have checked the address",
        "should-have-checked",
    ),
    pos(
        "blames_customer",
        "Why am I paying an early exit fee?",
        "As I already explained, the fee applies to all contracts.",
        "As I already explained",
        "as-i-already-explained",
    ),
    pos(
        "blames_customer",
        "I didn't know there was a restocking fee.",
        "If you had read the terms, you would have known about the fee.",
        "If you had read",
        "if-you-had-read",
    ),
    pos(
        "blames_customer",
        "My delivery went to the wrong town.",
        "You entered your postcode incorrectly.",
        "You entered your postcode incorrectly",
        "entered-incorrectly",
    ),
    pos(
        "blames_customer",
        "My payment failed three times.",
        "You entered the card number incorrectly.",
        "You entered the card number incorrectly",
        "entered-two-word-object-incorrectly",
    ),
    pos(
        "blames_customer",
        "The app deleted all my saved playlists.",
        "That is user error, the playlists were removed from your device.",
        "user error",
        "user-error",
    ),
    pos(
        "blames_customer",
        "My banking app won't open.",
        "You didn't update the app, that's why it won't open.",
        "You didn't update the app",
        "didnt-update",
    ),
    neg(
        "blames_customer",
        "I think I broke the router by unplugging it, sorry.",
        "It's not your fault: the router had a firmware fault. A new one is on its way.",
        "its-not-your-fault",
    ),
    neg(
        "blames_customer",
        "Did I do something wrong with my transfer?",
        "You didn't do anything wrong, the transfer was held by our fraud checks.",
        "you-didnt-do-anything-wrong",
    ),
    neg(
        "blames_customer",
        "Has my refund been sent yet?",
        "I just checked and your refund went out today.",
        "i-just-checked",
    ),
    neg(
        "blames_customer",
        "The parcel went to my old address.",
        "I should have checked the address with you. I've re-sent it to your new flat today.",
        "agent-blames-self",
    ),
    neg(
        "blames_customer",
        "The parcel was left outside in the rain.",
        "As you mentioned, the parcel was left outside, so I've sent a replacement.",
        "as-you-mentioned",
    ),
    neg(
        "blames_customer",
        "Nobody called me back yesterday like you promised!",
        "You should have been called back yesterday, and that's our mistake. I'm calling you "
        "at 2pm today.",
        "passive-you-should-have-been-called",
    ),
    pos(
        "blames_customer",
        "I still haven't had my refund.",
        "Per my last email, the refund was issued on Monday.",
        "Per my last email",
        "per-my-last-email",
    ),
    pos(
        "blames_customer",
        "The parcel went to my old address.",
        "If you had told us you'd moved, we would have updated the address.",
        "If you had told us",
        "if-you-had-told-us",
    ),
    neg(
        "blames_customer",
        "Where's my refund?",
        "As we discussed, I've refunded the £20.",
        "as-we-discussed",
    ),
    neg(
        "blames_customer",
        "I never got the tracking email.",
        "Did you check your spam folder for the tracking email?",
        "did-you-check-is-a-question",
    ),
]

DEFLECTION_CASES = [
    pos(
        "deflection",
        "I've called four times about my dad's prescription and he's run out.",
        "Of course I care, but it's not my department. You'll need to call the pharmacy.",
        "it's not my department",
        "not-my-department",
    ),
    pos(
        "deflection",
        "My exam deposit still shows as unpaid and the deadline is Friday.",
        "Updates take up to 10 days. Please do not contact us again about this before then.",
        "do not contact us again",
        "do-not-contact-us-again",
    ),
    neg(
        "deflection",
        "My exam deposit still shows as unpaid and the deadline is Friday.",
        "I've confirmed your payment today, so you don't need to contact us again about it.",
        "no-need-to-contact-again",
    ),
    pos(
        "deflection",
        "My parcel arrived crushed.",
        "That's not our fault, the courier handles the parcels.",
        "That's not our fault",
        "not-our-fault",
    ),
    pos(
        "deflection",
        "The parcel has been stuck in transit for a week.",
        "Once it leaves us it's the courier's responsibility.",
        "the courier's responsibility",
        "couriers-responsibility",
    ),
    pos(
        "deflection",
        "Your payment page charged me in dollars, not pounds.",
        "You'll have to take it up with your bank.",
        "You'll have to take it up with your bank",
        "take-it-up-with-your-bank",
    ),
    pos(
        "deflection",
        "My order has been held at customs for ten days.",
        "We're not responsible for delays at customs.",
        "We're not responsible for",
        "not-responsible-for",
    ),
    pos(
        "deflection",
        "Your app charged my card in the wrong currency.",
        "That's nothing to do with us, currency conversion is done by Visa.",
        "nothing to do with us",
        "nothing-to-do-with-us",
    ),
    pos(
        "deflection",
        "My email account stopped syncing to my phone.",
        "It's not something we can fix from our side.",
        "not something we can fix from our side",
        "not-something-we-can-fix",
    ),
    neg(
        "deflection",
        "I think I broke the router by unplugging it.",
        "It's not your fault at all, the router had a fault.",
        "not-your-fault-is-validation",
    ),
    neg(
        "deflection",
        "My parcel arrived crushed.",
        "That's our mistake, and I've sent a replacement today.",
        "owns-it",
    ),
    neg(
        "deflection",
        "The courier lost my parcel.",
        "The courier lost it, but that's still our responsibility to fix, so I've sent a new one.",
        "still-our-responsibility",
    ),
    neg(
        "deflection",
        "My parcel is stuck at the depot.",
        "I've contacted the courier on your behalf and chased them today.",
        "chases-the-courier-for-them",
    ),
    neg(
        "deflection",
        "My laptop won't connect to the Wi-Fi.",
        "That's something I can fix right now from here.",
        "something-i-can-fix",
    ),
    pos(
        "deflection",
        "My parcel is marked delivered but it isn't here.",
        "You'll need to contact the courier directly about missing parcels.",
        "contact the courier directly",
        "contact-the-courier-directly",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"), BLAME_CASES + DEFLECTION_CASES
)
def test_blame(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- minimising -----------------------------------------------------------------------------------

MINIMISING_CASES = [
    neg(
        "minimising",
        "My car was broken into and I've never claimed before, I don't know what to do.",
        "That's a horrible thing to find, and it's fine not to know. I've opened the claim for you "
        "and booked the glass repair for tomorrow.",
        "its-fine-not-to-know",
    ),
    pos(
        "minimising",
        "My internet has been down all day and I'm so frustrated!",
        "You just need to restart the router.",
        "You just need to",
        "you-just-need-to",
    ),
    pos(
        "minimising",
        "I can't log into my banking app and I'm really stressed.",
        "Simply log out and log back in.",
        "Simply log",
        "simply-imperative",
    ),
    pos(
        "minimising",
        "My order is a week late and I needed it for my son's birthday!",
        "It's only a small delay, it will arrive next week.",
        "It's only a small delay",
        "only-a-small-delay",
    ),
    pos(
        "minimising",
        "I'm confused why my bill has a £10 admin fee.",
        "Obviously the admin fee applies to paper bills.",
        "Obviously",
        "obviously",
    ),
    pos(
        "minimising",
        "Your app wiped my saved cards and I'm furious.",
        "It's just a minor glitch, nothing to worry about.",
        "just a minor glitch",
        "just-a-minor-glitch",
    ),
    pos(
        "minimising",
        "My flight was delayed six hours and I missed my connection!",
        "Delays like this happen all the time in summer.",
        "happen all the time",
        "happen-all-the-time",
    ),
    pos(
        "minimising",
        "I have been waiting THREE weeks for a refund, this is ridiculous!!",
        "You're overreacting, refunds take time.",
        "You're overreacting",
        "youre-overreacting",
    ),
    neg(
        "minimising",
        "Thanks for sorting my address so quickly!",
        "No problem at all!",
        "no-problem-at-all",
    ),
    neg(
        "minimising",
        "The wrong name is printed on my train ticket and I'm worried I can't travel.",
        "It's not a big deal for us to fix this: I've reissued the ticket with the right name.",
        "not-a-big-deal-for-us-to-fix",
    ),
    neg(
        "minimising",
        "Has my refund been sent yet? I'm getting worried.",
        "I just checked and your refund went out today.",
        "i-just-checked",
    ),
    neg(
        "minimising",
        "I feel like I'm overreacting but this is the third late delivery.",
        "I don't think you're overreacting: three late deliveries is too many.",
        "dont-think-youre-overreacting",
    ),
    neg(
        "minimising",
        "Can I move my plan start date?",
        "Just to confirm, your new plan starts on 1 June.",
        "just-to-confirm",
    ),
    neg(
        "minimising",
        "The reset link you sent doesn't work and I'm getting stressed.",
        "I've just sent you a new link, and this one works for 24 hours.",
        "ive-just-sent",
    ),
    neg(
        "minimising",
        "Did I cause this by logging in on my new phone? I'm worried I did something wrong.",
        "It was nothing you did: our system logged everyone out last night.",
        "it-was-nothing-you-did",
    ),
    neg(
        "minimising",
        "My bank charged me £25 for a payment that bounced and I'm so angry about it!",
        "It's easy to see why you're angry, and I've refunded the £25.",
        "easy-to-see-why-is-validation",
    ),
    pos(
        "minimising",
        "Your new banking app is so confusing, I can't find anything.",
        "Everyone else manages to use the app fine.",
        "Everyone else manages",
        "everyone-else-manages",
    ),
    pos(
        "minimising",
        "I can't find the cancel button anywhere, it's so frustrating!",
        "It's really simple: go to Settings and tap Cancel.",
        "It's really simple",
        "really-simple-to-a-frustrated-customer",
    ),
    neg(
        "minimising",
        "Can you help me set up my new router?",
        "It's quick to set up: plug it in and wait for the green light.",
        "quick-to-set-up-is-information-when-calm",
    ),
    neg(
        "minimising",
        "Can I check when the branch closes today?",
        "Just so you know, the branch closes at 4pm today.",
        "just-so-you-know",
    ),
    neg(
        "minimising",
        "My card isn't working at the till.",
        "Just a moment while I check your card.",
        "just-a-moment",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), MINIMISING_CASES)
def test_minimising(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- tone policing --------------------------------------------------------------------------------

TONE_POLICING_CASES = [
    pos(
        "tone_policing",
        "I PAID THE BILL LAST WEEK AND NOW YOU'RE THREATENING TO CUT ME OFF.",
        "Writing in capital letters won't help us resolve this any faster. Please send your "
        "account number.",
        "Writing in capital letters won't help",
        "capitals-wont-help",
    ),
    pos(
        "tone_policing",
        "The bloody shower's been cold for three days.",
        "I'd appreciate it if you didn't swear, our staff deserve respect too. An engineer will "
        "come today.",
        "I'd appreciate it if you didn't",
        "appreciate-it-if-you-didnt",
    ),
    neg(
        "tone_policing",
        "The bloody shower's been cold for three days.",
        "Three days of cold showers is miserable. I'd appreciate it if you could keep the "
        "receipt for the heater you bought; we'll refund it, and an engineer comes today.",
        "appreciate-a-receipt",
    ),
    pos(
        "tone_policing",
        "THIS IS THE THIRD TIME YOU'VE CUT MY INTERNET OFF!!!",
        "Please calm down so I can help you.",
        "calm down",
        "please-calm-down",
    ),
    pos(
        "tone_policing",
        "Your bank is a joke, I want my money NOW.",
        "Kindly calm down, sir.",
        "Kindly calm down",
        "kindly-calm-down-is-still-policing",
    ),
    pos(
        "tone_policing",
        "You lot are useless, where is my parcel?!",
        "There's no need to be rude.",
        "There's no need to be rude",
        "no-need-to-be-rude",
    ),
    pos(
        "tone_policing",
        "This is a f***ing scam, give me my refund.",
        "I will not tolerate this kind of language.",
        "I will not tolerate this kind of language",
        "wont-tolerate-language",
    ),
    pos(
        "tone_policing",
        "WHERE IS MY REFUND??? I HAVE WAITED A MONTH",
        "Shouting won't help, the refund is being processed.",
        "Shouting won't help",
        "shouting-wont-help",
    ),
    pos(
        "tone_policing",
        "Your engineer is an idiot, he broke my wall socket.",
        "Please remain polite with our staff.",
        "remain polite",
        "remain-polite",
    ),
    neg(
        "tone_policing",
        "Sorry to bother you again about my refund.",
        "No need to apologise! Your refund went out this morning.",
        "no-need-to-apologise",
    ),
    neg(
        "tone_policing",
        "I'm worried my direct debit will bounce.",
        "Please don't worry, I've moved the payment date to the 28th.",
        "please-dont-worry",
    ),
    neg(
        "tone_policing",
        "Sorry, I need a minute to find my account number.",
        "Take your time, there's no rush.",
        "take-your-time",
    ),
    neg(
        "tone_policing",
        "I know I'm being unreasonable, but this is the fourth missed delivery.",
        "I don't think you're being unreasonable at all; four missed deliveries is too many.",
        "dont-think-youre-being-unreasonable",
    ),
    neg(
        "tone_policing",
        "I've been so patient waiting for this replacement card.",
        "You don't have to stay patient any longer: the card arrives tomorrow.",
        "dont-have-to-stay-patient",
    ),
    neg(
        "tone_policing",
        "I'm FURIOUS, you've charged me twice!",
        "I'd be angry too. I've refunded the second charge today.",
        "id-be-angry-too",
    ),
    pos(
        "tone_policing",
        "THIS IS A JOKE!!! Put me through to someone who knows what they're doing.",
        "Please stay calm while I transfer you.",
        "stay calm",
        "stay-calm",
    ),
    pos(
        "tone_policing",
        "You're all useless, this is a f***ing joke.",
        "Let's keep this civil, please.",
        "keep this civil",
        "lets-keep-this-civil",
    ),
    neg(
        "tone_policing",
        "My card isn't working at the till.",
        "Please stay on the line while I check.",
        "stay-on-the-line",
    ),
    neg(
        "tone_policing",
        "My order hasn't arrived.",
        "Could you kindly send me the order number?",
        "kindly-is-politeness",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), TONE_POLICING_CASES)
def test_tone_policing(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- policy shield --------------------------------------------------------------------------------

POLICY_SHIELD_CASES = [
    pos(
        "bare_refusal",
        "I forgot to cancel my gym membership and you've taken £240 for the year. Can I get it back?",
        "Hi Sam, memberships can only be refunded within 14 days of renewal. Yours renewed on 2 "
        "May, so it is outside this window.",
        "can only be refunded within 14 days",
        "the-rule-as-the-answer",
    ),
    pos(
        "bare_refusal",
        "I'm emigrating next month, surely you won't charge me to end my phone contract early?",
        "The early exit fee applies to all cancellations before the end of the minimum term.",
        "applies to all cancellations",
        "applies-to-all",
    ),
    neg(
        "bare_refusal",
        "I forgot to cancel my gym membership and you've taken £240 for the year. Can I get it back?",
        "Memberships can only be refunded within 14 days, but what I can do is freeze yours for "
        "free until you're ready to come back.",
        "the-rule-with-an-alternative",
    ),
    pos(
        "policy_shield",
        "Please refund my concert ticket, I'm ill.",
        "Unfortunately that's against our policy, so we can't refund it.",
        "against our policy",
        "against-policy-cant",
    ),
    pos(
        "policy_shield",
        "I want to return the jacket I bought 35 days ago.",
        "Our policy doesn't allow refunds after 30 days.",
        "Our policy doesn't",
        "policy-doesnt-allow",
    ),
    pos(
        "policy_shield",
        "Can you waive the £40 cancellation fee? My mum is in hospital.",
        "I'm sorry, my hands are tied.",
        "my hands are tied",
        "hands-are-tied",
    ),
    pos(
        "policy_shield",
        "The hotel was filthy and I want compensation.",
        "There's nothing more I can do.",
        "nothing more I can do",
        "nothing-more-i-can-do",
    ),
    pos(
        "policy_shield",
        "It was one day late, surely you can accept the return?",
        "Rules are rules.",
        "Rules are rules",
        "rules-are-rules",
    ),
    pos(
        "policy_shield",
        "The vacuum broke after 13 months, please replace it.",
        "Per our terms and conditions, we cannot replace it.",
        "Per our terms and conditions",
        "per-terms-cannot",
    ),
    neg(
        "policy_shield",
        "My flight was cancelled, can I get my money back?",
        "Our policy covers this, so I've started your refund.",
        "policy-covers-this",
    ),
    neg(
        "policy_shield",
        "I want to return the jacket I bought 35 days ago.",
        "Our policy doesn't allow a refund after 30 days, but what I can do is offer store "
        "credit for the full £80.",
        "policy-with-alternative",
    ),
    neg(
        "policy_shield",
        "My kettle stopped working after two months.",
        "The policy says you're entitled to a replacement, so one is on its way.",
        "policy-in-customers-favour",
    ),
    neg(
        "policy_shield",
        "Can I return these shoes? I've had them two weeks.",
        "Our returns window is 30 days, so you're well within it and the label is in your inbox.",
        "returns-window-explained",
    ),
    neg(
        "policy_shield",
        "Please can you refund my gym membership, I moved house.",
        "There's nothing in our rules against that, so I've refunded this month's £35.",
        "nothing-in-our-rules-against-it",
    ),
    pos(
        "policy_shield",
        "Can I get a refund on my ticket? I can't go any more.",
        "I'm afraid that's company policy.",
        "company policy",
        "afraid-thats-company-policy",
    ),
    neg(
        "policy_shield",
        "My refund still hasn't arrived!",
        "Our policy is to refund in full, so I've refunded the £60 today.",
        "policy-to-refund-in-full",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), POLICY_SHIELD_CASES)
def test_policy_shield(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- jargon ---------------------------------------------------------------------------------------

JARGON_CASES = [
    pos(
        "jargon",
        "My broadband fault has been open for a week.",
        "Your ticket is in the L2 queue.",
        "L2",
        "l2-queue",
    ),
    pos(
        "jargon",
        "My new website address doesn't load.",
        "It's a DNS propagation delay, it resolves by itself.",
        "DNS",
        "dns-propagation",
    ),
    pos(
        "jargon",
        "Why is £150 missing from my balance after I checked into the hotel?",
        "There's a pre-auth on your card from the hotel.",
        "pre-auth",
        "pre-auth",
    ),
    pos(
        "jargon",
        "Your app has been down all morning and I can't pay my staff.",
        "We've raised a P1 incident with engineering.",
        "P1 incident",
        "p1-incident",
    ),
    pos(
        "jargon",
        "How long will the repair on my fibre line take?",
        "The SLA for your product is 48 hours.",
        "SLA",
        "sla",
    ),
    pos(
        "jargon",
        "My bookings disappeared from the calendar page.",
        "It's a backend sync issue that we're fixing.",
        "backend",
        "backend-sync",
    ),
    neg(
        "jargon",
        "Is there an SLA for business broadband repairs?",
        "Yes, the SLA for business lines is a fix within 24 hours.",
        "customer-used-the-term",
    ),
    neg(
        "jargon",
        "Why is £150 missing from my balance after I checked into the hotel?",
        "There's a pre-authorisation (a temporary hold the hotel places on your card) for £150, "
        "and it drops off when you check out.",
        "term-explained-in-brackets",
    ),
    neg(
        "jargon",
        "My broadband fault has been open for a week.",
        "I've passed your fault to our specialist repair team, who will call you tomorrow.",
        "plain-language",
    ),
    neg(
        "jargon",
        "Can you reach my husband on his mobile instead?",
        "Of course, I'll reach him on his mobile at each appointment.",
        "reach-and-each-are-not-ach",
    ),
    neg(
        "jargon",
        "Where is my parcel?",
        "It's at the sorting office and will be delivered on Tuesday.",
        "sorting-office",
    ),
    pos(
        "jargon",
        "Where's my replacement part?",
        "Your replacement part has an RMA number of 5521.",
        "RMA",
        "rma",
    ),
    pos(
        "jargon",
        "Where is my payment to the builder?",
        "Your payment is stuck in reconciliation.",
        "reconciliation",
        "reconciliation",
    ),
    neg(
        "jargon",
        "My car was broken into last night.",
        "I've opened the claim now, your reference is CL-48213.",
        "a-reference-id-is-not-an-acronym",
    ),
    neg(
        "jargon",
        "The car I booked isn't here.",
        "I've upgraded you to an SUV at no extra cost; it's in bay 14.",
        "everyday-acronym",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), JARGON_CASES)
def test_jargon(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- defensive but --------------------------------------------------------------------------------

DEFENSIVE_BUT_CASES = [
    pos(
        "defensive_but",
        "Why is there a £25 exit fee? Nobody told me!",
        "I understand your frustration, but the fee is in your contract.",
        "understand your frustration, but",
        "understand-but-contract",
    ),
    pos(
        "defensive_but",
        "My order is two weeks late.",
        "I'm sorry about the delay, however we are very busy at the moment.",
        "sorry about the delay, however",
        "sorry-however-busy",
    ),
    pos(
        "defensive_but",
        "My parcel was thrown over the fence and broke.",
        "I appreciate this is annoying. However, the courier is responsible for damage.",
        "However",
        "appreciate-then-however",
    ),
    pos(
        "defensive_but",
        "I need the fee refunded, I couldn't help being late.",
        "I hear you, but there's nothing I can do about the fee.",
        "I hear you, but",
        "i-hear-you-but",
    ),
    pos(
        "defensive_but",
        "I didn't agree to a 24-month contract!",
        "I understand, but you agreed to the terms when you signed.",
        "understand, but",
        "understand-but-you-agreed",
    ),
    neg(
        "defensive_but",
        "I was charged twice!",
        "I understand, and I've already started the refund.",
        "understand-and",
    ),
    neg(
        "defensive_but",
        "My order is two weeks late.",
        "I'm sorry about the delay, but I'll get it sorted today.",
        "but-ill-fix-it",
    ),
    neg(
        "defensive_but",
        "My parcel still hasn't come.",
        "I know it's late, but the good news is it's out for delivery now.",
        "but-the-good-news",
    ),
    neg(
        "defensive_but",
        "Can you waive the late fee?",
        "The fee is normally £10 but I've waived it this time.",
        "but-without-a-softener",
    ),
    neg(
        "defensive_but",
        "Where is my parcel? It was due yesterday.",
        "Sorry for the wait! The parcel left Leeds this morning but got held at the depot, and "
        "it will be with you tomorrow.",
        "but-in-a-factual-sentence",
    ),
    neg(
        "defensive_but",
        "My bill is wrong again.",
        "I understand this has been frustrating, but let me fix it now.",
        "but-let-me",
    ),
    pos(
        "defensive_but",
        "My parcel was never delivered.",
        "I understand this is frustrating. But the parcel was delivered to your safe place.",
        "But",
        "understand-then-sentence-initial-but",
    ),
    pos(
        "defensive_but",
        "My parcel was never delivered.",
        "I know this is frustrating. But the parcel was delivered to your safe place.",
        "But",
        "know-this-is-then-but",
    ),
    pos(
        "defensive_but",
        "My bill is higher than the price I agreed on the phone.",
        "I'm sorry. That said, the fee is in your contract.",
        "That said",
        "that-said",
    ),
    neg(
        "defensive_but",
        "Where's my parcel?",
        "I understand. However, I've already refunded you.",
        "however-ive-already-refunded",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), DEFENSIVE_BUT_CASES)
def test_defensive_but(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- scripted phrases and the generic reply -----------------------------------------------------

SCRIPTED_CASES = [
    pos(
        "scripted_phrase",
        "The app logged me out mid-transfer.",
        "We apologise for any inconvenience caused. The app is working again now.",
        "We apologise for any inconvenience",
        "apologise-for-any-inconvenience",
    ),
    pos(
        "scripted_phrase",
        "I've been waiting 40 minutes in the chat queue.",
        "Thank you for your patience. Your new router ships today.",
        "Thank you for your patience",
        "thank-you-for-your-patience",
    ),
    pos(
        "scripted_phrase",
        "Thanks, the new SIM works.",
        "Glad to hear it. Is there anything else I can help you with today?",
        "Is there anything else I can help you with today",
        "anything-else-closer",
    ),
    pos(
        "scripted_phrase",
        "My refund hasn't come through.",
        "Your refund went out today. Please do not hesitate to contact us if it doesn't arrive.",
        "Please do not hesitate to contact",
        "do-not-hesitate",
    ),
    pos(
        "scripted_phrase",
        "Is my data safe after the breach?",
        "Rest assured, your card details were not affected.",
        "Rest assured",
        "rest-assured",
    ),
    pos(
        "scripted_phrase",
        "I've been on hold for an hour!",
        "Your call is important to us.",
        "Your call is important to us",
        "call-is-important",
    ),
    neg(
        "scripted_phrase",
        "I've been waiting 40 minutes in the chat queue.",
        "Thanks for waiting while I checked with the warehouse: the sofa ships on Friday.",
        "thanks-in-own-words",
    ),
    neg(
        "scripted_phrase",
        "Here's a photo of the damaged box.",
        "Thanks for sending the photo of the crushed corner; a replacement is on its way.",
        "thanks-for-the-photo",
    ),
    neg(
        "scripted_phrase",
        "Page 2 of my invoice has the wrong VAT number.",
        "I appreciate you flagging the VAT number on page 2. I've reissued the invoice.",
        "appreciate-you-flagging",
    ),
    neg(
        "scripted_phrase",
        "Our boiler broke and we have a newborn at home.",
        "I really hope the engineer gets your heating back on tonight; he'll be there at 6pm.",
        "hope-in-own-words",
    ),
    pos(
        "scripted_phrase",
        "I need help with my account.",
        "I hope this email finds you well. Your account is now unlocked.",
        "hope this email finds you well",
        "email-finds-you-well",
    ),
    neg(
        "scripted_phrase",
        "My daughter's party is on Saturday and the cake stand hasn't come.",
        "I hope your daughter's party goes well on Saturday; the cake stand arrives on Friday.",
        "hope-about-their-situation",
    ),
]

GENERIC_CASES = [
    pos(
        "generic_reply",
        "My order #4471 for a Dyson V11 still hasn't arrived and the tracking is stuck at Leeds.",
        "Thank you for contacting us. We apologise for any inconvenience. Please do not "
        "hesitate to contact us if you need anything else.",
        "Thank you for contacting us",
        "three-stock-sentences",
    ),
    pos(
        "generic_reply",
        "The Barclaycard payment of £312 to Ryanair went out twice on 3 May.",
        "Thank you for your patience. Rest assured we are looking into it. Have a nice day.",
        "Rest assured",
        "patience-rest-assured-nice-day",
    ),
    pos(
        "generic_reply",
        "Our villa in Crete had a broken air conditioner all week and the rep never came.",
        "We're sorry to hear that. We value your feedback.",
        "We value your feedback",
        "sorry-to-hear-value-feedback",
    ),
    pos(
        "generic_reply",
        "My Samsung fridge freezer is leaking water onto the kitchen floor.",
        "Thanks for reaching out. Your concern has been noted. I hope this helps.",
        "Your concern has been noted",
        "noted-hope-this-helps",
    ),
    neg(
        "generic_reply",
        "My order #4471 for a Dyson V11 still hasn't arrived and the tracking is stuck at Leeds.",
        "Thanks for reaching out. Your Dyson V11 (order 4471) is at our Leeds depot and will be "
        "delivered tomorrow.",
        "scripted-opener-then-specifics",
    ),
    neg(
        "generic_reply",
        "My order #4471 for a Dyson V11 still hasn't arrived and the tracking is stuck at Leeds.",
        "I'm sorry the tracking has been stuck. I've chased the depot and will call you by 5pm.",
        "no-stock-phrases",
    ),
    neg(
        "generic_reply",
        "",
        "Thank you for contacting us. Have a nice day.",
        "no-context-to-be-generic-about",
    ),
    neg(
        "generic_reply",
        "The Barclaycard payment of £312 to Ryanair went out twice on 3 May.",
        "Thank you for your patience. I can see the second £312 payment to Ryanair on 3 May and "
        "I've reversed it. It will be back in your account within 2 working days.",
        "one-stock-phrase-in-a-real-answer",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"), SCRIPTED_CASES + GENERIC_CASES
)
def test_scripted_and_generic(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- sympathy without empathy -------------------------------------------------------------------

SYMPATHY_CASES = [
    pos(
        "sympathy_not_empathy",
        "My wedding dress arrived torn.",
        "Oh dear, what a shame.",
        "Oh dear",
        "oh-dear-what-a-shame",
    ),
    pos(
        "sympathy_not_empathy",
        "The courier lost my parcel with my grandad's birthday present.",
        "That's too bad. Unfortunately these things happen with couriers.",
        "That's too bad",
        "too-bad-these-things-happen",
    ),
    pos(
        "sympathy_not_empathy",
        "I missed my mum's funeral because your train was cancelled.",
        "Poor you.",
        "Poor you",
        "poor-you",
    ),
    pos(
        "sympathy_not_empathy",
        "My holiday booking disappeared from your app.",
        "How awful.",
        "How awful",
        "how-awful",
    ),
    pos(
        "sympathy_not_empathy",
        "Our broadband has been off for a week and my son has exams.",
        "I feel so sorry for you. That's a pity.",
        "sorry for you",
        "i-feel-sorry-for-you",
    ),
    neg(
        "sympathy_not_empathy",
        "My wedding dress arrived torn.",
        "Oh no, I can see how upsetting that is two weeks before the wedding. I've sent a "
        "replacement dress by next-day delivery, arriving tomorrow.",
        "pity-with-understanding-and-action",
    ),
    neg(
        "sympathy_not_empathy",
        "My bank card was swallowed by the cash machine.",
        "I'm sorry to hear that. A new card will be posted today.",
        "sorry-to-hear-is-not-pity",
    ),
    neg(
        "sympathy_not_empathy",
        "The engineer cancelled our appointment again.",
        "That's frustrating, especially after taking the day off. I've booked a new visit for "
        "Thursday at 8am.",
        "acknowledgement-and-action",
    ),
    neg(
        "sympathy_not_empathy",
        "The app won't let me pay my council tax.",
        "I've fixed the payment page; you can pay now.",
        "no-pity-at-all",
    ),
    neg(
        "sympathy_not_empathy",
        "My package was stolen from my doorstep.",
        "That's a shame, and it's understandable you're upset. I've sent a replacement today.",
        "shame-with-validation-and-action",
    ),
    pos(
        "sympathy_not_empathy",
        "My parcel arrived crushed.",
        "Oh no! Sorry to hear that.",
        "Oh no",
        "oh-no-sorry-to-hear",
    ),
    neg(
        "sympathy_not_empathy",
        "You cut off my phone by mistake!",
        "That's terrible service from us, and it's on me. I've reconnected your line just now.",
        "terrible-service-from-us-is-ownership",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), SYMPATHY_CASES)
def test_sympathy(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- fit: depth matched to the customer's emotion and issue --------------------------------------

FURIOUS = (
    "This is absolutely UNACCEPTABLE!!! Third time my broadband has dropped this week and NOBODY "
    "has fixed it. I am furious."
)
TERRIFIED = (
    "I am TERRIFIED!!! Someone has emptied my savings account and I can't reach ANYONE. "
    "This is a nightmare."
)
DEVASTATED = (
    "I am DEVASTATED!!! My wedding dress arrived ruined, absolutely heartbroken, this is a disaster"
)
LOST = "I'm so confused and honestly fed up, your bill makes NO SENSE at all!!"
MILDLY_WORRIED = "I'm worried my payment hasn't gone through."
MILDLY_ANNOYED = "I'm a bit annoyed my parcel is late."
MILDLY_CONFUSED = "I'm a bit confused by my latest phone bill."
ROUTINE = "Hi, what time does the Leeds branch open on Saturday?"
COMPLEX = (
    "This is the third time I've contacted you. I was charged twice for my March bill, and on "
    "top of that I also can't log in to the app. I've already tried resetting my password and "
    "it didn't work."
)

FIT_CASES = [
    pos(
        "unacknowledged_emotion",
        FURIOUS,
        "Your case reference is 55102. An engineer visit is booked for Thursday.",
        "furious",
        "furious-customer-facts-only",
    ),
    pos(
        "unacknowledged_emotion",
        TERRIFIED,
        "I've frozen the savings account. Our fraud team will call you within the hour.",
        "TERRIFIED",
        "terrified-customer-facts-only",
    ),
    pos(
        "unacknowledged_emotion",
        DEVASTATED,
        "Please send photos of the damage to returns@example.com.",
        "DEVASTATED",
        "devastated-customer-instructions-only",
    ),
    pos(
        "unacknowledged_emotion",
        LOST,
        "Your bill is available in the app under Billing.",
        "fed up",
        "intensely-confused-customer-pointed-elsewhere",
    ),
    neg(
        "unacknowledged_emotion",
        FURIOUS,
        "I can see how frustrating this is after three drop-outs in one week. An engineer visit "
        "is booked for Thursday.",
        "acknowledged",
    ),
    neg(
        "unacknowledged_emotion",
        TERRIFIED,
        "I'm so sorry, that's a frightening thing to find. I've frozen the account and our fraud "
        "team will call you within the hour.",
        "apology-and-action",
    ),
    neg(
        "unacknowledged_emotion",
        ROUTINE,
        "The Leeds branch opens at 9am on Saturday.",
        "calm-routine-question",
    ),
    neg(
        "unacknowledged_emotion",
        MILDLY_ANNOYED,
        "Your parcel is out for delivery and will arrive by 6pm.",
        "mild-customer-is-not-intense",
    ),
    neg(
        "unacknowledged_emotion",
        "Thank you SO much!!! The engineer was brilliant and fixed everything.",
        "Thanks, I'll pass that on to him.",
        "happy-customer",
    ),
    pos(
        "no_acknowledgement",
        MILDLY_ANNOYED,
        "Your parcel is out for delivery and will arrive by 6pm.",
        "a bit annoyed",
        "mildly-annoyed",
    ),
    pos(
        "no_acknowledgement",
        MILDLY_CONFUSED,
        "Your bill is in the app under Billing.",
        "a bit confused",
        "mildly-confused",
    ),
    pos(
        "no_acknowledgement",
        "I'm a little worried my salary payment hasn't gone through.",
        "Payments can take up to 2 hours to show.",
        "a little worried",
        "mildly-worried",
    ),
    pos(
        "no_acknowledgement",
        "I'm slightly disappointed the jumper was a different colour to the photo.",
        "You can return it for free within 30 days.",
        "slightly",
        "slightly-disappointed",
    ),
    neg(
        "no_acknowledgement",
        MILDLY_ANNOYED,
        "Sorry it's late! It's out for delivery and will arrive by 6pm.",
        "apology-counts",
    ),
    neg(
        "no_acknowledgement",
        MILDLY_CONFUSED,
        "That's a fair question, the bill changed format this month. The new total is on page 1.",
        "validation-counts",
    ),
    neg(
        "no_acknowledgement",
        FURIOUS,
        "Your case reference is 55102. An engineer visit is booked for Thursday.",
        "intense-customer-is-the-stronger-gap",
    ),
    neg(
        "no_acknowledgement",
        ROUTINE,
        "The Leeds branch opens at 9am on Saturday.",
        "neutral-customer",
    ),
    pos(
        "complex_without_exploration",
        COMPLEX,
        "The duplicate charge has been refunded.",
        "third time",
        "three-problems-one-answered-without-asking",
    ),
    pos(
        "complex_without_exploration",
        COMPLEX,
        "I've refunded the duplicate March charge today.",
        "third time",
        "three-problems-action-only-reply",
    ),
    pos(
        "complex_without_exploration",
        "My late husband's account is still being charged £45 a month. I've called twice "
        "already and sent the death certificate, and the payments still haven't stopped.",
        "The account has been closed.",
        "death",
        "bereavement-and-money",
    ),
    pos(
        "complex_without_exploration",
        "My mum is elderly and her heating has been off for days. The engineer came and the "
        "fix didn't work. She's on oxygen at home so this is urgent.",
        "An engineer will visit tomorrow at 9am.",
        "oxygen",
        "health-safety-failed-fix",
    ),
    pos(
        "complex_without_exploration",
        "I've restarted the router, reset it and followed every step on your site. Nothing "
        "works. This is the fourth time I've reported it and I pay £60 a month for this.",
        "Your reference is 5521.",
        "Nothing works",
        "failed-fixes-repeated-money",
    ),
    neg(
        "complex_without_exploration",
        COMPLEX,
        "I'm sorry this has taken three contacts. I've refunded the duplicate March charge today. "
        "What happens on screen when you try to log in to the app?",
        "complex-with-open-question",
    ),
    neg(
        "complex_without_exploration",
        ROUTINE,
        "The Leeds branch opens at 9am on Saturday.",
        "routine-needs-no-exploration",
    ),
    neg(
        "complex_without_exploration",
        "Can you send me a copy of my March invoice?",
        "I've emailed the March invoice to you just now.",
        "single-money-question-is-routine",
    ),
    neg(
        "complex_without_exploration",
        COMPLEX,
        "I've refunded the duplicate March charge today. Did the password reset email arrive?",
        "complex-with-closed-question",
    ),
    pos(
        "excessive_sympathy",
        ROUTINE,
        "I'm so sorry for any confusion. I completely understand how frustrating opening hours "
        "can be. I really apologise. The Leeds branch opens at 9am on Saturday.",
        "I completely understand how frustrating",
        "three-sympathy-sentences-for-opening-hours",
    ),
    pos(
        "excessive_sympathy",
        "Can you send me a copy of my March invoice?",
        "I'm so sorry you need to ask. I understand how stressful paperwork can be. I've emailed "
        "the March invoice.",
        "I understand how stressful",
        "sympathy-for-an-invoice-request",
    ),
    pos(
        "excessive_sympathy",
        "Which plans include international calls?",
        "I'm really sorry about the confusion. I can imagine how frustrating plan names are. "
        "Our Global plan includes international calls.",
        "I can imagine how frustrating",
        "sympathy-for-a-plan-question",
    ),
    pos(
        "excessive_sympathy",
        "Do you deliver to Guernsey?",
        "I'm so sorry for the trouble. I totally understand how annoying that must be. Please "
        "accept my apologies. Yes, we deliver to Guernsey.",
        "how annoying that must be",
        "sympathy-for-a-settings-question",
    ),
    neg(
        "excessive_sympathy",
        ROUTINE,
        "The Leeds branch opens at 9am on Saturday.",
        "straight-answer",
    ),
    neg(
        "excessive_sympathy",
        FURIOUS,
        "I'm so sorry. I understand how frustrating three drop-outs in a week must be. I've "
        "booked an engineer for Thursday.",
        "sympathy-fits-a-furious-customer",
    ),
    neg(
        "excessive_sympathy",
        COMPLEX,
        "I'm so sorry this has taken three contacts. I understand how stressful the double "
        "charge is. I've refunded it today. What happens when you try to log in?",
        "sympathy-fits-a-complex-issue",
    ),
    neg(
        "excessive_sympathy",
        ROUTINE,
        "Sorry for the wait! The Leeds branch opens at 9am on Saturday and closes at 4pm.",
        "one-short-apology",
    ),
    pos(
        "unacknowledged_emotion",
        FURIOUS,
        "We apologise for any inconvenience. An engineer is booked for Thursday.",
        "UNACCEPTABLE",
        "scripted-apology-is-not-acknowledgement",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), FIT_CASES)
def test_fit(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


# --- help the reply gives, however it is phrased (issue 11) ---------------------------------------

HELP_CASES = [
    pos(
        "action_taken",
        "Our online store was down for three hours this morning. What happened?",
        "The outage came from an expired certificate, which has now been renewed.",
        "which has now been renewed",
        "passive-after-which",
    ),
    pos(
        "action_taken",
        "My parcel arrived damaged, the lamp is smashed.",
        "A new lamp is in stock and has been sent by tracked delivery.",
        "has been sent",
        "passive-after-and",
    ),
    pos(
        "action_taken",
        "I can't log in, it says my password is wrong.",
        "A password reset link has been emailed to you.",
        "has been emailed",
        "passive-indefinite-subject",
    ),
    pos(
        "action_taken",
        "locked out of the app again, can u reset it",
        "On it! New link's in your inbox.",
        "in your inbox",
        "bare-subject-in-inbox",
    ),
    neg(
        "action_taken",
        "Where is my flight? The app says something is wrong.",
        "Flight BA212 has been cancelled because of the storm.",
        "the-failure-is-not-a-fix",
    ),
    neg(
        "action_taken",
        "When will my refund come through?",
        "Once the item has been inspected, we will refund you.",
        "passive-under-once",
    ),
    pos(
        "gives_steps",
        "My broadband was down for three days and I run a business from home.",
        "Compensation for the lost days can be claimed through My Account, under Billing.",
        "can be claimed through",
        "way-forward-in-the-passive",
    ),
    pos(
        "gives_steps",
        "I was charged for a delivery that never came.",
        "You can claim the delivery fee back using the form on the order page.",
        "you can claim",
        "you-can-claim-using",
    ),
    pos(
        "gives_steps",
        "The app keeps crashing when I open my basket.",
        "We recommend updating the app to version 5.2, which fixes this crash.",
        "we recommend updating",
        "we-recommend",
    ),
    pos(
        "gives_steps",
        "I need to move my appointment, I'm working that day.",
        "Should you wish to reschedule, kindly ring the bookings line on 0161 555 0192.",
        "kindly ring",
        "imperative-after-a-condition",
    ),
    neg(
        "gives_steps",
        "The heating hasn't worked since your engineer fitted the boiler.",
        "If it's still not working tomorrow, give us a call back.",
        "a-fallback-is-not-a-fix",
    ),
    neg(
        "gives_steps",
        "There's water coming through the ceiling.",
        "Keep an eye on it for a few days.",
        "wait-and-see",
    ),
    neg(
        "gives_steps",
        "You've charged me for damage that was already there. I have photos.",
        "If you have the photos, send them over and I'll take a look.",
        "sending-us-evidence-is-a-request",
    ),
    pos(
        "repeats_tried",
        "My broadband drops every evening. I've reset the router twice like your colleague told "
        "me and it's still happening.",
        "Please switch the router off at the wall, wait thirty seconds and switch it back on.",
        "switch the router off",
        "the-step-they-already-took",
    ),
    pos(
        "repeats_tried",
        "I know how to book online, that's not the problem. The page rejects my card every time.",
        "Here's how to book online: go to Bookings, choose a date and click Pay.",
        "how to book online",
        "what-they-know-how-to-do",
    ),
    pos(
        "repeats_tried",
        "They changed the email on my account so I can't even reset the password.",
        "To get back in, reset the password from the login page.",
        "reset the password from the login page",
        "what-they-cannot-do",
    ),
    neg(
        "repeats_tried",
        "My broadband drops every evening. I've reset the router twice like your colleague told "
        "me and it's still happening.",
        "Resetting clearly isn't the answer, so I've booked an engineer for Thursday morning.",
        "moves-past-what-they-tried",
    ),
    pos(
        "next_steps",
        "Some of my saved items vanished after the update.",
        "The team is aware and working on a fix, which should be out soon.",
        "working on a fix",
        "work-under-way",
    ),
    pos(
        "no_timeline",
        "Our whole team has been locked out of the dashboard since this morning.",
        "Our engineers are working on it now.",
        "working on it now",
        "under-way-now-is-not-a-time",
    ),
    pos(
        "clear_next_steps",
        "Our power's gone off and the whole street is dark.",
        "Engineers are on site and expect power back by 6pm.",
        "on site",
        "under-way-with-a-time",
    ),
    pos(
        "clear_next_steps",
        "The claim form keeps logging me out. That's the fourth time now.",
        "Skip the form: I can take the claim details here in the chat.",
        "here in the chat",
        "done-with-them-here-and-now",
    ),
    pos(
        "no_timeline",
        "My refund still hasn't come through.",
        "As I said in the chat earlier, I'll look at the refund.",
        "look at the refund",
        "a-mention-of-the-chat-is-not-a-time",
    ),
    neg(
        "answers_question",
        "A pipe burst in the loft and water's come through the ceiling. What happens now?",
        "Okay, I've noted all of that down.",
        "noting-it-is-not-what-happens-next",
    ),
    neg(
        "answers_question",
        "Our power's gone off. Do you know when it'll be back?",
        "Yes, there's a power cut in your area.",
        "do-you-know-when-asks-when",
    ),
    neg(
        "repeats_tried",
        "I sent the form on Monday and the order still says pending.",
        "Please check the order page again tomorrow morning.",
        "a-first-report-is-not-a-repeat",
    ),
]


@pytest.mark.parametrize(("code", "expected", "context", "reply", "trigger"), HELP_CASES)
def test_help_the_reply_gives(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)


MORE_ANTIPATTERN_CASES = [
    pos(
        "minimising",
        "There's a damp patch spreading on the bedroom wall.",
        "It's most likely just a bit of condensation, nothing more.",
        "most likely just",
        "problem-guessed-small",
    ),
    pos(
        "minimising",
        "My pension payment hasn't arrived.",
        "These things usually sort themselves out.",
        "sort themselves out",
        "sorts-itself-out",
    ),
    pos(
        "deflection",
        "The trains were cancelled and I missed my flight.",
        "Strikes are outside our control, so we can't help with the flight.",
        "outside our control",
        "outside-our-control",
    ),
    pos(
        "tone_policing",
        "Hello, I am buy the phone 3 week ago and it not charge anymore.",
        "I think you mean you 'bought' the phone. Please write in full sentences.",
        "write in full sentences",
        "correcting-their-english",
    ),
    pos(
        "tone_policing",
        "Your fees are a rip-off and your staff are useless.",
        "We do not accept abusive language.",
        "we do not accept abusive language",
        "abusive-language",
    ),
    neg(
        "tone_policing",
        "Sorry my english. Is possible change the date?",
        "Yes, we can change it, and your English is fine.",
        "reassurance-about-their-english",
    ),
    neg(
        "validates_feeling",
        "I can't log in.",
        "I've sent a new link; it's valid for 30 minutes.",
        "valid-for-a-time",
    ),
    neg(
        "apology",
        "My squad invites keep failing.",
        "We are sorry to hear you are experiencing difficulties with squad invitations.",
        "form-letter-sorry-to-hear",
    ),
    pos(
        "misread_tone",
        "I'm not asking you to change the grade. I want someone to admit the comment was wrong.",
        "If you'd like the grade reviewed, you can appeal within 14 days.",
        "grade reviewed",
        "offers-what-they-turned-down",
    ),
    neg(
        "misread_tone",
        "I'm not asking you to change the grade. I want someone to admit the comment was wrong.",
        "I understand you're not asking about the grade, and you're right: the comment was wrong.",
        "hears-what-they-turned-down",
    ),
]


@pytest.mark.parametrize(
    ("code", "expected", "context", "reply", "trigger"), MORE_ANTIPATTERN_CASES
)
def test_more_antipatterns(code, expected, context, reply, trigger):
    check(code, expected, context, reply, trigger)
