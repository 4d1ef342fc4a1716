"""Role-play practice: the scenario format, the customer's rules, and whole sessions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heard.assessment.engine import Assessor
from heard.errors import InputError
from heard.practice.customer import (
    ANTI_PATTERNS,
    FIRST_ACKNOWLEDGEMENT,
    NEED_MET,
    NOTHING_NEW,
    react,
    start,
)
from heard.practice.scenario import library_path, load_library, load_scenario, parse_scenario
from heard.practice.session import RolePlay
from heard.results import Assessment
from heard.services.models import assessor as load_assessor
from support.documents import assessment_document

DOUBLE = library_path() / "double-charge.yaml"
# the line of `lines:` in that file, where an error about the customer's lines points
LINES = DOUBLE.read_text(encoding="utf-8").splitlines().index("lines:") + 1
GOOD = [
    "I'm so sorry, being charged twice for order 48213 is stressful, especially when it's your "
    "grocery money. I've refunded the second $59.99 charge now and you'll see it back within 3 "
    "business days; I'll e-mail you the confirmation today.",
]
DISMISSIVE = [
    "As I said, that's our policy. You should have checked your bank before contacting us.",
    "Please calm down, it's only $59.99.",
    "There's nothing I can do.",
]


@pytest.fixture(scope="module")
def engine() -> Assessor:
    return load_assessor("fast")


def test_the_bundled_library_is_valid() -> None:
    library = load_library()
    assert "double-charge" in library
    for scenario in library.values():
        assert scenario.needs and scenario.facts and scenario.lines.escalated


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [
        (("intensity: 0.8", "intensity: 1.8"), 12, "emotion.intensity", "less than or equal to 1"),
        (
            ("met_by: [clear_next_steps]", "met_by: [next_step]"),
            31,
            "needs[2]",
            "unknown finding code(s) ['next_step']",
        ),
        (("channel: chat", "channel: fax"), 4, "channel", "'chat', 'email' or 'phone'"),
        (
            ("max_turns: 8", "max_turns: 8\ncolour: red"),
            60,
            "colour",
            "Extra inputs are not permitted",
        ),
        (
            ("    refund: [", "    refunds: ["),
            LINES,
            "lines",
            "lines.needs has lines for unknown needs ['refunds']",
        ),
        (("id: double-charge", "id: Double Charge"), 2, "id", "should match pattern"),
    ],
    ids=["range", "unknown-code", "enum", "extra-field", "stray-lines", "id-pattern"],
)
def test_schema_errors_name_the_file_line_field_and_expectation(
    change: tuple[str, str], line: int, field: str, message: str
) -> None:
    text = DOUBLE.read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(InputError) as error:
        parse_scenario(text.replace(change[0], change[1], 1), "my.yaml")
    assert error.value.where == f"my.yaml, line {line}"
    assert error.value.field == field
    assert message in error.value.message


def test_broken_yaml_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"my.yaml, line 3: not valid YAML"):
        parse_scenario("id: x\ntitle: y\n  bad: [\n", "my.yaml")
    with pytest.raises(InputError, match="expected a mapping"):
        parse_scenario("- a list\n", "my.yaml")
    with pytest.raises(InputError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")


def assessment(codes: list[str], *, levels: tuple[int, int, int] = (0, 0, 0)) -> Assessment:
    findings = [{"code": code, "kind": "strength"} for code in codes]
    return Assessment.from_dict(assessment_document(50, findings=findings, levels=levels))


def test_the_documented_rules() -> None:
    scenario = load_scenario(DOUBLE)
    state = start(scenario)
    heard = react(
        scenario, state, assessment(["acknowledges_feeling"]), "That sounds stressful.", asked=True
    )
    assert (
        heard.reaction_change
        if False
        else heard.change == pytest.approx(-FIRST_ACKNOWLEDGEMENT - NEED_MET)
    )
    assert heard.newly_met == ("acknowledged",) and heard.direction == "calmer"
    plain = react(scenario, state, assessment([]), "Let me look.", asked=False)
    assert plain.change == pytest.approx(NOTHING_NEW) and plain.direction == "same"
    # policy_shield escalates this customer: its weight is doubled
    shield = react(scenario, state, assessment(["policy_shield"]), "It's our policy.", asked=False)
    assert dict(shield.reasons)["policy_shield"] == pytest.approx(
        2 * ANTI_PATTERNS["policy_shield"]
    )
    assert shield.state.intensity == 1.0 and shield.state.outcome == "escalated"  # clipped at 1
    blame = react(
        scenario, state, assessment(["blames_customer"]), "You should have checked.", asked=True
    )
    assert [rule for rule, _ in blame.reasons] == ["blames_customer", "ignored_question"]
    # a refund promised without a time meets the refund need only
    refund = react(
        scenario, state, assessment(["next_steps"]), "I'll refund the second charge.", asked=True
    )
    assert refund.newly_met == ("refund",)
    # a weak emotional reaction does not count as acknowledgement; a strong one does
    weak = react(scenario, state, assessment([], levels=(1, 0, 0)), "Let me check.", asked=False)
    strong = react(
        scenario, state, assessment([], levels=(2, 0, 0)), "Oh no, how awful.", asked=False
    )
    assert not weak.newly_met and strong.newly_met == ("acknowledged",)


def play(engine: Assessor, replies: list[str], seed: int = 3) -> RolePlay:
    session = RolePlay(load_scenario(DOUBLE), engine, seed=seed)
    for reply in replies:
        if session.ended:
            break
        session.reply(reply)
    return session


def test_good_replies_resolve_and_dismissive_ones_escalate(engine: Assessor) -> None:
    good = play(engine, GOOD)
    assert good.state.outcome == "resolved" and good.state.emotion == "satisfied"
    assert good.turns[-1].customer_line in load_scenario(DOUBLE).lines.resolved
    assert good.turns[0].feedback.worked  # quotes what worked
    bad = play(engine, DISMISSIVE)
    assert bad.state.outcome == "escalated"
    card = bad.scorecard()
    assert card.outcome == "escalated" and card.weakest == 0
    assert card.better_reply and card.better_reply != bad.turns[0].reply  # the engine's repair
    assert card.trajectory[0] == (0, "frustrated", 0.8) and card.trajectory[-1][2] == 1.0
    assert bad.turns[-1].customer_line in load_scenario(DOUBLE).lines.escalated
    assert bad.turns[0].feedback.try_next
    with pytest.raises(InputError, match="has ended"):
        bad.reply("Sorry.")


def test_a_mixed_session_moves_both_ways(engine: Assessor) -> None:
    session = play(
        engine,
        [
            "Let me check that for you.",
            "I'm really sorry, that's stressful when it's your grocery money.",
            "I've refunded the duplicate $59.99 charge; it will be back in your account within 3 days.",
        ],
    )
    changes = [turn.reaction.change for turn in session.turns]
    assert changes[0] > 0 > changes[1]  # impatience, then relief
    assert session.state.outcome == "resolved"
    assert len(session.turns) == 3


def test_the_same_seed_gives_the_same_session(engine: Assessor) -> None:
    replies = ["Let me check.", "Hmm, okay.", "I'll look into it."]
    first = [t.customer_line for t in play(engine, replies, seed=11).turns]
    again = [t.customer_line for t in play(engine, replies, seed=11).turns]
    assert first == again
    others = {tuple(t.customer_line for t in play(engine, replies, seed=s).turns) for s in range(8)}
    assert len(others) > 1  # the seed does choose among the authored lines


GOOD_SESSIONS = json.loads(
    (Path(__file__).parent / "fixtures" / "practice" / "good_sessions.json").read_text(
        encoding="utf-8"
    )
)
SCRIPTED = "We apologise for any inconvenience caused. Your feedback is important to us."


@pytest.mark.parametrize("scenario_id", sorted(GOOD_SESSIONS))
def test_every_scenario_resolves_when_heard_and_escalates_when_dismissed(
    engine: Assessor, scenario_id: str
) -> None:
    scenario = load_library()[scenario_id]
    for seed in (1, 2):
        good = RolePlay(scenario, engine, seed=seed)
        for reply in GOOD_SESSIONS[scenario_id]:
            if not good.ended:
                good.reply(reply)
        assert good.state.outcome == "resolved", (
            seed,
            [t.to_dict()["reasons"] for t in good.turns],
        )
        bad = RolePlay(scenario, engine, seed=seed)
        while not bad.ended:
            bad.reply(SCRIPTED if bad.state.turn % 2 else DISMISSIVE[0])
        assert bad.state.outcome == "escalated"
        assert bad.turns[-1].customer_line in scenario.lines.escalated
