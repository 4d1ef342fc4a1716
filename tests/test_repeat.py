"""Repeat contact within N days, with unknowns kept unknown."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from heard.analytics.repeat import repeat_contacts

T = datetime(2026, 10, 1, 9, 0)


def test_repeat_contacts_by_hand() -> None:
    contacts = [
        ("a1", "ann", T),
        ("a2", "ann", T + timedelta(days=3)),  # ann came back within 7 days of a1
        ("a3", "ann", T + timedelta(days=20)),  # 17 days after a2: a2 is not a repeat failure
        ("b1", "bob", T + timedelta(days=1)),  # bob never came back
        ("c1", None, T),  # no customer key: unknown
        ("d1", "dee", None),  # no time: unknown
        ("e1", "eve", T + timedelta(days=28)),  # window runs past the data's end: unknown
    ]
    result = repeat_contacts(contacts, days=7, data_end=T + timedelta(days=30))
    assert result == {
        "a1": True,
        "a2": False,
        "a3": False,  # day 20 + 7 is within the data (day 30)
        "b1": False,
        "c1": None,
        "d1": None,
        "e1": None,
    }
    wider = repeat_contacts(contacts, days=30, data_end=T + timedelta(days=60))
    assert wider["a2"] is True and wider["b1"] is False


def test_a_same_moment_contact_is_not_a_repeat_and_days_must_be_positive() -> None:
    assert repeat_contacts(
        [("x", "k", T), ("y", "k", T)], days=1, data_end=T + timedelta(days=5)
    ) == {"x": False, "y": False}
    with pytest.raises(ValueError, match="at least 1"):
        repeat_contacts([], days=0)
