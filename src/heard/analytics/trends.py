"""Periods (day, ISO week, month) and the score trend over them.

A timestamp falls in the period of its own calendar date (no time-zone conversion: an aware
timestamp counts in the zone it carries). Weeks are ISO weeks, Monday to Sunday.

The **trend** is an ordinary least-squares line through every reply's score against the index of
its period (``scipy.stats.linregress``), so a period with many replies weighs more than one with
few, and the p-value knows how many replies there were. ``slope`` is in score points per period.
With at least ``MIN_PERIODS`` periods holding replies, the direction is ``improving`` or
``declining`` when the slope differs from 0 at the analysis' confidence (p < 1 - confidence) and
``steady`` otherwise; with fewer periods it is ``not enough data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import pvariance

from scipy import stats

UNITS: tuple[str, ...] = ("day", "week", "month")
MIN_PERIODS = 3
IMPROVING, DECLINING, STEADY, NOT_ENOUGH = "improving", "declining", "steady", "not enough data"
DIRECTIONS: tuple[str, ...] = (IMPROVING, DECLINING, STEADY, NOT_ENOUGH)


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unknown period {unit!r}; choose one of: {', '.join(UNITS)}")
    return unit


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A day, an ISO week or a calendar month, from its first day."""

    start: date
    unit: str

    @property
    def index(self) -> int:
        """Consecutive periods have consecutive indexes (gaps stay gaps)."""
        if self.unit == "month":
            return self.start.year * 12 + self.start.month - 1
        if self.unit == "week":
            return self.start.toordinal() // 7
        return self.start.toordinal()

    @property
    def key(self) -> str:
        """``2026-10-08``, ``2026-W41`` or ``2026-10``: sortable and unambiguous."""
        if self.unit == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.unit == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return self.start.isoformat()

    @property
    def end(self) -> date:
        """The period's last day."""
        if self.unit == "month":
            following = date(self.start.year + self.start.month // 12, self.start.month % 12 + 1, 1)
            return following - timedelta(days=1)
        if self.unit == "week":
            return self.start + timedelta(days=6)
        return self.start

    @property
    def label(self) -> str:
        """A short human label: ``8 Oct 2026``, ``w/c 5 Oct 2026``, ``Oct 2026``."""
        day = f"{self.start.day} {self.start:%b %Y}"
        if self.unit == "month":
            return f"{self.start:%b %Y}"
        if self.unit == "week":
            return f"w/c {day}"
        return day


def period_of(moment: datetime | date, unit: str) -> Period:
    """The period ``moment`` falls in."""
    check_unit(unit)
    day = moment.date() if isinstance(moment, datetime) else moment
    if unit == "month":
        return Period(day.replace(day=1), unit)
    if unit == "week":
        return Period(day - timedelta(days=day.weekday()), unit)
    return Period(day, unit)


@dataclass(frozen=True, slots=True)
class Trend:
    """The direction of scores over periods, with the slope (points per period) and its p-value."""

    direction: str
    periods: int
    n: int
    slope: float | None = None
    p_value: float | None = None

    @property
    def arrow(self) -> str:
        return {IMPROVING: "↑", DECLINING: "↓", STEADY: "→"}.get(self.direction, "·")


def score_trend(
    points: Sequence[tuple[int, float]],
    *,
    confidence: float,
    min_periods: int = MIN_PERIODS,
) -> Trend:
    """The trend of ``(period index, score)`` points, one per reply."""
    n = len(points)
    periods = len({index for index, _ in points})
    if periods < min_periods:
        return Trend(NOT_ENOUGH, periods, n)
    xs = [float(index) for index, _ in points]
    ys = [float(score) for _, score in points]
    if pvariance(ys) == 0:  # every score equal: a flat line, and linregress would divide by 0
        return Trend(STEADY, periods, n, 0.0, 1.0)
    fit = stats.linregress(xs, ys)
    slope, p_value = float(fit.slope), float(fit.pvalue)
    significant = p_value < 1 - confidence
    direction = (IMPROVING if slope > 0 else DECLINING) if significant else STEADY
    return Trend(direction, periods, n, slope, p_value)
