"""Repeat contact: did the same customer come back within N days?

A conversation is a repeat-contact failure when the same customer (by pseudonymised key) starts
another conversation within ``days`` after it started. Unknown stays unknown (None): no customer
key, no start time, or a window that runs past the end of the data (the customer may yet come
back; counting it as "no repeat" would flatter the most recent conversations).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

REPEAT_DAYS = 7


def repeat_contacts(
    contacts: Sequence[tuple[str, str | None, datetime | None]],
    *,
    days: int = REPEAT_DAYS,
    data_end: datetime | None = None,
) -> dict[str, bool | None]:
    """``contacts``: (conversation id, customer key, started at). ``data_end``: the last moment
    the data covers (default: the latest start)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    window = timedelta(days=days)
    known = [moment for _, _, moment in contacts if moment is not None]
    end = data_end or (max(known) if known else None)
    starts: dict[str, list[datetime]] = defaultdict(list)
    for _, customer, moment in contacts:
        if customer is not None and moment is not None:
            starts[customer].append(moment)
    for moments in starts.values():
        moments.sort()
    result: dict[str, bool | None] = {}
    for conversation, customer, moment in contacts:
        if customer is None or moment is None or end is None:
            result[conversation] = None
            continue
        moments = starts[customer]
        after = bisect_right(moments, moment)
        came_back = after < len(moments) and moments[after] <= moment + window
        if came_back:
            result[conversation] = True
        elif moment + window > end:
            result[conversation] = None  # censored: the window is not over yet
        else:
            result[conversation] = False
    return result
