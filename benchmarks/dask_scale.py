"""Scale-out on Dask: messages per second with 1 and 2 workers (a benchmark that prints figures).

    python benchmarks/dask_scale.py [--messages 100000] [--partition-rows 10000] [--keep DIR]

Writes (deterministically, seeded) an archive of generic message rows as Parquet into a temporary
folder: conversations of 2 to 8 short chat turns whose customer and agent texts are put together
from template pools (issues, feelings, follow-ups; greetings, acknowledgements, explanations, next
steps, questions, anti-patterns, closings) with their own order numbers, names, amounts and days,
so that nearly every reply in its context is distinct and nothing comes from the cache. Then it
runs ``heard.scale.analyze_archive`` on a local cluster of 1 and then 2 worker processes (one
thread each), each time into a fresh SQLite database, and prints for each run: messages per second
end to end (cluster start-up included, and without it), the worker side alone (partitions scored
per second of the workers' own compute), and the split of CPU time between the workers' compute
and the driver's database writes. The load average before each run is printed next to it: the
figures mean something only on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from heard.scale import ArchiveSummary, analyze_archive
from heard.scale.dask_engine import PARTITION_ROWS
from heard.storage.database import open_database

SEED = 20261124

FIRST_NAMES = (
    "Dana Sam Priya Lee Ana Tom Ewan Aisha Kwame Lucy Rhys Mo Jonas Ines Marta Chidi Noor Ravi "
    "Hana Oliver Zoe Bilal Greta Tariq Elena Felix Amara Jin Sofia Luca Maya Omar Nina Pavel"
).split()
PRODUCTS = (
    "blender", "kettle", "headphones", "running shoes", "desk lamp", "phone case", "air fryer",
    "winter coat", "coffee machine", "yoga mat", "backpack", "smart watch", "duvet", "toaster",
    "e-reader", "vacuum cleaner", "router", "printer", "gaming chair", "baby monitor",
)  # fmt: skip
PLANS = ("Basic", "Plus", "Premium", "Family", "Student", "Business")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVENTS = (
    "my daughter's birthday", "a job interview", "my mum's surgery", "our wedding",
    "a trip abroad", "the start of term", "my rent payment", "a funeral",
)  # fmt: skip
TEAMS = ("Billing", "Delivery", "Technical", "Accounts", "Returns")

ISSUES = (
    "My order {order} still hasn't arrived.",
    "The parcel for order {order} was supposed to come on {day} and it didn't.",
    "Tracking for order {order} hasn't moved since {day}.",
    "I was charged twice for the {product}.",
    "You took £{amount} from my account without asking.",
    "I can't log in to my account since {day}.",
    "The password reset email never comes through.",
    "The {product} I bought stopped working after {n} days.",
    "My {product} arrived broken, the box was crushed.",
    "I'm still waiting for my refund of £{amount} for the {product}.",
    "I want to cancel my {plan} subscription but the button does nothing.",
    "Why did my {plan} plan go up to £{amount} a month?",
    "The courier left my {product} outside in the rain.",
    "I got the wrong colour {product}, I ordered black.",
    "Your app keeps crashing when I try to pay for order {order}.",
    "I returned the {product} {n} weeks ago and heard nothing.",
)
FEELINGS = (
    "",
    "",
    "This is the third time I've contacted you!!",
    "I'm really worried, I need it for {event}.",
    "Absolutely ridiculous.",
    "Honestly I'm so disappointed, I've been a customer for {n} years.",
    "I'm a bit confused about what happens next.",
    "Could you please check?",
    "I'm FURIOUS. Nobody ever calls back.",
    "If this isn't sorted I'm going to cancel everything.",
    "Not a big deal, just wanted to let you know.",
    "I'm anxious because money is tight this month.",
    "You can reach me on 07700 900{phone}.",
    "My email is {first}.{n}@example.com if you need it.",
)
FOLLOW_UPS = (
    "Ok thanks.",
    "That's not good enough, I need it by {day}.",
    "When exactly will that happen?",
    "Fine, but I want it sorted by {day}.",
    "Thank you, that's really helpful!",
    "Still nothing. Order {order}.",
    "I already gave you the address twice.",
    "So what am I supposed to do now?",
    "Great, thanks {agent}.",
    "Why does this keep happening to me?",
    "Can I speak to a manager please?",
    "I've been waiting {n} days, this is unacceptable!!",
    "Yes the address is the same as before.",
    "Thanks, I'll wait for your email then.",
)
GREETINGS = (
    "Hi {first},",
    "Hello {first}, thanks for getting in touch.",
    "Hi there,",
    "Thanks for your message, {first}.",
    "",
)
ACKNOWLEDGEMENTS = (
    "I'm so sorry about this.",
    "I can see how frustrating this has been.",
    "I understand this is worrying, especially with {event} coming up.",
    "I'm sorry the {product} let you down.",
    "That's really not the experience we want you to have.",
    "I apologise for the inconvenience caused.",
    "",
    "",
)
EXPLANATIONS = (
    "I've checked order {order} and it's with the courier.",
    "I can see the second payment of £{amount} on our side.",
    "It looks like the reset emails were going to an old address.",
    "The price change was announced in our email on {day}.",
    "Your return reached our warehouse on {day}.",
    "The {product} is covered by our {n}-year warranty.",
    "",
)
NEXT_STEPS = (
    "I'll refund £{amount} today; it will be back in 3 to 5 working days.",
    "I've escalated this to our {team} team and will update you by {day}.",
    "I've sent a replacement {product}, it should arrive on {day}.",
    "I've cancelled the {plan} plan, you won't be charged again.",
    "I've reset your login, please try again now.",
    "A courier will collect the {product} on {day}.",
    "",
)
QUESTIONS = (
    "Could you confirm the delivery address on the order?",
    "Can you send me a photo of the damage?",
    "Which email address did you sign up with?",
    "Would a replacement or a refund suit you better?",
    "",
    "",
)
ANTI_PATTERNS = (
    "As I said before, you should have checked the address.",
    "Please calm down.",
    "Unfortunately that's our policy.",
    "Per our terms and conditions we cannot do that.",
    "Please refer to the FAQ.",
)
CLOSINGS = (
    "Is there anything else I can help with?",
    "Kind regards, {agent}",
    "Thanks for your patience.",
    "",
)


class _Writer:
    """Fills the template slots from a seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str, slots: dict[str, str]) -> str:
        return template.format(
            order=slots["order"],
            day=self.rng.choice(DAYS),
            product=slots["product"],
            amount=f"{self.rng.randrange(5, 400)}.{self.rng.randrange(100):02d}",
            n=self.rng.randrange(2, 12),
            plan=self.rng.choice(PLANS),
            event=self.rng.choice(EVENTS),
            phone=f"{self.rng.randrange(1000):03d}",
            first=slots["first"].lower(),
            team=self.rng.choice(TEAMS),
            agent=slots["agent"],
        )

    def join(self, templates: list[str], slots: dict[str, str]) -> str:
        return " ".join(self.fill(t, slots) for t in templates if t)

    def customer_first(self, slots: dict[str, str]) -> str:
        pick = self.rng.choice
        return self.join([pick(ISSUES), pick(FEELINGS), pick(FEELINGS)], slots)

    def customer_next(self, slots: dict[str, str]) -> str:
        pick = self.rng.choice
        return self.join([pick(FOLLOW_UPS), pick(FEELINGS)], slots)

    def agent(self, slots: dict[str, str]) -> str:
        pick = self.rng.choice
        parts = [pick(GREETINGS), pick(ACKNOWLEDGEMENTS), pick(EXPLANATIONS)]
        if self.rng.random() < 0.2:
            parts.append(pick(ANTI_PATTERNS))
        parts += [pick(NEXT_STEPS), pick(QUESTIONS), pick(CLOSINGS)]
        text = self.join(parts, slots)
        return text or "Thanks, I'm looking into it now."


def message_rows(count: int, seed: int = SEED) -> Iterator[dict[str, object]]:
    """At least ``count`` generic message rows, conversation after conversation."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    agents = [(f"agent-{i:03d}", rng.choice(FIRST_NAMES), rng.choice(TEAMS)) for i in range(40)]
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    produced = conversation = 0
    while produced < count:
        conversation += 1
        cid = f"conv-{conversation:07d}"
        first = rng.choice(FIRST_NAMES)
        agent_id, agent_name, team = rng.choice(agents)
        slots = {
            "order": str(rng.randrange(10_000, 999_999)),
            "product": rng.choice(PRODUCTS),
            "first": first,
            "agent": agent_name,
        }
        moment = start + timedelta(minutes=conversation * 7 + rng.randrange(7))
        turns = rng.randrange(2, 9)
        channel = rng.choice(("chat", "chat", "email", "social"))
        customer = f"cust-{rng.randrange(1, 30_000):06d}"
        role = "customer"
        for turn in range(turns):
            if role == "customer":
                text = writer.customer_first(slots) if turn == 0 else writer.customer_next(slots)
                author = customer
            else:
                text = writer.agent(slots)
                author = agent_id
            last = turn == turns - 1
            yield {
                "conversation_id": cid,
                "message_id": f"{cid}-m{turn + 1}",
                "timestamp": moment.isoformat().replace("+00:00", "Z"),
                "author_id": author,
                "role": role,
                "text": text,
                "agent_name": agent_name if role == "agent" else None,
                "team": team if role == "agent" else None,
                "channel": channel,
                "customer_id": customer,
                "csat": str(rng.randrange(1, 6)) if last and rng.random() < 0.4 else None,
                "resolved": ("yes" if rng.random() < 0.7 else "no") if last else None,
            }
            produced += 1
            moment += timedelta(minutes=rng.randrange(1, 30), seconds=rng.randrange(60))
            # mostly alternating, sometimes a customer writes twice in a row
            role = "customer" if role == "agent" or rng.random() < 0.15 else "agent"


def write_archive(folder: Path, count: int, *, files: int = 4, seed: int = SEED) -> Path:
    """The rows as ``files`` Parquet files (conversations kept whole within a file)."""
    rows = list(message_rows(count, seed))
    archive = folder / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    per_file = -(-len(rows) // files)
    start = 0
    for index in range(files):
        end = min(len(rows), start + per_file)
        while (
            0 < end < len(rows) and rows[end]["conversation_id"] == rows[end - 1]["conversation_id"]
        ):
            end += 1
        if start >= end:
            break
        table = pa.Table.from_pylist(rows[start:end])
        pq.write_table(table, archive / f"part-{index:03d}.parquet", row_group_size=10_000)
        start = end
    return archive


def machine_cpu_seconds() -> tuple[float, float]:
    """CPU time this machine has spent busy (all processes, all CPUs), and the time the
    hypervisor gave its CPUs to someone else ("steal"), from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]  # user nice system irq soft
    return busy / tick, fields[7] / tick


def own_cpu_seconds() -> float:
    """This process and its reaped children (the local cluster's worker processes)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Run:
    summary: ArchiveSummary
    others: float  # CPU seconds other processes on the machine used during the run
    steal: float  # CPU seconds the hypervisor took from this machine during the run
    load: float  # load average (1 min) just before the run


def run(archive: Path, folder: Path, workers: int, partition_rows: int, label: str) -> Run:
    database = open_database(folder / f"heard-{label}.db")
    load = os.getloadavg()[0]
    (busy, steal), own = machine_cpu_seconds(), own_cpu_seconds()
    try:
        summary = analyze_archive(database, archive, workers=workers, partition_rows=partition_rows)
    finally:
        database.close()
    (busy_after, steal_after), own_after = machine_cpu_seconds(), own_cpu_seconds()
    others = (busy_after - busy) - (own_after - own)
    return Run(summary, max(0.0, others), steal_after - steal, load)


def report(label: str, result: Run) -> None:
    summary = result.summary
    processing = summary.seconds - summary.startup_seconds
    print(
        f"{label}: {summary.messages:,} messages, {summary.conversations:,} conversations, "
        f"{summary.assessed:,} replies assessed, {summary.partitions} partitions "
        f"[load average {result.load:.2f} before; during the run other processes used "
        f"{result.others:.1f} CPU-s and the hypervisor took {result.steal:.1f} CPU-s]"
    )
    print(
        f"  end to end  {summary.messages / summary.seconds:8,.0f} messages/s  "
        f"({summary.seconds:.1f} s, of which {summary.startup_seconds:.1f} s cluster start-up "
        "and model loading)"
    )
    print(
        f"  processing  {summary.messages / processing:8,.0f} messages/s  ({processing:.1f} s "
        "from reading the archive to the last write)"
    )
    print(
        f"  worker side {summary.messages / summary.compute_seconds:8,.0f} messages/s  (all "
        f"partitions scored after {summary.compute_seconds:.1f} s); each worker process "
        f"{summary.messages / summary.worker_seconds:,.0f} messages per second of its own time"
    )
    print(
        f"  CPU split   workers {summary.worker_seconds:.1f} s in scoring tasks "
        f"(rows, redaction, assessment); driver {summary.driver_cpu_seconds:.1f} s CPU "
        f"({summary.driver_cpu_seconds / max(summary.worker_seconds, 1e-9):.0%} of the "
        f"workers'), {summary.write_seconds:.1f} s of it spent writing"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--partition-rows", type=int, default=PARTITION_ROWS)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each; the fastest counts.")
    parser.add_argument("--keep", type=Path, help="Write the archive and databases here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heard-dask-") as temporary:
        folder = args.keep or Path(temporary)
        started = time.perf_counter()
        archive = write_archive(folder, args.messages)
        print(f"archive: {archive} ({time.perf_counter() - started:.1f} s to write)")
        best: dict[int, Run] = {}
        for attempt in range(args.repeat):
            for workers in (1, 2):
                result = run(archive, folder, workers, args.partition_rows, f"{workers}-{attempt}")
                report(f"{workers} worker{'s' if workers > 1 else ''}", result)
                if workers not in best or result.summary.seconds < best[workers].summary.seconds:
                    best[workers] = result
        one, two = best[1].summary, best[2].summary
        processing = (one.seconds - one.startup_seconds) / (two.seconds - two.startup_seconds)
        print(
            "speed-up 1 → 2 workers: "
            f"end to end {one.seconds / two.seconds:.2f}×, "
            f"processing {processing:.2f}×, "
            f"worker side {one.compute_seconds / two.compute_seconds:.2f}×"
        )


if __name__ == "__main__":
    main()
