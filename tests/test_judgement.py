"""The judgements a support lead reviewing heard marked wrong (issue 11), each kept as a
regression test: the mechanism behind it, checked on the reported case and on a variant."""

from __future__ import annotations

import pytest

import heard
from heard.assessment.overall import SERIOUS_CAP
from heard.services.behaviour import EXEMPLARY_AT, POOR_BELOW


def codes(result: heard.Assessment) -> set[str]:
    return {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        ("What time do you open on Saturday?", "We're open 9am to 5pm on Saturdays."),
        ("How much is the unlimited plan?", "Unlimited is £25 a month, or £30 with no contract."),
        ("Do you ship to Canada?", "Yes, we ship to Canada; delivery takes 5-7 working days."),
    ],
    ids=["opening-hours", "price", "shipping"],
)
def test_a_complete_answer_to_a_routine_question_needs_no_next_step(
    customer: str, reply: str
) -> None:
    result = heard.assess(reply, customer)
    assert "answers_question" in codes(result)
    assert "no_next_steps" not in codes(result)
    assert result.score >= EXEMPLARY_AT, result.score_parts
    assert "[what you will do]" not in result.rewrite and "[when]" not in result.rewrite


def test_pity_without_action_never_outranks_help() -> None:
    customer = (
        "The parcel with my daughter's birthday present has been lost and her party is tomorrow."
    )
    pity = heard.assess(
        "Oh no, that's so sad! I'm so sorry, that must be awful for you both. Poor little girl.",
        customer,
    )
    help_ = heard.assess(
        "I'm so sorry, that's a horrible thing to happen the day before her party. I've sent a "
        "replacement by next-day delivery so it reaches you tomorrow before noon.",
        customer,
    )
    routine = heard.assess(
        "We're open 9am to 5pm on Saturdays.", "What time do you open on Saturday?"
    )
    assert pity.score < POOR_BELOW, pity.score_parts
    assert pity.score < help_.score and pity.score < routine.score
    assert {"sympathy_not_empathy", "no_next_steps"} <= codes(pity)


@pytest.mark.parametrize(
    "customer",
    [
        "Wow, thanks for cancelling my flight with two hours' notice. Really loving this airline.",
        "Oh perfect, charged twice. Love that for me.",
        "Thanks for the 'priority' support ticket. Nine days and counting.",
    ],
    ids=["cancelled-flight", "charged-twice", "priority-ticket"],
)
def test_sarcasm_reads_as_frustration_and_a_thank_you_for_it_is_flagged(customer: str) -> None:
    reading = heard.detect_emotion(customer)
    assert reading.label == "frustrated", reading.scores
    assert any(cue.code == "sarcasm" for cue in reading.cues)
    literal = heard.assess(
        "Thank you for your kind words! We're glad you're enjoying flying with us.", customer
    )
    assert "misread_tone" in codes(literal)
    assert literal.score < POOR_BELOW


def test_policy_refusal_behind_an_acknowledgement_is_a_shield_and_the_rewrite_keeps_it() -> None:
    result = heard.assess(
        "I understand your frustration, but our policy says cancellation fees are non-refundable.",
        "I want my cancellation fee back, your app crashed while I was rebooking.",
    )
    assert "policy_shield" in codes(result)
    assert "I understand your frustration" in result.rewrite
    assert "[the nearest alternative you can offer]" in result.rewrite


def test_a_flat_refusal_is_flagged_and_scores_below_the_middle() -> None:
    result = heard.assess(
        "we wouldn't offer a complimentary upgrade for a cancelled flight. Who advised you to "
        "contact us?",
        "My flight was cancelled. Can I get a complimentary upgrade on the next one?",
    )
    assert "bare_refusal" in codes(result)
    assert result.score < 50, result.score_parts


def test_non_native_empathy_is_not_minimising_and_has_its_timeline() -> None:
    result = heard.assess(
        "I am very sorry for your loss. You only need to send me the death certificate when you "
        "can, no hurry. I write you in 2 days with the next steps.",
        "My mother passed away last week. What do you need from me to close her account?",
    )
    assert "minimising" not in codes(result)
    assert "no_timeline" not in codes(result)
    assert "clear_next_steps" in codes(result)
    assert "no hurry by [when]" not in result.rewrite
    assert result.score >= EXEMPLARY_AT, result.score_parts


@pytest.mark.parametrize(
    "draft",
    [
        "Please send the death certificate to closures@example.com and we will close the account.",
        "Policy cancelled. A refund of £12.40 will be paid to your account.",
    ],
)
def test_the_rewrite_offers_condolence_after_a_loss_never_disappointment(draft: str) -> None:
    result = heard.assess(draft, "My husband died last month and I need to close his account.")
    assert "loss" in result.rewrite
    for wrong in ("disappointing", "frustrating", "inconvenience"):
        assert wrong not in result.rewrite.lower()


@pytest.mark.parametrize(
    "customer",
    [
        "My husband passed away last month. I need to close his account.",
        "Can you cancel my cat food subscription? Milo was put to sleep yesterday.",
        "my father is died in march and i need to close his account.",
    ],
)
def test_a_bereavement_reads_as_grief_and_the_tip_asks_for_condolence(customer: str) -> None:
    """Grief is sadness (disappointed among the six), never neutral; the gap and the tip ask for
    condolence, not for "how the customer feels (disappointed)"."""
    reading = heard.detect_emotion(customer)
    assert reading.label == "disappointed", reading.scores
    assert any(cue.code == "loss" for cue in reading.cues)
    result = heard.assess("Please send us the paperwork and we will close it.", customer)
    gaps = [
        f for f in result.findings if f.code in ("unacknowledged_emotion", "no_acknowledgement")
    ]
    assert gaps and "lost someone" in gaps[0].message
    assert "condolence" in result.tips[0].text
    assert all("(disappointed)" not in tip.text for tip in result.tips)


@pytest.mark.parametrize(
    "customer",
    [
        "My phone died this morning and now it won't turn on.",
        "My laptop has just died, can you repair it?",
        "I was put to sleep for the operation and woke up without my wallet.",
    ],
)
def test_a_thing_that_died_is_not_a_bereavement(customer: str) -> None:
    result = heard.assess("I can book a repair for tomorrow at 10am.", customer)
    assert result.customer.needs.kind != "loss"
    assert not any(cue.code == "loss" for cue in result.customer.emotion.cues)
    assert all("condolence" not in tip.text for tip in result.tips)


def test_condolence_that_names_who_they_lost_counts_and_is_not_doubled() -> None:
    customer = "Can you cancel my cat food subscription? Milo was put to sleep yesterday."
    named = heard.assess(
        "I'm so sorry about Milo. I've cancelled the subscription, and Thursday's delivery "
        "won't be sent.",
        customer,
    )
    assert "acknowledges_feeling" in codes(named)
    assert named.score >= EXEMPLARY_AT, named.score_parts
    assert "sorry for your loss" not in named.rewrite.lower()
    # a name the customer never used is not condolence for their loss
    other = heard.assess(
        "I'm so sorry about Rex. I've cancelled the subscription, and Thursday's delivery "
        "won't be sent.",
        customer,
    )
    assert "acknowledges_feeling" not in codes(other)


def test_an_upsell_to_a_happy_customer_is_a_sales_push() -> None:
    result = heard.assess(
        "Thanks for contacting us. Have you heard about our new Full Fibre 900 package? For just "
        "£10 more a month you could get speeds of up to 900Mbps!",
        "Engineer came this morning and the internet's flying now. Cheers!",
    )
    assert "sales_push" in codes(result)


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        (
            "That's all, have a great day! Don't forget to spay or neuter your pet!",
            "have a nice day",
        ),
        ("No, that's everything, bye!", "Bye! Have a lovely evening."),
    ],
)
def test_a_goodbye_needs_warmth_not_a_fix(customer: str, reply: str) -> None:
    result = heard.assess(reply, customer)
    assert result.customer.needs.kind == "praise"
    assert result.customer.needs.has("farewell")
    assert "no_next_steps" not in codes(result)
    assert result.score >= 70, result.score_parts


def test_a_request_with_a_goodbye_is_still_a_request() -> None:
    assert heard.assess("Done.", "Please cancel it. Thanks, bye").customer.needs.kind == "problem"


@pytest.mark.parametrize(
    "message",
    ["Goodbye.", "I just want to die. Nothing else.", "I miss my wife, terribly. That is all."],
)
def test_a_goodbye_without_goodwill_is_not_a_pleasant_farewell(message: str) -> None:
    """Someone in crisis may say goodbye too: only a closing with goodwill or thanks is one."""
    result = heard.assess("Thanks for getting in touch.", message)
    assert not result.customer.needs.has("farewell")
    assert result.customer.needs.kind != "praise"
    assert not any(cue.code == "acknowledgement" for cue in result.customer.emotion.cues)


def test_a_message_written_to_thank_is_not_answered_by_ignoring_it() -> None:
    customer = (
        "I just wanted to say thanks. The lady I spoke to yesterday sorted my mortgage payment "
        "holiday and I slept properly for the first time in weeks."
    )
    ignored = heard.assess(
        "Okay. Can I take your account number and date of birth, please, so I can get you "
        "through security?",
        customer,
    )
    thanked = heard.assess(
        "Thank you so much for letting us know. I'm really glad you slept properly at last, and "
        "I'll pass your thanks on to her.",
        customer,
    )
    assert thanked.score >= EXEMPLARY_AT, thanked.score_parts
    assert ignored.score <= thanked.score - 25, ignored.score_parts
    # a thank-you on the way out is answered by plain politeness
    assert heard.assess("Great, you're all set.", "No, that's all, thanks.").score >= 80


@pytest.mark.parametrize(
    ("customer", "kind", "asks"),
    [
        ("how much long till it is refunded", "question", "status"),
        ("just wanted to check on the status of a refund", "question", "status"),
        ("No, I just want to see how long they last for.", "question", "status"),
        ("how many days until my card arrives?", "question", "time"),
        ("My router keeps dropping", "problem", None),
        # a request for information is a question; a request to act is not
        ("Can you tell me whether my policy covers dental?", "question", None),
        ("Can you tell me where things are with my referral?", "question", "status"),
        ("Can you tell them to stop calling me?", "problem", None),
        ("the cash machine on High Street swallowed my card", "problem", None),
    ],
)
def test_what_the_customer_asks(customer: str, kind: str, asks: str | None) -> None:
    needs = heard.assess("Thanks.", customer).customer.needs
    assert needs.kind == kind
    if asks is not None:
        assert needs.question_types == (asks,)


def test_a_short_answer_to_how_long_answers_it() -> None:
    result = heard.assess("less than a week", "how much long till it is refunded")
    assert "answers_question" in codes(result)
    assert result.score >= 70, result.score_parts


@pytest.mark.parametrize(
    "reply",
    [
        "sure, would you give me your full name or account ID",
        "May I have your order number please.",
        "please confirm your postcode and the order number",
    ],
)
def test_asking_for_what_it_needs_is_a_question_without_a_question_mark(reply: str) -> None:
    result = heard.assess(reply, "just wanted to check on the status of a refund")
    assert "closed_question" in codes(result)
    assert POOR_BELOW <= result.score < EXEMPLARY_AT, result.score_parts


@pytest.mark.parametrize(
    ("customer", "reply", "off_target"),
    [
        (
            "ordered the coat on the 2nd for my dad's 70th which is on saturday and it STILL says "
            "processing",
            "I understand you're concerned about the cost of the coat; we do price-match. I've "
            "upgraded it to next-day delivery, so it will arrive on Friday.",
            True,
        ),
        (
            "You've charged me the fee twice.",
            "I'm sorry you're frustrated by the wait. I've refunded the second fee.",
            True,
        ),
        (
            "You've charged me the fee twice.",
            "I understand you're upset about the charge. I've refunded the second fee.",
            False,
        ),
        (
            "My parcel is three days late.",
            "I understand you're frustrated with the delay. It arrives tomorrow.",
            False,
        ),
        (
            "ordered the coat on the 2nd for my dad's 70th which is on saturday and it STILL says "
            "processing",
            "I know you're worried about getting it in time for your dad's 70th. I've upgraded it "
            "to next-day delivery, so it will arrive on Friday.",
            False,
        ),
    ],
)
def test_an_acknowledgement_of_a_worry_never_raised_is_off_target(
    customer: str, reply: str, off_target: bool
) -> None:
    result = heard.assess(reply, customer)
    assert ("off_target_acknowledgement" in codes(result)) is off_target
    assert ("acknowledges_feeling" in codes(result)) is not off_target
    if off_target:
        assert result.score < EXEMPLARY_AT, result.score_parts


@pytest.mark.parametrize(
    "reply",
    [
        "That's great to hear! Enjoy the rest of your journey ^LS",
        "We apologize for the delay. The crew are boarding now and you'll push back at 14:10. *TJ",
        "Could you let us know your device model and app version? /AV",
        "Glad it's sorted! - MK",
    ],
)
def test_an_agents_initials_signing_a_reply_are_not_jargon(reply: str) -> None:
    result = heard.assess(reply, "Thanks, the app works again and the coffee was free!")
    assert "jargon" not in codes(result)


def test_an_unexplained_acronym_inside_a_reply_is_still_jargon() -> None:
    result = heard.assess("Your RPL application is pending with the APL board.", "My results?")
    assert "jargon" in codes(result)


def test_asking_for_a_direct_message_with_details_is_asking_what_it_needs() -> None:
    result = heard.assess(
        "I'm sorry to hear about the outage. Please DM us your account info so we can take a "
        "closer look.",
        "internet down AGAIN. Paying $90 a month for this garbage",
    )
    assert "closed_question" in codes(result)
    assert "no_next_steps" not in codes(result)


def test_a_refund_reported_done_with_its_amount_and_a_plain_sorry_count() -> None:
    result = heard.assess(
        "Hi Sam, I can see the blender arrived at our warehouse on 2 May. The refund of £59.99 was "
        "issued today and should reach your card in 3-5 working days. Sorry it took longer than it "
        "should have. Best, Ana",
        "Hi, I returned the blender 3 weeks ago (tracking RM123) and still no refund. Can you check?",
    )
    assert {"clear_next_steps", "apology"} <= codes(result)
    assert "no_next_steps" not in codes(result)
    assert "non_apology" in codes(heard.assess("Sorry you feel that way.", "Still no refund."))


def test_a_full_answer_to_can_you_tell_me_whether_needs_no_next_step() -> None:
    result = heard.assess(
        "Yes, your Silver plan covers routine dental check-ups twice a year, up to £150. Fillings "
        "aren't covered.",
        "Can you tell me whether my policy covers dental?",
    )
    assert "no_next_steps" not in codes(result)
    assert result.score >= EXEMPLARY_AT, result.score_parts


@pytest.mark.parametrize(
    ("customer", "reply", "handed_back"),
    [
        (
            "My boiler engineer came yesterday and now there's water leaking from the pipe he fixed.",
            "Please put a bucket under the leak and tighten the pipe fitting with a spanner.",
            True,
        ),
        (
            "Since your update the app crashes when I open it",
            "Please uninstall the app and reinstall it from the store.",
            True,
        ),
        (
            "My boiler engineer came yesterday and now there's water leaking from the pipe he fixed.",
            "I'm sorry, that shouldn't happen after a repair. I've booked the same engineer back for "
            "tomorrow morning between 8 and 12, at no charge. Until then, turn off the water at the "
            "stopcock if the leak gets worse.",
            False,
        ),
        (
            "My radiator is cold at the top and I don't know why.",
            "Bleed the radiator: turn the valve at the top with a radiator key until water appears.",
            False,
        ),
    ],
)
def test_steps_handed_back_for_a_failure_our_own_work_caused(
    customer: str, reply: str, handed_back: bool
) -> None:
    result = heard.assess(reply, customer)
    assert ("handed_back" in codes(result)) is handed_back
    if handed_back:
        assert result.score < EXEMPLARY_AT - 15, result.score_parts
        assert "own work" in result.tips[0].text


def test_a_heating_that_has_not_worked_since_is_a_failure() -> None:
    needs = heard.assess("Thanks.", "The heating hasn't worked since Friday.").customer.needs
    assert needs.has("problem")


def test_the_personalisation_gap_never_says_none_when_one_detail_is_used() -> None:
    result = heard.assess(
        "I've cancelled the membership today and refunded the two payments since.",
        "I've been trying to cancel my gym membership for 2 months and you keep charging me!!",
    )
    gap = next(f for f in result.findings if f.code == "not_personalised")
    assert "only one" in gap.message and '"membership"' in gap.message
    assert all(span.text != "membership" for span in gap.evidence)
    none = heard.assess(
        "Please refer to our website.",
        "My flight to Lisbon was cancelled at Heathrow and I'm stuck with two kids.",
    )
    gap = next(f for f in none.findings if f.code == "not_personalised")
    assert "any of the customer's specifics" in gap.message


def test_their_words_inside_an_apology_that_judges_them_are_not_parroting() -> None:
    customer = (
        "Dear Sir/Madam, I am writing to complain about your Leeds branch on 4 March. I was kept "
        "waiting for 50 minutes and then told the advisor had gone home. I expect a written "
        "explanation."
    )
    owned = heard.assess(
        "Dear Mr Hughes, I'm sorry: being kept waiting for 50 minutes and then told your advisor "
        "had gone home is not the service you should get from us. I've asked the branch manager "
        "for a full account and will send you a written explanation by 15 March. Yours "
        "sincerely, Priya Shah",
        customer,
    )
    assert "parroting" not in codes(owned)
    assert owned.score >= EXEMPLARY_AT, owned.score_parts
    echoed = heard.assess(
        'I hear you: "I was kept waiting for 50 minutes and then told the advisor had gone '
        'home". I will look into it.',
        customer,
    )
    assert "parroting" in codes(echoed)


def test_a_request_to_confirm_is_a_question_answered_by_the_confirmation() -> None:
    result = heard.assess(
        "Yes, you're booked in with Dr Patel on Tuesday at 3pm at the Elm Street surgery.",
        "Could you confirm my appointment for Tuesday at 3pm?",
    )
    assert result.customer.needs.kind == "question"
    assert "no_next_steps" not in codes(result)


def test_feedback_passed_on_needs_no_timeline() -> None:
    result = heard.assess(
        "We've let our team know we can do better, Joel. Thanks for sharing :)",
        "Your new checkout is really confusing, it took me 20 minutes to pay.",
    )
    assert {"no_next_steps", "no_timeline"}.isdisjoint(codes(result))
    assert "[when]" not in result.rewrite


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Yes.", "neutral"),
        ("ok", "neutral"),
        ("It still doesn't work", "frustrated"),
        ("I DID ALL THIS", "frustrated"),
        ("@TescoMobile been on hold 45 mins, this is a joke", "frustrated"),
        (
            "My flight is tomorrow at 7am and the booking still says unconfirmed. Will I be able to board?",
            "anxious",
        ),
    ],
)
def test_emotion_on_short_and_support_turns(text: str, label: str) -> None:
    assert heard.detect_emotion(text).label == label


@pytest.mark.parametrize(
    "text",
    [
        "I just want to die. Nothing else, just wanna kill myself lol",
        "lol I want to die, this hold music is killing me",
        "I can't cope any more with this bill, I'm at breaking point",
    ],
)
def test_despair_is_never_read_as_content(text: str) -> None:
    reading = heard.detect_emotion(text)
    assert reading.label not in ("satisfied", "neutral"), reading.scores
    assert any(cue.code == "distress" for cue in reading.cues)


def test_a_joke_told_is_not_a_complaint() -> None:
    assert heard.assess("Ha, good one.", "That was a joke, right? haha").customer.needs.kind != (
        "problem"
    )


def test_a_customer_thrown_out_of_the_app_is_not_satisfied() -> None:
    reading = heard.detect_emotion("The app just threw me out again and I lost everything I typed.")
    assert reading.label in ("frustrated", "disappointed"), reading.scores


def test_redaction_placeholders_are_not_shouting() -> None:
    reading = heard.detect_emotion("my email is [EMAIL] and my phone is [PHONE], ref #NUMBER#")
    assert not any(cue.code == "shouting" for cue in reading.cues)


def test_specifics_are_things_not_junk_tokens() -> None:
    from heard.scoring.specifics import specifics

    text = (
        "@SouthwestAir I was charged $59.99 twice for order #48213 and my account has gotten locked"
    )
    found = [text[s.segment.start : s.segment.end] for s in specifics(text)]
    assert "$59.99" in found and "#48213" in found
    assert not {"SouthwestAir", "gotten", "59", "99"} & set(found)


def test_tips_fit_the_customer_not_a_calm_routine_question() -> None:
    result = heard.assess(
        "I'm so sorry, I can see how stressful that is. Let me check that for you.",
        "You've charged me TWICE for the same order and I'm really annoyed!!",
    )
    assert all("calm, routine" not in tip.text for tip in result.tips)


def test_role_play_tips_fit_an_upset_customer() -> None:
    """The double-charge role-play: frustrated, "TWICE"; gushing sympathy gets a tip about
    gushing, not "a calm, routine question"."""
    from heard.practice.scenario import load_library
    from heard.practice.session import RolePlay
    from heard.services.models import assessor

    play = RolePlay(load_library()["double-charge"], assessor("fast"), seed=3)
    turn = play.reply(
        "I'm so sorry, I completely understand how stressful and upsetting this must be, I "
        "really feel for you."
    )
    tips = " ".join(turn.feedback.try_next)
    assert tips, "gushing sympathy with no help should get a tip"
    assert "calm, routine" not in tips


def test_a_reflection_is_credited_and_its_parrot_is_not() -> None:
    """The listening model reads the pair: a paraphrase reflects, the customer's words echoed
    back are parroting, and the paraphrase scores higher."""
    customer = (
        "My internet has dropped out every evening this week and I work from home, I have had "
        "to tether off my phone for three calls and the engineer never came on Tuesday."
    )
    reflection = heard.assess(
        "It sounds like the evening drop-outs are making your work calls a real struggle, on top "
        "of the missed visit.",
        customer,
    )
    parrot = heard.assess(
        'So you are saying "my internet has dropped out every evening this week and I work from '
        'home".',
        customer,
    )
    assert "reflects" in codes(reflection) and "parroting" not in codes(reflection)
    assert "parroting" in codes(parrot) and "reflects" not in codes(parrot)
    assert reflection.score > parrot.score


def test_slow_for_stakes_is_about_the_fix_not_refund_timing_or_how_to_questions() -> None:
    running_out = "My insulin delivery hasn't come and I've only got 2 days left."
    assert "slow_for_stakes" in codes(
        heard.assess("It should arrive within 3-5 working days.", running_out)
    )
    how_to = heard.assess(
        "Yes, through the NHS App. Allow two working days before you collect it.",
        "Can I order my repeat prescription online?",
    )
    assert "slow_for_stakes" not in codes(how_to)
    refund = heard.assess(
        "I've rebooked the engineer for this afternoon and refunded the call-out fee; the refund "
        "reaches your card in 3-5 working days.",
        "My mum is 90 and her heating has broken down again.",
    )
    assert "slow_for_stakes" not in codes(refund)


def test_an_unwanted_fix_is_the_kind_of_fix_refused() -> None:
    customer = "No, I don't want another voucher, I want my money back. Now."
    voucher = heard.assess("I can add another £10 voucher to your account today.", customer)
    assert "misread_tone" in codes(voucher)
    refund = heard.assess("I've processed a cash refund of £45 to your card now.", customer)
    assert "misread_tone" not in codes(refund)


@pytest.mark.parametrize(
    "customer",
    [
        'my parcel says "returned to sender"?? I\'ve been waiting 12 days for it',
        "I've rung you four times about the boiler. Is anyone going to come?",
        "A warning light's come on in the hire car. Is it safe to drive?",
    ],
    ids=["returned-to-sender", "rung-four-times", "warning-light"],
)
def test_a_failure_asked_about_is_answered_by_fixing_it(customer: str) -> None:
    """A question about a failure ("where's my parcel?") is a report of the failure: an action
    with its time is the help it needs, not a lesser substitute for an answer."""
    fixed = heard.assess(
        "I'm sorry about this. I've booked our engineer for you and they'll be there by 2pm today.",
        customer,
    )
    assert fixed.customer.needs.has("problem"), fixed.customer.needs.to_dict()
    assert fixed.score_parts.get("missing help", 0.0) > -5.0, fixed.score_parts


@pytest.mark.parametrize(
    "step",
    [
        "I've asked our accounts team to refund the difference.",
        "I've put in a refund request for the £40.",
        "I've chased the installation with our network team.",
    ],
    ids=["asked-a-team", "put-in-a-request", "chased"],
)
def test_a_step_handed_on_still_owes_a_time(step: str) -> None:
    """Asking another team is a step, not the fix: the customer still needs to know when."""
    customer = "My contract is £20 a month but I've been billed £60 this month."
    result = heard.assess(f"I'm sorry about that. {step}", customer)
    assert "no_timeline" in codes(result) and "action_taken" not in codes(result)
    timed = heard.assess(f"I'm sorry about that. {step} They reply within 48 hours.", customer)
    assert "clear_next_steps" in codes(timed)
    assert timed.score > result.score


def test_praise_beside_a_question_wants_thanks_as_well_as_the_answer() -> None:
    customer = "The new app is brilliant, so much faster! Can I export my statements as PDF?"
    plain = heard.assess("Yes, statements can be exported as PDF under Documents.", customer)
    thanked = heard.assess(
        "Thank you, that's lovely to hear! Yes, statements can be exported as PDF under Documents.",
        customer,
    )
    assert thanked.score >= EXEMPLARY_AT > plain.score, (thanked.score_parts, plain.score_parts)


@pytest.mark.parametrize(
    "reply",
    [
        "If you are experiencing issues with the app, please reinstall it.",
        "Hello. If the problem persists, please raise a ticket with our support team.",
    ],
)
def test_troubleshooting_a_happy_customer_is_a_misread(reply: str) -> None:
    result = heard.assess(reply, "Just wanted to say the new update is fantastic, thank you!")
    assert "misread_tone" in codes(result)
    assert result.score < POOR_BELOW


def test_a_feeling_named_as_a_generality_counts_for_less_than_this_customers() -> None:
    customer = (
        "Your letter sent us to the wrong hospital, we drove 40 miles and missed my son's "
        "appointment. Now the next one is in four months!"
    )
    fix = "I've booked your son in at St Mary's on 12 March at 10:30."
    generic = heard.assess(
        f"I understand it can be frustrating when appointments need to be rescheduled. {fix}",
        customer,
    )
    specific = heard.assess(
        f"Driving 40 miles to the wrong hospital and then a four-month wait is awful. {fix}",
        customer,
    )
    [acknowledgement] = [f for f in generic.findings if f.code == "acknowledges_feeling"]
    assert {span.label for span in acknowledgement.evidence} == {"generic"}
    assert specific.score > generic.score, (specific.score_parts, generic.score_parts)


def test_laughing_along_with_a_sarcastic_complaint_is_a_misread() -> None:
    customer = "Oh great, my parcel's gone to the wrong house again. Love that for me."
    fix = "I've arranged a redelivery for tomorrow before noon."
    laughing = heard.assess(f"Haha, love that for you too! 😄 {fix}", customer)
    straight = heard.assess(f"Sorry, that's the second time. {fix}", customer)
    assert "misread_tone" in codes(laughing) and "misread_tone" not in codes(straight)
    assert straight.score > laughing.score


@pytest.mark.parametrize(
    ("customer", "slow", "quick"),
    [
        (
            "I do not wish to complain, but I have been without a telephone line for two weeks. "
            "I am 88 and it is my only way to contact my doctor.",
            "We have raised a fault on your line and an engineer will be in touch to arrange a visit.",
            "I've booked an engineer for tomorrow morning, and I've put a free mobile in the post "
            "today so you can reach your doctor until then.",
        ),
        (
            "Sorry to trouble you, but the front desk can't find my reservation and I am currently "
            "in the lobby with my luggage.",
            "We will look into your reservation and reply within 2-3 business days.",
            "I've found it under a misspelt name and confirmed it with the front desk now; they "
            "have your key ready.",
        ),
    ],
    ids=["no-pace-for-a-vulnerable-customer", "stranded-in-the-lobby"],
)
def test_something_serious_answered_at_a_routine_pace(customer: str, slow: str, quick: str) -> None:
    routine = heard.assess(slow, customer)
    assert "slow_for_stakes" in codes(routine)
    fast = heard.assess(quick, customer)
    assert "slow_for_stakes" not in codes(fast)
    assert fast.score > routine.score


def test_a_stock_condolence_counts_for_less_than_one_that_names_who_they_lost() -> None:
    customer = "My husband died last month. Please close his gym membership."
    fix = "I've closed the membership and refunded this month's fee."
    stock = heard.assess(f"Sorry for your loss. {fix}", customer)
    theirs = heard.assess(f"I'm so sorry about your husband. {fix}", customer)
    assert theirs.score >= EXEMPLARY_AT > stock.score, (theirs.score_parts, stock.score_parts)


def test_two_questions_in_one_sentence_both_want_an_answer() -> None:
    customer = "Hi, what time does the pool open on Sunday, and when do I have to check out?"
    half = heard.assess("Hi, the pool opens at 8am on Sunday.", customer)
    both = heard.assess("Hi, the pool opens at 8am on Sunday, and check-out is at 11am.", customer)
    assert len(half.customer.needs.questions) == 2
    assert "unanswered_question" in codes(half) and "unanswered_question" not in codes(both)
    assert both.score >= EXEMPLARY_AT > half.score


def test_a_promise_of_attention_is_less_help_than_an_action() -> None:
    customer = "My wifi has dropped out every evening for two weeks."
    vague = heard.assess(
        "Thanks for letting us know. We'll look into it and be in touch.", customer
    )
    concrete = heard.assess(
        "Thanks for letting us know. I'll book an engineer to check the line.", customer
    )
    [step] = [f for f in vague.findings if f.code == "next_steps"]
    assert {span.label for span in step.evidence} == {"vague"}
    assert concrete.score > vague.score
    assert vague.score < POOR_BELOW


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        (
            "The air con has been broken for three nights and it's 30 degrees. I haven't slept.",
            "Three nights without sleep, I'm sorry. Maintenance is on the way to your room now.",
        ),
        (
            "I've been on hold for 45 minutes and rung 4 times this week about my refund.",
            "Forty-five minutes on hold after four calls is too much. I've sent the refund today.",
        ),
    ],
    ids=["irregular-verb-and-a-counted-spell", "number-written-either-way"],
)
def test_the_customers_own_ordeal_in_other_words_is_personal(customer: str, reply: str) -> None:
    assert "personalised" in codes(heard.assess(reply, customer))


@pytest.mark.parametrize(
    "customer",
    [
        "Love a parcel that turns up soaked and three days late. Truly the highlight of my week.",
        "Fourth time uploading the same receipts. Loving the efficiency.",
    ],
    ids=["love-a-thing-that", "loving-the-efficiency"],
)
def test_sarcastic_praise_beside_a_failure_reads_as_frustration(customer: str) -> None:
    reading = heard.assess("I'm sorry about this.", customer).customer
    assert reading.emotion.label == "frustrated"
    assert reading.needs.kind == "problem"


def test_praise_beside_a_failure_still_happening_is_a_problem_to_fix() -> None:
    customer = "I love the new app but it keeps crashing when I upload photos."
    thanks = heard.assess("Thank you for your kind words, we're so glad you love it!", customer)
    assert thanks.customer.needs.kind == "problem"
    assert thanks.score < POOR_BELOW, thanks.score_parts


def test_a_reply_promised_on_time_is_still_only_a_holding_reply() -> None:
    customer = "My login worked yesterday but today it says my enrolment has expired. My course runs until June."
    holding = heard.assess(
        "We've received your query and a member of our team will get back to you within 2-3 "
        "working days.",
        customer,
    )
    fixed = heard.assess(
        "Your enrolment was closed by mistake; I've reopened it until 30 June, so you can log in "
        "now.",
        customer,
    )
    [step] = [f for f in holding.findings if f.code == "clear_next_steps"]
    assert {span.label for span in step.evidence} == {"vague"}
    assert fixed.score - holding.score >= 20, (fixed.score_parts, holding.score_parts)


def test_sympathy_for_a_plain_how_to_question_is_excessive_even_if_it_reads_confused() -> None:
    customer = "How do I update the card on my account?"
    gushing = heard.assess(
        "I'm so sorry you're having trouble, I know how stressful it can be! I completely "
        "understand. Go to Settings > Billing > Update card.",
        customer,
    )
    plain = heard.assess("Go to Settings > Billing > Update card.", customer)
    assert "excessive_sympathy" in codes(gushing)
    assert plain.score > gushing.score


def test_thanks_before_a_request_is_manners_not_praise_to_answer() -> None:
    result = heard.assess(
        "I've emailed the VAT invoice for order 43428; it will be in your inbox within 10 minutes.",
        "Hi! Thanks for the quick help last month. Could you send me a VAT invoice for order 43428?",
    )
    assert result.score >= EXEMPLARY_AT, result.score_parts


def test_thanks_in_advance_is_not_praise_and_a_thank_you_reply_owes_no_time() -> None:
    asking = heard.assess(
        "It goes in the box marked 'Promo code' on the payment page.",
        "I have a voucher code but I don't understand where it goes. Any help appreciated.",
    )
    assert asking.customer.needs.kind != "praise"
    thanked = heard.assess(
        "Thank you for telling us, that's lovely to hear. I'll make sure she hears it.",
        "I just wanted to say thanks. The lady I spoke to yesterday sorted everything out.",
    )
    assert thanked.customer.needs.kind == "praise"
    assert "no_timeline" not in codes(thanked)


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        (
            "sorry to bother, my student account seems to be locked and my exam starts at 2.",
            "With your exam at 2, that's urgent. I've passed it to IT as a priority.",
        ),
        (
            "Can I add my partner as a second driver, and how much is it?",
            "I have passed your query to the branch.",
        ),
    ],
    ids=["problem", "question"],
)
def test_a_case_passed_on_is_a_step_that_owes_a_time_whoever_asked(
    customer: str, reply: str
) -> None:
    """Passing a problem or a question on is not the fix (only a thank-you passed on is done)."""
    result = heard.assess(reply, customer)
    assert "action_taken" not in codes(result) and "no_timeline" in codes(result)
    assert result.score < EXEMPLARY_AT, result.score_parts


def test_a_thing_named_by_a_possessive_is_reported_done() -> None:
    customer = "I need to cancel my appointment on Friday, please."
    result = heard.assess("Okay, Friday's appointment is cancelled.", customer)
    assert "action_taken" in codes(result), result.score_parts
    # "it's" and "that's" are not possessives: nothing is reported done here
    vague = heard.assess("Okay, that's something we can look at.", customer)
    assert "action_taken" not in codes(vague)


def test_good_news_of_their_own_wants_a_warm_word_as_well_as_the_task() -> None:
    customer = (
        "I'm just ringing to cancel my appointment on Friday. Good news, the physio exercises "
        "worked and my knee's fine now!"
    )
    plain = heard.assess("Okay, Friday's appointment is cancelled.", customer)
    glad = heard.assess(
        "That's great news, glad your knee's better! I've cancelled Friday's appointment.",
        customer,
    )
    assert glad.score >= EXEMPLARY_AT > plain.score, (glad.score_parts, plain.score_parts)


def test_what_the_next_step_needs_from_them_is_help_not_nothing() -> None:
    customer = "My father passed away and I need to close his gas and electricity account."
    needs = heard.assess(
        "I'm so sorry about your father. We'll need a final meter reading and a copy of the death "
        "certificate, and then we can close the account.",
        customer,
    )
    assert needs.score_parts.get("missing help", 0.0) > -35.0, needs.score_parts
    assert needs.score >= POOR_BELOW


def test_no_help_where_help_was_needed_is_poor_whatever_the_manners() -> None:
    result = heard.assess(
        "Hi Sara, number transfers are handled by our porting team and can take some time to "
        "complete. Someone will be in touch with you. Thanks, Owen",
        "I've asked to bring my old number over to you. When will it switch?",
    )
    assert result.score < POOR_BELOW, result.score_parts


def test_a_fallback_step_owes_no_date_of_its_own() -> None:
    customer = "My calendar sync still doesn't work after following your guide three times."
    fallback = heard.assess(
        "Open Settings > Integrations and click Reconnect Google. If it still fails, reply here "
        "and I'll book a screen share.",
        customer,
    )
    assert "no_timeline" not in codes(fallback), fallback.score_parts
    promise = heard.assess(
        "Open Settings > Integrations and click Reconnect Google. I'll book a screen share.",
        customer,
    )
    assert "no_timeline" in codes(promise)


def test_an_answer_in_words_they_do_not_know_is_not_an_answer_yet() -> None:
    customer = "Has anyone looked at my disputed payment yet? It's been a week."
    manual = heard.assess(
        "Your case has been escalated to L2 and is pending merchant response under chargeback "
        "reason code 13.1. ETA per SLA is 10 BD.",
        customer,
    )
    plain = heard.assess(
        "Yes: we've asked the shop for their side, and they have 10 working days to reply. "
        "I'll email you as soon as they do.",
        customer,
    )
    jargon = next(f for f in manual.findings if f.code == "jargon")
    assert len({s.text for s in jargon.evidence}) >= 3
    assert manual.score < POOR_BELOW <= plain.score, manual.score_parts
    # one term is a misfit, not a manual: it costs its points and no more
    one = heard.assess("It's with our chargeback team, who reply within 10 days.", customer)
    assert one.score_parts.get("jargon") == -6.0, one.score_parts


def test_long_words_in_capitals_are_shouting_not_acronyms() -> None:
    result = heard.assess(
        "PLEASE note your engineer comes Monday. A temporary MSISDN will be set up meanwhile.",
        "When does the engineer come?",
    )
    jargon = {s.text for f in result.findings if f.code == "jargon" for s in f.evidence}
    assert jargon == {"MSISDN"}


def test_explaining_a_fee_they_did_not_ask_back_is_what_they_asked_for() -> None:
    result = heard.assess(
        "Fair question. It's a flat fee that applies to any unarranged overdraft, however small.",
        "I'm not asking for the fee back. I just want to understand why I was charged £25 when I "
        "was only £3 over for one day.",
    )
    assert "misread_tone" not in codes(result), result.score_parts
    refund = heard.assess(
        "I've refunded the £25 fee as a goodwill gesture.",
        "I'm not asking for the fee back. I just want to understand why I was charged £25.",
    )
    assert "misread_tone" in codes(refund)


@pytest.mark.parametrize(
    "customer",
    [
        "sorry to bother, my student account seems to be locked and my exam starts at 2",
        "i got banned this morning and i've never cheated",
        "I ordered the pad thai with NO peanuts because my son is allergic and it came covered "
        "in them.",
        "hi the jacket came in size M, I ordered L",
    ],
    ids=["seems-locked", "got-banned", "not-as-ordered", "wrong-size"],
)
def test_problems_told_plainly_are_problems(customer: str) -> None:
    result = heard.assess("Thanks for letting us know.", customer)
    assert result.customer.needs.has("problem"), result.customer.needs.to_dict()


def test_a_live_handover_is_half_a_step_not_nothing_and_not_the_fix() -> None:
    customer = (
        "Hi, locked out AGAIN. I need to get into my account now, I've a presentation at 2pm."
    )
    handover = heard.assess(
        "Thanks! I'm connecting you to someone in our Tech Support team now. Typical wait: 6 "
        "minutes.",
        customer,
    )
    nothing = heard.assess("Thanks for your message.", customer)
    fixed = heard.assess(
        "I'm sorry, with a presentation at 2 that's the last thing you need. I've unlocked the "
        "account and sent a reset link to your email; it's valid for 30 minutes.",
        customer,
    )
    assert nothing.score < handover.score < fixed.score
    assert handover.score < EXEMPLARY_AT, handover.score_parts


def test_a_loss_answered_without_a_word_of_condolence_is_poor_however_efficient() -> None:
    customer = (
        "My dad's passed away and we're clearing his house. I need to cancel his broadband, and "
        "someone said I have to send the router back?"
    )
    cold = heard.assess(
        "Right. Returning the router is mandatory, and if it's not back within 14 days you'll be "
        "charged £50.",
        customer,
    )
    kind = heard.assess(
        "I'm so sorry about your dad. I've cancelled his broadband, and there's no need to worry "
        "about the router: I'll send a prepaid bag and there's no charge if it takes longer.",
        customer,
    )
    assert cold.score < POOR_BELOW, cold.score_parts
    assert kind.score >= EXEMPLARY_AT, kind.score_parts


def test_holding_up_the_small_print_they_agreed_to_is_hiding_behind_policy() -> None:
    result = heard.assess(
        "Roaming charges are set out in our terms and conditions, which you agreed to when you "
        "joined. Please check your plan details in the app.",
        "I've been charged £65 roaming but I was in Spain and my plan includes EU roaming??",
    )
    assert "policy_shield" in codes(result), result.score_parts
    answered = heard.assess(
        "Your plan does include EU roaming, so that charge is wrong: I've refunded the £65 today.",
        "I've been charged £65 roaming but I was in Spain and my plan includes EU roaming??",
    )
    assert result.score <= SERIOUS_CAP < answered.score, result.score_parts


def test_a_mix_up_is_minimising_only_when_health_or_safety_was_at_stake() -> None:
    reply = "Sorry about the mix-up with your order! I've refunded the £12.50."
    harmed = heard.assess(
        reply,
        "I ordered the curry with no nuts because of his allergy and it came with cashews. My son "
        "had a reaction.",
    )
    assert "minimising" in codes(harmed), harmed.score_parts
    routine = heard.assess(reply, "I ordered a large pizza and got a medium one.")
    assert "minimising" not in codes(routine)


def test_redaction_placeholders_are_not_jargon() -> None:
    """Stored replies carry placeholders ("Hi, I'm [NAME] from Billing"): never unexplained terms."""
    result = heard.assess(
        "Hi, I'm [NAME] from Billing. Call us on [PHONE] or write to [EMAIL]; your [DOB] is safe.",
        "I was charged twice.",
    )
    assert "jargon" not in codes(result), result.score_parts
    assert "jargon" in codes(heard.assess("Escalated to L2 per our SLA.", "I was charged twice."))
