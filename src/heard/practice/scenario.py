"""The scenario format: a simulated customer, what they need, and their lines for each state.

Scenarios are YAML files (see ``src/heard/data/scenarios/`` and docs/scenarios.md). A file is read
with ``load_scenario(path)``; any problem is an ``InputError`` naming the file, the line, the field
(as a path such as ``needs[1].met_by``) and what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from heard.errors import InputError
from heard.results import EMOTIONS

Channel = Literal["chat", "email", "phone"]
Difficulty = Literal["routine", "complex"]
# Finding codes of the engine that can meet a need (see heard.scoring.registry).
NEED_CODES = frozenset(
    {
        "emotional_reaction",
        "interpretation",
        "exploration",
        "acknowledges_feeling",
        "validates_feeling",
        "apology",
        "ownership",
        "clear_next_steps",
        "next_steps",
        "action_taken",
        "answers_question",
        "gives_steps",
        "personalised",
        "open_question",
        "closed_question",
    }
)
# Anti-patterns a scenario may name as what escalates this customer most.
ESCALATORS = frozenset(
    {
        "blames_customer",
        "deflection",
        "minimising",
        "tone_policing",
        "policy_shield",
        "jargon",
        "defensive_but",
        "scripted_phrase",
        "generic_reply",
        "non_apology",
        "sympathy_not_empathy",
        "ignored_question",
    }
)
Text = Annotated[str, Field(min_length=1)]
Lines = Annotated[list[Text], Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Style(_Strict):
    directness: Literal["direct", "indirect"]
    formality: Literal["formal", "informal"]


class Persona(_Strict):
    name: Text
    style: Style
    cultural_notes: str = ""  # what feels respectful to this customer, for the trainee


class Emotion(_Strict):
    label: Literal[EMOTIONS]  # type: ignore[valid-type]
    intensity: Annotated[float, Field(ge=0.0, le=1.0)]


class Fact(_Strict):
    """A key fact of the case: what a good reflection captures."""

    id: Text
    text: Text
    keywords: Lines  # words or phrases that show the fact was picked up (any of them)


class Need(_Strict):
    """What the customer must hear or get before they calm down.

    Met by a reply that has any of ``met_by`` (engine finding codes) and, when ``phrases`` is
    given, also says one of them (case-insensitive).
    """

    id: Text
    description: Text
    met_by: Annotated[list[Text], Field(min_length=1)]
    phrases: list[Text] = []

    @model_validator(mode="after")
    def _known_codes(self) -> Need:
        unknown = sorted(set(self.met_by) - NEED_CODES)
        if unknown:
            raise ValueError(
                f"unknown finding code(s) {unknown}; expected some of {sorted(NEED_CODES)}"
            )
        return self


class Policy(_Strict):
    may_offer: list[Text] = []
    may_not: list[Text] = []


class CustomerLines(_Strict):
    """The customer's lines, in the persona's voice: one is picked for each turn."""

    calmer: Lines
    same: Lines
    angrier: Lines
    resolved: Lines
    escalated: Lines
    needs: dict[str, Lines] = {}  # need id -> what they say while it is still open


class Scenario(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    channel: Channel
    difficulty: Difficulty
    persona: Persona
    opening: Text
    emotion: Emotion
    facts: Annotated[list[Fact], Field(min_length=1)]
    needs: Annotated[list[Need], Field(min_length=1)]
    policy: Policy = Policy()
    escalates_on: list[Text] = []
    lines: CustomerLines
    max_turns: Annotated[int, Field(ge=2, le=30)] = 8
    source: str = ""  # where the flow comes from (e.g. "ABCD: manage_dispute_bill")

    # Field validators, so that an error points at the field (and line) at fault.
    @field_validator("escalates_on")
    @classmethod
    def _known_escalators(cls, codes: list[str]) -> list[str]:
        unknown = sorted(set(codes) - ESCALATORS)
        if unknown:
            raise ValueError(f"unknown code(s) {unknown}; expected some of {sorted(ESCALATORS)}")
        return codes

    @field_validator("needs")
    @classmethod
    def _unique_needs(cls, needs: list[Need]) -> list[Need]:
        ids = [need.id for need in needs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"need ids must be unique, got {ids}")
        return needs

    @field_validator("lines")
    @classmethod
    def _lines_for_known_needs(cls, lines: CustomerLines, info: ValidationInfo) -> CustomerLines:
        ids = [need.id for need in info.data.get("needs", [])]
        strays = sorted(set(lines.needs) - set(ids))
        if ids and strays:
            raise ValueError(f"lines.needs has lines for unknown needs {strays}; needs: {ids}")
        return lines


def _line_of(document: Any, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the field at ``loc``: its key's line for a mapping entry, its item's
    line in a list; the nearest parent found when the path goes beyond the document."""
    if document is None:
        return None
    node, line = document, int(document.start_mark.line) + 1
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def parse_scenario(text: str, where: str) -> Scenario:
    try:
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise InputError(
            f"not valid YAML: {getattr(error, 'problem', error)}", where=where + line
        ) from error
    if not isinstance(data, dict):
        raise InputError("expected a mapping of scenario fields (id, title, ...)", where=where)
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = [
            step
            for step in first["loc"]
            if not isinstance(step, str) or not step.startswith("function-")
        ]
        number = _line_of(tree, loc)
        problem = first["msg"].removeprefix("Value error, ")
        extra = len(error.errors()) - 1
        raise InputError(
            problem + (f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""),
            where=f"{where}, line {number}" if number else where,
            field=_path(loc) or None,
        ) from error


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the scenario: {error}", where=str(path)) from error
    return parse_scenario(text, str(path))


def library_path() -> Path:
    return Path(str(resources.files("heard") / "data" / "scenarios"))


def load_library(folder: Path | None = None) -> dict[str, Scenario]:
    """Every scenario in the folder (default: the bundled library), by id."""
    scenarios: dict[str, Scenario] = {}
    for path in sorted((folder or library_path()).glob("*.yaml")):
        scenario = load_scenario(path)
        if scenario.id in scenarios:
            raise InputError(
                f"scenario id {scenario.id!r} is used twice", where=str(path), field="id"
            )
        scenarios[scenario.id] = scenario
    return scenarios
