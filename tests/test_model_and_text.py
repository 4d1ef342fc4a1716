"""The data model and the offset-preserving text helpers."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard.errors import InputError
from heard.model import Conversation, Role, Speaker, Turn, join_context
from heard.text import MAX_CHARS, negated, normalise, sentences, truncate, words

SPEAKERS = {
    "c": Speaker("c", Role.CUSTOMER, "Dana"),
    "a": Speaker("a", Role.AGENT, "Maya", "Billing"),
    "b": Speaker("b", Role.BOT),
}


def conversation(*turns: tuple[str, str]) -> Conversation:
    return Conversation(
        "conv",
        tuple(
            Turn(f"t{i}", who, text, datetime(2026, 10, 1, 9, i))
            for i, (who, text) in enumerate(turns)
        ),
        SPEAKERS,
    )


def test_values_are_frozen() -> None:
    turn = Turn("t1", "c", "hi")
    with pytest.raises(AttributeError):
        turn.text = "changed"  # type: ignore[misc]


def test_replies_in_context_skip_bots_and_collect_history() -> None:
    conv = conversation(
        ("b", "How can I help?"),
        ("c", "My order is late."),
        ("c", "It was due Tuesday."),
        ("a", "Sorry! Checking now."),
        ("a", "Found it: it arrives today."),
        ("c", "Thanks"),
        ("a", "You're welcome."),
    )
    items = list(conv.replies_in_context())
    assert [i.reply.text for i in items] == [
        "Sorry! Checking now.",
        "Found it: it arrives today.",
        "You're welcome.",
    ]
    assert items[0].context_text == "My order is late.\n\nIt was due Tuesday."
    assert items[1].context == ()
    assert items[2].context_text == "Thanks"
    assert items[2].history_text == "My order is late.\n\nIt was due Tuesday."
    assert conv.role_of(conv.turns[0]) is Role.BOT


def test_unknown_speaker_and_duplicate_turn_are_named() -> None:
    with pytest.raises(
        InputError, match=r"conversation conv, field 'speaker_id': turn 0 .* has speaker 'x'"
    ):
        Conversation("conv", (Turn("t1", "x", "hi"),), SPEAKERS)
    with pytest.raises(InputError, match=r"turn id 't1' appears twice"):
        Conversation("conv", (Turn("t1", "c", "a"), Turn("t1", "c", "b")), SPEAKERS)


def test_join_context_drops_empty_messages() -> None:
    assert join_context(["a", "", "b"]) == "a\n\nb"


@given(st.text())
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


@given(st.text())
def test_sentences_and_words_index_the_text(text: str) -> None:
    for segment in sentences(text):
        piece = segment.of(text)
        assert piece and piece == piece.strip()
        assert 0 <= segment.start < segment.end <= len(text)
    for segment in words(text):
        assert segment.of(text).strip()


def test_sentences_split_on_punctuation_and_lines_but_not_abbreviations() -> None:
    text = "Hi Dr. Smith! Your order No. 5 shipped.\nIt arrives today? Great"
    assert [s.of(text) for s in sentences(text)] == [
        "Hi Dr. Smith!",
        "Your order No. 5 shipped.",
        "It arrives today?",
        "Great",
    ]


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("it's not your fault", "your fault", True),
        ("it was never my intention", "my intention", True),
        ("not yet, but your fault", "your fault", False),
        ("this is your fault", "your fault", False),
        ("i don't think it is just a glitch", "just a glitch", True),
    ],
)
def test_negation_scope(text: str, target: str, expected: bool) -> None:
    assert negated(normalise(text), text.index(target)) is expected


def test_truncate_is_a_prefix() -> None:
    long = "a" * (MAX_CHARS + 5)
    cut, was_cut = truncate(long)
    assert was_cut and len(cut) == MAX_CHARS and long.startswith(cut)
    assert truncate("short") == ("short", False)
