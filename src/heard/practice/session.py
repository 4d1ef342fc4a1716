"""A role-play session: the trainee replies, the engine assesses, the customer reacts.

    session = RolePlay(scenario, assessor("fast"), seed=7)
    session.opening                     # the customer's first message
    turn = session.reply("I'm so sorry, ...")
    turn.customer_line, turn.state.intensity, turn.feedback

The customer's next line is picked (with the session's seeded random generator) from the
scenario's lines for the direction the reply moved them (calmer, same, angrier), followed by what
they say about the first need still open; at the end, from the resolved or escalated lines. The
same seed and replies always give the same session.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from heard.assessment.engine import Assessor
from heard.errors import HeardError, InputError
from heard.model import join_context
from heard.practice.customer import (
    ESCALATED,
    RESOLVED,
    CustomerState,
    Reaction,
    react,
    start,
)
from heard.practice.scenario import Scenario
from heard.practice.scorecard import Scorecard, scorecard
from heard.results import Assessment, FindingKind


class LineWriter(Protocol):
    """Words the customer's next line in place of the scenario's authored one (a language
    model: :class:`heard.practice.llm.LLMCustomer`). ``history``: (role, text), role
    "customer" or "agent"."""

    def line(
        self,
        scenario: Scenario,
        state: CustomerState,
        direction: str,
        open_needs: Sequence[str],
        history: Sequence[tuple[str, str]],
    ) -> str: ...


class WriterError(HeardError):
    """A line writer could not give a line (the reason is the message): the authored line is
    used instead."""


@dataclass(frozen=True)
class Feedback:
    """What worked and what to try, each with the trainee's own words as evidence."""

    worked: tuple[str, ...]
    try_next: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"worked": list(self.worked), "try": list(self.try_next)}


@dataclass(frozen=True)
class Turn:
    customer_before: str
    reply: str
    assessment: Assessment
    reaction: Reaction
    customer_line: str
    feedback: Feedback
    fallback: str | None = None  # why the language-model customer was not used for this line

    @property
    def state(self) -> CustomerState:
        return self.reaction.state

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer_before,
            "reply": self.reply,
            "score": self.assessment.score,
            "findings": [f.code for f in self.assessment.findings],
            "state": self.state.to_dict(),
            "change": round(self.reaction.change, 3),
            "reasons": [[rule, round(delta, 3)] for rule, delta in self.reaction.reasons],
            "needs_met": list(self.reaction.newly_met),
            "customer_reply": self.customer_line,
            "feedback": self.feedback.to_dict(),
            "fallback": self.fallback,
        }


def feedback_of(assessment: Assessment) -> Feedback:
    worked = tuple(
        f"{finding.message} " + "; ".join(f'"{span.text}"' for span in finding.evidence[:2])
        for finding in assessment.findings_of(FindingKind.STRENGTH)
        if finding.evidence
    )
    return Feedback(worked[:3], tuple(tip.text for tip in assessment.tips[:3]))


@dataclass
class RolePlay:
    scenario: Scenario
    assessor: Assessor
    seed: int = 0
    writer: LineWriter | None = None  # optional: a language model words the customer's lines
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._state = start(self.scenario)
        self._said: list[str] = [self.scenario.opening]  # the customer's lines so far
        self._replies: list[str] = []  # the trainee's

    def _history(self, reply: str) -> list[tuple[str, str]]:
        history: list[tuple[str, str]] = []
        for customer, agent in zip(self._said, [*self._replies, reply], strict=True):
            history += [("customer", customer), ("agent", agent)]
        return history

    def _open_needs(self, state: CustomerState) -> list[str]:
        return [n.id for n in self.scenario.needs if n.id not in state.needs_met]

    @property
    def opening(self) -> str:
        return self.scenario.opening

    @property
    def state(self) -> CustomerState:
        return self._state

    @property
    def ended(self) -> bool:
        return self._state.outcome is not None

    def reply(self, text: str) -> Turn:
        if self.ended:
            raise InputError(
                f"the session has ended ({self._state.outcome}); start a new one", field="reply"
            )
        if not text.strip():
            raise InputError("the reply is empty", field="reply")
        last = self._said[-1]
        assessment = self.assessor.assess_many(
            [(text, last)], histories=[join_context(tuple(self._said[:-1]))]
        )[0]
        reaction = react(
            self.scenario,
            self._state,
            assessment,
            text,
            asked=last.rstrip().endswith("?"),
        )
        self._state = reaction.state
        authored = self._next_line(reaction)
        line, fallback = authored, None
        if self.writer is not None:
            try:
                line = self.writer.line(
                    self.scenario,
                    reaction.state,
                    reaction.direction,
                    self._open_needs(reaction.state),
                    self._history(text),
                )
            except WriterError as error:
                fallback = f"{error}; the authored line was used"
        self._said.append(line)
        self._replies.append(text)
        turn = Turn(last, text, assessment, reaction, line, feedback_of(assessment), fallback)
        self.turns.append(turn)
        return turn

    def scorecard(self) -> Scorecard:
        emotion = self.scenario.emotion
        return scorecard(
            self.turns, start=(emotion.label, emotion.intensity), outcome=self._state.outcome
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "seed": self.seed,
            "opening": self.opening,
            "turns": [turn.to_dict() for turn in self.turns],
            "outcome": self._state.outcome,
            "scorecard": self.scorecard().to_dict(),
        }

    def _next_line(self, reaction: Reaction) -> str:
        lines = self.scenario.lines
        outcome = reaction.state.outcome
        if outcome == RESOLVED:
            return self._random.choice(lines.resolved)
        if outcome == ESCALATED:
            return self._random.choice(lines.escalated)
        by_direction = {"calmer": lines.calmer, "same": lines.same, "angrier": lines.angrier}
        line = self._random.choice(by_direction[reaction.direction])
        open_needs = self._open_needs(reaction.state)
        asks = next((lines.needs[need] for need in open_needs if need in lines.needs), None)
        if asks:
            line = f"{line} {self._random.choice(asks)}"
        return line
