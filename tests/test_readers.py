"""The export readers: each format on a small hand-written fixture in the format's real shape,
text cleaning, format detection, --map, rejects with their locations, and streaming."""

from __future__ import annotations

import csv
import inspect
import itertools
import json
import shutil
import tracemalloc
from collections.abc import Iterable
from pathlib import Path

import pytest

from heard.errors import InputError
from heard.imports import (
    FORMATS,
    ImportedConversation,
    Reject,
    detect_format,
    parse_mapping,
    read_export,
)
from heard.imports.cleaning import clean_html, clean_text, html_to_text
from heard.imports.generic import read_generic
from heard.imports.twcs import read_twcs
from heard.imports.values import parse_bool, parse_csat
from heard.model import Role

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
CUSTOMER, AGENT, BOT = Role.CUSTOMER, Role.AGENT, Role.BOT


def split(
    records: Iterable[ImportedConversation | Reject],
) -> tuple[list[ImportedConversation], list[Reject]]:
    conversations: list[ImportedConversation] = []
    rejects: list[Reject] = []
    for record in records:
        if isinstance(record, Reject):
            rejects.append(record)
        else:
            conversations.append(record)
    return conversations, rejects


def by_id(conversations: list[ImportedConversation]) -> dict[str, ImportedConversation]:
    found = {conversation.id: conversation for conversation in conversations}
    assert len(found) == len(conversations), "one conversation per id expected here"
    return found


def where(rejects: list[Reject]) -> list[tuple[str, str | None]]:
    return [(reject.location, reject.field) for reject in rejects]


# -- cleaning ----------------------------------------------------------------------------------


def test_html_becomes_lines_with_entities_decoded_and_scripts_dropped() -> None:
    html = (
        "<style>p {color: red}</style><p>Hi&nbsp;Maya,</p><p>Line one<br>line two &amp; more</p>"
        "<ul><li>first</li><li>second</li></ul><script>track()</script><!-- note -->"
        "<div>a</div><div><br></div><div>b</div>"
    )
    assert html_to_text(html) == (
        "Hi Maya,\n\nLine one\nline two & more\n\nfirst\nsecond\n\na\n\nb"
    )


def test_gmail_quote_and_signature_delimiter_removed_from_html() -> None:
    html = (
        '<div dir="ltr">It still does not work.<br><br>-- <br>Lena Fischer<br>Fischer GmbH</div>'
        '<div class="gmail_quote"><div class="gmail_attr">On Sun, 31 Mar 2024 at 18:00, Acme '
        "&lt;a@acme.example&gt; wrote:</div><blockquote>Try again.</blockquote></div>"
    )
    assert clean_html(html, is_reply=True) == "It still does not work."


def test_blockquote_is_kept_in_a_first_message_and_dropped_in_a_reply() -> None:
    html = "<p>Your site says:</p><blockquote>Free returns within 30 days</blockquote>"
    assert "Free returns" in clean_html(html)
    assert clean_html(html, is_reply=True) == "Your site says:"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Great, thanks.\n\nOn Mon, 4 Mar 2024 at 10:00, Maya <m@acme.example> wrote:\nOld"
            " text\nmore old text",
            "Great, thanks.",
        ),
        (
            "Please help.\n\n________________________________\nFrom: Acme <s@acme.example>\n"
            "Sent: Monday, March 4, 2024 10:00 AM\nTo: Tom\nSubject: Re: order 1\n\nold stuff",
            "Please help.",
        ),
        ("Fixed now.\n-----Original Message-----\nFrom: x\nold", "Fixed now."),
        ("New answer\n> quoted line\n> another\nmore new", "New answer\nmore new"),
        (
            "On Mon, Mar 4, 2024 at 10:47 AM Acme <s@acme.example>\nwrote:\n> old\n\nMy answer.",
            "My answer.",
        ),
        ("Got it.\n##- Please type your reply above this line -##\nold thread", "Got it."),
        ("On Monday I wrote:\nthe box was empty", "On Monday I wrote:\nthe box was empty"),
        (
            "Booking:\nFrom: London\nTo: Paris\nDate: 4 March\nPlease move it.",
            "Booking:\nFrom: London\nTo: Paris\nDate: 4 March\nPlease move it.",
        ),
    ],
    ids=[
        "attribution",
        "outlook-header",
        "original-message",
        "gt-quoted",
        "bottom-post",
        "reply-above",
        "own-words-wrote",
        "travel-from-to",
    ],
)
def test_quoted_email_is_stripped_and_real_content_kept(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fixed now.\n\nKind regards,\nMaya\nAcme Support", "Fixed now."),
        ("Refund sent.\n\nBest,\nSam Reid\nCustomer Care | Acme\nwww.acme.example", "Refund sent."),
        ("Where is it?\n\nThank you,\nMaya Lopez\n+44 20 7946 0000", "Where is it?\n\nThank you,"),
        ("Where is it?\n\nSent from my iPhone", "Where is it?"),
        ("Thanks\n-- \nTom\nCEO, Tom Ltd", "Thanks"),
        ("Hi\nthank you\nI still have no refund", "Hi\nthank you\nI still have no refund"),
        (
            "Best,\nI will call you tomorrow about the refund.",
            "Best,\nI will call you tomorrow about the refund.",
        ),
        ("Cheers", "Cheers"),
    ],
    ids=[
        "kind-regards-block",
        "best-with-title-and-site",
        "thanks-kept-name-dropped",
        "mobile-footer",
        "dash-dash-delimiter",
        "thanks-then-content",
        "valediction-then-sentence",
        "only-a-valediction",
    ],
)
def test_signatures_are_stripped_without_losing_content(text: str, expected: str) -> None:
    assert clean_text(text) == expected


# -- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "csat", "raw"),
    [
        ("1", 0.0, "1"),
        ("3", 0.5, "3"),
        (5, 1.0, "5"),
        ("0.8", 0.8, "0.8"),
        ("1.0", 1.0, "1.0"),
        (4.5, 0.875, "4.5"),
        (0, 0.0, "0"),
        ("good", 1.0, "good"),
        ("Bad", 0.0, "bad"),
        ("offered", None, "offered"),
        ("", None, None),
    ],
)
def test_csat_scales(value: object, csat: float | None, raw: str | None) -> None:
    assert parse_csat(value) == (csat, raw)


@pytest.mark.parametrize("value", ["7", "great", -1, True])
def test_csat_out_of_scale_is_an_error(value: object) -> None:
    with pytest.raises(ValueError, match="satisfaction score"):
        parse_csat(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("No", False), ("1", True), ("0", False), ("TRUE", True), (False, False)],
)
def test_resolved_flags(value: object, expected: bool) -> None:
    assert parse_bool(value) is expected


# -- generic -----------------------------------------------------------------------------------


def test_generic_csv_rows_become_conversations() -> None:
    conversations, _ = split(read_export(FIXTURES / "generic_messages.csv"))
    first = conversations[0]
    assert first.source == "generic" and first.id == "c-1" and first.channel == "email"
    assert [(m.id, m.role) for m in first.messages] == [("m1", CUSTOMER), ("m2", AGENT)]
    # the quoted field spans lines 3-8: the signature block goes, the reply stays
    assert first.messages[1].text == (
        "Hi Dana,\nI'm sorry about that. I've corrected the invoice to one seat and refunded "
        "the difference."
    )
    assert first.messages[1].author_name == "Rita Gomez"
    assert [(a.id, a.name, a.team, a.is_bot) for a in first.agents] == [
        ("ag-1", "Rita Gomez", "Billing", False)
    ]
    assert (first.outcomes.csat, first.outcomes.csat_raw, first.outcomes.resolved) == (
        0.75,
        "4",
        True,
    )
    assert first.customer_id == "cust-9" and first.location.endswith("generic_messages.csv:2")
    chat = conversations[1]
    assert [(m.id, m.role) for m in chat.messages] == [("m1", CUSTOMER), ("m2", BOT), ("m4", AGENT)]
    assert [a.is_bot for a in chat.agents] == [True, False]
    assert (chat.outcomes.csat, chat.outcomes.resolved) == (0.0, False)
    assert chat.customer_id == "cust-7"  # no customer_id column value: the first customer


def test_generic_rejects_name_physical_lines_and_columns() -> None:
    _, rejects = split(read_export(FIXTURES / "generic_messages.csv"))
    assert where(rejects) == [
        ("line 11", "role"),  # after a row spanning lines 3-8
        ("line 14", "csat"),
        ("line 15", "timestamp"),
        ("line 17", None),
    ]
    assert "manager" in rejects[0].problem and "customer, agent or bot" in rejects[0].problem
    assert "4 fields" in rejects[3].problem


def test_generic_rows_out_of_order_come_in_pieces() -> None:
    conversations, _ = split(read_export(FIXTURES / "generic_messages.csv"))
    assert [c.id for c in conversations] == ["c-1", "c-2", "c-1", "c-3"]
    later = conversations[2]
    assert [m.id for m in later.messages] == ["m3"] and later.outcomes.resolved is True
    assert later.location.endswith(":13")


def test_generic_outcome_columns_are_read_and_empty_stays_unknown(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.jsonl"
    rows = [
        {
            "conversation_id": "c1",
            "message_id": "m1",
            "timestamp": "2024-01-01T09:00:00Z",
            "author_id": "u1",
            "role": "customer",
            "text": "Hello?",
        },
        {
            "conversation_id": "c1",
            "message_id": "m2",
            "timestamp": "2024-01-01T09:05:00Z",
            "author_id": "a1",
            "role": "agent",
            "text": "Hi, on it.",
            "escalated": "yes",
            "reopens": "2",
            "wait_minutes": 12.5,
            "handle_minutes": "0",
        },
        {
            "conversation_id": "c2",
            "message_id": "m1",
            "timestamp": "2024-01-02T09:00:00Z",
            "author_id": "u2",
            "role": "customer",
            "text": "Hi",
            "escalated": "",
            "reopens": None,
            "wait_minutes": "",
        },
        {
            "conversation_id": "c3",
            "message_id": "m1",
            "timestamp": "2024-01-03T09:00:00Z",
            "author_id": "u3",
            "role": "customer",
            "text": "Hi",
            "reopens": "1.5",
        },
        {
            "conversation_id": "c4",
            "message_id": "m1",
            "timestamp": "2024-01-03T09:00:00Z",
            "author_id": "u3",
            "role": "customer",
            "text": "Hi",
            "wait_minutes": "-3",
        },
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    conversations, rejects = split(read_generic(path))
    first, second = conversations
    outcomes = first.outcomes
    assert (outcomes.escalated, outcomes.reopens) == (True, 2)
    assert (outcomes.wait_minutes, outcomes.handle_minutes) == (12.5, 0.0)  # a real zero
    empty = second.outcomes
    assert (empty.escalated, empty.reopens, empty.wait_minutes, empty.handle_minutes) == (
        None,
        None,
        None,
        None,
    )
    assert where(rejects) == [("line 4", "reopens"), ("line 5", "wait_minutes")]
    assert "whole number" in rejects[0].problem and "negative" in rejects[1].problem


def test_generic_long_runs_split_at_max_piece(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["conversation_id", "message_id", "timestamp", "author_id", "role", "text"])
        for index in range(5):
            role = "customer" if index % 2 == 0 else "agent"
            writer.writerow(["c9", f"m{index}", f"2024-01-01T00:0{index}:00Z", role, role, "hi"])
    conversations, rejects = split(read_generic(path, max_piece=2))
    assert rejects == []
    assert [[m.id for m in c.messages] for c in conversations] == [
        ["m0", "m1"],
        ["m2", "m3"],
        ["m4"],
    ]


def test_generic_repeated_message_id_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    rows = [
        {"conversation_id": 1, "message_id": 1, "timestamp": "2024-01-01T00:00:00", "author_id": "u",
         "role": "customer", "text": "first"},
        {"conversation_id": 1, "message_id": 1, "timestamp": "2024-01-01T00:01:00", "author_id": "u",
         "role": "customer", "text": "again"},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    conversations, rejects = split(read_export(path))
    assert [m.text for m in conversations[0].messages] == ["first"]
    assert where(rejects) == [("line 2", "message_id")]
    assert conversations[0].messages[0].timestamp is not None
    assert conversations[0].messages[0].timestamp.utcoffset() is not None  # naive read as UTC


def test_map_renames_columns_for_generic_jsonl() -> None:
    mapping = parse_mapping(
        [
            "conversation_id=ticket",
            "message_id=msg",
            "timestamp=when",
            "author_id=who",
            "role=speaker",
            "text=body",
            "csat=score",
            "resolved=done",
            "agent_name=agent",
        ]
    )
    path = FIXTURES / "generic_mapped.jsonl"
    assert detect_format(path, mapping=mapping) == "generic"
    conversations, rejects = split(read_export(path, mapping=mapping))
    (ticket,) = conversations
    assert ticket.id == "77"
    assert [m.text for m in ticket.messages] == [
        "The blender arrived broken.",  # HTML in a generic text column is cleaned
        "Sorry about that, a new one is on its way today.",
    ]
    assert ticket.messages[1].author_name == "Ivy"
    assert ticket.messages[0].timestamp is not None and ticket.messages[0].timestamp.year == 2024
    assert (ticket.outcomes.csat, ticket.outcomes.resolved) == (1.0, True)
    assert where(rejects) == [("line 3", "body")]  # the source column, as the user wrote it


def test_without_map_the_same_file_is_not_recognised() -> None:
    with pytest.raises(InputError, match=r"first record has the fields body, .*speaker") as error:
        detect_format(FIXTURES / "generic_mapped.jsonl")
    assert error.value.where == str(FIXTURES / "generic_mapped.jsonl")


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["text"], "TARGET=COLUMN"),
        (["=body"], "TARGET=COLUMN"),
        (["text="], "TARGET=COLUMN"),
        (["colour=body"], "'colour' is not a field"),
        (["text=body", "text=message"], "mapped twice"),
    ],
    ids=["no-equals", "no-target", "no-column", "unknown-target", "twice"],
)
def test_parse_mapping_errors(items: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        parse_mapping(items)
    assert error.value.field == "--map"


def test_parse_mapping_reads_items() -> None:
    assert parse_mapping([" text = body ", "conversation_id=Ticket ID"]) == {
        "text": "body",
        "conversation_id": "Ticket ID",
    }


def test_map_is_refused_for_other_formats() -> None:
    with pytest.raises(InputError, match="generic") as error:
        read_export(FIXTURES / "zendesk_tickets.json", mapping={"text": "body"})
    assert error.value.field == "--map"


def test_generic_csv_without_a_required_column_says_how_to_map(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "conversation_id,message_id,timestamp,author_id,role,body\n"
        "1,1,2024-01-01T10:00:00+01:00,u,agent,x\n"
    )
    with pytest.raises(InputError, match=r"lacks text.*--map") as error:
        detect_format(path)
    assert error.value.where == str(path)
    conversations, _ = split(read_export(path, mapping={"text": "body"}))
    assert conversations[0].messages[0].text == "x"


# -- Zendesk -----------------------------------------------------------------------------------


def test_zendesk_document_roles_names_and_private_notes() -> None:
    conversations, _ = split(read_export(FIXTURES / "zendesk_tickets.json"))
    ticket = by_id(conversations)["4701"]
    assert [(m.id, m.role, m.public) for m in ticket.messages] == [
        ("1100001", CUSTOMER, True),
        ("1100002", BOT, True),  # Answer Bot
        ("1100003", AGENT, False),  # internal note
        ("1100004", AGENT, True),
        ("1100005", CUSTOMER, True),
        ("1100006", BOT, True),  # a trigger, author -1
    ]
    assert [m.author_name for m in ticket.messages[:4]] == [
        "Tom Baker",
        "Answer Bot",
        "Maya Lopez",
        "Maya Lopez",
    ]
    assert {(a.id, a.team, a.is_bot) for a in ticket.agents} == {
        ("360009", None, True),
        ("501", "Deliveries", False),  # side-loaded group after the tickets
        ("-1", None, True),
    }
    assert (ticket.channel, ticket.customer_id, ticket.status) == ("email", "9001", "solved")
    assert ticket.tags == ("delivery", "vip")
    assert by_id(conversations)["4702"].agents[0].team == "group 44"  # group not side-loaded


def test_zendesk_text_is_clean() -> None:
    conversations, _ = split(read_export(FIXTURES / "zendesk_tickets.json"))
    texts = {m.id: m.text for m in by_id(conversations)["4701"].messages}
    assert texts["1100001"] == (
        "This is the THIRD time my order 48213 hasn't arrived!! Absolutely ridiculous."
    )  # plain_body preferred, "Sent from my iPhone" gone
    reply = texts["1100004"]  # html_body only
    assert reply.startswith("Hi Tom,\n\nI'm so sorry your order 48213 still hasn't arrived — ")
    assert "three times now & I understand" in reply and "by Thursday." in reply
    assert "<" not in reply and "&amp;" not in reply
    assert "Kind regards" not in reply and "Maya Lopez" not in reply
    assert texts["1100005"] == "OK thank you, I'll wait for Thursday."
    other = by_id(conversations)["4702"].messages[1].text
    assert other == "Yes, of course. Please send us a photo of the box and I'll refund you today."


def test_zendesk_outcomes() -> None:
    conversations, _ = split(read_export(FIXTURES / "zendesk_tickets.json"))
    solved = by_id(conversations)["4701"].outcomes
    assert (solved.csat, solved.csat_raw, solved.csat_comment) == (
        0.0,
        "bad",
        "Took two days to hear back.",
    )
    assert (solved.resolved, solved.reopens) == (True, 1)
    assert (solved.first_reply_minutes, solved.resolution_minutes, solved.wait_minutes) == (
        95.0,
        1888.0,
        1700.0,
    )
    open_ = by_id(conversations)["4702"].outcomes
    assert (open_.csat, open_.csat_raw, open_.resolved, open_.reopens) == (
        None,
        "offered",
        False,
        None,
    )


def test_zendesk_ticket_with_a_malformed_comment_is_rejected_whole() -> None:
    conversations, rejects = split(read_export(FIXTURES / "zendesk_tickets.json"))
    assert "4703" not in by_id(conversations)
    assert where(rejects) == [("ticket 4703", "comments[1].author_id")]
    assert rejects[0].problem == "is missing"


def test_zendesk_jsonl() -> None:
    conversations, rejects = split(read_export(FIXTURES / "zendesk_tickets.jsonl"))
    login = by_id(conversations)["5001"]
    assert [(m.role, m.author_name) for m in login.messages] == [
        (CUSTOMER, None),
        (AGENT, "Jo Park"),  # users carried on the line
        (BOT, None),  # via api, author not known as an agent
    ]
    assert (
        login.messages[0].text == "I can't log in since this morning, it says my password is wrong."
    )
    assert login.messages[1].text == (
        "Hi Lena,\n\nI've reset your password; the link is in your inbox.\n\n"
        "Open the e-mail\nChoose a new password"
    )
    assert login.agents[0].team == "Accounts"
    assert (login.outcomes.csat, login.outcomes.csat_comment, login.outcomes.reopens) == (
        1.0,
        "Quick fix, thanks",
        0,
    )
    assert (login.outcomes.first_reply_minutes, login.outcomes.resolution_minutes) == (30.0, 1440.0)
    assert login.location.endswith("zendesk_tickets.jsonl:1")
    described = by_id(conversations)["5002"]  # no comments: the description opens it
    assert [(m.id, m.role, m.text) for m in described.messages] == [
        ("5002-description", CUSTOMER, "Where can I download my invoice?\n\nThanks,")
    ]
    assert where(rejects) == [("line 2", None), ("ticket 5003 (line 4)", "comments[1].created_at")]
    assert "not JSON" in rejects[0].problem and "yesterday at noon" in rejects[1].problem


# -- Freshdesk ---------------------------------------------------------------------------------


def test_freshdesk_roles_private_notes_and_text() -> None:
    conversations, _ = split(read_export(FIXTURES / "freshdesk_tickets.json"))
    ticket = by_id(conversations)["812"]
    assert [(m.id, m.role, m.public, m.author_name) for m in ticket.messages] == [
        ("812-description", CUSTOMER, True, "Ana Costa"),
        ("43100001", AGENT, True, "Leo Martin"),
        ("43100002", AGENT, False, "Leo Martin"),
        ("43100003", CUSTOMER, True, "Ana Costa"),
    ]
    texts = [m.text for m in ticket.messages]
    assert texts[0] == (
        "Hi,\nI was charged twice for my May subscription (£9.99 each). "
        "I'm really worried because my rent is due."
    )  # "Regards, Ana Costa, +44..." gone
    assert texts[1].endswith("it will be back in 3-5 working days.")
    assert "Kind regards" not in texts[1] and "Leo" not in texts[1]
    assert texts[3] == "Thank you so much, that's a relief!"  # freshdesk_quote removed
    assert ticket.agents[0].team == "Billing" and ticket.channel == "email"


def test_freshdesk_outcomes() -> None:
    conversations, _ = split(read_export(FIXTURES / "freshdesk_tickets.json"))
    resolved = by_id(conversations)["812"].outcomes
    assert resolved.csat == pytest.approx(5 / 6) and resolved.csat_raw == "102"
    assert resolved.csat_comment == "Sorted quickly."
    assert (resolved.resolved, resolved.escalated) == (True, False)
    assert (resolved.first_reply_minutes, resolved.resolution_minutes) == (45.0, 1530.0)
    chat = by_id(conversations)["813"]
    assert (chat.status, chat.outcomes.resolved, chat.outcomes.escalated) == ("open", False, True)
    assert chat.channel == "chat"


def test_freshdesk_bot_and_outbound_ticket() -> None:
    conversations, _ = split(read_export(FIXTURES / "freshdesk_tickets.json"))
    chat = by_id(conversations)["813"]
    assert [(m.role, m.author_name) for m in chat.messages] == [
        (CUSTOMER, None),
        (BOT, "Freddy"),
        (CUSTOMER, None),  # user_id is the requester although incoming is false
        (AGENT, "Kim Novak"),
    ]
    assert [(a.name, a.team, a.is_bot) for a in chat.agents] == [
        ("Freddy", None, True),
        ("Kim Novak", "group 43000999", False),
    ]
    outbound = by_id(conversations)["814"]
    assert [(m.role, m.author_id) for m in outbound.messages] == [
        (AGENT, "43020001"),
        (CUSTOMER, "43011003"),
    ]
    assert (outbound.status, outbound.outcomes.resolved, outbound.channel) == (
        "closed",
        True,
        "outbound email",
    )


def test_freshdesk_malformed_conversation_rejects_the_ticket() -> None:
    conversations, rejects = split(read_export(FIXTURES / "freshdesk_tickets.json"))
    assert "815" not in by_id(conversations)
    assert where(rejects) == [("ticket 815", "conversations[0].private")]


# -- Intercom ----------------------------------------------------------------------------------


def test_intercom_parts_roles_and_notes() -> None:
    conversations, _ = split(read_export(FIXTURES / "intercom_conversations.json"))
    chat = by_id(conversations)["215"]
    # 1002 (assignment), 1007 (open, empty body) and 1008 (close, no body) carry no words
    assert [(m.id, m.role, m.public) for m in chat.messages] == [
        ("403918330", CUSTOMER, True),
        ("1001", BOT, True),
        ("1003", AGENT, False),
        ("1004", AGENT, True),
        ("1005", CUSTOMER, True),
        ("1006", AGENT, True),
    ]
    reply = chat.messages[3].text
    assert reply == (
        "Hi Noor, thanks for your patience!\n\nYour parcel is held at customs in Frankfurt. "
        "I've asked the courier to release it, and you'll get tracking updates by email."
    )
    assert chat.messages[1].author_name == "Operator"
    assert chat.messages[0].timestamp is not None
    assert chat.messages[0].timestamp.isoformat() == "2024-05-01T10:00:00+00:00"
    assert [(a.id, a.team, a.is_bot) for a in chat.agents] == [
        ("991267", None, True),
        ("814860", "team 5017691", False),
    ]


def test_intercom_outcomes() -> None:
    conversations, _ = split(read_export(FIXTURES / "intercom_conversations.json"))
    chat = by_id(conversations)["215"]
    outcomes = chat.outcomes
    assert (outcomes.csat, outcomes.csat_raw, outcomes.csat_comment) == (
        0.75,
        "4",
        "Helpful but slow",
    )
    assert (outcomes.resolved, outcomes.reopens) == (True, 1)
    assert (outcomes.first_reply_minutes, outcomes.resolution_minutes) == (15.0, 60.0)
    assert outcomes.handle_minutes == 21.0
    assert (chat.channel, chat.status, chat.tags) == ("chat", "closed", ("Shipping",))
    assert chat.customer_id == "5ba682d23d7cf92bef87bfd4"


def test_intercom_fin_is_a_bot_and_a_lead_is_a_customer() -> None:
    conversations, _ = split(read_export(FIXTURES / "intercom_conversations.json"))
    email = by_id(conversations)["216"]
    assert [(m.role, m.author_name) for m in email.messages] == [(CUSTOMER, None), (BOT, "Fin")]
    assert email.messages[0].text == "Please send me last month's invoice.\n\nThanks,"
    assert (email.channel, email.outcomes.resolved, email.outcomes.csat) == ("email", False, None)


def test_intercom_unknown_author_type_rejects_the_conversation() -> None:
    conversations, rejects = split(read_export(FIXTURES / "intercom_conversations.json"))
    assert "217" not in by_id(conversations)
    assert where(rejects) == [("conversation 217", "conversation_parts[0].author.type")]
    assert "'robot'" in rejects[0].problem


# -- Customer Support on Twitter ---------------------------------------------------------------


def test_twcs_threads_become_conversations() -> None:
    conversations, _ = split(read_export(FIXTURES / "twcs_sample.csv"))
    threads = by_id(conversations)
    assert sorted(threads) == ["101", "201", "301"]
    phone = threads["101"]
    assert [(m.id, m.role, m.author_id) for m in phone.messages] == [
        ("101", CUSTOMER, "200001"),
        ("102", AGENT, "AcmeSupport/JK"),
        ("103", CUSTOMER, "200001"),
        ("104", AGENT, "AcmeSupport/MR"),  # sign-off before a trailing link
    ]
    assert (
        phone.messages[0].text == "my phone won't charge since the update & I've tried two cables"
    )
    assert phone.messages[1].text == "Sorry to hear that! Which model and version are you on? ^JK"
    assert {(a.id, a.name, a.team) for a in phone.agents} == {
        ("AcmeSupport/JK", "JK", "AcmeSupport"),
        ("AcmeSupport/MR", "MR", "AcmeSupport"),
    }
    assert (phone.customer_id, phone.channel, phone.source) == ("200001", "twitter", "twcs")
    parcel = threads["201"]
    assert [m.text for m in parcel.messages][2] == "done"  # "@ShipCo done"
    assert parcel.agents[0].id == "ShipCo/Ana"
    orphan = threads["301"]  # answers a tweet missing from the file: a root of its own
    assert [m.text for m in orphan.messages] == ["still waiting on that refund @ShipCo"]


def test_twcs_rejects() -> None:
    _, rejects = split(read_export(FIXTURES / "twcs_sample.csv"))
    assert where(rejects) == [("tweet 401", "created_at"), ("tweet 103", None)]
    assert "line 12" in rejects[1].problem


def test_twcs_long_threads_flush_in_pieces_that_add_up(tmp_path: Path) -> None:
    records = list(read_twcs(FIXTURES / "twcs_sample.csv", max_buffered=2))
    pieces = [r for r in records if isinstance(r, ImportedConversation) and r.id == "101"]
    assert len(pieces) > 1
    assert all(len(piece.messages) <= 3 for piece in pieces)
    assert sorted(m.id for piece in pieces for m in piece.messages) == ["101", "102", "103", "104"]


def test_twcs_reply_cycle_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "cycle.csv"
    header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
    path.write_text(
        f"{header}\n"
        "1,9,True,Tue Oct 31 22:10:47 +0000 2017,@Acme a,2,2\n"
        "2,Acme,False,Tue Oct 31 22:11:47 +0000 2017,@9 b,1,1\n"
    )
    conversations, rejects = split(read_export(path))
    assert rejects == [] and sorted(c.id for c in conversations) == ["1", "2"]


# -- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("generic_messages.csv", "generic"),
        ("zendesk_tickets.json", "zendesk"),
        ("zendesk_tickets.jsonl", "zendesk"),
        ("freshdesk_tickets.json", "freshdesk"),
        ("intercom_conversations.json", "intercom"),
        ("twcs_sample.csv", "twcs"),
    ],
)
def test_detect_format_of_each_fixture(name: str, expected: str) -> None:
    assert detect_format(FIXTURES / name) == expected
    assert expected in FORMATS


@pytest.mark.parametrize(
    ("source", "renamed", "expected"),
    [
        ("zendesk_tickets.jsonl", "freshdesk_export.json", "zendesk"),  # JSONL named .json
        ("intercom_conversations.json", "zendesk", "intercom"),  # no extension
        ("freshdesk_tickets.json", "intercom.json", "freshdesk"),
        ("twcs_sample.csv", "generic.txt", "twcs"),
        ("generic_messages.csv", "twcs.csv", "generic"),
    ],
)
def test_detection_reads_content_not_names(
    tmp_path: Path, source: str, renamed: str, expected: str
) -> None:
    path = tmp_path / renamed
    shutil.copy(FIXTURES / source, path)
    assert detect_format(path) == expected
    conversations, _ = split(read_export(path))
    assert conversations and all(c.source == expected for c in conversations)


def test_freshdesk_as_a_top_level_array_and_intercom_as_jsonl(tmp_path: Path) -> None:
    tickets = json.loads((FIXTURES / "freshdesk_tickets.json").read_text())["tickets"]
    array = tmp_path / "tickets.json"
    array.write_text(json.dumps(tickets, indent=2))
    assert detect_format(array) == "freshdesk"
    assert [c.id for c in split(read_export(array))[0]] == ["812", "813", "814"]
    chats = json.loads((FIXTURES / "intercom_conversations.json").read_text())["conversations"]
    lines = tmp_path / "chats.ndjson"
    lines.write_text("".join(json.dumps(chat) + "\n" for chat in chats))
    assert detect_format(lines) == "intercom"
    conversations, rejects = split(read_export(lines))
    assert [c.id for c in conversations] == ["215", "216"]
    assert where(rejects) == [("conversation 217 (line 3)", "conversation_parts[0].author.type")]


def test_unknown_json_says_what_it_saw(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text('{"order_id": 1, "sku": "A-1"}\n')
    with pytest.raises(InputError, match=r"order_id, sku") as error:
        detect_format(path)
    assert error.value.where == str(path)


def test_unknown_csv_says_what_it_saw(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,sku\n1,A-1\n")
    with pytest.raises(InputError, match=r"header \(order_id, sku\)"):
        read_export(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("conversation_id,text\n1,hi\n".encode("utf-16"), "UTF-16"),
        ("conversation_id,text\n1,caf\u00e9\n".encode("latin-1"), "not UTF-8"),
        (b"", "is empty"),
        (b'{"tickets": [{"id": 1, "comments": [', "not a valid JSON document"),
    ],
    ids=["utf-16", "latin-1", "empty", "broken-json"],
)
def test_unreadable_files_are_input_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        list(read_export(path, format="zendesk"))
    assert error.value.where == str(path)


def test_bytes_that_are_not_utf8_deep_in_a_csv_reject_their_row_and_keep_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "late.csv"
    header = "conversation_id,message_id,timestamp,author_id,role,text\n"
    rows = "".join(
        f"c{n},m,2024-01-01T00:00:00Z,u,customer,hello number {n}\n" for n in range(3000)
    )
    path.write_bytes(
        (header + rows).encode()
        + "c,m,2024-01-01,u,customer,caf\xe9\n".encode("latin-1")
        + b"after,m,2024-01-01T00:00:00Z,u,customer,still read\n"
    )
    records = list(read_export(path))  # past the 64 KB that are sniffed
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [(r.location, r.problem[:31]) for r in rejects] == [
        ("line 3002", "is not UTF-8 text (byte 0xe9 at")
    ]
    ids = {r.id for r in records if isinstance(r, ImportedConversation)}
    assert len(ids) == 3001 and "after" in ids


def test_missing_file_and_unknown_format_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_export(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="formats: generic, zendesk") as error:
        read_export(FIXTURES / "twcs_sample.csv", format="salesforce")
    assert error.value.field == "format"


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "intercom_conversations.json").read_bytes())
    assert detect_format(path) == "intercom"
    assert len(split(read_export(path))[0]) == 2


# -- streaming ---------------------------------------------------------------------------------


def _write_big_zendesk(path: Path, tickets: int) -> None:
    body = "My order has not arrived and I need it for a birthday on Friday. " * 8
    with path.open("w") as handle:
        handle.write('{"tickets": [')
        for number in range(1, tickets + 1):
            ticket = {
                "id": number,
                "status": "solved",
                "requester_id": 10,
                "group_id": 3,
                "via": {"channel": "email"},
                "created_at": "2024-01-01T00:00:00Z",
                "satisfaction_rating": {"score": "good"},
                "comments": [
                    {"id": number * 10 + 1, "author_id": 10, "public": True,
                     "created_at": "2024-01-01T00:00:00Z", "plain_body": body},
                    {"id": number * 10 + 2, "author_id": 20, "public": True,
                     "created_at": "2024-01-01T01:00:00Z",
                     "plain_body": "Sorry! A replacement arrives Thursday.\n\nKind regards,\nMaya"},
                ],
            }  # fmt: skip
            handle.write(("," if number > 1 else "") + json.dumps(ticket))
        handle.write('], "users": [{"id": 20, "name": "Maya", "role": "agent"}],')
        handle.write(' "groups": [{"id": 3, "name": "Orders"}]}')


def test_a_big_json_document_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "tickets.json"
    _write_big_zendesk(path, 20_000)
    size = path.stat().st_size
    assert size > 15_000_000
    records = read_export(path)
    assert inspect.isgenerator(records)
    tracemalloc.start()
    try:
        first = next(records)  # the side-loads after the tickets are read first
        assert isinstance(first, ImportedConversation)
        read = 1 + sum(1 for _ in itertools.islice(records, 1_999))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 10, f"peak {peak:,} bytes for a {size:,}-byte document"
    assert first.messages[1].author_name == "Maya"
    assert first.agents[0].team == "Orders"
    read += sum(1 for record in records if isinstance(record, ImportedConversation))
    assert read == 20_000
