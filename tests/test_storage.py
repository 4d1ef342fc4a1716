"""Storage on SQLite and on a real local PostgreSQL server: the same tests run on both."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from heard.errors import InputError
from heard.imports.records import ImportedAgent, ImportedConversation, ImportedMessage, Outcomes
from heard.model import Role
from heard.storage.conversations import ordered_messages, pseudonym_key, save_conversations
from heard.storage.database import Database, database_url
from heard.storage.tables import Agent, ConversationRecord, MessageRecord

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def conversation(
    cid: str = "1001", *, messages: tuple[ImportedMessage, ...] | None = None, **fields: object
) -> ImportedConversation:
    default = (
        ImportedMessage("m1", "cust-9", Role.CUSTOMER, "I was charged twice for order 48213.", T0),
        ImportedMessage(
            "m2",
            "ag-1",
            Role.AGENT,
            "I'm sorry, I'll refund the second charge today.",
            T0 + timedelta(minutes=5),
        ),
        ImportedMessage(
            "n1",
            "ag-1",
            Role.AGENT,
            "Checked the ledger: duplicate.",
            T0 + timedelta(minutes=6),
            public=False,
        ),
    )
    return ImportedConversation(
        source="zendesk",
        id=cid,
        messages=messages if messages is not None else default,
        channel="email",
        customer_id="jane@example.com",
        status="solved",
        created_at=T0,
        agents=(ImportedAgent("ag-1", "Maya", "Billing"),),
        outcomes=Outcomes(csat=1.0, csat_raw="good", resolved=True, reopens=0),
        **fields,  # type: ignore[arg-type]
    )


def save(db: Database, *items: ImportedConversation) -> None:
    with db.session() as session, session.begin():
        save_conversations(session, list(items), pseudonym_key(session))


def dump(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        rows = session.scalars(select(ConversationRecord).order_by(ConversationRecord.external_id))
        return [
            (
                c.source,
                c.external_id,
                c.channel,
                c.csat,
                c.resolved,
                c.reopens,
                c.customer_key,
                tuple(
                    (
                        m.external_id,
                        m.role,
                        m.text,
                        m.public,
                        m.timestamp,
                        m.agent.name if m.agent else None,
                    )
                    for m in ordered_messages(c)
                ),
            )
            for c in rows
        ]


@pytest.fixture
def db(database_url: str) -> Database:
    database = Database(database_url)
    yield database  # type: ignore[misc]
    database.close()


def test_a_conversation_round_trips(db: Database) -> None:
    save(db, conversation())
    [(source, cid, channel, csat, resolved, reopens, customer, messages)] = dump(db)
    assert (source, cid, channel, csat, resolved, reopens) == (
        "zendesk",
        "1001",
        "email",
        1.0,
        True,
        0,
    )
    assert customer is not None and customer.startswith("cust-") and "jane" not in customer
    assert [m[0] for m in messages] == ["m1", "m2", "n1"]
    assert messages[1][5] == "Maya"
    assert messages[2][3] is False  # the internal note is kept, marked private
    assert messages[0][4] == datetime(2026, 10, 5, 9, 0)  # stored as naive UTC


def test_saving_again_never_duplicates(db: Database) -> None:
    save(db, conversation(), conversation("1002"))
    first = dump(db)
    save(db, conversation(), conversation("1002"))
    assert dump(db) == first
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MessageRecord)) == 6
        assert session.scalar(select(func.count()).select_from(Agent)) == 1


def test_pieces_of_a_conversation_merge_and_changes_update(db: Database) -> None:
    whole = conversation()
    save(db, conversation(messages=whole.messages[:1]))
    save(db, conversation(messages=whole.messages[1:]))
    [merged] = dump(db)
    alone = dump_of_whole(whole)
    # the same as saving it whole (but for the pseudonym, keyed per database)
    assert merged[:6] + merged[7:] == alone[:6] + alone[7:]
    edited = ImportedMessage("m2", "ag-1", Role.AGENT, "Refunded.", T0 + timedelta(minutes=5))
    save(db, conversation(messages=(edited,)))
    with db.session() as session:
        texts = dict(session.execute(select(MessageRecord.external_id, MessageRecord.text)).all())
        scored = session.scalar(select(ConversationRecord.scored_version))
    assert texts == {"m1": whole.messages[0].text, "m2": "Refunded.", "n1": whole.messages[2].text}
    assert scored is None  # a change means it must be scored again


def dump_of_whole(whole: ImportedConversation) -> tuple[object, ...]:
    with tempfile.TemporaryDirectory() as folder:
        other = Database(f"sqlite:///{folder}/whole.db")
        save(other, whole)
        [row] = dump(other)
        other.close()
    return row


def test_missing_outcomes_stay_missing_and_never_erase(db: Database) -> None:
    save(db, conversation())
    later = ImportedConversation("zendesk", "1001", conversation().messages[:1])
    save(db, later)
    [(_, _, channel, csat, resolved, reopens, _, _)] = dump(db)
    assert (channel, csat, resolved, reopens) == ("email", 1.0, True, 0)
    save(db, ImportedConversation("zendesk", "2000", conversation().messages))
    with db.session() as session:
        row = session.scalars(
            select(ConversationRecord).where(ConversationRecord.external_id == "2000")
        ).one()
        assert row.csat is None and row.resolved is None and row.reopens is None


def test_times_in_other_zones_are_stored_in_utc(db: Database) -> None:
    paris = timezone(timedelta(hours=2))
    message = ImportedMessage(
        "m1", "c", Role.CUSTOMER, "Hello?", datetime(2026, 10, 5, 11, 0, tzinfo=paris)
    )
    save(db, conversation(messages=(message,)))
    assert dump(db)[0][7][0][4] == datetime(2026, 10, 5, 9, 0)


def test_the_pseudonym_is_stable_and_keyed_per_database(db: Database, tmp_path) -> None:
    save(db, conversation(), conversation("1002"))
    keys = {row[6] for row in dump(db)}
    assert len(keys) == 1  # the same customer links up across conversations
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    save(other, conversation())
    assert dump(other)[0][6] not in keys  # another database, another key
    other.close()


def test_database_urls() -> None:
    assert database_url("reports/heard.db") == "sqlite:///reports/heard.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(InputError, match="--db"):
        Database(database_url("nonsense://x"))


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="cannot open the database"):
        Database("postgresql+psycopg://heard@127.0.0.1:1/none?connect_timeout=2")


def test_the_migrations_build_exactly_the_declared_tables(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from heard.storage.tables import Base

    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
