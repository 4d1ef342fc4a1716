"""The end-of-session scorecard: each skill, the emotion trajectory, the strongest and weakest
reply, and a better version of the weakest one (the engine's rewrite, slots and all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heard.assessment.skills import SKILL_NAMES, SKILLS, reply_skills

if TYPE_CHECKING:  # a session builds its scorecard; the scorecard only reads the session's turns
    from heard.practice.session import Turn

__all__ = ["SKILLS", "Scorecard", "scorecard"]


@dataclass(frozen=True)
class Scorecard:
    outcome: str | None
    skills: dict[str, float]  # share of replies that showed each skill, in [0, 1]
    trajectory: tuple[tuple[int, str, float], ...]  # (turn, emotion, intensity), from the start
    strongest: int | None  # index of the turn
    weakest: int | None
    better_reply: str | None  # for the weakest turn

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "skills": {name: round(value, 2) for name, value in self.skills.items()},
            "trajectory": [
                {"turn": t, "emotion": e, "intensity": round(i, 3)} for t, e, i in self.trajectory
            ],
            "strongest_turn": self.strongest,
            "weakest_turn": self.weakest,
            "better_reply": self.better_reply,
        }


def scorecard(turns: Sequence[Turn], *, start: tuple[str, float], outcome: str | None) -> Scorecard:
    n = len(turns)
    shown = [reply_skills(turn.assessment) for turn in turns]
    skills = {name: (sum(s[name] for s in shown) / n if n else 0.0) for name in SKILL_NAMES}
    trajectory = (
        (0, start[0], start[1]),
        *((i + 1, t.state.emotion, t.state.intensity) for i, t in enumerate(turns)),
    )
    scores = [t.assessment.score for t in turns]
    strongest = max(range(n), key=scores.__getitem__) if n else None
    weakest = min(range(n), key=scores.__getitem__) if n else None
    better = turns[weakest].assessment.rewrite if weakest is not None else None
    if weakest is not None and better == turns[weakest].reply:
        better = None  # the engine found nothing to repair in it
    return Scorecard(outcome, skills, trajectory, strongest, weakest, better)
