"""A trainee's progress: each skill's trend over their sessions, and what to practise next.

Pure: sessions and drill attempts in, values out. A skill's trend compares the mean of the later
half of the attempts with the earlier half (``MOVED`` is the smallest change called a move).
The weakest skill (lowest recent mean) decides the recommendations: the scenarios whose needs are
met by that skill (unplayed ones first) and, for listening skills, drill items (unattempted
first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from heard.practice.drills import DrillItem
from heard.practice.scenario import Scenario
from heard.practice.scorecard import SKILLS

MOVED = 0.1
RECOMMEND = 3
# Drill parts that train a role-play skill.
DRILLED = {"acknowledge": "feeling", "reflect": "facts"}


@dataclass(frozen=True)
class SkillTrend:
    skill: str
    n: int
    mean: float
    earlier: float
    later: float

    @property
    def direction(self) -> str:
        if self.n < 2:
            return "not enough data"
        if self.later - self.earlier >= MOVED:
            return "improving"
        if self.earlier - self.later >= MOVED:
            return "declining"
        return "steady"

    def to_dict(self) -> dict[str, Any]:
        return {
            "skill": self.skill,
            "attempts": self.n,
            "mean": round(self.mean, 2),
            "earlier": round(self.earlier, 2),
            "later": round(self.later, 2),
            "direction": self.direction,
        }


@dataclass(frozen=True)
class Progress:
    trainee: str
    sessions: int
    drills: int
    skills: tuple[SkillTrend, ...]
    weakest: str | None
    scenarios: tuple[str, ...]
    drill_items: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "trainee": self.trainee,
            "sessions": self.sessions,
            "drills": self.drills,
            "skills": [s.to_dict() for s in self.skills],
            "weakest": self.weakest,
            "recommended_scenarios": list(self.scenarios),
            "recommended_drills": list(self.drill_items),
        }


def _trend(skill: str, values: Sequence[float]) -> SkillTrend:
    half = len(values) // 2
    earlier = values[:half] or values
    later = values[half:] or values
    return SkillTrend(skill, len(values), fmean(values), fmean(earlier), fmean(later))


def progress(
    trainee: str,
    sessions: Sequence[tuple[datetime, str, Mapping[str, float]]],
    drills: Sequence[tuple[datetime, str, Mapping[str, float]]],
    *,
    library: Mapping[str, Scenario],
    bank: Mapping[str, DrillItem],
) -> Progress:
    """``sessions``: (when, scenario id, skills); ``drills``: (when, item id, parts)."""
    ordered = sorted(sessions, key=lambda s: s[0])
    attempts = sorted(drills, key=lambda d: d[0])
    trends: list[SkillTrend] = []
    for skill in [*SKILLS, "no_anti_patterns", "fit"]:
        timed = [(when, skills[skill]) for when, _, skills in ordered if skill in skills]
        part = DRILLED.get(skill)
        if part:
            timed += [(when, parts[part]) for when, _, parts in attempts if part in parts]
        if timed:
            timed.sort(key=lambda pair: pair[0])  # sessions and drills, in time order
            trends.append(_trend(skill, [value for _, value in timed]))
    weakest = min(trends, key=lambda t: (t.later, t.skill)).skill if trends else None
    played = {scenario for _, scenario, _ in ordered}
    tried = {item for _, item, _ in attempts}
    scenarios: list[str] = []
    items: list[str] = []
    if weakest is not None:
        codes = SKILLS.get(weakest, frozenset())
        matching = [
            s.id
            for s in library.values()
            if not codes or any(set(need.met_by) & codes for need in s.needs)
        ]
        scenarios = sorted(matching, key=lambda sid: (sid in played, sid))[:RECOMMEND]
        if weakest in DRILLED:
            items = sorted(bank, key=lambda iid: (iid in tried, iid))[:RECOMMEND]
    elif library:
        scenarios = sorted(library)[:RECOMMEND]
        items = sorted(bank)[:RECOMMEND]
    return Progress(
        trainee, len(ordered), len(attempts), tuple(trends), weakest, tuple(scenarios), tuple(items)
    )
