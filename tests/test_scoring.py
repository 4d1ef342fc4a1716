"""Scoring stored conversations: contexts, the cache, re-scoring, summaries (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from heard.assessment.engine import Assessor
from heard.errors import InputError
from heard.imports.records import ImportedAgent, ImportedConversation, ImportedMessage
from heard.model import Role
from heard.services.dashboard import analysis_for
from heard.services.models import assessor as load_assessor
from heard.services.reporting import build_analysis
from heard.services.rows import load_rows
from heard.services.scoring import score_pending
from heard.storage.assessments import scored_rows
from heard.storage.conversations import pseudonym_key, save_conversations
from heard.storage.database import Database
from heard.storage.tables import AssessmentRecord, ConversationSummary, MessageRecord

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
ANGRY = (
    "This is the THIRD time my order 48213 hasn't arrived!! I'm furious, I needed it for Friday."
)
CALM = "Thanks, that's really helpful. Have a good day."


def message(
    mid: str, role: Role, text: str, minutes: int, *, author: str = "", public: bool = True
) -> ImportedMessage:
    author = author or ("cust-1" if role is Role.CUSTOMER else "ag-1")
    return ImportedMessage(mid, author, role, text, T0 + timedelta(minutes=minutes), public=public)


def ticket(cid: str, *messages: ImportedMessage) -> ImportedConversation:
    return ImportedConversation(
        "zendesk",
        cid,
        messages,
        channel="chat",
        customer_id="c-" + cid,
        created_at=T0,
        agents=(
            ImportedAgent("ag-1", "Maya", "Billing"),
            ImportedAgent("bot-1", "Answer Bot", None, True),
        ),
    )


FIRST = ticket(
    "1",
    message("b1", Role.BOT, "Hi! An agent will be with you shortly.", 0, author="bot-1"),
    message("c1", Role.CUSTOMER, ANGRY, 1),
    message("c2", Role.CUSTOMER, "Where is it?", 2),
    message(
        "a1",
        Role.AGENT,
        "I'm so sorry your order 48213 is late again, that's really frustrating. "
        "I've sent a replacement by express courier; it will arrive on Thursday.",
        5,
    ),
    message("n1", Role.AGENT, "Internal: courier lost it twice.", 6, public=False),
    message("c3", Role.CUSTOMER, CALM, 7),
    message("a2", Role.AGENT, "You're welcome!", 8),
)
SECOND = ticket(
    "2",
    message("c1", Role.CUSTOMER, "How do I change my billing address?", 0),
    message("a1", Role.AGENT, "As I said before, you should have read the FAQ.", 3),
)


@pytest.fixture(scope="module")
def engine() -> Assessor:
    return load_assessor("fast")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.close()


def store(db: Database, *conversations: ImportedConversation) -> None:
    with db.session() as session, session.begin():
        save_conversations(session, list(conversations), pseudonym_key(session))


def test_every_public_agent_reply_is_scored_in_its_context(db: Database, engine: Assessor) -> None:
    store(db, FIRST, SECOND)
    summary = score_pending(db, engine)
    assert (summary.conversations, summary.replies, summary.assessed) == (2, 3, 3)
    replies, conversations = load_rows(db, engine.model_version)
    by_id = {(r.conversation_id, r.message_id): r for r in replies}
    assert set(by_id) == {("zendesk:1", "a1"), ("zendesk:1", "a2"), ("zendesk:2", "a1")}
    first = by_id["zendesk:1", "a1"]
    # the context is the customer's messages since the agent's previous reply; bots are neither
    assert first.context == ANGRY + "\n\n" + "Where is it?"
    assert first.first_reply and not by_id["zendesk:1", "a2"].first_reply
    assert by_id["zendesk:1", "a2"].context == CALM
    assert first.agent_name == "Maya" and first.team == "Billing"
    direct = engine.assess_many([(first.reply, first.context)])[0]
    assert first.score == direct.score
    blame = by_id["zendesk:2", "a1"]
    assert "blame" in blame.finding_codes or blame.score < first.score
    # every evidence span indexes the stored texts
    for row in replies:
        for finding in row.assessment.findings:
            for span in finding.evidence:
                text = row.reply if span.source == "reply" else row.context
                assert text[span.start : span.end] == span.text
    rows = {c.conversation_id: c for c in conversations}
    assert rows["zendesk:1"].customer_turns == 3 and rows["zendesk:1"].agent_turns == 2
    assert rows["zendesk:1"].first_reply_score == first.score
    assert rows["zendesk:1"].start_emotion == "frustrated"
    assert rows["zendesk:1"].trajectory == "de-escalated"
    assert rows["zendesk:1"].agent_id == "ag-1"


def test_the_cache_scores_only_what_is_new(db: Database, engine: Assessor) -> None:
    store(db, FIRST, SECOND)
    score_pending(db, engine)
    again = score_pending(db, engine)
    assert (again.conversations, again.assessed) == (0, 0)
    # a new reply arrives in conversation 2: only it is assessed
    store(
        db,
        ticket(
            "2",
            message("c2", Role.CUSTOMER, "Rude.", 4),
            message("a2", Role.AGENT, "I'm sorry, that was unfair of me.", 5),
        ),
    )
    later = score_pending(db, engine)
    assert (later.conversations, later.replies, later.assessed) == (1, 2, 1)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AssessmentRecord)) == 4


def test_a_new_model_rescores_only_when_asked(db: Database, engine: Assessor) -> None:
    store(db, FIRST)
    score_pending(db, engine)
    upgraded = Assessor(dataclasses.replace(engine.tier, version="next"))
    quiet = score_pending(db, upgraded)
    assert quiet.assessed == 0 and quiet.other_versions == {engine.model_version: 1}
    with pytest.raises(InputError, match="heard score --rescore"):
        build_analysis(db, upgraded.model_version)  # the report says what to do
    rescored = score_pending(db, upgraded, rescore=True)
    assert (rescored.conversations, rescored.assessed) == (1, 2)
    with db.session() as session:
        versions = set(session.scalars(select(ConversationSummary.model_version)))
        keys = session.scalars(
            select(MessageRecord.assessment_key).where(
                MessageRecord.role == "agent", MessageRecord.public.is_(True)
            )
        ).all()
        note = session.scalar(
            select(MessageRecord.assessment_key).where(MessageRecord.public.is_(False))
        )
    assert versions == {engine.model_version, upgraded.model_version}
    assert len(load_rows(db, upgraded.model_version)[0]) == 2
    assert len(keys) == 2 and all(keys) and note is None  # internal notes are never scored
    assert len(load_rows(db, engine.model_version)[0]) == 0  # the old model's rows are superseded


def test_an_agents_rows_are_chosen_in_the_database(db: Database, engine: Assessor) -> None:
    other = ticket(
        "3",
        message("c1", Role.CUSTOMER, ANGRY, 0),
        message("a1", Role.AGENT, "Sorry about that, I've refunded it.", 2, author="ag-2"),
        message("a2", Role.AGENT, "Anything else I can do?", 3),
    )
    store(db, FIRST, SECOND, other)
    score_pending(db, engine)
    version = engine.model_version
    replies, conversations = load_rows(db, version)
    for wanted in ({"ag-2"}, {"ag-1"}, {"ag-1", "ag-2"}, {"nobody"}):
        mine = [r for r in replies if r.agent_id in wanted]
        keys = {r.conversation_id for r in mine}
        with db.session() as session:
            chosen = scored_rows(session, version, agent_ids=wanted)
        assert chosen == (mine, [c for c in conversations if c.conversation_id in keys])
    assert analysis_for(db, version, ["nobody"]) is None
    analysis = analysis_for(db, version, ["ag-2"])
    assert analysis is not None
    assert [(g.key, g.replies.n, g.conversations.n) for g in analysis.agents] == [("ag-2", 1, 1)]
