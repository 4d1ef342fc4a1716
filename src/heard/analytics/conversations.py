"""How conversations went: de-escalation, escalation, trajectories, resolution and CSAT.

- A customer **started distressed** when their first message reads as a negative emotion
  (frustrated, anxious, disappointed, confused) at intensity ``DISTRESSED`` (0.5) or more: "a bit
  annoyed" (about 0.45) is not, "really worried" (about 0.65) is.
- **Calmed**: of the conversations that started distressed, the share whose trajectory is
  ``de-escalated`` or ``recovered`` (see ``heard.analytics.trajectory``).
- **Escalated**: of the conversations with a known trajectory, the share ``escalated``.
- **Resolved** and **CSAT** use only the conversations whose source says so: a missing outcome
  is left out of the denominator (and an empty group's figure is None), never counted as 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from heard.analytics.rows import ConversationRow
from heard.analytics.stats import Mean, Rate, mean_ci, wilson
from heard.analytics.trajectory import TRAJECTORIES
from heard.results import NEGATIVE_EMOTIONS

DISTRESSED = 0.5
CALMED = frozenset({"de-escalated", "recovered"})
UNKNOWN = "unknown"


@dataclass(frozen=True)
class ConversationStats:
    n: int
    distressed: int  # conversations whose customer started distressed
    calmed: Rate  # of those: de-escalated or recovered
    escalated: Rate  # of conversations with a known trajectory
    trajectories: Mapping[str, int]  # every trajectory name and "unknown", in that order
    resolved: Rate  # of conversations whose resolution is known
    csat: Mean  # of conversations with a CSAT (0-1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trajectories", MappingProxyType(dict(self.trajectories)))


def started_distressed(row: ConversationRow, threshold: float = DISTRESSED) -> bool:
    return (
        row.start_emotion in NEGATIVE_EMOTIONS
        and row.start_intensity is not None
        and row.start_intensity >= threshold
    )


def conversation_stats(
    rows: Sequence[ConversationRow],
    *,
    confidence: float,
    min_n: int,
    distressed: float = DISTRESSED,
) -> ConversationStats:
    shapes = Counter(row.trajectory if row.trajectory in TRAJECTORIES else UNKNOWN for row in rows)
    known = len(rows) - shapes[UNKNOWN]
    upset = [row for row in rows if started_distressed(row, distressed)]
    calmed = sum(1 for row in upset if row.trajectory in CALMED)
    outcomes = [row.resolved for row in rows if row.resolved is not None]
    return ConversationStats(
        n=len(rows),
        distressed=len(upset),
        calmed=wilson(calmed, len(upset), confidence=confidence, min_n=min_n),
        escalated=wilson(shapes["escalated"], known, confidence=confidence, min_n=min_n),
        trajectories={name: shapes[name] for name in (*TRAJECTORIES, UNKNOWN)},
        resolved=wilson(sum(outcomes), len(outcomes), confidence=confidence, min_n=min_n),
        csat=mean_ci(
            [row.csat for row in rows if row.csat is not None],
            confidence=confidence,
            min_n=min_n,
            scale=(0.0, 1.0),
        ),
    )
