"""How the readers hold up under hostile input (a benchmark that prints a table).

    python benchmarks/hostile_inputs.py [--variants 200] [--seed 12]

Two runs per reader, from the test fixtures (tests/fixtures/exports):

- **bytes**: the fixture with a few bytes replaced, deleted or cut, or hostile bytes put in
  (NUL, Latin-1, a bare CR, a lone-surrogate escape, 500 open brackets, ``1e400``, a time past
  9999, ``[/bold]``...). Each variant is read to the end: refused as a whole (an ``InputError``
  naming the file), read (records and rejects), or a traceback.
- **one bad record**: good records with one record of random hostile values among them (any
  JSON value in any field: NUL, lone surrogates, 10**40, deep lists, times past 9999), imported
  into a fresh SQLite database. A good record that is not stored is a record lost.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

from heard.errors import InputError
from heard.imports import ImportedConversation, read_export
from heard.services.imports import import_export
from heard.storage.database import Database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support.hostile import (  # noqa: E402  (the tests' own hostile input)
    GENERIC_FIELDS,
    HOSTILE_BYTES,
    TICKET_FIELDS,
    good_rows,
    good_tickets,
)

EXPORTS = ROOT / "tests" / "fixtures" / "exports"
READERS = {
    "generic CSV": "generic_messages.csv",
    "generic JSONL": "helpdesk.jsonl",
    "zendesk JSON": "zendesk_tickets.json",
    "zendesk JSONL": "zendesk_tickets.jsonl",
    "freshdesk JSON": "freshdesk_tickets.json",
    "intercom JSON": "intercom_conversations.json",
    "twcs CSV": "twcs_sample.csv",
}


SAMPLE = ROOT / "src" / "heard" / "data" / "samples" / "helpdesk.jsonl"


def fixture(name: str) -> bytes:
    """A fixture's bytes; for generic JSONL, the first 40 lines of the bundled sample."""
    if name == SAMPLE.name:
        return b"".join(SAMPLE.read_bytes().splitlines(keepends=True)[:40])
    return (EXPORTS / name).read_bytes()


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(max(1, len(out)))
        action = rng.choice(["insert", "insert", "delete", "replace", "truncate"])
        if action == "insert":
            out[at:at] = rng.choice(HOSTILE_BYTES)
        elif action == "delete":
            del out[at : at + rng.randint(1, 16)]
        elif action == "replace":
            out[at] = rng.randrange(256) if out else 0
        else:
            del out[at:]
    return bytes(out)


def read_variant(name: str, content: bytes, folder: Path) -> str:
    path = folder / name
    path.write_bytes(content)
    try:
        records = list(read_export(path))
    except InputError:
        return "refused"
    except Exception:  # the point of the benchmark: count them
        traceback.print_exc(limit=3)
        return "traceback"
    return "read" if records else "read (empty)"


def hostile_value(rng: random.Random, depth: int = 0) -> object:
    choice = rng.randrange(10)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([10**40, -(10**19), 2**63, 0, 3])
    if choice == 3:
        return rng.choice([1e308, -1e-308, 4.5, 0.5])
    if choice == 4 and depth < 3:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if choice == 5 and depth < 3:
        return {"k": hostile_value(rng, depth + 1)}
    if choice == 6:
        return "[" * rng.randint(1, 300)
    if choice == 7:
        return rng.choice(["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "now"])
    if choice == 8:
        return "x" * rng.choice([65, 201, 5000])
    return "".join(chr(rng.choice([0, 0xDC80, 0xD83D, 0x41, 0x20AC, 0xFFFD])) for _ in range(8))


def one_bad_record(kind: str, rng: random.Random, folder: Path) -> tuple[str, int]:
    """(outcome, good records lost) for one variant with one hostile record among 4 good ones."""
    if kind == "generic JSONL":
        rows = good_rows(0, 4)
        bad = {f: hostile_value(rng) for f in rng.sample(GENERIC_FIELDS, rng.randint(1, 6))}
        rows.insert(rng.randint(0, 4), bad)
        path = folder / "export.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        wanted = {f"good-{n}" for n in range(4)}
    else:
        tickets = good_tickets(0, 4)
        bad = {"id": 9000 + rng.randrange(1000)}
        bad.update({f: hostile_value(rng) for f in rng.sample(TICKET_FIELDS, rng.randint(1, 4))})
        tickets.insert(rng.randint(0, 4), bad)
        path = folder / "tickets.json"
        document = {"tickets": tickets, "users": [{"id": 9001, "role": "end-user"}]}
        path.write_text(json.dumps(document), encoding="utf-8")
        wanted = {str(4700 + n) for n in range(4)}
    database = Database(f"sqlite:///{folder / 'h.db'}")
    try:
        import_export(database, path)
    except InputError:
        return "refused", len(wanted)
    except Exception:
        traceback.print_exc(limit=3)
        return "traceback", len(wanted)
    finally:
        database.close()
        (folder / "h.db").unlink(missing_ok=True)
    stored = {r.id for r in read_export(path) if isinstance(r, ImportedConversation)}
    return "imported", len(wanted - stored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="heard-hostile-"))
    try:
        print(f"bytes: {args.variants} mutated copies of each fixture, read to the end")
        print(f"  {'reader':16} {'tried':>6} {'refused':>8} {'read':>6} {'traceback':>10}")
        for reader, name in READERS.items():
            original = fixture(name)
            outcomes = Counter(
                read_variant(name, mutate(original, rng), folder) for _ in range(args.variants)
            )
            read = outcomes["read"] + outcomes["read (empty)"]
            print(
                f"  {reader:16} {args.variants:>6} {outcomes['refused']:>8} {read:>6} "
                f"{outcomes['traceback']:>10}"
            )
        print(f"\none bad record among 4 good ones, imported into SQLite ({args.variants} each)")
        print(f"  {'reader':16} {'tried':>6} {'traceback':>10} {'good records lost':>18}")
        for reader in ("generic JSONL", "zendesk JSON"):
            results = [one_bad_record(reader, rng, folder) for _ in range(args.variants)]
            tracebacks = sum(outcome == "traceback" for outcome, _ in results)
            lost = sum(n for _, n in results)
            print(f"  {reader:16} {args.variants:>6} {tracebacks:>10} {lost:>18}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
