"""How the simulated customer reacts to a trainee's reply: documented rules, no randomness.

The customer has an emotion, an intensity in [0, 1] and the needs still open. After each reply,
assessed by the engine:

- acknowledging the feeling (``acknowledges_feeling``, ``validates_feeling`` or an emotional
  reaction) lowers intensity by ``FIRST_ACKNOWLEDGEMENT`` the first time, ``ACKNOWLEDGEMENT``
  after that;
- each need newly met (see ``Need``) lowers it by ``NEED_MET``;
- each anti-pattern raises it by its weight in ``ANTI_PATTERNS`` (doubled when the scenario says
  it escalates this customer);
- a reply that ignores the customer's question (they asked, and it meets no need, asks nothing
  and gives no next step) raises it by ``IGNORED_QUESTION``;
- a reply with none of the above changes little: ``NOTHING_NEW`` (impatience grows slowly).

Endings: **resolved** when every need is met and intensity is at or below ``CALM``;
**escalated** when intensity reaches ``ESCALATE``; **out of turns** after the scenario's
``max_turns`` replies. The emotion stays the scenario's until the customer calms (then
``satisfied`` when every need is met, else ``neutral``) or boils over (``frustrated`` at
``BOILING`` and above).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from heard.assessment.skills import codes_of
from heard.practice.scenario import Need, Scenario
from heard.results import Assessment

FIRST_ACKNOWLEDGEMENT = 0.15
ACKNOWLEDGEMENT = 0.05
NEED_MET = 0.15
IGNORED_QUESTION = 0.10
NOTHING_NEW = 0.03
CALM = 0.30
BOILING = 0.85
ESCALATE = 0.95
MOVED = 0.05  # the smallest change the customer's next line shows
ANTI_PATTERNS: Mapping[str, float] = {
    "blames_customer": 0.20,
    "tone_policing": 0.25,
    "minimising": 0.15,
    "policy_shield": 0.15,
    "deflection": 0.10,
    "defensive_but": 0.10,
    "non_apology": 0.10,
    "scripted_phrase": 0.10,
    "bare_refusal": 0.15,
    "misread_tone": 0.20,
    "sales_push": 0.10,
    "parroting": 0.10,
    "jargon": 0.05,
    "sympathy_not_empathy": 0.05,
    "generic_reply": 0.02,
}
ACKNOWLEDGING = frozenset({"acknowledges_feeling", "validates_feeling", "emotional_reaction"})
HELPING = frozenset(
    {
        "next_steps",
        "clear_next_steps",
        "action_taken",
        "answers_question",
        "gives_steps",
        "open_question",
        "closed_question",
    }
)
# A step already taken, or steps the customer can follow, meet what a promise of one would.
IMPLIED: Mapping[str, frozenset[str]] = {
    "action_taken": frozenset({"next_steps"}),
    "gives_steps": frozenset({"next_steps"}),
}
RESOLVED, ESCALATED, OUT_OF_TURNS = "resolved", "escalated", "out_of_turns"


@dataclass(frozen=True)
class CustomerState:
    emotion: str
    intensity: float
    needs_met: frozenset[str]
    acknowledged: bool = False
    turn: int = 0
    outcome: str | None = None  # resolved | escalated | out_of_turns

    def to_dict(self) -> dict[str, Any]:
        return {
            "emotion": self.emotion,
            "intensity": round(self.intensity, 3),
            "needs_met": sorted(self.needs_met),
            "turn": self.turn,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class Reaction:
    """The new state and why: each reason is (rule, change in intensity)."""

    state: CustomerState
    change: float
    reasons: tuple[tuple[str, float], ...]
    newly_met: tuple[str, ...]

    @property
    def direction(self) -> str:
        if self.change <= -MOVED:
            return "calmer"
        if self.change >= MOVED:
            return "angrier"
        return "same"


def start(scenario: Scenario) -> CustomerState:
    return CustomerState(scenario.emotion.label, scenario.emotion.intensity, frozenset())


def meets(need: Need, codes: set[str], reply: str) -> bool:
    codes = codes.union(*(IMPLIED.get(code, frozenset()) for code in codes))
    if not codes & set(need.met_by):
        return False
    lowered = reply.lower()
    return not need.phrases or any(phrase.lower() in lowered for phrase in need.phrases)


def react(
    scenario: Scenario,
    state: CustomerState,
    assessment: Assessment,
    reply: str,
    *,
    asked: bool,
) -> Reaction:
    """The customer's reaction to one reply (``asked``: their last line was a question)."""
    codes = codes_of(assessment)
    reasons: list[tuple[str, float]] = []
    if codes & ACKNOWLEDGING:
        reasons.append(
            ("acknowledged", -(ACKNOWLEDGEMENT if state.acknowledged else FIRST_ACKNOWLEDGEMENT))
        )
    newly = tuple(
        need.id
        for need in scenario.needs
        if need.id not in state.needs_met and meets(need, codes, reply)
    )
    reasons.extend((f"need met: {need}", -NEED_MET) for need in newly)
    escalators = set(scenario.escalates_on)
    for code, weight in ANTI_PATTERNS.items():
        if code in codes:
            reasons.append((code, weight * (2 if code in escalators else 1)))
    if asked and not newly and not codes & HELPING:
        weight = IGNORED_QUESTION * (2 if "ignored_question" in escalators else 1)
        reasons.append(("ignored_question", weight))
    if not reasons:
        reasons.append(("nothing new", NOTHING_NEW))
    change = sum(delta for _, delta in reasons)
    intensity = min(1.0, max(0.0, state.intensity + change))
    met = state.needs_met | set(newly)
    turn = state.turn + 1
    everything = met >= {need.id for need in scenario.needs}
    outcome = None
    if everything and intensity <= CALM:
        outcome = RESOLVED
    elif intensity >= ESCALATE:
        outcome = ESCALATED
    elif turn >= scenario.max_turns:
        outcome = OUT_OF_TURNS
    if intensity <= CALM:
        emotion = "satisfied" if everything else "neutral"
    elif intensity >= BOILING:
        emotion = "frustrated"
    else:
        emotion = scenario.emotion.label
    new_state = replace(
        state,
        emotion=emotion,
        intensity=intensity,
        needs_met=frozenset(met),
        acknowledged=state.acknowledged or bool(codes & ACKNOWLEDGING),
        turn=turn,
        outcome=outcome,
    )
    return Reaction(new_state, intensity - state.intensity, tuple(reasons), newly)
