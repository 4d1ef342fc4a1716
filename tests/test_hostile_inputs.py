"""Hostile input through the whole import path, on SQLite and on a real PostgreSQL server alike:
every good record is kept, the bad one is a reject that names file, record and field, nothing
personal is echoed back, and no input ends in a traceback (issue 12's cases, kept as tests)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Integer, String, func, select

from heard.imports import ImportedConversation, Reject, read_export
from heard.imports.checks import LIMITS, storable_text
from heard.services.imports import import_export, run_rejects
from heard.storage import tables
from heard.storage.database import Database
from heard.storage.tables import ConversationRecord, MessageRecord

GOOD = 4  # good conversations around the bad record
GENERIC_HEADER = b"conversation_id,message_id,timestamp,author_id,role,text\n"
TWCS_HEADER = (
    b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.close()


def _row(conversation: str, message: str, role: str, text: str, **extra: object) -> dict:
    return {
        "conversation_id": conversation,
        "message_id": message,
        "timestamp": "2026-03-02T10:00:00Z",
        "author_id": "cust-1" if role == "customer" else "ag-1",
        "role": role,
        "text": text,
        **extra,
    }


def _good_rows(first: int, count: int) -> list[dict]:
    rows = []
    for n in range(first, first + count):
        rows.append(_row(f"c{n}", f"c{n}-1", "customer", f"My order {n} is late."))
        rows.append(_row(f"c{n}", f"c{n}-2", "agent", "Sorry, I've re-sent it today."))
    return rows


def _jsonl(path: Path, bad: str) -> Path:
    """GOOD/2 good conversations, the bad line, then GOOD/2 more."""
    lines = [json.dumps(r) for r in _good_rows(0, GOOD // 2)]
    lines.append(bad)
    lines += [json.dumps(r) for r in _good_rows(GOOD // 2, GOOD // 2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(db: Database) -> tuple[int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(ConversationRecord)) or 0,
            session.scalar(select(func.count()).select_from(MessageRecord)) or 0,
        )


def _import(db: Database, path: Path) -> list[Reject]:
    summary = import_export(db, path)
    return run_rejects(db, summary.run_id)


BAD_LINES = {
    # out-of-range times are a reject with their field
    "time-after-9999": (
        json.dumps(_row("bad", "b1", "customer", "hi", timestamp="9999-12-31T23:59:59-14:00")),
        "timestamp",
    ),
    "time-before-1": (
        json.dumps(_row("bad", "b1", "customer", "hi", timestamp="0001-01-01T00:00:00+14:00")),
        "timestamp",
    ),
    # numbers out of any range
    "csat-1e400": (
        '{"conversation_id": "bad", "message_id": "b1", "timestamp": "2026-03-02T10:00:00Z", "author_id": "c", "role": "customer", "text": "hi", "csat": 1e400}',
        "csat",
    ),
    "reopens-10e30": (json.dumps(_row("bad", "b1", "customer", "hi", reopens=10**30)), "reopens"),
    # longer than the columns of either engine
    "id-over-200": (json.dumps(_row("x" * 201, "b1", "customer", "hi")), "id"),
    "channel-over-64": (
        json.dumps(_row("bad", "b1", "customer", "hi", channel="c" * 65)),
        "channel",
    ),
    # a line nested 100,000 deep
    "nested-100000": ("[" * 100_000 + "]" * 100_000, None),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_a_bad_jsonl_line_is_one_reject_and_every_good_record_is_kept(
    db: Database, tmp_path: Path, case: str
) -> None:
    bad, field = BAD_LINES[case]
    rejects = _import(db, _jsonl(tmp_path / "export.jsonl", bad))
    assert _stored(db) == (GOOD, 2 * GOOD)
    assert len(rejects) == 1, rejects
    assert rejects[0].location == f"line {GOOD + 1}"
    assert rejects[0].field == field, rejects[0]


@pytest.mark.parametrize(
    "text",
    ["x \udc80 y", "a\x00b", "\ud83d alone", "nul\x00 and \udfff together"],
    ids=["lone-low-surrogate", "nul", "lone-high-surrogate", "both"],
)
def test_text_neither_engine_can_hold_is_made_storable_not_lost(
    db: Database, tmp_path: Path, text: str
) -> None:
    row = _row("odd", "o1", "customer", text, author_id="cust\x00-2", agent_name="Ma\udc80ya")
    rejects = _import(db, _jsonl(tmp_path / "export.jsonl", json.dumps(row)))
    assert rejects == []
    assert _stored(db) == (GOOD + 1, 2 * GOOD + 1)
    with db.session() as session:
        stored = session.scalar(select(MessageRecord.text).where(MessageRecord.external_id == "o1"))
    assert stored == storable_text(text)
    assert "\x00" not in stored and all(not 0xD800 <= ord(c) <= 0xDFFF for c in stored)


def test_personal_data_in_a_rejected_value_is_redacted_wherever_the_reject_goes(
    db: Database, tmp_path: Path
) -> None:
    bad = json.dumps(_row("bad", "b1", "customer", "hi", timestamp="jane.doe@example.com"))
    phone = json.dumps(_row("bad2", "b2", "+44 20 7946 0018", "hi"))
    path = tmp_path / "export.jsonl"
    path.write_text(bad + "\n" + phone + "\n" + json.dumps(_good_rows(0, 1)[0]) + "\n")
    rejects = _import(db, path)
    assert len(rejects) == 2
    text = " ".join(r.describe() for r in rejects)
    assert "jane.doe@example.com" not in text and "7946 0018" not in text, text
    assert "[EMAIL]" in text and "[PHONE]" in text


def _zendesk_document(tickets: int) -> dict:
    return {
        "tickets": [
            {
                "id": 4700 + n,
                "via": {"channel": "email"},
                "created_at": "2024-03-04T09:12:00Z",
                "requester_id": 9001,
                "assignee_id": 501,
                "comments": [
                    {
                        "id": 10 * n + 1,
                        "author_id": 9001,
                        "public": True,
                        "body": f"Order {n}?",
                        "created_at": "2024-03-04T09:12:00Z",
                    },
                    {
                        "id": 10 * n + 2,
                        "author_id": 501,
                        "public": True,
                        "body": "Sent today.",
                        "created_at": "2024-03-04T09:30:00Z",
                    },
                ],
            }
            for n in range(tickets)
        ],
        "users": [{"id": 9001, "role": "end-user"}, {"id": 501, "role": "agent", "name": "Maya"}],
    }


def test_a_json_document_that_breaks_off_keeps_the_tickets_before_the_break(
    db: Database, tmp_path: Path
) -> None:
    whole = json.dumps(_zendesk_document(3))
    cut = whole[: whole.index('"id": 4702')]  # in the middle of the third ticket
    path = tmp_path / "tickets.json"
    path.write_text(cut, encoding="utf-8")
    rejects = _import(db, path)
    assert _stored(db)[0] == 2
    assert len(rejects) == 1 and rejects[0].location == "after record 2", rejects
    assert "Order" not in rejects[0].problem  # the document's text is never quoted


def test_a_deeply_nested_ticket_is_a_reject_read_in_bounded_memory(
    db: Database, tmp_path: Path
) -> None:
    document = json.dumps(_zendesk_document(2))
    deep = '{"id": 9999, "custom": ' + "[" * 200_000 + "]" * 200_000 + "}"
    document = document.replace('{"tickets": [', '{"tickets": [' + deep + ", ", 1)
    path = tmp_path / "tickets.json"
    path.write_text(document, encoding="utf-8")
    rejects = _import(db, path)
    assert _stored(db)[0] == 2
    assert [r.location for r in rejects] == ["record 1"]
    assert "nested more than" in rejects[0].problem


@pytest.mark.parametrize("number", ["1e400", str(10**30), "-9223372036854775809"])
def test_a_number_out_of_range_in_a_json_document_rejects_one_field_not_the_document(
    db: Database, tmp_path: Path, number: str
) -> None:
    document = (
        json.dumps(_zendesk_document(3))
        .replace('"id": 4701,', '"id": 4701, "satisfaction_rating": {"score": NUMBER},', 1)
        .replace("NUMBER", number)
    )
    path = tmp_path / "tickets.json"
    path.write_text(document, encoding="utf-8")
    rejects = _import(db, path)
    assert _stored(db)[0] == 2
    assert [(r.location, r.field) for r in rejects] == [
        ("ticket 4701", "satisfaction_rating.score")
    ]


def test_latin1_bytes_deep_in_a_json_document_lose_no_ticket(db: Database, tmp_path: Path) -> None:
    tickets = _zendesk_document(3)
    tickets["tickets"][0]["description"] = "x" * 70_000  # past the 64 KB checked up front
    for ticket in tickets["tickets"][1:]:
        ticket["comments"][1]["body"] = "Sent today, café."
    raw = json.dumps(tickets, ensure_ascii=False).encode("utf-8")
    raw = raw.replace("é".encode(), "é".encode("latin-1"))
    path = tmp_path / "tickets.json"
    path.write_bytes(raw)
    assert _import(db, path) == []
    assert _stored(db) == (3, 6)
    with db.session() as session:
        texts = session.scalars(select(MessageRecord.text)).all()
    assert sum("caf\ufffd" in text for text in texts) == 2


def test_a_lone_surrogate_in_a_json_document_is_stored_as_a_replacement(
    db: Database, tmp_path: Path
) -> None:
    document = json.dumps(_zendesk_document(2)).replace("Sent today.", "Sent \\udc80 today.")
    path = tmp_path / "tickets.json"
    path.write_text(document, encoding="utf-8")
    assert _import(db, path) == []
    assert _stored(db) == (2, 4)


def _csv(path: Path, middle: bytes, *, rows: int = 2000) -> Path:
    header = GENERIC_HEADER
    body = b"".join(
        f"c{n},m{n},2026-03-02T10:00:00Z,u,customer,hello number {n}\n".encode()
        for n in range(rows)
    )
    path.write_bytes(header + body + middle + b"last,ml,2026-03-02T10:00:00Z,u,customer,bye\n")
    return path


def test_latin1_after_the_sniffed_start_of_a_csv_rejects_one_row(
    db: Database, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path / "late.csv", "bad,mb,2026-03-02T10:00:00Z,u,customer,caf\xe9\n".encode("latin-1")
    )
    rejects = _import(db, path)
    assert _stored(db)[0] == 2001
    assert [r.location for r in rejects] == ["line 2002"]
    assert "not UTF-8" in rejects[0].problem


def test_a_nul_in_a_csv_field_near_the_start_is_not_called_utf16(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(
        GENERIC_HEADER + b"c1,m1,2026-03-02T10:00:00Z,u,customer,hel\x00lo\n"
        b"c2,m2,2026-03-02T10:00:00Z,u,customer,fine\n"
    )
    assert _import(db, path) == []
    assert _stored(db) == (2, 2)


def test_cr_only_files_and_bare_crs_read_every_row(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(
        b"conversation_id,message_id,timestamp,author_id,role,text\r"
        b"c1,m1,2026-03-02T10:00:00Z,u,customer,hello\r"
        b"c2,m2,2026-03-02T10:00:00Z,u,customer,bye\r"
    )
    records = list(read_export(path))
    assert {r.id for r in records if isinstance(r, ImportedConversation)} == {"c1", "c2"}
    tweets = tmp_path / "twcs.csv"
    tweets.write_bytes(
        TWCS_HEADER + b"1,100,True,Wed Nov 01 09:00:00 +0000 2017,@Acme my line\rhas a CR,2,\n"
        b"2,AcmeSupport,False,Wed Nov 01 09:10:00 +0000 2017,@100 Sorry! ^JK,,1\n"
    )
    records = list(read_export(tweets))
    assert [r for r in records if isinstance(r, Reject)] == []
    assert sum(len(r.messages) for r in records if isinstance(r, ImportedConversation)) == 2


def test_a_field_over_the_size_limit_says_so(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(GENERIC_HEADER)
        handle.write(b'c1,m1,2026-03-02T10:00:00Z,u,customer,"' + b"x" * (17 << 20) + b'"\n')
        handle.write(b"c2,m2,2026-03-02T10:00:00Z,u,customer,fine\n")
    records = list(read_export(path))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert len(rejects) == 1 and "longer than 16 MB" in rejects[0].problem, rejects
    assert {r.id for r in records if isinstance(r, ImportedConversation)} == {"c2"}


def test_twcs_times_beyond_the_calendar_are_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "twcs.csv"
    path.write_bytes(
        TWCS_HEADER + b"1,100,True,Fri Dec 31 23:59:59 -1400 9999,@Acme hello,,\n"
        b"2,101,True,Wed Nov 01 09:00:00 +0000 2017,@Acme hi,,\n"
    )
    records = list(read_export(path))
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [(r.location, r.field) for r in rejects] == [("tweet 1", "created_at")]
    assert "outside the range" in rejects[0].problem


def test_the_record_limits_are_the_storage_columns() -> None:
    columns = {
        "id": tables.ConversationRecord.external_id,
        "message id": tables.MessageRecord.external_id,
        "author id": tables.MessageRecord.author_key,
        "agent id": tables.Agent.external_id,
        "agent name": tables.Agent.name,
        "team": tables.Agent.team,
        "channel": tables.ConversationRecord.channel,
        "status": tables.ConversationRecord.status,
        "csat_raw": tables.ConversationRecord.csat_raw,
    }
    for kind, column in columns.items():
        kind_of = column.property.columns[0].type
        assert isinstance(kind_of, String) and not isinstance(kind_of, Integer)
        assert kind_of.length == LIMITS[kind], kind


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("..", "export"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\tickets.json", "tickets.json"),
        ("", "export"),
        ("a\x00b.csv", "ab.csv"),
        ("/", "export"),
        ("tickets [red].jsonl", "tickets [red].jsonl"),
    ],
)
def test_an_uploads_name_is_only_ever_shown_never_a_path(sent: str, shown: str) -> None:
    from heard.services.import_jobs import display_name

    assert display_name(sent) == shown
