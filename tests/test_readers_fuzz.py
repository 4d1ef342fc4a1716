"""A bounded fuzz of every reader: whatever bytes an export holds, reading it either refuses the
file with an ``InputError`` or yields conversations and rejects, never a traceback, and every
conversation it yields can be stored on either engine."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.errors import InputError
from heard.imports import ImportedConversation, Reject, read_export
from heard.imports.checks import LIMITS
from support.hostile import GENERIC_FIELDS, HOSTILE_BYTES, good_rows, good_tickets

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SAMPLE = Path(__file__).parents[1] / "src" / "heard" / "data" / "samples" / "helpdesk.jsonl"
FIXTURES = {
    "generic": "generic_messages.csv",
    "generic-jsonl": "helpdesk.jsonl",
    "zendesk": "zendesk_tickets.json",
    "zendesk-jsonl": "zendesk_tickets.jsonl",
    "freshdesk": "freshdesk_tickets.json",
    "intercom": "intercom_conversations.json",
    "twcs": "twcs_sample.csv",
}
FUZZ = settings(
    max_examples=int(os.environ.get("HEARD_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HOSTILE = st.sampled_from(HOSTILE_BYTES)


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """The fixture with a few of its bytes replaced, deleted, or hostile bytes put in, or cut."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        if action == "insert":
            data[at:at] = draw(HOSTILE | st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif action == "replace":
            data[at : at + 1] = draw(st.binary(min_size=1, max_size=1))
        else:
            del data[at:]
    return bytes(data)


def _read_all(name: str, content: bytes) -> list[ImportedConversation | Reject]:
    folder = Path(tempfile.mkdtemp(prefix="heard-fuzz-"))
    try:
        path = folder / name
        path.write_bytes(content)
        try:
            return list(read_export(path))
        except InputError:
            return []
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _assert_storable(records: list[ImportedConversation | Reject]) -> None:
    for record in records:
        if isinstance(record, Reject):
            assert record.problem and record.location
            continue
        assert isinstance(record, ImportedConversation)
        assert len(record.id) <= LIMITS["id"]
        for message in record.messages:
            for text in (message.text, message.id, message.author_id):
                assert "\x00" not in text
                assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _fuzz(kind: str) -> None:
    name = FIXTURES[kind]
    if name == SAMPLE.name:  # generic JSONL: the first 40 lines of the bundled sample
        original = b"".join(SAMPLE.read_bytes().splitlines(keepends=True)[:40])
    else:
        original = (EXPORTS / name).read_bytes()

    @FUZZ
    @given(mutations(original))
    def check(content: bytes) -> None:
        _assert_storable(_read_all(name, content))

    check()


def test_fuzz_generic_csv() -> None:
    _fuzz("generic")


def test_fuzz_generic_jsonl() -> None:
    _fuzz("generic-jsonl")


def test_fuzz_zendesk_json() -> None:
    _fuzz("zendesk")


def test_fuzz_zendesk_jsonl() -> None:
    _fuzz("zendesk-jsonl")


def test_fuzz_freshdesk_json() -> None:
    _fuzz("freshdesk")


def test_fuzz_intercom_json() -> None:
    _fuzz("intercom")


def test_fuzz_twcs_csv() -> None:
    _fuzz("twcs")


ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)  # NUL, surrogates


def any_value(*, strict_json: bool = False) -> st.SearchStrategy[object]:
    """Any JSON value, deep lists and 10**40 included; ``strict_json`` leaves out NaN and the
    infinities, which JSON Lines readers (Python's json) accept and JSON documents cannot hold."""
    floats = st.floats(allow_nan=not strict_json, allow_infinity=not strict_json)
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**40), max_value=10**40)
        | floats
        | ANY_TEXT,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )


ANY_VALUE = any_value()
DOCUMENT_VALUE = any_value(strict_json=True)


@FUZZ
@given(
    st.fixed_dictionaries({}, optional=dict.fromkeys(GENERIC_FIELDS, ANY_VALUE)),
    st.integers(0, 2),
)
def test_fuzz_one_hostile_jsonl_row_loses_no_good_row(row: dict[str, object], at: int) -> None:
    """Any JSON values in any generic field, even NUL, lone surrogates, 10**40 and deep lists:
    the row is a record or a reject, and the good rows around it are all read."""
    rows = good_rows(0, 2)
    rows.insert(at, row)
    records = _read_all("export.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    _assert_storable(records)
    ids = {r.id for r in records if isinstance(r, ImportedConversation)}
    assert {"good-0", "good-1"} <= ids


@FUZZ
@given(
    st.fixed_dictionaries(
        {"id": st.integers(1, 10**6)},
        optional={
            "created_at": DOCUMENT_VALUE,
            "via": DOCUMENT_VALUE,
            "status": DOCUMENT_VALUE,
            "tags": DOCUMENT_VALUE,
            "satisfaction_rating": DOCUMENT_VALUE,
            "comments": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional=dict.fromkeys(
                        ("id", "author_id", "body", "public", "created_at"), DOCUMENT_VALUE
                    ),
                ),
                max_size=3,
            ),
        },
    ),
    st.integers(0, 2),
)
def test_fuzz_one_hostile_ticket_loses_no_good_ticket(ticket: dict[str, object], at: int) -> None:
    """The same for a Zendesk JSON document: one ticket of anything, the good tickets all read."""
    tickets = good_tickets(0, 2)
    tickets.insert(at, ticket)
    document = {"tickets": tickets, "users": [{"id": 9001, "role": "end-user"}]}
    records = _read_all("tickets.json", json.dumps(document).encode())
    _assert_storable(records)
    ids = {r.id for r in records if isinstance(r, ImportedConversation)}
    assert {"4700", "4701"} <= ids, (json.dumps(ticket)[:300], at, records[:3])
