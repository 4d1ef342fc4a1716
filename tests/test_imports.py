"""Importing exports: idempotent, redacted before storage, and resumable after a real kill -9.

Each test runs on SQLite and on a local PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from heard.services.imports import import_export, run_rejects
from heard.storage.conversations import PSEUDONYM_KEY
from heard.storage.database import Database
from heard.storage.tables import ConversationRecord, ImportRun, MessageRecord, Setting
from support.dump import dump

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
HEARD = [sys.executable, "-m", "heard.cli"]


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.close()


@pytest.mark.parametrize(
    "name",
    [
        "zendesk_tickets.json",
        "freshdesk_tickets.json",
        "intercom_conversations.json",
        "twcs_sample.csv",
        "generic_messages.csv",
    ],
)
def test_importing_the_same_export_again_changes_nothing(db: Database, name: str) -> None:
    first = import_export(db, EXPORTS / name)
    stored = dump(db)
    assert stored["conversations"] and stored["messages"]
    again = import_export(db, EXPORTS / name)
    after = dump(db)
    # the data is the same; the reject report is per run
    assert {k: v for k, v in after.items() if k != "rejects"} == {
        k: v for k, v in stored.items() if k != "rejects"
    }
    assert (
        again.counts.conversations_new,
        again.counts.messages_new,
        again.counts.messages_changed,
    ) == (0, 0, 0)
    # each run keeps its own reject report; the second reports the same records
    assert [r.describe() for r in run_rejects(db, again.run_id)] == [
        r.describe() for r in run_rejects(db, first.run_id)
    ]


PLANTED = {
    "EMAIL": "dana.whitfield+orders@example.co.uk",
    "PHONE": "+44 20 7946 0958",
    "CARD": "4111 1111 1111 1111",
    "IBAN": "GB82 WEST 1234 5698 7654 32",
    "IP": "203.0.113.77",
}


def test_personal_data_is_redacted_before_it_is_stored(db: Database, tmp_path: Path) -> None:
    export = tmp_path / "pii.jsonl"
    rows = [
        {
            "conversation_id": "p1",
            "message_id": "1",
            "timestamp": "2026-10-01T09:00:00Z",
            "author_id": "cust",
            "role": "customer",
            "text": f"Write to {PLANTED['EMAIL']} or call {PLANTED['PHONE']}. My card {PLANTED['CARD']} "
            f"was charged twice for order 48213; refund to {PLANTED['IBAN']}. IP {PLANTED['IP']}.",
        },
        {
            "conversation_id": "p1",
            "message_id": "2",
            "timestamp": "2026-10-01T09:05:00Z",
            "author_id": "ag",
            "role": "agent",
            "agent_name": "Maya",
            "text": "I'm sorry about the double charge on order 48213; I've refunded it today.",
        },
    ]
    export.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    summary = import_export(db, export)
    assert summary.redacted == {kind.lower(): 1 for kind in PLANTED} | summary.redacted
    with db.session() as session:
        text = session.scalars(
            select(MessageRecord.text).where(MessageRecord.external_id == "1")
        ).one()
    for kind, value in PLANTED.items():
        assert value not in text and f"[{kind}]" in text
    assert "order 48213" in text  # order numbers are not personal data
    if db.dialect == "sqlite":  # not in the file either (nor its write-ahead log)
        db.close()
        folder = Path(db.url.removeprefix("sqlite:///")).parent
        raw = b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith("heard.db"))
        for value in PLANTED.values():
            assert value.encode() not in raw


def write_big_export(path: Path, conversations: int) -> None:
    """A generic JSONL export with a few bad lines among many good ones."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as handle:
        for c in range(conversations):
            for m in range(4):
                role = "customer" if m % 2 == 0 else "agent"
                row = {
                    "conversation_id": f"c{c}",
                    "message_id": f"m{m}",
                    "timestamp": f"2026-10-{1 + c % 28:02d}T{9 + m:02d}:00:00Z",
                    "author_id": f"cust{c}" if role == "customer" else f"ag{c % 5}",
                    "role": role,
                    "agent_name": f"Agent {c % 5}" if role == "agent" else None,
                    "team": "Billing" if role == "agent" else None,
                    "text": f"Message {m} about order {rng.randint(10000, 99999)}, call me on 020 7946 0{c % 1000:03d}.",
                }
                if c % 97 == 5 and m == 1:
                    row["role"] = "manager"  # rejected: not a role
                handle.write(json.dumps(row) + "\n")


def run_import(export: Path, url: str, *, batch: int, capture: bool) -> subprocess.Popen[bytes]:
    pipe = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [*HEARD, "import", str(export), "--db", url, "--batch-size", str(batch)],
        stdout=pipe,
        stderr=pipe,
        env={**os.environ, "HEARD_DATABASE_URL": ""},
    )


def committed(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(ImportRun.records_committed)) or 0)


@pytest.mark.slow
def test_a_killed_import_resumes_to_exactly_one_clean_run(
    database_url: str, tmp_path: Path
) -> None:
    export = tmp_path / "big.jsonl"
    write_big_export(export, 1500)
    victim = run_import(export, database_url, batch=10, capture=False)
    db = Database(database_url)
    deadline = time.monotonic() + 120
    while committed(db) < 200 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL
    done = committed(db)
    with db.session() as session:
        run = session.scalars(select(ImportRun)).one()
        partial = session.query(ConversationRecord).count()
    assert run.status == "running" and 0 < done < 1500, "the kill came too late to test resuming"
    assert partial <= done  # whole batches only: nothing half-written
    resumed = run_import(export, database_url, batch=10, capture=True)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 1, stderr.decode()  # 1: some lines were rejected
    assert f"resumed after record {done}".encode() in stderr
    with db.session() as session:
        assert session.scalars(select(ImportRun.status)).all() == ["done"]
    after_kill = dump(db)
    with db.session() as session:
        key = session.get_one(Setting, PSEUDONYM_KEY).value
    db.close()

    clean = Database(f"sqlite:///{tmp_path / 'clean.db'}")
    with clean.session() as session, session.begin():  # the same pseudonyms
        session.add(Setting(name=PSEUDONYM_KEY, value=key))
    import_export(clean, export)
    assert after_kill == dump(clean)
    # a bad row is skipped alone: every conversation is there, less the 16 rejected messages
    assert len(after_kill["rejects"]) == 16
    assert (len(after_kill["conversations"]), len(after_kill["messages"])) == (1500, 6000 - 16)
    clean.close()
