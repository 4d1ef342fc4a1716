"""Scale-out on Dask (``heard.scale``): an archive analysed on a real local cluster is stored exactly
as the local engine stores the same rows (``heard import`` then ``heard score``), compared by
natural keys; conversations split across files come out whole; bad rows are rejected with their
location; re-running neither duplicates nor assesses again.

One local cluster (2 worker processes, 1 thread each) serves the module; one test starts its own
(the default path, no scheduler address). The bulk writer is also checked without Dask, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster
from sqlalchemy import select, text

from heard.errors import InputError
from heard.imports.records import Reject
from heard.scale import ArchiveSummary, analyze_archive
from heard.scale import dask_engine as engine_module
from heard.scale.results import KnownKeys
from heard.scale.rows import decode, encode, prepare, read_jsonl_block
from heard.scale.worker import score_partition
from heard.scale.writer import write_partition
from heard.services.imports import import_export
from heard.services.models import assessor
from heard.services.scoring import score_pending
from heard.storage.conversations import PSEUDONYM_KEY
from heard.storage.database import Database
from heard.storage.tables import (
    Agent,
    AssessmentRecord,
    ConversationRecord,
    ConversationSummary,
    MessageRecord,
    Setting,
)

KEY = "5e" * 32  # the same pseudonym key in every database, so that customer keys compare

CUSTOMER = [
    "My order {order} still hasn't arrived and I needed it for Friday!!",
    "I was charged twice for the {product}, please refund me. My email is jo.{n}@example.com",
    "The {product} stopped working after {n} days. Really disappointed.",
    "I can't log in since Tuesday, the reset email never comes. Call me on 07700 900{n:03d}.",
    "Why did my plan go up to £{n}.99 a month? Nobody told me.",
]
FOLLOW_UP = ["Ok thanks.", "When exactly?", "That's not good enough.", "Great, thank you!"]
AGENT = [
    "I'm so sorry about order {order}. I've sent a replacement, it arrives on Monday.",
    "I can see the second payment for the {product}; I'll refund it today.",
    "As I said, you should have checked the address. Please calm down.",
    "Thanks for waiting. Could you confirm the email on your account?",
    "Unfortunately that's our policy.",
]


def _stamp(minute: int, zone: str = "Z") -> str:
    return f"2026-03-0{1 + minute // 1440}T{(minute // 60) % 24:02d}:{minute % 60:02d}:00{zone}"


def generated_rows(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` conversations of 2 to 6 turns from the template pools above."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for number in range(count):
        cid = f"g{number:03d}"
        slots = {"order": rng.randrange(10_000, 99_999), "product": rng.choice(["kettle", "lamp"])}
        minute = number * 13
        role = "customer"
        turns = rng.randrange(2, 7)
        for turn in range(turns):
            pool = (CUSTOMER if turn == 0 else FOLLOW_UP) if role == "customer" else AGENT
            rows.append(
                {
                    "conversation_id": cid,
                    "message_id": f"m{turn}",
                    "timestamp": _stamp(minute),
                    "author_id": f"cust-{number}" if role == "customer" else f"ag-{number % 3}",
                    "role": role,
                    "text": rng.choice(pool).format(n=rng.randrange(100), **slots),
                    "agent_name": ["Maya", "Tom", "Ines"][number % 3] if role == "agent" else None,
                    "team": "Billing" if role == "agent" and number % 2 else None,
                    "channel": "chat",
                    "customer_id": f"c-{number}" if number % 4 else None,
                    "csat": [None, "4", "good", "1"][number % 4] if turn == turns - 1 else None,
                    "resolved": ["yes", "no", None][number % 3] if turn == turns - 1 else None,
                }
            )
            minute += rng.randrange(1, 9)
            role = "agent" if role == "customer" else "customer"
    return rows


def edge_rows() -> list[dict[str, Any]]:
    """Conversations that exercise the row rules: a JSON number id and CSAT, a boolean, HTML,
    rows out of time order, equal timestamps (row order decides), time zones, a bot, two agent
    turns in a row, a conversation without replies, and two with the same texts."""
    row = dict.fromkeys(("agent_name", "team", "channel", "customer_id", "csat", "resolved"))
    rows = [
        {**row, "conversation_id": 101, "message_id": "a", "timestamp": _stamp(0),
         "author_id": "jo", "role": "customer",
         "text": "I was charged TWICE!! Reach me at jo.bloggs@example.com or 07700 900123."},
        {**row, "conversation_id": 101, "message_id": "b", "timestamp": _stamp(4),
         "author_id": "maya", "role": "agent", "agent_name": "Maya", "team": "Billing",
         "text": "<p>Hi Jo,</p><p>I'm so sorry. I've refunded the second charge today.</p>"},
        {**row, "conversation_id": 101, "message_id": "c", "timestamp": _stamp(9),
         "author_id": "jo", "role": "customer", "text": "Thanks!", "csat": 5, "resolved": True},
        # out of time order in the file; "y" and "z" share a timestamp (row order decides)
        {**row, "conversation_id": "t-2", "message_id": "z", "timestamp": "2026-03-01T10:10:00+02:00",
         "author_id": "tom", "role": "agent", "agent_name": "Tom",
         "text": "Could you send a photo of the damage?"},
        {**row, "conversation_id": "t-2", "message_id": "x", "timestamp": "2026-03-01T08:00:00Z",
         "author_id": "sam", "role": "customer", "customer_id": "sam@example.com",
         "text": "My lamp arrived broken, the box was crushed."},
        {**row, "conversation_id": "t-2", "message_id": "y", "timestamp": "2026-03-01T08:10:00Z",
         "author_id": "tom", "role": "agent", "agent_name": "Tom",
         "text": "I'm sorry the lamp arrived broken."},
        {**row, "conversation_id": "t-3", "message_id": "1", "timestamp": _stamp(30),
         "author_id": "helpbot", "role": "bot", "agent_name": "Helpbot",
         "text": "Hi! How can I help?"},
        {**row, "conversation_id": "t-3", "message_id": "2", "timestamp": _stamp(31),
         "author_id": "ana", "role": "customer", "text": "I want to cancel my plan."},
        {**row, "conversation_id": "t-3", "message_id": "3", "timestamp": _stamp(33),
         "author_id": "maya", "role": "agent", "agent_name": "Maya",
         "text": "I've cancelled it; you won't be charged again."},
        {**row, "conversation_id": "t-3", "message_id": "4", "timestamp": _stamp(34),
         "author_id": "maya", "role": "agent", "text": "Anything else I can help with?",
         "csat": "good", "resolved": "yes", "channel": "chat"},
        {**row, "conversation_id": "t-4", "message_id": "1", "timestamp": _stamp(40),
         "author_id": "lee", "role": "customer", "text": "Hello? Is anyone there?"},
        {**row, "conversation_id": "t-4", "message_id": "2", "timestamp": _stamp(41),
         "author_id": "lee", "role": "customer", "text": "Still waiting..."},
    ]  # fmt: skip
    for cid in ("same-1", "same-2"):
        rows += [
            {**row, "conversation_id": cid, "message_id": "q", "timestamp": _stamp(50),
             "author_id": f"{cid}-c", "role": "customer", "text": "Where is my refund?"},
            {**row, "conversation_id": cid, "message_id": "r", "timestamp": _stamp(52),
             "author_id": "kai", "role": "agent", "text": "It was sent yesterday."},
        ]  # fmt: skip
    return rows


def renamed_rows() -> list[dict[str, Any]]:
    """Agent ag-1 (Tom, in the generated conversations) under a new name and team."""
    row = {"conversation_id": "t-9", "channel": "email", "csat": None, "resolved": None}
    return [
        {**row, "message_id": "1", "timestamp": _stamp(2000), "author_id": "vic",
         "role": "customer", "text": "Is my complaint being looked at?", "customer_id": "vic"},
        {**row, "message_id": "2", "timestamp": _stamp(2003), "author_id": "ag-1",
         "role": "agent", "agent_name": "Tom Baker", "team": "Retention",
         "text": "Yes, I'm on it and will call you by 5pm."},
    ]  # fmt: skip


def all_rows() -> list[dict[str, Any]]:
    return edge_rows() + generated_rows(24) + renamed_rows()


def write_jsonl(path: Path, rows: list[dict[str, Any]], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row) for row in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Text columns, except a real timestamp column (UTC) for ``timestamp``."""
    names = list(rows[0])
    columns: dict[str, Any] = {}
    for name in names:
        values = [row.get(name) for row in rows]
        if name == "timestamp":
            columns[name] = pa.array(pd.to_datetime(values, utc=True, format="ISO8601"))
        else:
            columns[name] = pa.array(
                [None if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in values],
                type=pa.string(),
            )  # fmt: skip
    pq.write_table(pa.table(columns), path)
    return path


# -- databases and what they hold -----------------------------------------------------------------


def new_database(url: str) -> Database:
    database = Database(url)
    with database.session() as session, session.begin():
        session.add(Setting(name=PSEUDONYM_KEY, value=KEY))
    return database


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """A database for the local engine and one for the dask engine (SQLite)."""
    local = new_database(f"sqlite:///{tmp_path / 'local.db'}")
    scaled = new_database(f"sqlite:///{tmp_path / 'scaled.db'}")
    yield local, scaled
    local.close()
    scaled.close()


def local_engine(database: Database, *paths: Path) -> None:
    """``heard analyze`` with the local engine: import each file, then score."""
    for path in paths:
        import_export(database, path, format="generic")
        score_pending(database, assessor("fast"))


def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row by natural keys (surrogate ids replaced by what they point to)."""
    with database.session() as session:
        agents = {a.id: (a.source, a.external_id) for a in session.scalars(select(Agent))}
        conversations = {c.id: c for c in session.scalars(select(ConversationRecord))}
        names = {i: (c.source, c.external_id) for i, c in conversations.items()}
        skip = {"id"}
        conversation_rows = sorted(
            tuple(
                repr(getattr(c, col.name))
                for col in ConversationRecord.__table__.columns
                if col.name not in skip
            )
            for c in conversations.values()
        )
        message_rows = sorted(
            (
                repr(names[m.conversation_id]),
                repr(agents.get(m.agent_id) if m.agent_id else None),
                *(
                    repr(getattr(m, col.name))
                    for col in MessageRecord.__table__.columns
                    if col.name not in {"id", "conversation_id", "agent_id"}
                ),
            )
            for m in session.scalars(select(MessageRecord))
        )
        agent_rows = sorted(
            tuple(map(repr, (a.source, a.external_id, a.name, a.team, a.is_bot)))
            for a in session.scalars(select(Agent))
        )
        assessment_rows = sorted(
            (a.cache_key, a.model_version, a.score, json.dumps(a.result, sort_keys=True))
            for a in session.scalars(select(AssessmentRecord))
        )
        summary_rows = sorted(
            (
                repr(names[s.conversation_id]),
                repr(agents.get(s.primary_agent_id) if s.primary_agent_id else None),
                *(
                    repr(getattr(s, col.name))
                    for col in ConversationSummary.__table__.columns
                    if col.name not in {"id", "conversation_id", "primary_agent_id"}
                ),
            )
            for s in session.scalars(select(ConversationSummary))
        )
        raw = []
        if database.dialect == "sqlite":  # the JSON text itself, as stored
            raw = sorted(session.execute(text("select cache_key, result from assessments")).all())
    return {
        "conversations": conversation_rows,
        "messages": message_rows,
        "agents": agent_rows,
        "assessments": assessment_rows,
        "assessment_json": [tuple(r) for r in raw],
        "summaries": summary_rows,
    }


def assert_same(scaled: Database, local: Database) -> None:
    got, expected = dump(scaled), dump(local)
    assert expected["messages"], "the local engine stored nothing"
    for table in expected:
        assert got[table] == expected[table], table


# -- a running cluster ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield str(cluster.scheduler_address)


def analyze(
    database: Database, archive: Path | str, scheduler: str, **options: Any
) -> ArchiveSummary:
    return analyze_archive(database, archive, scheduler=scheduler, **options)


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_same_rows_as_the_local_engine(
    kind: str, scheduler: str, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    local, scaled = databases
    rows = all_rows()
    reference = write_jsonl(tmp_path / "reference.jsonl", rows)
    local_engine(local, reference)
    archive = (
        write_jsonl(tmp_path / "archive.jsonl", rows)
        if kind == "jsonl"
        else write_parquet(tmp_path / "archive.parquet", rows)
    )
    seen: list[tuple[int, int]] = []
    summary = analyze(
        scaled, archive, scheduler, partition_rows=20, progress=lambda *p: seen.append(p)
    )
    assert_same(scaled, local)
    conversations = len({str(row["conversation_id"]) for row in rows})
    assert (summary.conversations, summary.messages) == (conversations, len(rows))
    assert summary.rejects == []
    assert summary.partitions > 2 and summary.inserted == conversations
    assert seen[0] == (0, summary.partitions) and seen[-1] == (summary.partitions,) * 2
    assert 0 < summary.assessed <= summary.replies


def test_a_conversation_split_across_files_comes_out_whole(
    scheduler: str, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    local, scaled = databases
    # (without the renamed agent: split files have no "later conversation" to take it from)
    rows = edge_rows() + generated_rows(24)
    local_engine(local, write_jsonl(tmp_path / "all.jsonl", rows))
    # every other row to each file: every conversation is split, and its rows interleave
    folder = tmp_path / "parts"
    folder.mkdir()
    write_jsonl(folder / "part-1.jsonl", rows[0::2])
    write_jsonl(folder / "part-2.jsonl", rows[1::2])
    summary = analyze(scaled, folder / "part-*.jsonl", scheduler, partition_rows=15)
    assert_same(scaled, local)
    assert summary.messages == len(rows)


def test_bad_rows_are_rejected_with_their_location_and_the_rest_stored(
    scheduler: str, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    local, scaled = databases
    good = edge_rows()[:3]
    base = {"conversation_id": "bad-1", "author_id": "ag-1", "timestamp": _stamp(100)}
    bad = [
        {**base, "message_id": "b1", "role": "martian", "text": "Hello"},
        {**base, "message_id": "b2", "role": "agent", "text": "   "},
        {**base, "message_id": "b3", "role": "agent", "text": "Hi", "timestamp": "yesterday"},
        {**good[1], "text": "The same message id again"},
        {**base, "message_id": "b5", "role": "agent"},  # no text at all
        {**base, "conversation_id": None, "message_id": "b6", "role": "agent", "text": "Hi"},
    ]
    archive = write_jsonl(
        tmp_path / "archive.jsonl", good + bad, extra_lines=("{not json", "[1, 2]")
    )
    with archive.open("ab") as handle:  # a Latin-1 line
        handle.write(
            json.dumps({**base, "message_id": "b9", "text": "X"}).encode().replace(b"X", b"caf\xe9")
            + b"\n"
        )
    summary = analyze(scaled, archive, scheduler)
    described = [reject.describe() for reject in summary.rejects]
    where = str(archive)
    assert described == [
        f"{where}, conversation bad-1, message b1, field 'role': 'martian' is not a role "
        "(expected customer, agent or bot)",
        f"{where}, conversation bad-1, message b2, field 'text': is empty",
        f"{where}, conversation bad-1, message b3, field 'timestamp': " + described[2].split(": ", 1)[1],
        f"{where}, conversation 101, message b, field 'message_id': message id 'b' appears twice "
        "in conversation '101'",
        f"{where}, conversation bad-1, message b5, field 'text': is empty",
        f"{where}, a row without a conversation id, message b6, field 'conversation_id': is empty",
        f"{where}, the line starting '{{not json': " + described[6].split(": ", 1)[1],
        f"{where}, the line starting '[1, 2]': is not a JSON object",
        f"{where}, the line starting '{{\"conversation_id\": \"bad-1\", \"author_id\"': is not "
        "UTF-8 text (byte 0xe9 at column 120)",
    ]  # fmt: skip
    assert "yesterday" in described[2] and "is not JSON" in described[6]
    assert all(isinstance(reject, Reject) for reject in summary.rejects)
    # what was good is stored as the local engine stores it
    local_engine(local, write_jsonl(tmp_path / "good.jsonl", good))
    assert_same(scaled, local)


def test_running_again_neither_duplicates_nor_assesses_again(
    scheduler: str, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    _, scaled = databases
    archive = write_jsonl(tmp_path / "archive.jsonl", all_rows())
    first = analyze(scaled, archive, scheduler, partition_rows=40)
    stored = dump(scaled)
    again = analyze(scaled, archive, scheduler, partition_rows=40)
    assert dump(scaled) == stored
    assert first.assessed > 0 and again.assessed == 0
    assert again.unchanged == again.conversations == first.conversations
    assert again.inserted == again.updated == again.rescored == 0


def test_a_conversation_continued_in_a_later_archive_is_scored_whole(
    scheduler: str, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    local, scaled = databases
    # conversation t-3 ends in the second archive, which also brings new conversations
    last = [r for r in edge_rows() if (r["conversation_id"], r["message_id"]) == ("t-3", "4")]
    first = [r for r in edge_rows() if r not in last]
    a = write_jsonl(tmp_path / "a.jsonl", first)
    b = write_jsonl(tmp_path / "b.jsonl", last + generated_rows(5))
    local_engine(local, a, b)
    analyze(scaled, a, scheduler)
    summary = analyze(scaled, b, scheduler)
    assert (summary.rescored, summary.updated, summary.inserted) == (1, 0, 5)
    assert_same(scaled, local)


def test_the_default_local_cluster(databases: tuple[Database, Database], tmp_path: Path) -> None:
    local, scaled = databases
    rows = generated_rows(6)
    local_engine(local, write_jsonl(tmp_path / "reference.jsonl", rows))
    summary = analyze_archive(scaled, write_parquet(tmp_path / "a.parquet", rows), workers=1)
    assert summary.workers == 1 and summary.partitions == 1
    assert_same(scaled, local)


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("missing.parquet", "no such file or folder"),
        ("nothing-*.jsonl", "no file matches"),
        ("empty-folder", "holds no Parquet files"),
        ("columns.parquet", "lacks the column.s. message_id"),
    ],
    ids=["missing", "glob", "folder", "columns"],
)
def test_an_archive_that_cannot_be_read_is_a_clear_error(
    name: str, match: str, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    (tmp_path / "empty-folder").mkdir()
    pq.write_table(
        pa.table({"conversation_id": ["1"], "text": ["hi"]}), tmp_path / "columns.parquet"
    )
    with pytest.raises(InputError, match=match) as raised:
        analyze_archive(databases[1], tmp_path / name)
    assert raised.value.where is not None and name.split("*")[0] in raised.value.where


def test_an_archive_of_empty_files_is_nothing_to_do(
    databases: tuple[Database, Database], tmp_path: Path
) -> None:
    (tmp_path / "a.jsonl").write_text("")
    summary = analyze_archive(databases[1], tmp_path / "a.jsonl")
    assert (summary.conversations, summary.partitions, summary.rejects) == (0, 0, [])


def test_without_the_scale_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    archive = write_jsonl(tmp_path / "a.jsonl", generated_rows(1))
    with pytest.raises(InputError, match=r"pip install 'heard\[scale\]' \(distributed is not"):
        analyze_archive(databases[1], archive)


def test_a_scheduler_that_cannot_be_reached_is_a_clear_error(
    databases: tuple[Database, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT", 1)
    archive = write_jsonl(tmp_path / "a.jsonl", generated_rows(1))
    with pytest.raises(InputError, match="cannot reach the Dask scheduler") as raised:
        analyze_archive(databases[1], archive, scheduler="tcp://127.0.0.1:9")
    assert raised.value.field == "--scheduler"


# -- the pieces, without a cluster ---------------------------------------------------------------


def test_the_bulk_writer_stores_what_the_local_engine_stores(
    database_url: str, tmp_path: Path
) -> None:
    """Rows → worker → writer in this process, on SQLite and PostgreSQL."""
    rows = all_rows()
    path = write_jsonl(tmp_path / "archive.jsonl", rows)
    local = new_database(database_url)
    local_engine(local, path)
    expected = dump(local)
    local.close()
    # the same (empty) database again, now through the scale path
    scaled = Database(database_url)
    with scaled.session() as session, session.begin():
        for table in (
            "conversation_summaries", "messages", "assessments", "conversations", "agents",
            "rejects", "imports",
        ):  # fmt: skip
            session.execute(text(f"delete from {table}"))
    frame = prepare(read_jsonl_block(StringIO(path.read_text(encoding="utf-8"))), {"number": 0})
    half = len(frame) // 2  # two partitions, each with whole conversations
    keys = list(dict.fromkeys(frame["_key"]))
    parts = [frame[frame["_key"].isin(keys[:half])], frame[frame["_key"].isin(keys[half:])]]
    for number, part in enumerate(parts):
        result = score_partition(part, number, tier="fast", source=str(path), known=KnownKeys())
        with scaled.session() as session, session.begin():
            write_partition(
                session,
                result,
                key=bytes.fromhex(KEY),
                model_version=result.model_version,
                tier="fast",
            )
    got = dump(scaled)
    scaled.close()
    for table in expected:
        if table != "assessment_json":
            assert got[table] == expected[table], table
    assert got["assessment_json"] == expected["assessment_json"]


def test_known_keys_answers_which_keys_it_holds() -> None:
    keys = [f"{i:064x}" for i in range(0, 1000, 7)]
    known = KnownKeys(keys)
    probe = [f"{i:064x}" for i in range(0, 50)]
    assert known(probe) == {k for k in probe if int(k, 16) % 7 == 0}
    assert len(known) == len(keys) and keys[3] in known and "0" * 63 + "1" not in known
    assert KnownKeys()(probe) == set()


def test_values_survive_the_trip_through_the_shuffle() -> None:
    for value in [None, "text", 12, 12.0, 4.5, True, False, [1, "a"], {"k": 1}, "\x00json:odd"]:
        assert decode(encode(value)) == value
    assert encode(float("nan")) is None
    assert (
        encode(pd.Timestamp("2026-03-01T10:00:00.123456789Z")) == "2026-03-01T10:00:00.123456+00:00"
    )
