"""The customer's emotional trajectory over a conversation: where it started, peaked and ended.

Each customer turn has an emotion reading (label, intensity in [0, 1]). Its *distress* is the
intensity when the label is a negative emotion (frustrated, anxious, disappointed, confused) and 0
otherwise. The trajectory names the shape, with ``DELTA`` as the smallest change that counts:

- ``escalated``: the customer ends more distressed than they started;
- ``de-escalated``: they started distressed and end calmer;
- ``recovered``: distress rose above where it started, then came back down by the end;
- ``steady``: none of these (including calm from start to end);
- ``None`` when the conversation has no customer turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from heard.results import NEGATIVE_EMOTIONS

DELTA = 0.15
TRAJECTORIES: tuple[str, ...] = ("escalated", "de-escalated", "recovered", "steady")


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    intensity: float

    @property
    def distress(self) -> float:
        return self.intensity if self.label in NEGATIVE_EMOTIONS else 0.0


@dataclass(frozen=True, slots=True)
class Trajectory:
    start: Point
    peak: Point
    end: Point
    shape: str


def trajectory(points: Sequence[Point], delta: float = DELTA) -> Trajectory | None:
    """The trajectory of the customer's turns in order (None when there are none)."""
    if not points:
        return None
    start, end = points[0], points[-1]
    peak = max(points, key=lambda p: p.distress)  # the first of equal peaks
    if end.distress - start.distress >= delta:
        shape = "escalated"
    elif start.distress - end.distress >= delta:
        shape = "de-escalated"
    elif peak.distress - start.distress >= delta and peak.distress - end.distress >= delta:
        shape = "recovered"
    else:
        shape = "steady"
    return Trajectory(start, peak, end, shape)
