"""Write src/heard/data/samples/helpdesk.jsonl: a synthetic help-desk export for `heard demo`.

About 240 fictional conversations over eight weeks (Monday 7 September to Sunday 1 November 2026)
in three teams, one JSON object per line and per message, in heard's generic JSONL import format:
``conversation_id``, ``message_id``, ``timestamp`` (ISO 8601, UTC, "Z"), ``author_id``, ``role``
(customer, agent or bot), ``text``, and where known ``agent_name``, ``team``, ``channel`` (chat or
email), ``customer_id``, ``csat`` (1-5) and ``resolved``. The rows of a conversation are
contiguous and in time order; the conversation-level fields are repeated on each of its rows.

Everything is written by hand for heard as pools of sentences with slots (order numbers, amounts,
dates, names) and combined with a seeded ``random.Random``, so the file is the same on every run.
No data set is used. The seven agents have deliberately different habits (see AGENTS and the
samples README), and some customers over-share personal data (e-mail addresses, phone numbers,
card numbers, IBANs, street addresses) so the demo has something to redact: all of it is fictional
(example.com addresses, the 555-01xx and Ofcom drama ranges, published test card numbers and the
textbook example IBANs).

Run from the repository root:

    .venv/bin/python scripts/make_sample_export.py            # write the file
    .venv/bin/python scripts/make_sample_export.py --check    # also score it with heard (fast tier)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "heard" / "data" / "samples" / "helpdesk.jsonl"
SEED = 20260907
START = date(2026, 9, 7)  # a Monday
WEEKS = 8
END = datetime(2026, 11, 2)  # midnight after Sunday 1 November
PER_TEAM_WEEK = (10, 10, 11, 10, 9, 10, 10, 10)  # conversations per team and week
OUTAGE_DAY = date(2026, 10, 13)  # a Tuesday in week 6: the Tech Support outage spike

BILLING, ORDERS, TECH = "Billing", "Orders & Bookings", "Tech Support"
TEAMS = (BILLING, ORDERS, TECH)
NEGATIVE = ("frustrated", "anxious", "disappointed", "confused")
CHANGING = {"improving": "vague", "declining": "curt"}  # habit -> how they write when weak


# --- the service side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Agent:
    key: str
    id: str
    name: str
    team: str
    habit: str  # excellent, solid, scripted, blaming, improving, declining, technical
    signoff: str  # e-mail sign-off


AGENTS = {
    a.key: a
    for a in (
        Agent(
            "nadia", "agt-104", "Nadia", BILLING, "excellent", "Best wishes,\nNadia\nBilling team"
        ),
        Agent(
            "rosa",
            "agt-117",
            "Rosa",
            BILLING,
            "scripted",
            "Kind regards,\nRosa\nBilling Department",
        ),
        Agent("greg", "agt-109", "Greg", BILLING, "blaming", "Regards,\nGreg"),
        Agent("hannah", "agt-121", "Hannah", ORDERS, "solid", "Thanks,\nHannah\nOrders & Bookings"),
        Agent(
            "marcus", "agt-126", "Marcus", ORDERS, "improving", "Cheers,\nMarcus\nOrders & Bookings"
        ),
        Agent("leon", "agt-112", "Leon", TECH, "declining", "Thanks,\nLeon\nTech Support"),
        Agent("aisha", "agt-131", "Aisha", TECH, "technical", "Regards,\nAisha\nTech Support"),
    )
}
TEAM_AGENTS = {team: [a for a in AGENTS.values() if a.team == team] for team in TEAMS}
BOT_ID, BOT_NAME = "bot-helpbot", "Helpbot"

# --- customers ------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aaliyah Adaeze Aiden Alex Alice Amelia Andrea Ben Bethany Bilal Caitlin Callum Carlos "
    "Charlotte Chloe Chris Claire Connor Daniel Deborah Declan Diego Eleanor Ellie Emeka Emily "
    "Ethan Fatima Fiona Gemma George Grace Hamza Harriet Imran Isla Jack Jade Jamal Jasmine Jenny "
    "Joe Jonah Josh Kai Karen Kate Kwame Laura Liam Lucy Mark Megan Mei Mohammed Naomi Nathan "
    "Niamh Oliver Olivia Omar Paul Rachel Rhys Rob Ruth Ryan Samira Sam Sean Shauna Simon Sophie "
    "Stephen Tariq Tessa Theo Victoria Will Yasmin Zoe Zainab Bronwen Dmitri Ines Lorna Mateo "
    "Percy Rosalind Wendy Yusuf"
).split()
SURNAMES = (
    "Adams Ahmed Baker Bennett Brooks Campbell Carter Chen Clarke Coleman Davies Dixon Evans "
    "Fernandez Fletcher Foster Garcia Gill Gordon Green Hall Harris Hughes Hussain Jackson James "
    "Kaur Kelly Khan Kim Lewis Lopez Martin Mensah Mitchell Moore Morgan Murphy Nguyen Novak "
    "O'Brien Okafor Owens Patel Perez Phillips Quinn Reid Roberts Robinson Rossi Shah Singh Smith "
    "Taylor Thompson Turner Walker Ward Watson White Williams Wilson Wright Young Achterberg "
    "Lindqvist Mbeki Pellegrini"
).split()
UK_STREETS = (
    "Larkspur Close",
    "Harrow Road",
    "Albert Terrace",
    "Mill Lane",
    "Beechwood Avenue",
    "St Anne's Road",
    "Cranbrook Street",
    "Orchard Way",
    "Victoria Parade",
    "Kingsley Gardens",
)
UK_TOWNS = (
    ("Leeds", "LS6 2AB"),
    ("Bristol", "BS7 8QT"),
    ("Norwich", "NR3 4QT"),
    ("Cardiff", "CF24 3JN"),
    ("York", "YO10 5DE"),
    ("Glasgow", "G12 8LX"),
    ("Brighton", "BN2 1TW"),
    ("Leicester", "LE2 7PF"),
)
US_STREETS = (
    "Cedar Lane",
    "Willow Bend Dr",
    "Maple Avenue",
    "Lakeview Court",
    "W 38th Street",
    "Sycamore Road",
    "Pinehurst Drive",
    "Elm Street",
    "Riverside Blvd",
    "Magnolia Way",
)
US_TOWNS = (
    ("Portland, OR", "97214"),
    ("Austin, TX", "78745"),
    ("Springfield, IL", "62704"),
    ("Columbus, OH", "43215"),
    ("Madison, WI", "53703"),
    ("Raleigh, NC", "27601"),
    ("Tucson, AZ", "85719"),
    ("Albany, NY", "12203"),
)
US_AREA = ("312", "415", "646", "503", "512", "608", "919", "520")
# Published test card numbers (they pass the Luhn check) and textbook example IBANs.
CARDS = ("4111 1111 1111 1111", "5555 5555 5555 4444", "4242 4242 4242 4242", "4000 0566 5566 5556")
IBANS = (
    "GB82 WEST 1234 5698 7654 32",
    "GB33 BUKB 2020 1555 5555 55",
    "DE89 3704 0044 0532 0130 00",
)
MAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")


@dataclass
class Customer:
    id: str | None
    first: str
    last: str
    region: str  # "uk" or "us"
    email: str
    phone: str
    address: str
    card: str
    iban: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def make_customer(rng: random.Random, number: int, taken: set[str]) -> Customer:
    first = rng.choice([n for n in FIRST_NAMES if n not in taken] or FIRST_NAMES)
    last = rng.choice(SURNAMES)
    region = "us" if rng.random() < 0.4 else "uk"
    handle = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{last[0]}",
            f"{first[0]}{last}",
            f"{first}.{last}{rng.randint(1, 99)}",
            f"{first}_{rng.randint(70, 99)}",
        )
    )
    email = re.sub(r"[^a-z0-9._]", "", handle.lower()) + "@" + rng.choice(MAIL_DOMAINS)
    if region == "us":
        phone = rng.choice(
            (
                f"({rng.choice(US_AREA)}) 555-01{rng.randint(0, 99):02d}",
                f"{rng.choice(US_AREA)}-555-01{rng.randint(0, 99):02d}",
                f"+1 {rng.choice(US_AREA)} 555 01{rng.randint(0, 99):02d}",
            )
        )
        town, zip_code = rng.choice(US_TOWNS)
        address = f"{rng.randint(12, 4890)} {rng.choice(US_STREETS)}, {town} {zip_code}"
    else:
        # Ofcom's drama ranges for London, Leeds, Bristol, Manchester, Edinburgh and Birmingham
        area = rng.choice(
            ("20 7946", "20 7946", "113 496", "117 496", "161 496", "131 496", "121 496")
        )
        local = f"0{rng.randint(0, 999):03d}"
        phone = f"+44 {area} {local}" if rng.random() < 0.25 else f"0{area} {local}"
        town, postcode = rng.choice(UK_TOWNS)
        flat = f"Flat {rng.randint(1, 9)}, " if rng.random() < 0.3 else ""
        address = f"{flat}{rng.randint(2, 188)} {rng.choice(UK_STREETS)}, {town} {postcode}"
    return Customer(
        id=f"C-{number}",
        first=first,
        last=last,
        region=region,
        email=email,
        phone=phone,
        address=address,
        card=rng.choice(CARDS),
        iban=rng.choice(IBANS[:2]) if region == "uk" else IBANS[2],
    )


# --- scenarios ------------------------------------------------------------------------------------
#
# A scenario is one kind of issue in one team, written as pools of sentences with slots. The
# customer's side: ``issue`` (what went wrong, first person), ``detail``, ``stake`` (why it matters
# now), ``letdown``, ``confusion``, ``request`` (a routine ask), ``praise`` and ``ask`` (a verb
# phrase: "refund the second payment"). The agent's side: ``np`` (the customer's situation as a
# noun phrase: "being charged twice"), ``fix`` (what the agent did, "I've ..."), ``eta`` (when it
# lands), ``vague`` (an untimed promise), and the material of bad habits: ``blame``, ``policy``,
# ``minimise``, ``jargon``, ``deflect``. ``qa`` are questions an agent may ask, with the
# customer's possible answers and the agent's follow-up.


@dataclass(frozen=True)
class QA:
    question: str
    answers: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    key: str
    team: str
    emotions: Mapping[str, int]
    prices: tuple[float, ...] = (19.99,)
    vars: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    issue: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    stake: tuple[str, ...] = ()
    letdown: tuple[str, ...] = ()
    confusion: tuple[str, ...] = ()
    request: tuple[str, ...] = ()
    praise: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    np: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()
    eta: tuple[str, ...] = ()
    vague: tuple[str, ...] = ()
    blame: tuple[str, ...] = ()
    policy: tuple[str, ...] = ()
    minimise: tuple[str, ...] = ()
    jargon: tuple[str, ...] = ()
    deflect: tuple[str, ...] = ()
    qa: tuple[QA, ...] = ()
    # (what the customer asks, what the agent did, when): for routine asks, where the fix must
    # match the request. A ``fix`` may also carry its own "when" after a "|".
    cases: tuple[tuple[str, str, str], ...] = ()
    weight: int = 10
    repeat: bool = False  # a repeat contact: needs an earlier conversation to refer to


SCENARIOS = (
    # ----- Billing -----
    Scenario(
        "double_charge",
        BILLING,
        {"anxious": 4, "frustrated": 4, "confused": 1},
        prices=(9.99, 14.99, 29.99, 59.99, 119.00),
        vars={
            "plan": (
                "monthly plan",
                "annual membership",
                "Plus subscription",
                "family plan",
                "premium plan",
            )
        },
        issue=(
            "I've been charged twice for my {plan}. Two payments of {amount} came out this morning.",
            "There are two charges of {amount} on my card for the same {plan} renewal.",
            "you've taken {amount} off me twice for the {plan}",
            "My banking app shows two payments of {amount} to you on {day_past}, and I only have the one account.",
            "I got billed twice for order {order}, {amount} each time.",
            "Why have I paid {amount} twice?? One {plan}, two payments.",
        ),
        detail=(
            "I only pressed pay once. The page froze and then both went through.",
            "There's definitely only one {plan} on my account, I checked.",
            "The second one says pending but the money's already gone from my balance.",
            "Both have exactly the same time on them, so it looks like a glitch on your side.",
        ),
        stake=(
            "My rent goes out on {event_day} and that money was meant to cover it.",
            "I'm on a really tight budget this month and now I'm overdrawn.",
            "That's {amount} I genuinely can't spare right now.",
            "I've got bills coming out this week and I'm worried they'll bounce.",
        ),
        confusion=(
            "I can see {amount} twice on my statement. Is one of them a hold or have I actually paid twice?",
            "Why are there two payments for the {plan}? Did I sign up twice without realising?",
        ),
        ask=(
            "refund the second payment",
            "put the extra {amount} back on my card",
            "sort out the duplicate charge",
        ),
        np=(
            "being charged {amount} twice for one {plan}",
            "a second {amount} payment going out for a single sign-up",
            "two {amount} charges landing on the same day",
        ),
        fix=(
            "I've refunded the duplicate {amount} payment",
            "I've cancelled the second charge and sent the {amount} back to your card",
            "I've reversed the extra {amount} payment",
        ),
        eta=(
            "it'll be back on your card by {eta_day}",
            "you'll see it back in your account within 3 working days",
            "the money will be back with you by {eta_day} at the latest",
        ),
        vague=(
            "the payments team will look into the duplicate charge",
            "someone will review the payment and refund it if it's a duplicate",
        ),
        blame=(
            "you submitted the payment twice",
            "you should have waited for the confirmation page before clicking pay again",
        ),
        policy=(
            "duplicate payments are refunded within 10 working days, that's our policy, so there's nothing I can do to speed it up",
        ),
        minimise=(
            "it's just a temporary hold and it drops off on its own",
            "it's only a pending payment, not a real charge",
        ),
        jargon=(
            "the second transaction is a pre-auth hold that drops off once the settlement batch runs",
        ),
        qa=(
            QA(
                "Could you tell me whether any other payments from us look unfamiliar, so I can check those too?",
                (
                    "No, just those two. Everything else looks normal.",
                    "I think one from last month looked high too, {amount2}? Not sure if that's right.",
                    "only those two thanks",
                ),
                (
                    "Thanks, {name}. I've gone through your last three payments and the duplicate was the only mistake, and the refund will be back on your card by {eta_day}.",
                    "Thanks for checking. I've looked at the last three months and everything else is correct, so once the {amount} is back on {eta_day} you're square.",
                ),
            ),
            QA(
                "Which card did both payments come from? The last four digits are plenty.",
                (
                    "The Visa ending 1111.",
                    "my debit card, ends in 4444",
                    "It's this one: {card}",
                    "Both from my current account. Can you refund it straight to the account instead? {iban}",
                ),
                (
                    "Thanks, that matches what I can see: I've sent the refund back to that card, and it will be there by {eta_day}. (For your safety, you never need to send us a full card number; I've had it removed from this conversation.)",
                    "Thanks, {name}. That's the card I've refunded, and it will show by {eta_day}.",
                ),
            ),
        ),
        weight=14,
    ),
    Scenario(
        "refund_delay",
        BILLING,
        {"frustrated": 5, "disappointed": 2, "anxious": 1},
        prices=(24.99, 39.50, 64.50, 89.00, 129.99),
        vars={
            "item": (
                "jacket",
                "pair of boots",
                "coffee machine",
                "floor lamp",
                "rucksack",
                "dress",
                "blender",
                "set of bedding",
            )
        },
        issue=(
            "I returned a {item} (order {order}) on {date_past} and I still haven't had my {amount} refund.",
            "Where is my refund? I sent the {item} back on {date_past}. Order {order}.",
            "My refund for order {order} still hasn't come through. It's been over three weeks since you got the {item} back.",
            "The tracking says you received my return on {date_past} but there's no sign of the {amount}.",
        ),
        detail=(
            "Your website says refunds take 5 to 7 working days.",
            "I've got the proof of postage right here.",
            "I already emailed once and heard nothing back.",
            "I used the returns label you sent me, so I did everything right.",
        ),
        stake=(
            "I need that money for my daughter's school trip on {event_day}.",
            "I was counting on it to pay my card bill this week.",
        ),
        letdown=(
            "I've always found you reliable, which is why this is such a letdown.",
            "I used to recommend you to friends.",
        ),
        ask=(
            "tell me where my refund is",
            "process my refund today",
            "give me an actual date for the refund",
        ),
        np=(
            "waiting over three weeks for your {amount} refund",
            "chasing a refund for a {item} we signed for on {date_past}",
            "still having no refund for order {order}",
        ),
        fix=(
            "I've processed your {amount} refund for order {order}",
            "I've processed the refund for the {item} by hand",
            "I've released your {amount} refund",
        ),
        eta=(
            "it'll be in your account by {eta_day}",
            "it should reach your account within 3 working days",
            "you'll have it by {eta_day}",
        ),
        vague=(
            "the returns team will process it soon",
            "your refund is in the queue and will be processed in due course",
        ),
        blame=(
            "you didn't include the returns slip in the parcel",
            "you should have used the returns form on the website",
        ),
        policy=(
            "refunds can take up to 30 days, that's our policy, so I can't do anything before then",
        ),
        minimise=("it's only taking a little longer than usual",),
        jargon=("it was stuck in the reconciliation batch job",),
        qa=(
            QA(
                "Could you tell me how you paid for the order, card or PayPal? I want to make sure it lands in the right place.",
                (
                    "Card, the same one I always use.",
                    "PayPal I think. Yes, PayPal.",
                    "It was my credit card. Actually, could you send it to my bank account instead? {iban}",
                ),
                (
                    "Thanks, {name}. It's going back the way you paid, which is the quickest route, and it will be there by {eta_day}. I'll check tomorrow morning that it has left us.",
                ),
            ),
            QA(
                "What's the best email address for the refund confirmation?",
                ("{email} please", "Use {email}, I don't check the old one any more"),
                (
                    "Perfect, I've updated that. The confirmation will reach that address within the hour, and the money will follow by {eta_day}.",
                ),
            ),
        ),
        weight=12,
    ),
    Scenario(
        "charged_after_cancel",
        BILLING,
        {"frustrated": 4, "disappointed": 2, "confused": 1},
        prices=(7.99, 12.99, 19.99, 34.99),
        vars={"plan": ("subscription", "monthly plan", "membership", "Premium plan")},
        issue=(
            "I cancelled my {plan} on {date_past} and you've still charged me {amount}.",
            "Why have I been charged {amount}? I cancelled weeks ago and got a confirmation email.",
            "You took {amount} this morning for a {plan} I cancelled on {date_past}.",
        ),
        detail=(
            "I've got the cancellation email saying 'your plan has ended'.",
            "I haven't logged in once since.",
            "This is exactly why people hate subscriptions.",
        ),
        letdown=(
            "I was a customer for four years and this is how I get treated on the way out.",
            "I left on good terms, or so I thought.",
        ),
        confusion=(
            "I cancelled on {date_past} but there's a charge for {amount} today. Does cancelling not stop the payments straight away?",
        ),
        ask=(
            "refund the {amount}",
            "make sure I'm not charged again",
            "confirm my account is actually closed",
        ),
        np=(
            "being charged {amount} after you cancelled on {date_past}",
            "a {amount} charge for a {plan} you'd already cancelled",
        ),
        fix=(
            "I've refunded the {amount} and closed the {plan} properly",
            "I've cancelled the renewal and refunded the {amount} in full",
            "I've reversed the {amount} charge and checked there are no more payments scheduled",
        ),
        eta=(
            "the money will be back by {eta_day}",
            "you'll see it within 3 working days",
            "it'll show on your statement by {eta_day}",
        ),
        vague=("billing will check the cancellation and refund if appropriate",),
        blame=(
            "you cancelled after the renewal date",
            "you should have cancelled before the billing cycle ended",
        ),
        policy=(
            "the terms say cancellations take effect at the end of the billing period, so it's not refundable",
        ),
        minimise=("it's only one month's charge",),
        jargon=("the cancellation didn't go through before the mid-cycle renewal ran",),
        qa=(
            QA(
                "Do you still have the cancellation email? If you tell me the date on it, I'll make sure our records match.",
                ("Yes, {date_past}, 10:42 in the morning.", "it's dated {date_past}"),
                (
                    "Thanks, that matches. I've noted it on your account so nothing else will be taken, and the {amount} will be back by {eta_day}.",
                ),
            ),
        ),
        weight=10,
    ),
    Scenario(
        "unknown_charge",
        BILLING,
        {"confused": 4, "anxious": 3, "neutral": 1},
        prices=(4.99, 12.00, 23.40, 47.85),
        issue=(
            "There's a payment of {amount} to you on my statement from {day_past} that I don't recognise.",
        ),
        stake=(
            "What if my account has been hacked?",
            "It makes me think someone has got hold of my card details.",
        ),
        confusion=(
            "There's a charge of {amount} from you on {day_past} and I have no idea what it's for. I haven't ordered anything.",
            "Can someone explain what the {amount} payment on my statement is? It just says your name and a reference.",
            "I don't understand my bill this month. It's {amount} more than usual and nothing has changed.",
        ),
        request=("Could you tell me what the {amount} charge on {day_past} was for?",),
        ask=("tell me what the charge is", "explain the charge"),
        np=(
            "an unfamiliar {amount} charge on your statement",
            "a {amount} payment you don't recognise",
        ),
        fix=(
            "I've looked it up: the {amount} is the delivery fee for order {order}, which was taken separately from the main payment|I'll email you the full breakdown within the hour",
            "I've checked the {amount} charge and it's the yearly renewal of your storage add-on|if you don't want it, I'll refund it today",
        ),
        vague=("we'll look into the charge",),
        blame=(
            "you agreed to it when you ticked the box at checkout",
            "you should have read the order summary",
        ),
        policy=("the charge is in our terms and conditions, so we can't refund it",),
        minimise=("it's just a small fee",),
        jargon=("it's a pro-rata charge from a mid-cycle upgrade",),
        qa=(
            QA(
                "Was anyone else in your household using the account around {day_past}?",
                (
                    "Oh. My son might have, he uses my login for games.",
                    "No, it's only me.",
                    "Not that I know of",
                ),
                (
                    "Thanks, that helps. Either way, I've activated purchase confirmations, so from today nothing can be bought without your password.",
                ),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "payment_suspended",
        BILLING,
        {"anxious": 5, "frustrated": 2},
        prices=(15.00, 29.00, 49.00),
        vars={"plan": ("account", "Pro plan", "business plan")},
        issue=(
            "My payment was declined and now my {plan} says it's suspended.",
            "Your system says my card was declined and my {plan} has been paused, but there's plenty of money in the account.",
            "I got an email saying my payment of {amount} failed and I'll lose access on {event_day}.",
        ),
        detail=(
            "I've tried two different cards.",
            "My bank says they can't see any declined payment.",
        ),
        stake=(
            "I run my bookings through it and I have clients tomorrow.",
            "All my work files are on there.",
            "I can't afford to lose access this week.",
        ),
        ask=("get my account back on", "tell me what's wrong with the payment"),
        np=(
            "your {plan} being paused when there's money in the bank",
            "losing access to your {plan} right before {event_day}",
        ),
        fix=(
            "I've lifted the suspension and put your {plan} back on",
            "I've reactivated your {plan} and retried the {amount} payment, which went through this time",
        ),
        eta=(
            "everything is working again right now",
            "you'll have full access again within 10 minutes",
        ),
        vague=("the payment will be retried automatically at some point",),
        blame=("your card details were out of date", "you didn't update your card when it expired"),
        policy=(
            "accounts are suspended automatically after a failed payment, it's company policy, so I can't reactivate it",
        ),
        minimise=("it's just an automatic pause",),
        jargon=("the payment bounced at the gateway because of a failed 3DS check",),
        qa=(
            QA(
                "What does the error say when you try to pay, word for word if you can?",
                (
                    "It says 'Payment could not be authorised, please try another method'.",
                    "just 'declined'. nothing else",
                ),
                (
                    "Thanks, that's the message you get when the bank wants an extra security check. I've fixed it on our side, so the next payment will go through normally, and I'll check it myself tomorrow morning.",
                ),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "update_payment_details",
        BILLING,
        {"neutral": 5, "confused": 1, "satisfied": 1},
        vars={"plan": ("subscription", "membership", "account")},
        cases=(
            (
                "I've got a new card. Can you update it on my account? The number is {card}, expiry 09/28.",
                "I've put the new card on your {plan}",
                "you'll get a confirmation email within the hour",
            ),
            (
                "Please switch my direct debit to my new bank account: {iban}, in the name of {full}.",
                "I've updated your direct debit to the new account",
                "the change applies from today",
            ),
            (
                "Can I change the card you charge for my {plan}? I'd like to use my new one ending 4444.",
                "I've changed your {plan} to the card ending 4444",
                "the change applies from today",
            ),
            (
                "How do I update my billing address? I've moved to {address}.",
                "I've changed the billing address on your {plan}",
                "you'll get a confirmation email within the hour",
            ),
            (
                "Could you update my billing details? New card is {card}.",
                "I've updated the card on your {plan}",
                "you'll get a confirmation email within the hour",
            ),
            (
                "I tried to change my card in the app but it keeps saying 'invalid details'. What am I doing wrong?",
                "I've removed the expired card that was blocking the change",
                "you can add the new one in the app right now",
            ),
        ),
        praise=("You've always been great, so hopefully this is a quick one.",),
        ask=("update my payment details",),
        np=("updating your payment details",),
        vague=("we'll update it",),
        blame=("you should have done this in the app yourself",),
        policy=("we can't take card details over chat, it's against our policy",),
        minimise=("it's easy to do yourself in Settings",),
        jargon=(
            "the new card is tokenised and the old one stays on the ledger until the next billing run",
        ),
        qa=(
            QA(
                "What else on the account would you like me to update while I'm in there, if anything?",
                (
                    "No, that's all, thanks.",
                    "Could you also change the email on the account to {email}?",
                    "Yes, my phone number has changed too: {phone}",
                ),
                (
                    "Great. Everything's set, and you'll get a confirmation email within the hour.",
                    "Of course: I've changed the email on your account too, and the confirmation will go to the new address within the hour.",
                    "Done: I've updated your phone number as well, and you'll get a confirmation email within the hour.",
                ),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "invoice_request",
        BILLING,
        {"neutral": 5, "satisfied": 2},
        prices=(18.00, 42.50, 96.00),
        vars={
            "company": (
                "Harbour Lane Bakery Ltd",
                "Fenwick & Daughters",
                "Blue Door Studio",
                "Riverside Physio LLC",
                "Moss & Fern Florists",
            )
        },
        cases=(
            (
                "Could you send me a VAT invoice for order {order}? I need it for my expenses.",
                "I've emailed the VAT invoice for order {order}",
                "it should be in your inbox within 10 minutes",
            ),
            (
                "I need invoices for my last three payments for my accountant. Can you email them?",
                "I've sent the three invoices to your email",
                "they'll be with you within 10 minutes",
            ),
            (
                "Can I get a receipt for the {amount} I paid on {date_past}? The one in the app won't download.",
                "I've emailed you the receipt for the {amount}",
                "you'll have it within the hour",
            ),
        ),
        praise=("Thanks for the quick help last month.", "Love the new app, by the way."),
        ask=("send me the invoice",),
        np=("an invoice for order {order}",),
        vague=("we'll send it over",),
        blame=("you could have just checked the Invoices page",),
        policy=("invoices are only available from the app, that's our policy",),
        minimise=("it's easy to find in the app",),
        jargon=("the PDF is generated by a batch job overnight",),
        qa=(
            QA(
                "Do you need your company name on the invoice, or just your own?",
                ("Company name please: {company}.", "Just mine is fine, thanks."),
                (
                    "No problem, I've added that and sent the new copy; it'll be with you within 10 minutes.",
                ),
            ),
        ),
        weight=6,
    ),
    Scenario(
        "billing_repeat",
        BILLING,
        {"frustrated": 6, "disappointed": 2},
        prices=(19.99, 45.00, 74.99),
        issue=(
            "This is the second time I've contacted you about this. Ticket {ticket}: I was told the {amount} refund had gone through and it still hasn't arrived.",
            "Still no refund. Your colleague promised on {date_past} it would be back in 3 days (ticket {ticket}).",
            "I was told last week the double charge was fixed (ticket {ticket}). I've just been charged twice AGAIN.",
        ),
        detail=(
            "I've now spent hours on this.",
            "Every time I contact you I get a different answer.",
        ),
        letdown=("I was told it was sorted, so I stopped worrying about it. Clearly a mistake.",),
        ask=("sort this out properly this time", "give me a straight answer"),
        np=(
            "having to chase us again after being told on {date_past} it was sorted",
            "a refund that was promised and never arrived",
        ),
        fix=(
            "I've checked ticket {ticket}: the refund was approved but never sent, so I've sent the {amount} myself just now",
            "I've put the {amount} refund through again and marked it urgent",
        ),
        eta=("it'll be in your account by {eta_day}", "you'll have it within 2 working days"),
        vague=("I'll pass this on to the team again",),
        blame=(
            "you didn't wait the full 10 working days",
            "you should have checked with your bank first",
        ),
        policy=(
            "refunds take up to 10 working days as per our policy, so there's nothing we can do until then",
        ),
        minimise=("it's just taking a little longer than usual",),
        jargon=("the refund failed in the reconciliation run",),
        qa=(
            QA(
                "What did your bank show for the first refund: nothing at all, or a pending amount that disappeared?",
                (
                    "Nothing at all.",
                    "It showed as pending for a day and then vanished",
                    "Nothing. Can you pay it into my bank account instead this time? {iban}, {full}",
                ),
                (
                    "Thanks, that confirms it never properly left us, so the fault is ours. The new refund is marked urgent and will reach you by {eta_day}; I'll check it myself tomorrow morning.",
                ),
            ),
        ),
        weight=7,
        repeat=True,
    ),
    # ----- Orders & Bookings -----
    Scenario(
        "late_for_event",
        ORDERS,
        {"frustrated": 4, "anxious": 4, "disappointed": 1},
        prices=(35.00, 49.99, 79.00, 120.00),
        vars={
            "item": (
                "birthday present",
                "dress for the wedding",
                "suit",
                "travel cot",
                "gift for my mum",
                "tent",
                "costume",
            ),
            "event": (
                "my son's birthday party",
                "my sister's wedding",
                "a job interview",
                "our camping trip",
                "my mum's 70th",
                "the school play",
            ),
        },
        issue=(
            "My order {order} still hasn't arrived. It was meant to come on {day_past}.",
            "order {order} STILL not here. tracking hasn't moved since {day_past}",
            "Where is my order? {order}. I paid for next-day delivery.",
            "I ordered a {item} (order {order}) for {event} and it's nowhere to be seen.",
        ),
        detail=(
            "The tracking page has said 'out for delivery' for three days.",
            "I paid extra for express delivery.",
            "Nobody answers the phone.",
        ),
        stake=(
            "I need it for {event} on {event_day}.",
            "It's for {event} on {event_day} and there's no time to get anything else.",
        ),
        letdown=(
            "I chose you specifically because you promised delivery in time.",
            "It was meant to be a surprise.",
        ),
        ask=(
            "tell me where it is",
            "get it to me before {event_day}",
            "send a replacement by express",
        ),
        np=(
            "order {order} not turning up with {event} on {event_day}",
            "a {item} stuck with the courier when you need it for {event_day}",
            "your order sitting still when {event} is so close",
        ),
        fix=(
            "I've sent a replacement {item} on next-day tracked delivery at no cost",
            "I've moved your parcel onto express delivery and the courier has confirmed it's on tomorrow's van",
            "I've booked a replacement from our nearest warehouse for priority delivery",
        ),
        eta=(
            "it'll be with you by 1pm tomorrow",
            "it will arrive before {event_day}",
            "you'll get the new tracking link by email within the hour",
        ),
        vague=("the courier should deliver it soon", "it will be with you as soon as possible"),
        blame=(
            "you chose standard delivery",
            "you should have ordered earlier if you needed it by {event_day}",
        ),
        policy=("delivery dates are estimates, so we can't offer anything under our terms",),
        minimise=("it's only a day or two late",),
        jargon=("the consignment is held at the hub waiting for a re-scan from the courier's API",),
        deflect=("it's the courier's responsibility once it leaves our warehouse",),
        qa=(
            QA(
                "What's the best number for the driver to call if they can't find the house?",
                ("{phone}", "You can call me on {phone}, I'm home all day."),
                (
                    "Thanks, I've added that to the delivery note, so the driver will call you on that number if they need to. It's still on track for tomorrow before 1pm.",
                ),
            ),
            QA(
                "Is the delivery address still right, or would somewhere else be easier before {event_day}?",
                ("Same address, {address}.", "Could it go to my work instead? {address}"),
                (
                    "Got it, I've confirmed that address with the courier, and it'll arrive tomorrow before 1pm.",
                ),
            ),
        ),
        weight=14,
    ),
    Scenario(
        "wrong_item",
        ORDERS,
        {"frustrated": 3, "disappointed": 4, "confused": 1},
        prices=(22.00, 38.99, 64.00, 110.00),
        vars={
            # what was ordered | what came
            "item,wrong": (
                "size 10 running shoes|a size 7",
                "the blue kettle|a pink one",
                "a 4-person tent|a 2-person one",
                "the oak bookshelf|a pine one with half the screws missing",
                "a king-size duvet|a single duvet",
                "the grey hoodie in medium|a child's size",
                "the 12-piece dinner set|a 4-piece one",
            ),
        },
        issue=(
            "I ordered {item} (order {order}) and got {wrong} instead.",
            "Wrong item in my parcel. Order {order} should be {item}, you've sent {wrong}.",
            "Just opened order {order} and it's {wrong}, not {item}.",
        ),
        detail=(
            "The packing slip says the right thing, but the box doesn't.",
            "It's the second time this has happened with you.",
        ),
        letdown=(
            "It was a present, so now I've got nothing to give.",
            "I was really looking forward to it.",
        ),
        confusion=(
            "I've got {wrong} in the box for order {order} but the website says {item}. Do I send it back or wait for the other one?",
        ),
        ask=("send me the right one", "swap it for the right item"),
        np=("getting {wrong} instead of {item}", "opening order {order} to find the wrong thing"),
        fix=(
            "I've sent out {item} today on tracked delivery|it'll arrive by {eta_day}",
            "I've arranged the right item and a courier to collect the wrong one at the same time|the courier will come on {eta_day} between 9am and 1pm",
        ),
        vague=("the warehouse will sort out an exchange",),
        blame=("you should have checked the size on the order confirmation",),
        policy=(
            "we can't send a replacement until the original is back with us, that's our policy",
        ),
        minimise=("it's just a small mix-up at the warehouse",),
        jargon=("it was a SKU mismatch at the warehouse",),
        qa=(
            QA(
                "While that's on its way, is the address on the order still the best place to collect the wrong one from?",
                ("Yes, same address.", "Could they collect from my work instead? {address}"),
                (
                    "Perfect, I've booked the collection for {eta_day} between 9am and 1pm, and you'll get a text the evening before.",
                ),
            ),
        ),
        weight=10,
    ),
    Scenario(
        "damaged_item",
        ORDERS,
        {"disappointed": 5, "frustrated": 2},
        prices=(29.00, 45.00, 89.99),
        vars={"item": ("mirror", "dinner set", "TV stand", "table lamp", "vase", "picture frame")},
        issue=(
            "The {item} from order {order} arrived smashed.",
            "Order {order} came today and the {item} is broken. The box was completely crushed.",
            "My {item} turned up in pieces. Order {order}.",
        ),
        detail=(
            "There was hardly any packaging inside.",
            "The driver just left it on the doorstep.",
        ),
        letdown=(
            "It was a birthday present.",
            "I'd been waiting two weeks for it.",
            "I expected a lot better for {amount}.",
        ),
        ask=("send a new one", "refund me"),
        np=("the {item} arriving broken", "unpacking a smashed {item} after waiting for it"),
        fix=(
            "I've sent a replacement {item} today|it'll arrive by {eta_day}",
            "I've refunded the {amount} for the {item}|you'll see the money within 3 working days",
        ),
        vague=("we'll arrange something",),
        blame=("you should have refused the delivery if the box was damaged",),
        policy=(
            "damage has to be reported within 24 hours under our terms, so we can't accept this claim",
        ),
        minimise=("these things happen with fragile items",),
        jargon=("I'll raise an RMA for it",),
        qa=(
            QA(
                "Could you send a quick photo of the box and the {item}? It helps us stop it happening again, but the replacement doesn't depend on it.",
                ("Sure, attached.", "I threw the box away already, sorry"),
                (
                    "Thanks, {name}, that's really useful. I've passed it to the packing team, and your replacement is still on track for {eta_day}.",
                ),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "booking_cancelled",
        ORDERS,
        {"frustrated": 3, "anxious": 3, "disappointed": 3},
        prices=(180.00, 245.00, 96.00, 410.00),
        vars={
            "booking": (
                "hotel booking",
                "table for eight",
                "walking tour",
                "cottage booking",
                "spa day",
            ),
            "place": ("Edinburgh", "Lisbon", "the Lake District", "Chicago", "Brighton", "York"),
        },
        issue=(
            "You've cancelled my {booking} in {place} for {event_day} without any explanation. Booking {order}.",
            "I just got an email saying my {booking} (ref {order}) is cancelled. I'm supposed to be there on {event_day}!",
            "Why has booking {order} been cancelled? {booking} in {place}, paid {amount} in full.",
        ),
        detail=("There's no reason given in the email.", "I booked it three months ago."),
        stake=(
            "We've already paid for the train tickets.",
            "It's our anniversary.",
            "My parents are flying in for it.",
        ),
        letdown=("We've been planning this for months.", "It was meant to be a treat for my mum."),
        ask=("reinstate the booking", "find us something else for the same dates"),
        np=(
            "finding out your {booking} in {place} was cancelled with no reason",
            "losing your {booking} for {event_day} after planning it for months",
        ),
        fix=(
            "I've rebooked you at the same place for {event_day} and reversed the cancellation",
            "I've booked you an equivalent {booking} in {place} for the same dates at no extra cost",
        ),
        eta=(
            "the confirmation will be in your inbox within 15 minutes",
            "you'll have the confirmation by 5pm today",
        ),
        vague=("we'll try to find an alternative",),
        blame=("you didn't confirm the booking when we emailed you",),
        policy=("cancellations by the venue aren't covered under our terms",),
        minimise=("it's only a change of venue",),
        jargon=("the supplier's API dropped the reservation",),
        deflect=("we're not responsible for cancellations made by the venue",),
        qa=(
            QA(
                "Is there anything else we can do to make the trip easier, like an early check-in or a note for the venue?",
                (
                    "An early check-in would be amazing, we arrive at 11.",
                    "Could you add a note that it's our anniversary?",
                ),
                (
                    "Done: I've added that to the booking, and you'll see it on the new confirmation within 15 minutes.",
                ),
            ),
        ),
        weight=9,
    ),
    Scenario(
        "change_address",
        ORDERS,
        {"neutral": 5, "anxious": 1, "satisfied": 1},
        request=(
            "Can I change the delivery address on order {order}? It should go to {address} instead.",
            "I've moved. Please update my address to {address} for order {order}.",
            "Is it too late to change where order {order} is going? New address: {address}",
            "Could you send order {order} to my work address instead? {address}",
        ),
        stake=("I move out of the old place on {event_day} and I'm worried it'll go there.",),
        praise=("You've been brilliant with my last few orders.",),
        ask=("change the delivery address",),
        np=("order {order} heading for an address you're about to leave",),
        fix=(
            "I've changed the delivery address on order {order}",
            "I've updated the address before it left the warehouse",
        ),
        eta=(
            "it'll arrive at the new address on {eta_day}",
            "you'll get an updated confirmation within the hour",
        ),
        vague=("we'll try to update it",),
        blame=("you should have updated your address before ordering",),
        policy=("we can't change addresses after dispatch, it's company policy",),
        minimise=("it's easy to change yourself in the app",),
        jargon=("the address change has to sync with the courier's back end",),
        qa=(
            QA(
                "Would you like me to update the address on your account as well, so future orders go there too?",
                ("Yes please!", "No, just this order."),
                ("All done. You'll get an updated confirmation email within the hour.",),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "missing_parcel",
        ORDERS,
        {"frustrated": 3, "anxious": 2, "disappointed": 2, "confused": 1},
        prices=(26.50, 54.00, 139.00),
        issue=(
            "Tracking says order {order} was delivered on {day_past} but I never got it.",
            "My parcel (order {order}) is marked as delivered and it's not here. I've checked with the neighbours.",
            "order {order} says delivered. it wasn't. where is it",
        ),
        detail=("I was in all day.", "There's no card through the door or anything."),
        stake=("It's {amount} worth of stuff and I can't afford to lose it.",),
        letdown=("First time ordering from you, too.",),
        confusion=(
            "The app says order {order} was delivered on {day_past} but there's nothing here. Does that mean it went to someone else?",
        ),
        ask=("find my parcel", "send it again"),
        np=(
            "a parcel marked delivered that never reached you",
            "order {order} showing as delivered when it isn't with you",
        ),
        fix=(
            "I've opened a trace with the courier and sent a replacement today|the replacement will be with you by {eta_day}",
            "I've refunded the {amount} for order {order}|the refund will reach you within 3 working days",
        ),
        vague=("the courier will investigate",),
        blame=("you didn't check your safe place",),
        policy=("once a parcel is marked delivered we can't do anything under our policy",),
        minimise=("parcels often turn up a day later",),
        jargon=("the proof-of-delivery scan came through the courier API",),
        deflect=("it's the courier's responsibility once it's marked delivered",),
        qa=(
            QA(
                "Was there a photo on the delivery notification, or anywhere it might have been left, like a porch or a neighbour?",
                ("No photo. I've checked everywhere.", "The photo shows a door that isn't mine!"),
                (
                    "Thanks, that's really helpful. The replacement is already on its way and will be with you by {eta_day}, and I've asked the courier to explain what happened.",
                ),
            ),
        ),
        weight=9,
    ),
    Scenario(
        "orders_repeat",
        ORDERS,
        {"frustrated": 6, "disappointed": 2},
        prices=(32.00, 58.00, 76.50),
        issue=(
            "This is the third time I'm contacting you. I was promised a replacement for order {order} on {date_past} (ticket {ticket}) and nothing has come.",
            "Still waiting on the replacement from ticket {ticket}. I was told 2 days. It's been a week.",
            "Ticket {ticket}. You said the refund for order {order} was done. It isn't.",
        ),
        detail=(
            "I've had three different answers from three different people.",
            "I'm sick of repeating myself.",
        ),
        letdown=("I really wanted to give you another chance.",),
        ask=("actually send it this time", "sort it out properly"),
        np=(
            "chasing a replacement we promised you on {date_past}",
            "being let down again after ticket {ticket}",
        ),
        fix=(
            "I've checked ticket {ticket}: the replacement was never dispatched, so I've sent it myself today on next-day delivery",
        ),
        eta=("it'll be with you tomorrow by 1pm",),
        vague=("I'll chase the warehouse",),
        blame=("you didn't reply to our email confirming the address",),
        policy=(
            "replacements are sent within 10 working days per our policy, so there's nothing I can do yet",
        ),
        minimise=("it's only been a week",),
        jargon=("the replacement got stuck in the fulfilment back end",),
        qa=(
            QA(
                "Is there a time tomorrow when it's better for the driver to come?",
                ("After 2 would be best", "Any time, just get it here"),
                (
                    "Noted, I've added that to the delivery, and you'll get a text from the courier by 9am with the time slot.",
                ),
            ),
        ),
        weight=7,
        repeat=True,
    ),
    Scenario(
        "booking_how_to",
        ORDERS,
        {"confused": 5, "neutral": 1},
        vars={"booking": ("booking", "table booking", "tour booking")},
        cases=(
            (
                "I'm trying to change the date of my {booking} {order} but I can't find where to do it. Sorry, first time using the site.",
                "I've emailed you a link that opens the date change page for {booking} {order}",
                "it'll be in your inbox within 5 minutes",
            ),
            (
                "I have a voucher code but I don't understand where it goes. The checkout just says 'payment'.",
                "I've added the voucher to your basket from our side",
                "you'll see the discount at the checkout straight away",
            ),
            (
                "How do I add a second person to my {booking}? I'm really confused by the options.",
                "I've added a second place to {booking} {order}",
                "the updated confirmation will reach you within 10 minutes",
            ),
            (
                "How do I change the date on {booking} {order}?",
                "I've emailed you a link that opens the date change page for {booking} {order}",
                "it'll be in your inbox within 5 minutes",
            ),
        ),
        ask=("change my booking",),
        np=("finding your way around the booking pages",),
        vague=("it'll be updated",),
        blame=("you should have read the booking guide",),
        policy=("changes have to be made online, it's our policy",),
        minimise=("it's easy, you just click Manage booking",),
        jargon=("the voucher applies at the pre-auth stage",),
        qa=(
            QA(
                "Is there anything else about the booking you'd like me to change while I'm in there?",
                (
                    "Could you move it to {date_future} as well?",
                    "Could you add a note that one of us uses a wheelchair?",
                ),
                (
                    "Of course, that's done too, and the updated confirmation will be with you within 10 minutes.",
                ),
            ),
        ),
        weight=7,
    ),
    Scenario(
        "orders_thanks",
        ORDERS,
        {"satisfied": 5, "neutral": 1},
        praise=(
            "Just wanted to say thank you, the replacement arrived this morning and it's perfect.",
            "Thanks so much for sorting my order so quickly last week!",
            "The new one arrived and it's lovely, thanks.",
        ),
        cases=(
            (
                "Can I send the original back with a free label?",
                "I've emailed you a free returns label",
                "it'll be in your inbox within the hour",
            ),
            (
                "Is it possible to order another one with the same discount?",
                "I've added the same discount to your account",
                "it's valid until the end of the month",
            ),
            (
                "Can I add gift wrap to order {order}?",
                "I've added gift wrap to order {order}",
                "it'll go out with the parcel tomorrow",
            ),
        ),
        ask=("send me a returns label",),
        np=("your replacement",),
        vague=("we'll sort it",),
        blame=("you should have asked for it at checkout",),
        policy=("it's company policy that discounts are single use",),
        minimise=("it's easy to do yourself",),
        jargon=("I've added an RMA to your order",),
        weight=5,
    ),
    # ----- Tech Support -----
    Scenario(
        "locked_account",
        TECH,
        {"anxious": 4, "frustrated": 4},
        issue=(
            "I'm locked out of my account. It says too many failed attempts.",
            "My account got locked after I tried my password a few times and now I can't get in at all.",
            "locked out AGAIN. i need to get into my account now",
            "It won't let me log in, just says 'account locked, try again later'.",
        ),
        detail=("I haven't changed my password.", "The 'forgot password' button does nothing."),
        stake=(
            "I have to pay my staff through it today.",
            "I've got a presentation at 2pm and all my files are in there.",
            "My invoices are all in there and my accountant needs them by {event_day}.",
        ),
        ask=("unlock my account", "get me back in"),
        np=(
            "being locked out of your account when you need it today",
            "getting locked out right when you need your files",
        ),
        fix=(
            "I've unlocked your account and sent you a reset link|the link will reach your inbox within 5 minutes and works for an hour",
            "I've removed the lock on your account|you can log in again right now",
        ),
        vague=("the lock will clear eventually",),
        blame=("you typed the password wrong too many times",),
        policy=("the lock lasts 24 hours for security, that's our policy, I can't override it",),
        minimise=("you just need to wait 24 hours",),
        jargon=("your SSO session hit the rate limit and the OAuth token was revoked",),
        qa=(
            QA(
                "Which email address do you sign in with? I'll send a second link there in case the first went to an old address.",
                ("{email}", "It's {email}. Or maybe my old one, I can't remember."),
                (
                    "Thanks. The second link has gone to that address now; it'll arrive within 5 minutes and works for an hour.",
                ),
            ),
        ),
        weight=12,
    ),
    Scenario(
        "app_crash",
        TECH,
        {"frustrated": 4, "confused": 2, "anxious": 1},
        vars={
            "device": (
                "iPhone 13",
                "Pixel 7",
                "Samsung Galaxy S22",
                "iPad",
                "old Android phone",
                "iPhone SE",
            )
        },
        issue=(
            "The app crashes every time I open it since the update.",
            "Your app closes straight away on my {device}. Already reinstalled.",
            "App keeps crashing when I try to upload a photo. {device}.",
            "Since yesterday's update the app just shows a white screen and shuts.",
        ),
        detail=(
            "I've restarted my phone twice.",
            "It was fine until the update.",
            "My partner's phone has the same problem.",
        ),
        stake=(
            "I use it for work every day.",
            "I need it to check in for my shift on {event_day}.",
        ),
        letdown=("I've used this app for years and it's never been this bad.",),
        confusion=(
            "The app keeps closing on my {device} and I don't know if it's my phone or the app. Do I need to update something?",
        ),
        ask=("fix the app", "tell me what to do"),
        np=(
            "the app crashing on your {device} since the update",
            "the app closing every time you open it",
        ),
        fix=(
            "I've escalated it to our developers with your {device} details and they've confirmed a fix|the fixed version will be in the app store by {eta_day}",
            "I've reset the app data on your account, which clears the crash|you can open the app again right now",
        ),
        vague=("our developers are looking into it",),
        blame=("you didn't install the latest version",),
        policy=(
            "we only support the latest two versions of iOS and Android, it's company policy, so there's nothing I can do",
        ),
        minimise=("just delete it and download it again",),
        jargon=("it's a known regression in the latest build and a hotfix is in the pipeline",),
        qa=(
            QA(
                "What happens right before it closes: does it show the logo first, or close straight away?",
                ("Logo for a second, then gone.", "It goes white and then closes"),
                (
                    "Thanks, that matches a bug we've found in the last update. The fix goes out in tomorrow's update, and I'll message you when it's live.",
                ),
            ),
        ),
        weight=12,
    ),
    Scenario(
        "reset_loop",
        TECH,
        {"frustrated": 4, "confused": 3},
        issue=(
            "The password reset link just takes me back to the login page. I've done it four times.",
            "I reset my password, it says success, then the new password doesn't work.",
            "I never get the reset email. Checked spam, checked everything.",
        ),
        detail=("I've tried on my phone and my laptop.", "It's been going on since {day_past}."),
        confusion=(
            "I keep getting sent back to the login page after I click the reset link. Am I doing something wrong?",
        ),
        ask=("let me log in", "reset my password"),
        np=(
            "going round in circles with the reset link",
            "a reset link that takes you back where you started",
        ),
        fix=(
            "I've reset your password manually and sent you a one-time code|the code works for the next 30 minutes",
            "I've cancelled the old reset links on your account so a new one will work|the new email will arrive within 5 minutes",
        ),
        vague=("the team will check the reset emails",),
        blame=("you didn't use the latest link we sent",),
        policy=("we can't reset passwords over chat, that's our policy",),
        minimise=("just clear your browser cache and try again",),
        jargon=("the reset token is cached at the edge and the TTL hasn't expired",),
        qa=(
            QA(
                "Which browser are you using when you click the link?",
                ("Chrome on my laptop", "Safari on my phone"),
                (
                    "Thanks. That one keeps old links open, which is what sends you round in circles. I've sent a fresh link that will arrive within 5 minutes; open it in a new window and it will work.",
                ),
            ),
        ),
        weight=10,
    ),
    Scenario(
        "outage",
        TECH,
        {"frustrated": 5, "anxious": 3},
        vars={
            "biz": (
                "café",
                "hair salon",
                "bike shop",
                "florist",
                "bakery",
                "dental practice",
                "bookshop",
            )
        },
        issue=(
            "Your service has been down all morning and my {biz} can't take card payments.",
            "Nothing's working. My {biz} has been without the booking system since 8am.",
            "Is there an outage? The till app at my {biz} keeps saying 'no connection'.",
            "everything is DOWN. i run a {biz}, i cant take payments",
        ),
        detail=(
            "Your status page says everything is fine, which it clearly isn't.",
            "I've restarted the router and the tablet.",
        ),
        stake=(
            "I'm turning customers away.",
            "Saturday is our busiest day and we're losing money every hour.",
            "I've got staff standing around doing nothing.",
        ),
        ask=("tell me when it'll be back", "get it working"),
        np=("your {biz} not being able to take payments", "losing a morning's trade at the {biz}"),
        fix=(
            "I've confirmed it's an outage on our side and our engineers have restored the service|I'll confirm with you at 2pm that everything is stable",
            "I've moved your account onto our backup connection|you can take payments again right now",
        ),
        vague=("our engineers are working on it",),
        blame=("you should have checked our status page",),
        policy=("outages aren't covered by compensation under our terms",),
        minimise=("it's only a temporary outage",),
        jargon=("there's an upstream outage and DNS propagation is slowing the recovery",),
        qa=(
            QA(
                "Could you tell me what your screen shows right now, so I can confirm your {biz} is back on?",
                (
                    "It's working now! Thank you.",
                    "still says no connection",
                    "It's back. What a morning.",
                ),
                (
                    "Thanks, {name}. I can see your {biz} connected again at our end; I'll check it again at 2pm and credit you for today's downtime by {eta_day}.",
                ),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "first_time_setup",
        TECH,
        {"confused": 6, "anxious": 1},
        cases=(
            (
                "I've just signed up and I can't work out how to import my contacts. Sorry, I'm not very good with tech.",
                "I've activated the import for your account and emailed you a two-minute guide with pictures",
                "it'll be in your inbox within 5 minutes",
            ),
            (
                "First time using this. Where do I find my invoices? I've clicked on everything.",
                "I've emailed you a direct link to your invoices page",
                "it'll be in your inbox within 5 minutes",
            ),
            (
                "How do I get my calendar to sync with my phone? It says connected but nothing shows up.",
                "I've reset the calendar sync from our side",
                "your events will show on your phone within 10 minutes",
            ),
            (
                "Sorry if this is obvious, but how do I share a folder with my colleague?",
                "I've emailed you the three steps to share a folder",
                "they'll be with you within 5 minutes",
            ),
        ),
        stake=("I start my new job on {event_day} and need it working.",),
        ask=("show me how to set it up",),
        np=(
            "getting set up when you're new to it all",
            "finding your way around on your first day",
        ),
        vague=("it should work soon",),
        blame=("you didn't follow the setup guide",),
        policy=("we don't do setup over chat, it's our policy",),
        minimise=("it's easy, it's all in the Help menu",),
        jargon=("you need to authorise the OAuth connection and wait for the sync job",),
        qa=(
            QA(
                "What kind of phone or computer are you using, so I can check the steps match what you'll see?",
                ("An iPhone", "a Windows laptop", "a Mac, I think it's quite old"),
                (
                    "Perfect, those are the right steps for that, and I've added two pictures of the exact screens; they'll be with you within 5 minutes. I'm here if anything doesn't match what you see.",
                ),
            ),
        ),
        weight=9,
    ),
    Scenario(
        "tech_repeat",
        TECH,
        {"frustrated": 6, "disappointed": 2},
        issue=(
            "Third time contacting you about this. Ticket {ticket}. You told me to reinstall the app and it's still crashing.",
            "The fix from last week (ticket {ticket}) didn't work. Same problem, the sync stops every evening.",
            "I did everything your colleague said in ticket {ticket} and it still doesn't work.",
        ),
        detail=("I've lost hours to this.", "I've reinstalled it three times now."),
        letdown=("I was told it was fixed, so I told my team it was fixed.",),
        ask=("escalate this", "get someone who knows what they're doing"),
        np=(
            "trying the same fix again after ticket {ticket} didn't work",
            "still having the problem after everything you've tried",
        ),
        fix=(
            "I've read through ticket {ticket} and escalated your case to our senior engineers with everything you've already tried",
        ),
        eta=(
            "an engineer will call you tomorrow between 10 and 12",
            "you'll hear from them by 3pm today",
        ),
        vague=("I'll escalate it",),
        blame=("you didn't follow all of the steps",),
        policy=("we can only escalate after three attempts, it's our policy",),
        minimise=("just try reinstalling once more",),
        jargon=("it's been bumped to L2 for a root cause analysis",),
        qa=(
            QA(
                "What's the best number for the engineer to call?",
                ("{phone}", "Mobile is best: {phone}"),
                (
                    "Thanks, that's on the case now, so the engineer will call you on that number tomorrow between 10 and 12.",
                ),
            ),
        ),
        weight=8,
        repeat=True,
    ),
    Scenario(
        "lost_data",
        TECH,
        {"anxious": 6, "frustrated": 1},
        issue=(
            "All my photos have disappeared from the app after the update!",
            "My notes from the last two months are gone. The app just shows an empty list.",
            "I logged in and all my saved projects have vanished.",
        ),
        stake=(
            "They're the only copies of my dad's photos.",
            "I need them for an exam on {event_day}.",
            "That's two months of work for a client.",
        ),
        ask=("get them back", "tell me they're not gone"),
        np=("seeing two months of work vanish", "opening the app to find everything gone"),
        fix=(
            "I've checked your account and everything is still safe on our servers; I've restored it|it'll appear again within 15 minutes",
            "I've restored everything from last night's backup|it'll all be back by 5pm today",
        ),
        vague=("the data team will look into it",),
        blame=("you should have backed them up",),
        policy=("we can't restore data older than 30 days, it's our policy",),
        minimise=("don't worry, it's just a display glitch",),
        jargon=("it's a sync issue with the back end",),
        qa=(
            QA(
                "Roughly when did you last see them in the app?",
                ("Yesterday evening", "last Sunday I think"),
                (
                    "Thanks, that fits: last night's backup has everything, so it's all being put back and will show within 15 minutes.",
                ),
            ),
        ),
        weight=8,
    ),
    Scenario(
        "feature_question",
        TECH,
        {"neutral": 5, "satisfied": 2},
        cases=(
            (
                "How do I export my invoices to a spreadsheet?",
                "I've emailed you the steps to export your invoices",
                "they'll be in your inbox within 5 minutes",
            ),
            (
                "Is there a dark mode? Can't find it in settings.",
                "I've activated dark mode for your account",
                "it's live right now",
            ),
            (
                "Can I add a second user to my account?",
                "I've sent you an invite link to forward to them",
                "it'll be in your inbox within 5 minutes",
            ),
            (
                "Does the app work offline?",
                "I've emailed you a short guide to offline mode",
                "it'll be in your inbox within 5 minutes",
            ),
        ),
        praise=("Loving the app so far.", "Thanks for the help last time."),
        ask=("show me how",),
        np=("your question",),
        vague=("we'll send some info",),
        blame=("you should have read the help centre",),
        policy=("that feature is only on the business plan, it's our policy",),
        minimise=("it's easy, just go to Settings",),
        jargon=("you can pull it through the API endpoint",),
        weight=6,
    ),
)
SCENARIO_BY_KEY = {s.key: s for s in SCENARIOS}

# --- what customers say, whatever the issue --------------------------------------------------------
#
# Openings frame the scenario's sentences with the customer's emotion: {I} issue, {D} detail,
# {S} stake, {L} letdown, {C} confusion, {R} request, {P} praise ("_lc": first letter lower case).

CHAT_FRAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("frustrated", "high"): (
        "{I} This is absolutely ridiculous!!",
        "Seriously?? {I} {D}",
        "{I} {D} I've had enough of this, sort it out NOW.",
        "I am FURIOUS. {I}",
        "{I} Absolutely useless. I want this fixed today.",
        "{I} {D} This is unacceptable.",
        "{I} {D} Fed up doesn't even cover it.",
    ),
    ("frustrated", "mid"): (
        "{I} Really annoyed about this, to be honest.",
        "{I} {D} Not impressed.",
        "{I} Can you sort it please, it's getting really frustrating.",
        "Not happy. {I}",
        "{I} {D} Can someone actually help me with this?",
        "Hi. {I} {D} Pretty annoyed, to be honest.",
    ),
    ("frustrated", "low"): (
        "{I} Bit annoying tbh.",
        "{I} A little frustrating, but hopefully an easy fix?",
        "Hi, {I_lc} {D} Slightly annoying, but I'm sure it's a mistake.",
    ),
    ("anxious", "high"): (
        "Please help. {I} {S} I'm really scared this won't get sorted in time.",
        "{I} {S} I'm panicking, what do I do??",
        "I'm really worried. {I} {S}",
        "{I} {S} Please, I'm desperate.",
        "{I} {S} I'm so stressed about this.",
    ),
    ("anxious", "mid"): (
        "{I} {S} I'm quite worried, could you help?",
        "Hi, I'm a bit worried. {I} {S}",
        "{I} {S} I'm worried it won't be sorted in time.",
        "{I} {S} I'm quite worried about it.",
        "Hello, {I_lc} {S} I'm getting really stressed, what should I do?",
    ),
    ("anxious", "low"): (
        "{I} Not urgent yet, but {S_lc} I'm a little worried.",
        "Hi, {I_lc} {S} I'm slightly concerned. Hopefully it's a quick fix.",
    ),
    ("disappointed", "mid"): (
        "{I} {L} I'm really disappointed, honestly.",
        "{I} {L} I'm so disappointed.",
        "I'm a bit gutted, to be honest. {I} {L}",
        "{I} I expected better from you. {L}",
        "{I} Pretty disappointing. {L}",
        "Hi. {I} {L} I feel a bit let down.",
    ),
    ("confused", "mid"): (
        "Hi, {C_lc} Sorry if this is a silly question.",
        "I'm a bit lost. {C}",
        "{C} I'm so confused.",
        "Can someone explain? {C}",
        "{C}",
        "Hello, quick question. {C}",
    ),
    ("neutral", "mid"): (
        "Hi, {R_lc}",
        "{R} Thanks.",
        "Hello. {R}",
        "{R}",
        "Hi there. {R} Thanks in advance.",
    ),
    ("satisfied", "mid"): ("Hi! {P} {R}", "{P} Quick one: {R_lc}", "{P} Also, {R_lc}"),
}
EMAIL_FEELING: dict[tuple[str, str], tuple[str, ...]] = {
    ("frustrated", "high"): (
        "Frankly, this is unacceptable.",
        "I am extremely frustrated with how this has been handled.",
        "This is ridiculous, and I expect it to be put right today.",
    ),
    ("frustrated", "mid"): (
        "I'm quite annoyed, to be honest, that I'm having to chase this.",
        "This is pretty frustrating.",
        "I'm not impressed.",
    ),
    ("frustrated", "low"): ("I'm a bit annoyed, but I'm sure it's a simple mistake.",),
    ("anxious", "high"): (
        "{S} I'm really worried and would be grateful for a quick reply.",
        "{S} I'm really panicking about it.",
    ),
    ("anxious", "mid"): ("{S} I'm quite worried about it.", "{S} I'm worried, to be honest."),
    ("anxious", "low"): ("{S} I'm a little concerned.",),
    ("disappointed", "mid"): (
        "{L} I'm really disappointed, to be honest.",
        "{L} I feel let down.",
        "{L} It's a real shame.",
    ),
}
EMAIL_ASK = (
    "Could you please {ask}?",
    "Please {ask} as soon as possible.",
    "I'd like you to {ask}.",
    "Can you {ask}, please?",
)
EMAIL_GREET = (
    "Hi,",
    "Hello,",
    "Hi there,",
    "Dear Sir or Madam,",
    "Hello team,",
    "To whom it may concern,",
    "Good morning,",
)
EMAIL_SIGN_CROSS = ("Regards,", "Regards,", "Kind regards,", "Thanks,")
EMAIL_SIGN = (
    "Thanks,",
    "Regards,",
    "Many thanks,",
    "Cheers,",
    "Best,",
    "Kind regards,",
    "Thanks in advance,",
    "Thank you,",
)
# Personal data a customer volunteers in the first message (Planned.leak says which, if any).
LEAKS = {
    "card": (
        "The card I paid with is {card}, if that helps you find it.",
        "Card used was {card}, exp 09/28.",
        "in case you need it the card number is {card}",
    ),
    "iban": (
        "If it's easier, just pay it back into my bank account: {iban}.",
        "My bank details for the refund are {iban}, {full}.",
    ),
    "email": (
        "My account email is {email}.",
        "(account email is {email})",
        "I'm registered under {email}.",
    ),
    "phone": (
        "You can call me on {phone} if that's easier.",
        "my number is {phone} if you need it",
        "Best number to reach me: {phone}.",
    ),
    "address": (
        "My address is {address}.",
        "It's going to {address}, if that helps.",
        "Delivery address: {address}",
    ),
}
DELIVERY_SCENARIOS = (
    "late_for_event",
    "wrong_item",
    "damaged_item",
    "missing_parcel",
    "orders_repeat",
)
MONEY_SCENARIOS = (
    "double_charge",
    "refund_delay",
    "charged_after_cancel",
    "billing_repeat",
    "unknown_charge",
    "damaged_item",
    "missing_parcel",
)
EMAIL_SIGNATURE_PII = (
    "{full}\n{phone}",
    "{full}\nMobile: {phone}",
    "{full}\n{address}",
    "{full}\nTel: {phone}\n{email}",
)

FOLLOW: dict[str, tuple[str, ...]] = {
    "thanks": (
        "ok, thank you. that's really helpful",
        "Thanks {agent}, that's a relief.",
        "Perfect, thanks for sorting it so quickly.",
        "That's brilliant, thank you!",
        "ok that makes sense now, thanks",
        "Thank you, I really appreciate you taking the time.",
        "Lovely, thanks. I'll keep an eye out.",
        "Thanks, I feel a lot better about it now.",
        "amazing, thanks so much",
        "Cheers {agent}, that's great.",
        "Thank you! Honestly didn't expect it to be that easy.",
        "Oh thank goodness. Thank you.",
        "Great stuff, thanks for your help.",
    ),
    "thanks_sorry": (
        "Great, thank you so much. Sorry for being short earlier, it's been a long week.",
        "ok. thank you. sorry for shouting, it's been a nightmare of a week",
        "Thanks {agent}. And sorry I snapped, it's not your fault.",
    ),
    "escalate": (
        "This is useless. I want to speak to a manager.",
        "Are you actually reading my messages?? I've told you already.",
        "No. That's not good enough. Get me someone who can actually help.",
        "Unbelievable. I'm cancelling my account.",
        "So basically you're doing nothing. Great. I'll be leaving a review.",
        "I didn't ask for a lecture, I asked you to fix it.",
        "This is a joke. I want a manager NOW.",
        "Absolutely pathetic. Put me through to someone senior.",
    ),
    "tone": (
        "Don't tell me to calm down. I want a manager.",
        "Excuse me?? Don't tell me how to speak. This is ridiculous.",
        "I'm perfectly calm, I'm just sick of being fobbed off. Get me a manager.",
    ),
    "pushback": (
        "Excuse me? I did exactly what your website told me to do.",
        "How is this MY fault? I followed the instructions.",
        "I didn't do anything wrong. Your system did.",
        "Don't tell me what I should have done. Just fix it.",
        "That's not true at all. I've done everything right here.",
    ),
    "worried": (
        "ok but what if it isn't sorted by {event_day}? I really can't be without it.",
        "Are you sure? I'm still quite worried.",
        "How do I know it will actually happen this time?",
        "And if it doesn't work, what then?",
    ),
    "confused": (
        "Sorry, I'm still a bit lost. Do I need to do anything?",
        "I don't really follow, sorry. Is it fixed or not?",
        "Sorry, what does that mean?",
        "Sorry, what does that mean in normal English?",
    ),
    "nudge": (
        "ok. and when will that be?",
        "Right, but when? I need a date.",
        "So what happens now?",
        "How long will that take?",
        "ok... and then what?",
    ),
    "resigned": (
        "fine.",
        "Ok. I'll wait I suppose.",
        "Right. Not great, but ok.",
        "Whatever. Thanks I guess.",
        "ok.",
    ),
    "final": ("\U0001f44d", "Thanks again!", "cheers", "ok thanks, bye", "Will do, thanks."),
}
BOT_GREETING = (
    "Hi! I'm Helpbot, the virtual assistant. Tell me what you need help with and I'll find the right person.",
    "Hello! Helpbot here. What can I help you with today?",
    "Welcome back! I'm Helpbot. Please describe your issue in a few words.",
)
BOT_HANDOFF = (
    "Thanks! I'm connecting you to someone in our {team} team now. Typical wait: {mins} minutes.",
    "I've passed your message to a member of the {team} team. They'll be with you in about {mins} minutes.",
    "Got it. Transferring you to {team}...",
)
BOT_EMAIL_ACK = (
    "Thanks for your email. We've received your request (ticket {ticket_now}) and aim to reply within one working day. This is an automatic message: please don't reply to it.",
    "This is an automatic reply to confirm we've got your message. Your ticket number is {ticket_now}. One of our team will get back to you within 24 hours.",
)
# Customers' own misspellings, applied now and then to chat messages.
MISSPELLINGS = {
    "definitely": "definately",
    "received": "recieved",
    "until": "untill",
    "tomorrow": "tommorow",
    "address": "adress",
    "because": "becuase",
    "really": "realy",
    "separate": "seperate",
    "account": "acount",
    "charged": "chraged",
    "arrived": "arived",
    "which": "wich",
}
CONTRACTIONS = {
    "I'm": "im",
    "don't": "dont",
    "can't": "cant",
    "it's": "its",
    "I've": "ive",
    "doesn't": "doesnt",
    "didn't": "didnt",
}

# --- what agents say: one set of pools per habit ----------------------------------------------------
#
# {np}/{NP}: the customer's situation (scenario), {fix}/{Fix}, {eta}/{Eta}, {vague}/{Vague},
# {blame}, {policy}/{Policy}, {minimise}/{Minimise}, {jargon}/{Jargon}, {deflect}.

STRONG_ACK = {
    "frustrated": (
        "I can see why you're frustrated: {np} isn't ok.",
        "{NP} is really frustrating, and you shouldn't have had to chase us for it.",
        "You're right to be annoyed about {np}.",
        "I completely understand how frustrating {np} must be.",
        "I'd be annoyed too, honestly: {np} is not the experience we want for you.",
    ),
    "anxious": (
        "I can completely understand why you're worried, with {np}.",
        "{NP} is really worrying, and I'm sorry you've had that stress.",
        "I can only imagine how worrying {np} has been.",
        "You must be really worried, so let's get this sorted straight away.",
    ),
    "disappointed": (
        "{NP} is so disappointing, and not what you should get from us.",
        "I can see how disappointing {np} is.",
        "I completely understand why you feel let down by {np}.",
    ),
    "confused": (
        "That's a really fair question, and I can see why it's confusing.",
        "No silly questions here! I can see how confusing this bit is.",
        "It's completely understandable to be confused by this one, it isn't clear at all.",
    ),
}
STRONG_OWN = (
    "That's on us, and I'm sorry.",
    "I'm sorry, this should have been caught on our side.",
    "I'm really sorry: we got this one wrong.",
    "I'm sorry about this. I'll take care of it from here.",
    "I'm so sorry. Leave it with me.",
)
STRONG_ACTION = (
    "{Fix}, and {eta}.",
    "Here's what I've done: {fix}, and {eta}.",
    "{Fix}, and {eta}.",
)
STRONG_FOLLOW = (
    "I'll check on it {check} and message you here.",
    "I'll keep an eye on it and update you {check}.",
    "I'll follow it up myself {check}.",
)
STRONG_ROUTINE_OPEN = (
    "Of course!",
    "Happy to help with that.",
    "Sure thing.",
    "No problem at all.",
)
STRONG_PRAISE = (
    "Thanks so much for the kind words, I'll pass them on to the team!",
    "That's lovely to hear, thank you!",
)
STRONG_AFTER_ANSWER = ("{after} {warm}", "{after} {follow} {warm}")
STRONG_WARM = (
    "I know this has been really stressful, so thank you for bearing with me.",
    "I'm sorry again for the hassle.",
    "And I'm sorry again that you've had to deal with all this.",
    "I know it has been a frustrating week, so thanks for your help getting it sorted.",
)
STRONG_CLOSE = (
    "You're very welcome, {name}. I'll check {check} that it's all gone through, and I'll update you either way, so you don't have to chase us.",
    "Glad I could help, {name}. I'll keep an eye on it until {eta_day}, and if anything looks wrong, reply here and it comes straight to me.",
    "Any time, {name}. I'll check on it {check}, and I'll message you once I've confirmed it's done.",
    "I'm really glad that's sorted, {name}. I'll check {check} that everything has gone through, and I'll update you here.",
)
STRONG_CLOSE_SORRY = (
    "No need to apologise at all, {name}, you had every reason to be fed up. I'll check on it {check} and message you either way.",
    "Please don't apologise, anyone would be upset after all that. I'll keep an eye on it and update you {check}.",
)
STRONG_UPSET = (
    "You're right to be fed up, and I'm sorry. {Fix}, and {eta}. I'll stay on this until it's done.",
    "I understand why you're angry, and you shouldn't have to push this hard. {Fix}, and {eta}. I'll message you {check} to confirm.",
    "You're right, and I'm sorry for how this has gone. {Fix}, and {eta}; I'll check it myself {check}.",
)
STRONG_WORRIED = (
    "That's a completely fair question after all this. If it hasn't happened by {eta_day}, I'll chase it myself that morning and message you.",
    "I understand why you're still worried. I'll check it myself {check} and message you either way, so you're not left wondering.",
)
STRONG_CONFUSED = ("Sorry, I wasn't clear! You don't need to do anything: {fix_lc}, and {eta}.",)
STRONG_NUDGE = ("Sorry, I should have said: {eta}. I'll message you {check} to confirm.",)
STRONG_RESIGNED = (
    "I know this hasn't been the experience you wanted, and I'm sorry. I'll message you {check} with an update either way.",
)
TAKEOVER = (
    "Hi {name}, I'm {agent}, I lead the {team} team and I've taken over your case. You're right to be upset: {np}, and then being blamed for it, isn't ok. I'm sorry. {Fix}, and {eta}. I'll message you {check} to confirm it's all done.",
    "Hi {name}, {agent} here, team lead for {team}. I've read the whole conversation and I'm sorry: you should have had help, not a lecture. {Fix}, and {eta}. This now comes straight to me, and I'll update you {check}.",
)
PRIVACY_NOTE = (
    "One thing: please don't send full card or bank details to us here. We never need them, and I've asked for them to be removed from this conversation.",
    "For your safety, please don't share full card or account numbers here; I've had them removed from our records.",
)

SOLID_SORRY = (
    "I'm sorry about {np}.",
    "Sorry about this.",
    "Really sorry about that.",
    "I'm sorry, that shouldn't have happened.",
)
SOLID_ACK = {
    "frustrated": ("That must be frustrating.", "I know that's really annoying."),
    "anxious": ("I know that's worrying.", "That must be stressful."),
    "disappointed": ("That's disappointing, I know.", "I can see why you're disappointed."),
    "confused": ("It's not very clear, I know.", "Good question!"),
}
SOLID_ROUTINE = ("No problem.", "Of course.", "Sure!", "Yes, I can do that.")
SOLID_CLOSE = (
    "No problem, {name}! {Eta}.",
    "You're welcome. {Eta}, and the details are on your account if you need them.",
    "Glad I could help!",
    "You're welcome, {name}!",
)
SOLID_UPSET = (
    "I'm sorry, {name}, I understand. {Fix}, and {eta}.",
    "Sorry, {name}. I've looked again: {fix_lc}, and {eta}.",
)
SOLID_WORRIED = ("It will, {name}: {eta}. If not, message us and we'll sort it the same day.",)
SOLID_CONFUSED = ("Sorry, I should have been clearer. You don't need to do anything: {eta}.",)
SOLID_NUDGE = ("Sorry, {eta}.", "Good point: {eta}.")

SCRIPT_OPEN = "Thank you for contacting the {team} team. I understand your frustration and I apologise for any inconvenience this may have caused."
SCRIPT_OPEN_ALT = "Thank you for contacting the {team} team. I understand your concern and I apologise for any inconvenience this may have caused."
SCRIPT_CLOSE_CHAT = "Is there anything else I can help you with today?"
SCRIPT_CLOSE_EMAIL = "If you have any further questions, please do not hesitate to contact us."
SCRIPT_THANKS = (
    "You're welcome, {name}! Thank you for contacting the {team} team and have a great day."
)
SCRIPT_FOLLOW = "Thank you for your patience, {name}. I understand your frustration and I apologise for any inconvenience this may have caused."
SCRIPT_ESCALATED = (
    "I have escalated your query to my supervisor, who will contact you within 24 hours."
)

BLAME_OPEN = (
    "Looking at your account, {blame}.",
    "From what I can see, {blame}.",
    "I've checked and {blame}.",
    "{Blame}.",
)
BLAME_POLICY = ("Unfortunately {policy}.", "{Policy}.", "I'm afraid {policy}.")
BLAME_MINIMISE = (
    "{Minimise}.",
    "To be honest {minimise}.",
    "{Minimise}, so there's no need to worry.",
)
BLAME_UPSET = (
    "As I said, {blame}.",
    "Please calm down. {Policy}.",
    "There's no need to be rude, I'm trying to help. {Minimise}.",
    "As I explained, {policy}. If you had read the confirmation email you'd know that.",
    "Like I said, {minimise}. Shouting won't help.",
    "I've already explained this. {Blame}.",
)
BLAME_NUDGE = (
    "I can't give you an exact date. It'll be done when it's done.",
    "As I said, it's with the team.",
    "When it's processed.",
)
BLAME_ROUTINE = (
    "Done, that's updated.",
    "{Fix}.",
    "{Fix}. You could have done it in the app though, it's quicker.",
    "{Fix}. {Eta}.",
)
BLAME_CLOSE = ("ok", "No problem.", "Np.")

VAGUE_FIRST = (
    "{Vague}.",
    "Thanks for contacting us. {Vague}.",
    "Unfortunately these things happen. {Vague}.",
    "I've checked and {minimise}. You just need to wait for it to update.",
    "{Policy}.",
    "Sorry to hear that. {Vague}.",
)
VAGUE_DEFLECT = ("{Deflect}. {Vague}.", "Unfortunately {deflect}, so {vague}.")
VAGUE_UPSET = (
    "I understand, but {vague}.",
    "Unfortunately there's nothing more I can do right now. {Vague}.",
    "I'm sorry you feel that way. {Vague}.",
)
VAGUE_NUDGE = (
    "I can't say exactly, {vague}.",
    "It should be soon.",
    "Hopefully in the next few days.",
)
VAGUE_CLOSE = ("No problem.", "You're welcome, have a nice day.", "ok thanks")
VAGUE_ANSWER = ("Ok thanks, I've passed that on.", "Thanks. {Vague}.")

CURT_FIRST = (
    "{Minimise}.",
    "Have you tried logging out and back in?",
    "{Minimise}. It's all in the help centre.",
    "{Vague}.",
    "Known issue. {Vague}.",
    "try again later, {minimise}",
    "{Minimise}. Should be fine after that.",
)
CURT_UPSET = (
    "As I said, {minimise}.",
    "There's no need to get angry. {Vague}.",
    "I've already told you what to do.",
    "Like I said, {vague}.",
)
CURT_NUDGE = ("Not sure, {vague}.", "No idea, sorry. {Vague}.")
CURT_CLOSE = ("np", "ok, bye", "ok")
CURT_CONFUSED = ("Just do what I said above.", "{Minimise}.")

TECH_FIRST = (
    "{Jargon}. {Fix}, and {eta}.",
    "{Jargon}. {Fix}; {eta}.",
    "Thanks for the details. {Jargon}. {Fix}, and {eta}. Can you retry and confirm it works?",
    "Checked your account: {jargon}. {Fix}, and {eta}.",
)
TECH_CONFUSED = (
    "Sorry, that was technical. In short: {fix_lc}, and {eta}.",
    "In plain terms: {fix_lc}, and {eta}.",
)
TECH_CLOSE = (
    "You're welcome.",
    "No problem. Closing this ticket now.",
    "Great, glad it's working.",
)
TECH_UPSET = ("Understood. {Fix}, and {eta}.", "Noted. {Jargon}. {Fix}, and {eta}.")
TECH_NUDGE = ("{Eta}.",)
CHECK_TIMES = (
    "tomorrow morning",
    "on {eta_day}",
    "before 5pm today",
    "first thing tomorrow",
    "later today",
)


# --- filling templates ----------------------------------------------------------------------------


def fill(template: str, slots: Mapping[str, str]) -> str:
    """Fill the slots, then the slots inside what was filled in (a fragment may hold {amount})."""
    text = template
    for _ in range(4):
        if "{" not in text:
            break
        text = text.format_map(slots)
    return re.sub(r" {2,}", " ", text).strip()


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def lc(text: str) -> str:
    if re.match(r"I\b|[A-Z]{2}", text):
        return text
    return text[:1].lower() + text[1:]


def weekday(day: date) -> str:
    return day.strftime("%A")


def add_working_days(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def long_date(day: date, region: str) -> str:
    return (
        f"{day.strftime('%B')} {day.day}" if region == "us" else f"{day.day} {day.strftime('%B')}"
    )


def ordinal_date(day: date, region: str) -> str:
    suffix = (
        "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    )
    if region == "us":
        return f"{day.strftime('%B')} {day.day}{suffix}"
    return f"{day.day}{suffix} of {day.strftime('%B')}"


def money(value: float, region: str) -> str:
    symbol = "$" if region == "us" else "£"
    return f"{symbol}{value:,.2f}"


# --- one conversation -------------------------------------------------------------------------------


@dataclass
class Said:
    """What an agent's reply did, as far as the customer's reaction goes."""

    quality: str  # good, mid, bad, close
    asked: QA | None = None
    blamed: bool = False
    tone: bool = False
    jargon: bool = False
    refused: bool = False  # a policy or "nothing I can do" with no way forward
    timed: bool = False  # says when (filled in by Conversation.reply)


@dataclass
class Planned:
    start: datetime
    team: str
    agent: Agent
    scenario: Scenario
    channel: str
    number: int = 0
    customer: Customer | None = None
    previous_ticket: int | None = None
    previous_date: date | None = None
    leak: str | None = None  # the kind of personal data the customer volunteers up front
    style: str | None = None  # how the assigned agent writes in this one (changing agents)


@dataclass
class Message:
    role: str
    author: str
    text: str
    at: datetime
    agent: Agent | None = None
    stage: str = ""  # for an agent's reply: what it answers (first, answer, thanks, ...)


@dataclass
class Built:
    plan: Planned
    emotion: str
    intensity: str
    styles: dict[str, str]
    messages: list[Message]
    csat: int | None
    resolved: bool | None


class Conversation:
    """Writes one conversation: the opening, then agent replies and customer reactions in turn."""

    def __init__(self, rng: random.Random, plan: Planned) -> None:
        self.rng = rng
        self.plan = plan
        self.sc = plan.scenario
        assert plan.customer is not None
        self.customer = plan.customer
        self.chat = plan.channel == "chat"
        emotions = list(self.sc.emotions)
        self.emotion = rng.choices(emotions, [self.sc.emotions[e] for e in emotions])[0]
        levels = {"frustrated": (4, 4, 2), "anxious": (3, 5, 2)}.get(self.emotion)
        self.intensity = rng.choices(("high", "mid", "low"), levels)[0] if levels else "mid"
        self.styles: dict[str, str] = {}
        self.overshared = False
        self.asked: QA | None = None
        self.answer_index = 0
        self.said_before: set[str] = set()
        self.greetings: dict[str, str] = {}
        self.slots = self._slots()

    # slots ------------------------------------------------------------------------------------

    def _slots(self) -> dict[str, str]:
        rng, c, sc = self.rng, self.customer, self.sc
        today = self.plan.start.date()
        price = rng.choice(sc.prices)
        past = rng.randint(2, 6)
        slots = {
            "name": c.first,
            "first": c.first,
            "full": c.full,
            "email": c.email,
            "phone": c.phone,
            "address": c.address,
            "card": c.card,
            "iban": c.iban,
            "agent": self.plan.agent.name,
            "team": self.plan.team,
            "order": str(rng.randint(40000, 59999)),
            "ticket": str(self.plan.previous_ticket or self.plan.number - rng.randint(40, 900)),
            "ticket_now": str(self.plan.number),
            "amount": money(price, c.region),
            "amount2": money(round(price * rng.choice((1.5, 2, 3)), 2), c.region),
            "day_past": weekday(today - timedelta(days=past)),
            "date_past": long_date(
                self.plan.previous_date or today - timedelta(days=rng.randint(9, 24)), c.region
            ),
            "date_future": ordinal_date(today + timedelta(days=rng.randint(8, 30)), c.region),
            "eta_day": weekday(add_working_days(today, rng.randint(2, 3))),
            "event_day": weekday(
                today + timedelta(days=rng.choice([d for d in range(2, 6) if d + past != 7]))
            ),
            "mins": str(rng.randint(2, 6)),
        }
        for name, options in sc.vars.items():
            slots.update(zip(name.split(","), rng.choice(options).split("|"), strict=True))
        slots["check"] = fill(rng.choice(CHECK_TIMES), slots)
        slots["follow"] = fill(rng.choice(STRONG_FOLLOW), slots)
        # The agent-side fragments are chosen once, so the replies of a conversation agree.
        chosen = {
            name: rng.choice(getattr(sc, name)) if getattr(sc, name) else "" for name in FRAGMENTS
        }
        self.case = ""
        if sc.cases:
            usable = [c for c in sc.cases if "{iban}" not in c[0] or self.customer.region == "uk"]
            self.case, chosen["fix"], chosen["eta"] = rng.choice(usable)
        elif "|" in chosen["fix"]:
            chosen["fix"], chosen["eta"] = chosen["fix"].split("|")
        for name, template in chosen.items():
            # the agent's words: "a gift for my mum" becomes "a gift for your mum"
            text = re.sub(r"\bmy\b", "your", fill(template, slots))
            slots[name] = text
            slots[name.upper() if name == "np" else cap(name)] = cap(text)
        slots["fix_lc"] = lc(slots["fix"])
        return slots

    def pick(self, pool: Sequence[str], **extra: str) -> str:
        usable = [p for p in pool if "{iban}" not in p or self.customer.region == "uk"] or list(
            pool
        )
        template = self.rng.choice(usable)
        return fill(template, {**self.slots, **extra})

    # the customer ----------------------------------------------------------------------------

    def _part(self, name: str) -> str:
        sc = self.sc
        if self.case and name in "ICR":
            return fill(self.case, self.slots)
        pools: dict[str, tuple[str, ...]] = {
            "I": sc.issue or sc.confusion or sc.request,
            "D": sc.detail,
            "S": sc.stake or ("I really need this sorted quickly.",),
            "L": sc.letdown or ("I expected better.",),
            "C": sc.confusion
            or tuple(i + " I don't understand what's happened." for i in sc.issue),
            "R": sc.request or tuple(f"Could you {a}?" for a in sc.ask),
            "P": sc.praise or ("Thanks for your help last time.",),
        }
        pool = pools[name]
        return self.pick(pool) if pool else ""

    def opening(self) -> list[str]:
        texts = self._opening()
        if any(
            marker in text for text in texts for marker in (self.customer.card, self.customer.iban)
        ):
            self.overshared = True
        return texts

    def _opening(self) -> list[str]:
        parts = {name: self._part(name) for name in "IDSLCRP"}
        parts.update({f"{name}_lc": lc(value) for name, value in parts.items()})
        leak = self.pick(LEAKS[self.plan.leak]) if self.plan.leak else ""
        emo, inten = self.emotion, self.intensity
        if self.chat:
            frames = CHAT_FRAMES.get((emo, inten)) or CHAT_FRAMES[(emo, "mid")]
            text = fill(self.rng.choice(frames).format_map(parts), {})
            if leak:
                text += " " + leak
            sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
            if emo in ("frustrated", "anxious") and len(sentences) > 1 and self.rng.random() < 0.4:
                cut = self.rng.randint(1, len(sentences) - 1)
                return [
                    self.rough(" ".join(sentences[:cut])),
                    self.rough(" ".join(sentences[cut:])),
                ]
            return [self.rough(text)]
        return [self.email_opening(parts, leak)]

    def email_opening(self, parts: Mapping[str, str], leak: str) -> str:
        rng, emo = self.rng, self.emotion
        paragraphs = []
        if emo == "confused":
            paragraphs.append(parts["C"] + " " + parts["D"] if rng.random() < 0.3 else parts["C"])
            paragraphs.append(
                rng.choice(
                    (
                        "I'd be grateful if someone could explain.",
                        "Could you help?",
                        "Any help appreciated.",
                    )
                )
            )
        elif emo == "neutral":
            paragraphs.append(parts["R"])
        elif emo == "satisfied":
            paragraphs.append(parts["P"] + " " + parts["R"])
        else:
            issue = parts["I"] if parts["I"][-1:] in ".!?" else parts["I"] + "."
            paragraphs.append(f"{issue} {parts['D']}")
            feeling = EMAIL_FEELING.get((emo, self.intensity)) or EMAIL_FEELING[(emo, "mid")]
            ask = self.pick(EMAIL_ASK, ask=self.pick(self.sc.ask)) if self.sc.ask else ""
            paragraphs.append(fill(rng.choice(feeling).format_map(parts), {}) + " " + ask)
        if leak:
            paragraphs.append(cap(leak))
        greet = rng.choice(EMAIL_GREET) + "\n\n" if rng.random() < 0.85 else ""
        if rng.random() < 0.35 and not leak:
            signature = self.pick(EMAIL_SIGNATURE_PII)
        else:
            signature = rng.choice(
                (self.customer.first, self.customer.full, self.customer.first[0])
            )
        # an angry customer rarely signs off with thanks
        valedictions = EMAIL_SIGN_CROSS if emo == "frustrated" else EMAIL_SIGN
        sign = rng.choice(valedictions) + "\n" + signature if rng.random() < 0.9 else signature
        body = "\n\n".join(fill(p, {}) for p in paragraphs if p.strip())
        return f"{greet}{body}\n\n{sign}"

    def follow_up(self, kind: str) -> str:
        for _ in range(6):  # nobody sends the very same message twice in one conversation
            text = self.pick(FOLLOW[kind])
            if text not in self.said_before:
                break
        self.said_before.add(text)
        if self.chat:
            return self.rough(text)
        if self.rng.random() < 0.6:
            return f"Hi {self.slots['agent']},\n\n{text}\n\n{self.customer.first}"
        return f"{text}\n\n{self.customer.first}"

    def rough(self, text: str) -> str:
        """Now and then, type like people do in a chat box."""
        rng = self.rng
        if rng.random() > 0.32:
            return text
        protected = (
            self.customer.card,
            self.customer.iban,
            self.customer.email,
            self.customer.address,
        )
        if any(p in text for p in protected):
            return text
        for right, wrong in MISSPELLINGS.items():
            if right in text and rng.random() < 0.5:
                text = text.replace(right, wrong, 1)
                break
        if rng.random() < 0.5:
            for full, short in CONTRACTIONS.items():
                text = text.replace(full, short)
        shouting = len(re.findall(r"\b[A-Z]{2,}\b", text)) >= 2
        if not shouting and rng.random() < 0.35:
            text = text.lower()
        if text.endswith(".") and rng.random() < 0.6:
            text = text[:-1]
        return text

    # the agents ----------------------------------------------------------------------------------

    def style_of(self, agent: Agent) -> str:
        if agent.key not in self.styles:
            if agent is self.plan.agent and self.plan.style:
                style = self.plan.style
            else:
                style = {
                    "excellent": "strong",
                    "solid": "solid",
                    "scripted": "scripted",
                    "blaming": "blaming",
                    "technical": "technical",
                    "improving": "solid",
                    "declining": "solid",
                }[agent.habit]
            self.styles[agent.key] = style
        return self.styles[agent.key]

    def reply(self, agent: Agent, stage: str) -> tuple[str, Said]:
        style = self.style_of(agent)
        extra = {"agent": agent.name}
        for _ in range(6):  # an agent doesn't send the very same reply twice in a row
            paragraphs, said = COMPOSERS[style](self, stage, extra)
            text_paragraphs = [
                " ".join(self.pick((s,), **extra) for s in p if s) for p in paragraphs
            ]
            text_paragraphs = [p for p in text_paragraphs if p]
            if " ".join(text_paragraphs) not in self.said_before:
                break
        self.said_before.add(" ".join(text_paragraphs))
        said.timed = (
            bool(self.slots["eta"])
            and self.slots["eta"].lower() in " ".join(text_paragraphs).lower()
        )
        first_reply = stage in ("first", "takeover")
        if self.chat:
            greeting = ""
            if first_reply and stage != "takeover":
                greeting = self.pick(CHAT_GREETING[style], **extra)
            text = " ".join(([greeting] if greeting else []) + text_paragraphs)
            if style == "curt":
                text = self.rough(text)
            return text, said
        # an agent opens their e-mails the same way throughout a conversation
        if agent.key not in self.greetings:
            self.greetings[agent.key] = self.pick(EMAIL_GREETING[style], **extra)
        greeting = self.greetings[agent.key]
        if stage == "takeover":
            greeting = ""
            text_paragraphs[0] = re.sub(r"^Hi \w+, ", "", text_paragraphs[0])
            greeting = f"Hi {self.customer.first},"
        body = "\n\n".join(text_paragraphs)
        return f"{greeting}\n\n{body}\n\n{agent.signoff}", said


CHAT_GREETING = {
    "strong": (
        "Hi {name}, {agent} here.",
        "Hi {name}, it's {agent} from {team}.",
        "Hi {name}.",
        "Hello {name}!",
    ),
    "solid": ("Hi {name}!", "Hi {name}, thanks for waiting.", "Hello {name}."),
    "scripted": ("Hello {name}.",),
    "blaming": ("Hi.", "Hello.", ""),
    "vague": ("", "Hi."),
    "curt": ("",),
    "technical": ("Hi {name}.", ""),
}
EMAIL_GREETING = {
    "strong": ("Hi {name},", "Dear {name},", "Hello {name},"),
    "solid": ("Hi {name},", "Hello {name},"),
    "scripted": ("Dear {name},",),
    "blaming": ("Hi {name},", "Hello,"),
    "vague": ("Hi,", "Hello,"),
    "curt": ("Hi,", "Hi {name},"),
    "technical": ("Hi {name},",),
}

# --- composing replies, habit by habit --------------------------------------------------------------
#
# A composer returns paragraphs of templates (filled by Conversation.reply) and what the reply did.

Paragraphs = list[list[str]]
FRAGMENTS = ("np", "fix", "eta", "vague", "blame", "policy", "minimise", "jargon", "deflect")
UPSET = ("escalate", "pushback", "tone")


def _followup(
    c: Conversation,
    stage: str,
    extra: dict[str, str],
    table: Mapping[str, tuple[tuple[str, ...], str]],
) -> tuple[Paragraphs, Said]:
    key = "upset" if stage in UPSET else stage
    if key not in table:
        key = {"thanks_sorry": "thanks", "worried": "nudge"}.get(key, "nudge")
    pool, quality = table[key]
    if stage == "answer" and c.asked is not None:
        after = c.asked.after
        # one follow-up per answer when the scenario pairs them, else any
        extra["after"] = (
            after[c.answer_index] if len(after) == len(c.asked.answers) else c.rng.choice(after)
        )
        if "I'll" in extra["after"]:
            extra["follow"] = ""  # it already says what happens next
    extra["warm"] = (
        c.rng.choice(STRONG_WARM) if c.emotion in NEGATIVE and table is STRONG_TABLE else ""
    )
    extra.setdefault("after", "{Eta}.")
    sentence = c.rng.choice(pool)
    said = Said(quality)
    said.tone = bool(re.search(r"calm down|no need to|Shouting won't", sentence))
    said.blamed = bool(
        re.search(r"As I said|As I explained|Blame|If you had|already (told|explained)", sentence)
    )
    said.jargon = "Jargon" in sentence
    return [[sentence]], said


def _ask(c: Conversation, chance: float) -> QA | None:
    """A question for the customer, now and then (not for card details they have just sent)."""
    questions = [q for q in c.sc.qa if not (c.overshared and "card" in q.question)]
    return c.rng.choice(questions) if questions and c.rng.random() < chance else None


def compose_strong(c: Conversation, stage: str, extra: dict[str, str]) -> tuple[Paragraphs, Said]:
    rng, emo = c.rng, c.emotion
    if stage != "first":
        return _followup(c, stage, extra, STRONG_TABLE)
    opening: list[str] = []
    if emo in NEGATIVE:
        opening.append(rng.choice(STRONG_ACK[emo]))
        if emo != "confused" and rng.random() < 0.75:
            opening.append(rng.choice(STRONG_OWN))
    else:
        opening.append(rng.choice(STRONG_PRAISE if emo == "satisfied" else STRONG_ROUTINE_OPEN))
    action = [rng.choice(STRONG_ACTION)]
    if emo in NEGATIVE and rng.random() < 0.5:
        action.append(rng.choice(STRONG_FOLLOW))
    if c.overshared:
        action.append(rng.choice(PRIVACY_NOTE))
    asked = _ask(c, 0.9 if emo in NEGATIVE else 0.6)
    return [opening, action, [asked.question] if asked else []], Said("good", asked=asked)


def compose_solid(c: Conversation, stage: str, extra: dict[str, str]) -> tuple[Paragraphs, Said]:
    rng, emo = c.rng, c.emotion
    if stage != "first":
        return _followup(c, stage, extra, SOLID_TABLE)
    if emo == "confused":
        opening = [rng.choice(SOLID_ACK[emo])]
    elif emo in NEGATIVE:
        opening = [rng.choice(SOLID_SORRY)]
        if rng.random() < 0.55:
            opening.append(rng.choice(SOLID_ACK[emo]))
    else:
        opening = [rng.choice(SOLID_ROUTINE)]
    action = ["{Fix}, and {eta}."]
    if c.overshared:
        action.append(rng.choice(PRIVACY_NOTE))
    asked = _ask(c, 0.3)
    return [opening, action, [asked.question] if asked else []], Said("good", asked=asked)


def compose_scripted(
    c: Conversation, stage: str, _extra: dict[str, str]
) -> tuple[Paragraphs, Said]:
    close = SCRIPT_CLOSE_CHAT if c.chat else SCRIPT_CLOSE_EMAIL
    opener = SCRIPT_OPEN if c.rng.random() < 0.85 else SCRIPT_OPEN_ALT
    if stage == "first":
        return [[opener], ["{Fix}, and {eta}."], [close]], Said("mid")
    if stage in ("thanks", "thanks_sorry"):
        return [[SCRIPT_THANKS], [close]], Said("close")
    if stage == "answer":
        return [["Thank you for the information, {name}.", "{Fix}, and {eta}."], [close]], Said(
            "mid"
        )
    if stage in UPSET:
        return [[SCRIPT_FOLLOW, SCRIPT_ESCALATED], [close]], Said("mid")
    return [[SCRIPT_FOLLOW, "{Eta}."], [close]], Said("mid")


def compose_blaming(c: Conversation, stage: str, extra: dict[str, str]) -> tuple[Paragraphs, Said]:
    rng = c.rng
    if stage != "first":
        return _followup(c, stage, extra, BLAME_TABLE)
    if c.emotion not in NEGATIVE:
        return [[rng.choice(BLAME_ROUTINE)]], Said("mid")
    combo = rng.choice(
        (
            (BLAME_OPEN, BLAME_POLICY),
            (BLAME_MINIMISE, ("I've raised it with the team.", "I've passed it on.")),
            (BLAME_POLICY, ("That's just how it works.", "Sorry.")),
            (BLAME_OPEN, BLAME_MINIMISE),
            (BLAME_OPEN,),
        )
    )
    sentences = [rng.choice(pool) for pool in combo]
    return [sentences], Said("bad", blamed=combo[0] is BLAME_OPEN, refused=BLAME_POLICY in combo)


def compose_vague(c: Conversation, stage: str, extra: dict[str, str]) -> tuple[Paragraphs, Said]:
    rng = c.rng
    if stage != "first":
        return _followup(c, stage, extra, VAGUE_TABLE)
    if c.emotion not in NEGATIVE:
        return [[rng.choice(("{Fix}.", "Ok, {vague}.", "Thanks for contacting us. {Fix}."))]], Said(
            "mid"
        )
    pool = VAGUE_DEFLECT if c.slots["deflect"] and rng.random() < 0.45 else VAGUE_FIRST
    sentence = rng.choice(pool)
    return [[sentence]], Said("bad", refused="Policy" in sentence)


def compose_curt(c: Conversation, stage: str, extra: dict[str, str]) -> tuple[Paragraphs, Said]:
    rng = c.rng
    if stage != "first":
        return _followup(c, stage, extra, CURT_TABLE)
    if c.emotion not in NEGATIVE:
        return [[rng.choice(("{Fix}.", "done. {Eta}"))]], Said("mid")
    return [[rng.choice(CURT_FIRST)]], Said("bad")


def compose_technical(
    c: Conversation, stage: str, extra: dict[str, str]
) -> tuple[Paragraphs, Said]:
    rng = c.rng
    if stage != "first":
        return _followup(c, stage, extra, TECH_TABLE)
    if c.emotion not in NEGATIVE:
        return [[rng.choice(("{Fix}, and {eta}.", "Sure. {Fix}; {eta}."))]], Said("good")
    sentences = [rng.choice(TECH_FIRST)]
    if rng.random() < 0.25:
        sentences.insert(0, "Sorry for the hassle.")
    asked = _ask(c, 0.25)
    paragraphs = [sentences, [asked.question] if asked else []]
    return paragraphs, Said("mid", asked=asked, jargon=True)


STRONG_TABLE = {
    "answer": (STRONG_AFTER_ANSWER, "good"),
    "thanks": (STRONG_CLOSE, "close"),
    "thanks_sorry": (STRONG_CLOSE_SORRY, "close"),
    "upset": (STRONG_UPSET, "good"),
    "worried": (STRONG_WORRIED, "good"),
    "confused": (STRONG_CONFUSED, "good"),
    "nudge": (STRONG_NUDGE, "good"),
    "resigned": (STRONG_RESIGNED, "good"),
    "takeover": (TAKEOVER, "good"),
}
SOLID_TABLE = {
    "answer": (("{after}",), "good"),
    "thanks": (SOLID_CLOSE, "close"),
    "upset": (SOLID_UPSET, "good"),
    "worried": (SOLID_WORRIED, "good"),
    "confused": (SOLID_CONFUSED, "good"),
    "nudge": (SOLID_NUDGE, "good"),
    "resigned": (("Sorry again, {name}. {Eta}.",), "close"),
}
BLAME_TABLE = {
    "answer": (("Ok. {Fix}.",), "mid"),
    "thanks": (BLAME_CLOSE, "close"),
    "upset": (BLAME_UPSET, "bad"),
    "nudge": (BLAME_NUDGE, "bad"),
    "confused": (("{Minimise}.", "As I said, {policy}."), "bad"),
    "resigned": (("Ok.",), "close"),
}
VAGUE_TABLE = {
    "answer": (VAGUE_ANSWER, "bad"),
    "thanks": (VAGUE_CLOSE, "close"),
    "upset": (VAGUE_UPSET, "bad"),
    "nudge": (VAGUE_NUDGE, "bad"),
    "confused": (("{Vague}.",), "bad"),
    "resigned": (("Sorry about that.",), "close"),
}
CURT_TABLE = {
    "answer": (("ok. {Vague}.",), "bad"),
    "thanks": (CURT_CLOSE, "close"),
    "upset": (CURT_UPSET, "bad"),
    "nudge": (CURT_NUDGE, "bad"),
    "confused": (CURT_CONFUSED, "bad"),
    "resigned": (("ok",), "close"),
}
TECH_TABLE = {
    "answer": (("{after}",), "good"),
    "thanks": (TECH_CLOSE, "close"),
    "upset": (TECH_UPSET, "mid"),
    "nudge": (TECH_NUDGE, "mid"),
    "confused": (TECH_CONFUSED, "good"),
    "resigned": (("{Eta}.",), "close"),
}
COMPOSERS = {
    "strong": compose_strong,
    "solid": compose_solid,
    "scripted": compose_scripted,
    "blaming": compose_blaming,
    "vague": compose_vague,
    "curt": compose_curt,
    "technical": compose_technical,
}


def react(c: Conversation, said: Said) -> str | None:
    """How the customer answers a reply (None: they don't)."""
    r = c.rng.random()
    if said.quality == "close":
        return "final" if r < 0.2 else None
    if said.tone:
        return "tone" if r < 0.75 else "resigned"
    if said.blamed:
        return "pushback" if r < 0.55 else "escalate" if r < 0.8 else "resigned"
    if said.refused:
        return "escalate" if r < 0.55 else "resigned" if r < 0.8 else None
    if said.quality == "good":
        if said.asked:
            return "answer" if r < 0.85 else "thanks"
        if r < 0.6:
            return "thanks"
        if r < 0.75 and c.emotion == "anxious":
            return "worried"
        return None
    if said.quality == "mid":
        if said.jargon and r < 0.45:
            return "confused"
        if r < 0.38:
            return "thanks"
        if r < 0.6:
            return (
                "worried"
                if said.timed and c.emotion == "anxious"
                else "thanks"
                if said.timed
                else "nudge"
            )
        if r < 0.72:
            return {"anxious": "worried", "confused": "confused"}.get(c.emotion, "nudge")
        return None
    if r < (0.5 if c.emotion == "frustrated" else 0.3):
        return "escalate"
    if r < 0.65:
        return "resigned" if said.timed else "nudge"
    if r < 0.85:
        return "resigned"
    return None


def build(rng: random.Random, plan: Planned) -> Built:
    c = Conversation(rng, plan)
    customer = c.customer
    author = customer.id or f"visitor-{rng.randint(10000, 99999)}"
    messages: list[Message] = []
    at = plan.start

    def later(low: float, high: float) -> datetime:
        return at + timedelta(seconds=int(rng.uniform(low, high)))

    bot = c.chat and rng.random() < 0.45
    if bot:
        messages.append(Message("bot", BOT_ID, rng.choice(BOT_GREETING), at))
        at = later(15, 90)
    for i, text in enumerate(c.opening()):
        if i:
            at = later(8, 50)
        messages.append(Message("customer", author, text, at))
    if c.chat and rng.random() < (0.6 if bot else 0.15):
        at = later(2, 6)
        messages.append(Message("bot", BOT_ID, c.pick(BOT_HANDOFF), at))
    elif not c.chat and rng.random() < 0.25:
        at = later(30, 120)
        messages.append(Message("bot", BOT_ID, c.pick(BOT_EMAIL_ACK), at))

    agent, stage = plan.agent, "first"
    customer_turns = sum(m.role == "customer" for m in messages)
    agent_turns, kind = 0, None
    while True:
        at = later(45, 420) if c.chat else office_hours(rng, later(1800, 26 * 3600))
        text, said = c.reply(agent, stage)
        messages.append(Message("agent", agent.id, text, at, agent, stage))
        agent_turns += 1
        c.asked = said.asked
        if customer_turns >= 4:
            kind = None
            break
        kind = react(c, said)
        if kind is None:
            break
        if kind == "thanks" and c.intensity == "high" and rng.random() < 0.5:
            kind = "thanks_sorry"  # "sorry for shouting earlier"
        if kind == "answer" and said.asked is not None:
            usable = [a for a in said.asked.answers if "{iban}" not in a or customer.region == "uk"]
            answer = rng.choice(usable)
            c.answer_index = said.asked.answers.index(answer)
            reply = c.pick((answer,))
            if customer.card in reply or customer.iban in reply:
                c.overshared = True
            reply = c.rough(reply) if c.chat else f"{reply}\n\n{customer.first}"
        else:
            reply = c.follow_up(kind)
        at = later(20, 300) if c.chat else awake(rng, later(900, 20 * 3600))
        messages.append(Message("customer", author, reply, at))
        customer_turns += 1
        if agent_turns >= 4 or kind == "final":
            break
        if kind in ("thanks", "thanks_sorry") and rng.random() > 0.55:
            break
        if kind == "resigned" and rng.random() > 0.45:
            break
        stage = kind
        if agent.habit == "blaming" and kind in ("escalate", "tone") and rng.random() < 0.6:
            agent, stage = AGENTS["nadia"], "takeover"
            c.slots["agent"] = agent.name
    ending = kind or ("good" if messages[-1].role == "agent" else "mid")
    outcome = {
        "thanks": "good",
        "thanks_sorry": "good",
        "final": "good",
        "answer": "good",
        "escalate": "bad",
        "tone": "bad",
        "pushback": "bad",
        "resigned": "bad",
    }.get(ending, "mid")
    if messages[-1].role == "agent" and kind is None:
        outcome = {"good": "good", "close": "good", "mid": "mid", "bad": "bad"}[said.quality]
    csat = None
    if rng.random() < 0.42:
        csat = {
            "good": rng.choice((4, 5, 5)),
            "mid": rng.choice((2, 3, 3, 4)),
            "bad": rng.choice((1, 1, 2)),
        }[outcome]
    resolved = None
    if rng.random() < 0.6:
        resolved = {"good": True, "mid": rng.random() < 0.5, "bad": rng.random() < 0.2}[outcome]
    return Built(plan, c.emotion, c.intensity, dict(c.styles), messages, csat, resolved)


def office_hours(rng: random.Random, at: datetime) -> datetime:
    """The e-mail desk answers between 8am and 7pm."""
    if at.hour >= 19:
        at += timedelta(days=1)
    if at.hour >= 19 or at.hour < 8:
        at = at.replace(hour=rng.randint(8, 10), minute=rng.randint(0, 59))
    return at


def awake(rng: random.Random, at: datetime) -> datetime:
    """Few customers write between midnight and 7am."""
    if at.hour < 7 and rng.random() < 0.8:
        at = at.replace(hour=rng.randint(7, 9), minute=rng.randint(0, 59))
    return at


# --- the eight weeks ------------------------------------------------------------------------------

DAY_WEIGHTS = (1.35, 1.2, 1.1, 1.0, 1.0, 0.45, 0.35)  # Monday .. Sunday


def routine(scenario: Scenario) -> bool:
    """A routine ask (mostly calm customers) rather than a problem."""
    calm = sum(w for e, w in scenario.emotions.items() if e in ("neutral", "satisfied"))
    return calm * 2 >= sum(scenario.emotions.values())


def plan_all(rng: random.Random) -> list[Planned]:
    plans: list[Planned] = []
    # Each agent gets routine asks at the team's rate, spread evenly over the weeks, so that an
    # agent's weekly figures are not swayed by a week of easy tickets.
    routine_due: dict[str, float] = defaultdict(lambda: 0.5)
    for week in range(WEEKS):
        days = [START + timedelta(days=7 * week + d) for d in range(7)]
        for team in TEAMS:
            count = PER_TEAM_WEEK[week]
            # who takes them: the changing agents take a bigger share, so their weeks are fuller
            agents = [a for a in TEAM_AGENTS[team] for _ in range(3 if a.habit in CHANGING else 2)]
            rng.shuffle(agents)
            scenarios = [s for s in SCENARIOS if s.team == team]
            share = sum(s.weight for s in scenarios if routine(s)) / sum(
                s.weight for s in scenarios
            )
            for i in range(count):
                agent = agents[i % len(agents)]
                routine_due[agent.key] += share
                easy = routine_due[agent.key] >= 1
                routine_due[agent.key] -= easy
                group = [s for s in scenarios if routine(s) == easy]
                day = rng.choices(days, DAY_WEIGHTS)[0]
                scenario = rng.choices(group, [s.weight for s in group])[0]
                plans.append(_planned(rng, day, team, agent, scenario))
    # The Tech Support outage: a burst of chats on one morning.
    tech = TEAM_AGENTS[TECH]
    for i in range(5):
        plan = _planned(
            rng, OUTAGE_DAY, TECH, tech[i % 2], SCENARIO_BY_KEY["outage"], channel="chat"
        )
        plan.start = datetime.combine(OUTAGE_DAY, datetime.min.time()) + timedelta(
            hours=9, minutes=rng.randint(0, 150)
        )
        plans.append(plan)
    plans.sort(key=lambda p: p.start)
    number = 214_300
    for plan in plans:
        number += rng.randint(3, 40)  # the export holds a sample of the desk's tickets
        plan.number = number
    # The improving and declining agents: skill moves linearly over the eight weeks; a
    # low-discrepancy dither (not random noise) spreads the levels evenly within each week.
    for agent in AGENTS.values():
        if agent.habit in CHANGING:
            mine = [p for p in plans if p.agent is agent]
            for k, plan in enumerate(mine):
                t = ((plan.start.date() - START).days + plan.start.hour / 24) / (WEEKS * 7)
                skill = (t if agent.habit == "improving" else 1 - t) + (
                    (k * 0.618034) % 1 - 0.5
                ) * 0.3
                plan.style = (
                    CHANGING[agent.habit] if skill < 0.36 else "solid" if skill < 0.66 else "strong"
                )
    return plans


def _planned(
    rng: random.Random,
    day: date,
    team: str,
    agent: Agent,
    scenario: Scenario,
    channel: str | None = None,
) -> Planned:
    if channel is None:
        email_share = (
            0.6 if scenario.repeat or scenario.key in ("invoice_request", "refund_delay") else 0.35
        )
        channel = "email" if rng.random() < email_share else "chat"
    if channel == "chat":
        hour = rng.choices(range(8, 22), (3, 5, 6, 6, 5, 5, 5, 5, 4, 4, 3, 3, 2, 2))[0]
    else:
        hour = rng.choices(range(6, 24), (1, 2, 4, 5, 5, 4, 4, 4, 4, 3, 3, 3, 2, 3, 3, 3, 2, 1))[0]
    if channel == "email" and day >= date(2026, 10, 30):
        day -= timedelta(days=3)  # room for the replies before the export ends
    start = datetime.combine(day, datetime.min.time()) + timedelta(
        hours=hour, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
    )
    return Planned(start, team, agent, scenario, channel)


def assign_customers(rng: random.Random, plans: Sequence[Planned]) -> None:
    seen: dict[str, list[Planned]] = defaultdict(list)
    taken = {a.name for a in AGENTS.values()}
    next_id = 104_212
    for plan in plans:
        earlier = seen[plan.team]
        if plan.scenario.repeat and earlier:
            # the earlier ticket this one follows up: a few days to three weeks before
            window = [p for p in earlier if 3 <= (plan.start - p.start).days <= 21] or earlier[-5:]
            before = rng.choice(window)
            plan.customer, plan.previous_ticket = before.customer, before.number
            plan.previous_date = before.start.date()
        elif earlier and rng.random() < 0.05:
            plan.customer = rng.choice(earlier).customer  # a returning customer, new issue
        else:
            next_id += rng.randint(1, 400)
            plan.customer = make_customer(rng, next_id, taken)
            if plan.channel == "chat" and rng.random() < 0.12:
                plan.customer.id = None  # a visitor who never signed in
        seen[plan.team].append(plan)
        plan.leak = _leak(rng, plan)


def _leak(rng: random.Random, plan: Planned) -> str | None:
    """Some customers volunteer personal data in their first message: cards and bank details
    about money, addresses about deliveries, e-mail addresses and phone numbers anywhere."""
    assert plan.customer is not None
    r = rng.random()
    if plan.scenario.key in MONEY_SCENARIOS and r < 0.25:
        refund = plan.scenario.key != "unknown_charge"
        return "iban" if refund and plan.customer.region == "uk" and r < 0.15 else "card"
    if plan.scenario.key in DELIVERY_SCENARIOS and r < 0.3:
        return "address" if r < 0.16 else None
    if r < 0.38:
        return "email" if r < 0.3 else "phone"
    return None


def generate() -> list[Built]:
    rng = random.Random(SEED)
    plans = plan_all(rng)
    assign_customers(rng, plans)
    built = [build(rng, plan) for plan in plans]
    for b in built:  # keep every message inside the eight weeks
        overflow = max(m.at for m in b.messages) - (END - timedelta(seconds=1))
        if overflow > timedelta(0):
            shift = timedelta(days=overflow.days + 1)
            for m in b.messages:
                m.at -= shift
    return built


def rows(built: Iterable[Built]) -> list[dict[str, Any]]:
    out = []
    for b in built:
        plan = b.plan
        conversation_id = f"HD-{plan.number}"
        for i, m in enumerate(b.messages, 1):
            row: dict[str, Any] = {
                "conversation_id": conversation_id,
                "message_id": f"{conversation_id}-{i}",
                "timestamp": m.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "author_id": m.author,
                "role": m.role,
            }
            if m.agent is not None:
                row["agent_name"] = m.agent.name
            elif m.role == "bot":
                row["agent_name"] = BOT_NAME
            row["team"] = plan.team
            row["channel"] = plan.channel
            if plan.customer is not None and plan.customer.id is not None:
                row["customer_id"] = plan.customer.id
            if b.csat is not None:
                row["csat"] = b.csat
            if b.resolved is not None:
                row["resolved"] = b.resolved
            row["text"] = m.text
            out.append(row)
    return out


def serialise(table: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in table)


# --- checking the result with heard itself ------------------------------------------------------------

PII_PATTERNS = {
    "e-mail address": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    "US phone": re.compile(r"(?:\+1 )?\(?\b\d{3}\)?[ -]555[ -]01\d\d\b"),
    "UK phone": re.compile(r"(?:\+44 |\b0)(?:20 7946|1[1-6]1 496|11[37] 496) 0\d{3}\b"),
    "card number": re.compile(r"\b(?:\d{4} ){3}\d{4}\b"),
    "IBAN": re.compile(r"\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){3,4}(?: [A-Z0-9]{1,4})?\b"),
    "street address": re.compile(
        r"\b\d{1,4} [A-Z][a-z']+(?: [A-Z][a-z']+)* (?:Close|Road|Terrace|Lane|Avenue|Street|Way|Parade|Gardens|Dr|Court|Blvd|Drive)\b"
    ),
}
KEEP_PATTERNS = {
    "order number": re.compile(r"\border (?:number )?#?\d{5}\b", re.IGNORECASE),
    "ticket number": re.compile(r"\bticket #?\d{6}\b", re.IGNORECASE),
    "amount": re.compile(r"[$£]\d[\d,]*\.\d\d"),
}


def luhn(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()][::-1]
    total = sum(
        d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
    )
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


@dataclass
class Item:
    agent: str
    team: str
    week: int
    style: str
    reply: str
    context: str
    conversation: str


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def _slope(points: Sequence[tuple[int, float]]) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = _mean(xs), _mean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def _sentence_key(sentence: str, names: Iterable[str]) -> str:
    for name in names:
        sentence = sentence.replace(name, "NAME")
    return re.sub(r"\d[\d,.]*", "#", sentence.strip().lower())


def check(built: Sequence[Built], text: str) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from heard.services.models import assessor

    assessor_ = assessor("fast")
    items: list[Item] = []
    for b in built:
        pending: list[str] = []
        week = (b.plan.start.date() - START).days // 7 + 1
        for m in b.messages:
            if m.role == "customer":
                pending.append(m.text)
            elif m.role == "agent" and m.agent is not None:
                items.append(
                    Item(
                        m.agent.name,
                        b.plan.team,
                        week,
                        b.styles[m.agent.key],
                        m.text,
                        "\n\n".join(pending),
                        f"HD-{b.plan.number}",
                    )
                )
                pending = []
    results = assessor_.assess_many([(i.reply, i.context) for i in items])
    failures: list[str] = []

    def expect(ok: bool, what: str) -> None:
        print(f"  [{'ok' if ok else 'FAIL'}] {what}")
        if not ok:
            failures.append(what)

    print(f"\nheard {assessor_.model_version}: {len(items)} agent replies assessed\n")
    header = "agent   team               habit       replies  mean  " + "  ".join(
        f"W{w}" for w in range(1, WEEKS + 1)
    )
    print(header)
    by_agent: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item, result in zip(items, results, strict=True):
        by_agent[item.agent].append((item.week, result.score))
    means: dict[str, float] = {}
    weekly: dict[str, dict[int, float]] = {}
    for agent in AGENTS.values():
        scores = by_agent[agent.name]
        means[agent.name] = _mean([s for _, s in scores])
        weekly[agent.name] = {
            w: _mean([s for wk, s in scores if wk == w]) for w in range(1, WEEKS + 1)
        }
        cells = "  ".join(
            f"{weekly[agent.name][w]:3.0f}"
            if weekly[agent.name][w] == weekly[agent.name][w]
            else "  -"
            for w in range(1, WEEKS + 1)
        )
        print(
            f"{agent.name:7} {agent.team:18} {agent.habit:10} {len(scores):8d} {means[agent.name]:5.1f}  {cells}"
        )
    print("\nteam               " + "  ".join(f"W{w}" for w in range(1, WEEKS + 1)))
    for team in TEAMS:
        cells = []
        for w in range(1, WEEKS + 1):
            values = [
                r.score
                for i, r in zip(items, results, strict=True)
                if i.team == team and i.week == w
            ]
            cells.append(f"{_mean(values):3.0f}")
        print(f"{team:18} " + "  ".join(cells))

    print("\ncommonest gaps and anti-patterns (share of the agent's replies)")
    for agent in AGENTS.values():
        codes: Counter[str] = Counter()
        mine = [r for i, r in zip(items, results, strict=True) if i.agent == agent.name]
        for r in mine:
            codes.update({f.code for f in r.findings if f.kind.value != "strength"})
        top = ", ".join(f"{code} {count / len(mine):.0%}" for code, count in codes.most_common(4))
        print(f"  {agent.name:7} {top}")

    print(
        "\nrepetition: share of the agent's replies that use a stock sentence (one found in at least"
    )
    print("a quarter of their replies), and their most repeated sentence")
    names = {b.plan.customer.first for b in built if b.plan.customer} | {
        a.name for a in AGENTS.values()
    }
    repeat_share: dict[str, float] = {}
    for agent in AGENTS.values():
        mine = [i.reply for i in items if i.agent == agent.name]
        keyed = [
            {_sentence_key(s, names) for s in re.split(r"(?<=[.!?])\s+|\n+", reply) if len(s) > 25}
            for reply in mine
        ]
        counts = Counter(key for keys in keyed for key in keys)
        stock = {key for key, n in counts.items() if n >= len(mine) / 4}
        repeat_share[agent.name] = sum(bool(keys & stock) for keys in keyed) / len(mine)
        sentence, count = counts.most_common(1)[0]
        print(
            f"  {agent.name:7} {repeat_share[agent.name]:4.0%}  ({count / len(mine):.0%}) {sentence[:80]!r}"
        )

    print("\ncustomers: intended opening emotion -> heard's reading of the first context")
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for item, result, b in _first_items(items, results, built):
        if item.conversation in seen:
            continue
        seen.add(item.conversation)
        confusion[b.emotion][result.customer.emotion.label] += 1
    for emotion in ("frustrated", "anxious", "disappointed", "confused", "satisfied", "neutral"):
        row = confusion[emotion]
        total = sum(row.values())
        print(
            f"  {emotion:12} n={total:3d}  "
            + ", ".join(f"{label} {n}" for label, n in row.most_common())
        )

    print("\nde-escalation (distress of the first and last customer message; delta 0.15)")
    customer_texts = [[m.text for m in b.messages if m.role == "customer"] for b in built]
    flat = [t for texts in customer_texts for t in texts]
    readings = iter(assessor_.detect_emotions(flat))
    shapes: dict[str, Counter[str]] = defaultdict(Counter)
    for b, texts in zip(built, customer_texts, strict=True):
        points = [next(readings) for _ in texts]
        distress = [p.intensity if p.label in NEGATIVE else 0.0 for p in points]
        if distress[-1] - distress[0] >= 0.15:
            shape = "escalated"
        elif distress[0] - distress[-1] >= 0.15:
            shape = "de-escalated"
        else:
            shape = "steady"
        shapes[b.plan.agent.name][shape] += 1
    for agent in AGENTS.values():
        row = shapes[agent.name]
        print(
            f"  {agent.name:7} "
            + ", ".join(f"{k} {row[k]}" for k in ("de-escalated", "steady", "escalated"))
        )

    print("\nplanted personal data in customer messages (all; and left after the importer strips")
    print("e-mail signatures), and details that must survive redaction")
    customer_text = "\n".join(flat)
    try:
        from heard.imports.cleaning import clean_text
    except ImportError:  # the importer is not there: count the raw text twice
        bodies_text = customer_text
    else:
        bodies_text = "\n".join(clean_text(t) for t in flat)
    for label, pattern in PII_PATTERNS.items():
        found = pattern.findall(customer_text)
        body = len(pattern.findall(bodies_text))
        print(f"  {label:15} {len(found):3d} {body:4d}  e.g. {found[0] if found else '-'}")
    cards = PII_PATTERNS["card number"].findall(customer_text)
    ibans = PII_PATTERNS["IBAN"].findall(customer_text)
    for label, pattern in KEEP_PATTERNS.items():
        print(f"  keep {label:10} {len(pattern.findall(text)):4d}")

    print("\nexpectations")
    expect(means["Nadia"] > 70, f"excellent Nadia averages above 70 ({means['Nadia']:.1f})")
    expect(means["Greg"] < 40, f"blaming Greg averages below 40 ({means['Greg']:.1f})")
    expect(means["Nadia"] - means["Greg"] > 35, "Nadia is clearly ahead of Greg")
    for name, sign in (("Marcus", 1), ("Leon", -1)):
        w = weekly[name]
        early, late = _mean([w[1], w[2]]), _mean([w[7], w[8]])
        slope = _slope([(k, v) for k, v in w.items() if v == v])
        rises = sum(1 for k in range(1, WEEKS) if sign * (w[k + 1] - w[k]) > 0)
        what = "rise" if sign > 0 else "fall"
        expect(
            sign * (late - early) > 25 and sign * slope > 3,
            f"{name}'s weekly means {what} (weeks 1-2 {early:.0f} -> 7-8 {late:.0f}, slope {slope:+.1f}/week, {rises}/7 steps)",
        )
    expect(
        repeat_share["Rosa"] >= 0.8,
        f"scripted Rosa repeats herself ({repeat_share['Rosa']:.0%} of replies share a sentence)",
    )
    others = max(v for k, v in repeat_share.items() if k != "Rosa")
    expect(
        others < repeat_share["Rosa"] - 0.3,
        f"nobody else is as scripted (next highest {others:.0%})",
    )
    expect(all(luhn(c) for c in cards) and bool(cards), f"card numbers pass Luhn ({len(cards)})")
    expect(all(iban_ok(i) for i in ibans) and bool(ibans), f"IBANs pass mod-97 ({len(ibans)})")
    expect(
        all(example in text for example in ("4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32")),
        "the textbook card number and IBAN are in the file (the demo's redaction test looks for them)",
    )
    size = len(text.encode("utf-8"))
    expect(size < 600_000, f"file under 600 KB ({size / 1000:.0f} KB)")
    bodies = [
        hashlib.sha256("\x00".join(m.text for m in b.messages).encode()).hexdigest() for b in built
    ]
    expect(len(set(bodies)) == len(bodies), "no two conversations are identical")
    problems = structure_problems(text)
    expect(
        not problems,
        "the file is well formed: "
        + ("; ".join(problems[:3]) if problems else "fields, order, turns and dates"),
    )
    return 1 if failures else 0


def structure_problems(text: str) -> list[str]:
    """What is wrong with the file as an import: fields, contiguity, order, turn counts, dates."""
    problems: list[str] = []
    seen: set[str] = set()
    current, previous_time = None, ""
    turns: Counter[tuple[str, str]] = Counter()
    required = ("conversation_id", "message_id", "timestamp", "author_id", "role", "text")
    for number, line in enumerate(text.splitlines(), 1):
        row = json.loads(line)
        if any(not isinstance(row.get(key), str) or not row[key] for key in required):
            problems.append(f"line {number}: a required field is missing or empty")
        if row["role"] not in ("customer", "agent", "bot") or row.get("channel") not in (
            "chat",
            "email",
        ):
            problems.append(f"line {number}: bad role or channel")
        if "csat" in row and row["csat"] not in (1, 2, 3, 4, 5):
            problems.append(f"line {number}: csat {row['csat']!r}")
        if "resolved" in row and not isinstance(row["resolved"], bool):
            problems.append(f"line {number}: resolved {row['resolved']!r}")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["timestamp"]):
            problems.append(f"line {number}: timestamp {row['timestamp']}")
        if not "2026-09-07" <= row["timestamp"][:10] <= "2026-11-01":
            problems.append(f"line {number}: outside the eight weeks")
        if row["conversation_id"] != current:
            if row["conversation_id"] in seen:
                problems.append(
                    f"line {number}: conversation {row['conversation_id']} is not contiguous"
                )
            current, previous_time = row["conversation_id"], ""
            seen.add(current)
        if row["timestamp"] < previous_time:
            problems.append(f"line {number}: out of time order")
        previous_time = row["timestamp"]
        turns[(current, row["role"])] += 1
    for conversation in seen:
        if (
            not 1 <= turns[(conversation, "customer")] <= 4
            or not 1 <= turns[(conversation, "agent")] <= 4
        ):
            problems.append(
                f"{conversation}: {turns[(conversation, 'customer')]} customer and {turns[(conversation, 'agent')]} agent messages"
            )
    return problems


def _first_items(
    items: Sequence[Item], results: Sequence[Any], built: Sequence[Built]
) -> Iterable[tuple[Item, Any, Built]]:
    by_id = {f"HD-{b.plan.number}": b for b in built}
    for item, result in zip(items, results, strict=True):
        yield item, result, by_id[item.conversation]


def summary(
    built: Sequence[Built], table: Sequence[Mapping[str, Any]], text: str, path: Path
) -> None:
    roles = Counter(r["role"] for r in table)
    print(
        f"{path}: {len(text.encode('utf-8')) / 1000:.0f} KB, {len(built)} conversations, {len(table)} messages ({', '.join(f'{k} {v}' for k, v in roles.most_common())})"
    )
    channels = Counter(b.plan.channel for b in built)
    print(
        f"channels: {dict(channels)}; csat on {sum(b.csat is not None for b in built)}, resolved on {sum(b.resolved is not None for b in built)}; bot in {sum(any(m.role == 'bot' for m in b.messages) for b in built)}"
    )
    for team in TEAMS:
        print(f"  {team:18} {sum(b.plan.team == team for b in built):3d} conversations")
    replies = Counter(m.agent.name for b in built for m in b.messages if m.agent is not None)
    owners = Counter(b.plan.agent.name for b in built)
    for agent in AGENTS.values():
        print(
            f"  {agent.name:7} {agent.habit:10} {owners[agent.name]:3d} conversations, {replies[agent.name]:3d} replies"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="also assess every agent reply with heard (fast tier) and check the intended habits",
    )
    parser.add_argument(
        "--output", type=Path, default=OUT, help="where to write (default: the bundled sample)"
    )
    args = parser.parse_args(argv)
    built = generate()
    table = rows(built)
    text = serialise(table)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    summary(built, table, text, args.output)
    return check(built, text) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
