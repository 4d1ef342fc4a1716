"""Times as heard stores them: aware datetimes that convert to UTC inside the calendar."""

from __future__ import annotations

from datetime import UTC, datetime


def storable(moment: datetime) -> datetime:
    """``moment`` if it is a time in UTC that can be stored; a ``ValueError`` if converting it to
    UTC leaves the calendar (``9999-12-31T23:59:59-14:00``, ``0001-01-01T00:00:00+14:00``)."""
    if moment.tzinfo is None:
        return moment
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            f"{moment.isoformat()!r} is outside the range of times that can be stored "
            "(years 1 to 9999 in UTC)"
        ) from None
    return moment
