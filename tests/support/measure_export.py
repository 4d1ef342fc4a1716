"""A generic JSONL help-desk export with planted truth, for the outcome, impact and wellbeing tests.

Eight agents in two teams (North: Ana, Ben, Cleo, Dev; South: Eli, Fay, Gus, Hal), six weeks
from Monday 2 March 2026, weekdays only, two conversations per agent and day (customer, agent,
customer):

- **Training.** The North team (Ana, Ben, Cleo, Dev) is trained on ``TRAINED_ON``: before it 80%
  of their replies are poor, after it 80% are good. Everyone else is good half the time throughout. A good reply acknowledges
  the feeling, owns the problem and says what happens next (the fast tier scores it 65-85); a poor
  one is curt or blaming (0-15).
- **CSAT** follows the conversation's quality (5 good, 2 poor) and is missing on every third
  conversation; **escalated** is given for South (true when poor) and missing for North;
  **wait_minutes** is given for South (12.5) and missing for North, whose first reply comes
  20 minutes after the customer wrote.
- **Repeat contact.** Eli's first customers on days 8, 15 and 29 come back two days later.
- **Fatigue.** In the last week Hal's replies all become the same generic macro (scripted and
  much lower scores); Gus handles five conversations a day with his usual quality (workload).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2026, 3, 2, 9, 0)
DAYS = 42
TRAINED_ON = START + timedelta(days=21)
AGENTS = {
    "a1": ("Ana", "North"),
    "a2": ("Ben", "North"),
    "a3": ("Cleo", "North"),
    "a4": ("Dev", "North"),
    "a5": ("Eli", "South"),
    "a6": ("Fay", "South"),
    "a7": ("Gus", "South"),
    "a8": ("Hal", "South"),
}
TRAINED = ("a1", "a2", "a3", "a4")
PER_DAY, PER_DAY_BUSY = 2, 5
RETURNING_DAYS = (8, 15, 29)  # Eli's customers on these days come back two days later
MACRO = "Thank you for contacting us. Your request has been received and is being processed."

ITEMS = ("kettle", "lamp", "rucksack", "blender", "desk chair", "coat", "speaker", "printer")
PROBLEMS = (
    "My refund for the {item} (order {order}) still hasn't arrived after two weeks and I'm "
    "really worried, I need that money for rent.",
    "The {item} from order {order} arrived broken and I'm so frustrated, it was a birthday "
    "present for tomorrow.",
    "I was charged twice for the {item}, order {order}. I'm anxious about my account going "
    "overdrawn.",
    "Order {order} says delivered but there's no {item} here. I'm fed up of chasing this.",
)
# A good reply: an acknowledgement, what the agent did, and what happens next; composed from
# parts so that an agent's good replies are not near-copies of each other.
ACKNOWLEDGE = (
    "I'm so sorry about the {item} from order {order}, that's really worrying.",
    "I understand how stressful this must be with the {item}.",
    "That sounds really frustrating, and I'm sorry about order {order}.",
    "I can hear how upsetting this has been, especially with the {item}.",
    "Oh no, I'm sorry you've been let down with the {item} like this.",
)
OWN = (
    "I've sorted order {order} myself today",
    "I've fixed it on our side just now",
    "I've taken care of the {item} personally",
    "I've put the correction through for order {order}",
    "I've raised it with the warehouse and approved it myself",
)
NEXT = (
    "and you'll have it by {day}; I'll message you once it's done.",
    "and it will reach you by {day}. I'll check on it tomorrow and update you.",
    "and you'll see it by {day}; I'll email you as soon as it's through.",
    "so expect it by {day}, and I'll keep an eye on it until then.",
    "and it lands on {day}. I'll follow up myself that morning.",
)
POOR = (
    "Orders take 10 working days.",
    "You should have checked the order before paying.",
    "That's just how it works with {item} orders.",
    "It's only a small delay on order {order}.",
    "It's not our fault, the courier handles that.",
    "As per our terms, {item} orders can't be changed.",
)
POOR_END = (
    "Please wait.",
    "Nothing I can do.",
    "Read the policy on our website.",
    "There is no need to chase us about it.",
    "Try again next week if it still hasn't come.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class Truth:
    conversations: int
    csat_known: int
    trained_names: tuple[str, ...]
    returning: tuple[str, ...]  # conversation ids whose customer came back within 7 days
    censored: tuple[str, ...]  # conversation ids whose 7-day window runs past the data
    south_conversations: int
    north_conversations: int


def _reply(rng: random.Random, good: bool, slots: dict[str, str]) -> str:
    if not good:
        return f"{rng.choice(POOR)} {rng.choice(POOR_END)}".format(**slots)
    parts = (rng.choice(ACKNOWLEDGE), rng.choice(OWN), rng.choice(NEXT))
    return " ".join(parts).format(**slots)


def write_export(path: Path, seed: int = 7) -> Truth:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    number = 0
    csat_known = 0
    returning: list[str] = []
    south = north = 0
    customers: dict[tuple[str, int], str] = {}
    conversation_of: dict[tuple[str, int], str] = {}
    for day in range(DAYS):
        if (START + timedelta(days=day)).weekday() >= 5:
            continue  # weekends off
        for index, (agent, (name, team)) in enumerate(AGENTS.items()):
            busy = agent == "a7" and day >= DAYS - 7
            for k in range(PER_DAY_BUSY if busy else PER_DAY):
                number += 1
                cid = f"T{number:04d}"
                start = START + timedelta(days=day, minutes=index * 7 + k * 75)
                if agent == "a5" and k == 0 and day - 2 in RETURNING_DAYS:
                    customer = customers[("a5", day - 2)]
                    returning.append(f"generic:{conversation_of[('a5', day - 2)]}")
                else:
                    customer = f"cust-{number}"
                if k == 0:
                    customers[(agent, day)] = customer
                    conversation_of[(agent, day)] = cid
                if agent in TRAINED:
                    good = rng.random() < (0.8 if start >= TRAINED_ON else 0.2)
                else:
                    good = rng.random() < 0.5
                macro = agent == "a8" and day >= DAYS - 7
                slots = {
                    "item": rng.choice(ITEMS),
                    "order": str(rng.randint(10000, 99999)),
                    "day": rng.choice(WEEKDAYS),
                }
                reply = MACRO if macro else _reply(rng, good, slots)
                quality_good = good and not macro
                common: dict[str, Any] = {"team": team, "channel": "chat", "customer_id": customer}
                if number % 3:
                    common["csat"] = 5 if quality_good else 2
                    csat_known += 1
                if team == "South":
                    common["escalated"] = not quality_good
                    common["wait_minutes"] = 12.5
                    south += 1
                else:
                    north += 1
                messages = [
                    ("customer", customer, rng.choice(PROBLEMS).format(**slots), 0),
                    ("agent", agent, reply, 20),
                    ("customer", customer, "Thanks.", 30),
                ]
                for i, (role, author, text, minutes) in enumerate(messages, 1):
                    row = {
                        "conversation_id": cid,
                        "message_id": f"{cid}-{i}",
                        "timestamp": (start + timedelta(minutes=minutes)).isoformat() + "Z",
                        "author_id": author,
                        "role": role,
                        "text": text,
                        **common,
                    }
                    if role == "agent":
                        row["agent_name"] = name
                    rows.append(row)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    last = max(datetime.fromisoformat(r["timestamp"].rstrip("Z")) for r in rows)
    censored = sorted(
        f"generic:{r['conversation_id']}"
        for r in rows
        if r["message_id"].endswith("-1")
        and datetime.fromisoformat(r["timestamp"].rstrip("Z")) + timedelta(days=7) > last
        and f"generic:{r['conversation_id']}" not in returning
    )
    return Truth(
        conversations=number,
        csat_known=csat_known,
        trained_names=tuple(AGENTS[a][0] for a in TRAINED),
        returning=tuple(returning),
        censored=tuple(censored),
        south_conversations=south,
        north_conversations=north,
    )
