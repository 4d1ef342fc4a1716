"""The bundled sample conversations against a QA reviewer's expectations (what each reply
unmistakably contains, and the traps a naive detector would wrongly fire on)."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

import pytest

from heard.services.models import assessor
from heard.services.samples import AssessedReply, assess_conversations, load_conversations

EXPECTATIONS = json.loads(
    (Path(__file__).parent / "fixtures" / "sample_expectations.json").read_text()
)["turns"]


@pytest.fixture(scope="module")
def assessed() -> dict[str, AssessedReply]:
    return {r.turn.id: r for r in assess_conversations(assessor("fast"), load_conversations())}


def test_every_agent_turn_has_an_expectation(assessed: dict[str, AssessedReply]) -> None:
    assert set(assessed) == set(EXPECTATIONS)


@pytest.mark.parametrize("turn", sorted(EXPECTATIONS))
def test_reply_matches_the_reviewer(turn: str, assessed: dict[str, AssessedReply]) -> None:
    expected = EXPECTATIONS[turn]
    codes = {f.code for f in assessed[turn].assessment.findings}
    missing = set(expected["contains"]) - codes
    wrong = set(expected["absent"]) & codes
    assert not missing, f"{turn}: expected {sorted(missing)} ({expected['note']})"
    assert not wrong, f"{turn}: wrongly found {sorted(wrong)} ({expected['note']})"


def test_scores_rank_reviewer_quality(assessed: dict[str, AssessedReply]) -> None:
    by_quality: dict[str, list[int]] = {}
    for turn, expected in EXPECTATIONS.items():
        by_quality.setdefault(expected["quality"], []).append(assessed[turn].assessment.score)
    assert mean(by_quality["strong"]) > mean(by_quality["adequate"]) > mean(by_quality["poor"])
    assert min(by_quality["strong"]) > mean(by_quality["poor"])


def test_the_consistently_weak_agent_scores_lowest(assessed: dict[str, AssessedReply]) -> None:
    per_agent: dict[str, list[int]] = {}
    for reply in assessed.values():
        per_agent.setdefault(reply.agent.name or "", []).append(reply.assessment.score)
    means = {name: mean(scores) for name, scores in per_agent.items()}
    assert min(means, key=means.__getitem__) == "Tom"
    assert means["Maya"] > means["Tom"] + 20 and means["Priya"] > means["Tom"] + 20
