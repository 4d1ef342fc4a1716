"""The active-listening drill bank and its scorer: every item's exemplar scores well and beats a
parroted and a premature answer; each of the six parts follows its rule; bad input is named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from heard.errors import InputError
from heard.practice.drills import BRIEF, DrillItem, DrillScorer, load_bank
from heard.practice.scenario import load_library
from heard.results import EMOTIONS
from heard.services.models import assessor, drill_scorer

pytestmark = pytest.mark.encoder

BANK = load_bank()
PREMATURE = "I'll sort that out for you right away."

ENGINEER = DrillItem.model_validate(
    {
        "id": "engineer-no-show",
        "message": "I waited in all Tuesday for your engineer and nobody turned up. Now my broadband's been down for nine days and I work from home.",
        "emotion": "frustrated",
        "facts": [
            {
                "id": "no-show",
                "text": "the engineer never came on Tuesday",
                "keywords": [
                    "engineer",
                    "technician",
                    "no-show",
                    "didn't come",
                    "never came",
                    "didn't turn up",
                ],
            },
            {
                "id": "down",
                "text": "the internet has been down for nine days",
                "keywords": [
                    "nine days",
                    "9 days",
                    "over a week",
                    "internet",
                    "connection",
                    "offline",
                ],
            },
            {
                "id": "work",
                "text": "they work from home",
                "keywords": [
                    "work from home",
                    "working from home",
                    "your job",
                    "your work",
                    "home office",
                ],
            },
        ],
        "exemplar": "So you lost a whole day waiting for a technician who never came, and with your connection gone for over a week while you work from home, you must be fed up.",
    }
)
NEUTRAL = DrillItem.model_validate(
    {
        "id": "address-question",
        "message": "Hello, can I change the delivery address on order 40210? It is still showing my old one.",
        "emotion": "neutral",
        "facts": [
            {
                "id": "change",
                "text": "they want to change the delivery address",
                "keywords": ["address"],
            },
            {"id": "order", "text": "it is order 40210", "keywords": ["40210"]},
        ],
        "exemplar": "So you'd like order 40210 sent to your new address rather than the old one.",
    }
)


@pytest.fixture(scope="module")
def scorer() -> DrillScorer:
    return drill_scorer(assessor("fast"))


def test_bank_loads_with_every_emotion() -> None:
    assert len(BANK) >= 40
    assert {item.emotion for item in BANK.values()} == set(EMOTIONS)
    for item in BANK.values():
        assert len(item.facts) >= 2, item.id
        assert len({fact.id for fact in item.facts}) == len(item.facts), item.id


def test_bank_names_only_known_scenarios() -> None:
    known = set(load_library())
    named = {item.scenario for item in BANK.values() if item.scenario}
    assert named <= known, sorted(named - known)


@pytest.mark.parametrize("item", list(BANK.values()), ids=list(BANK))
def test_exemplar_scores_well_and_beats_bad_answers(scorer: DrillScorer, item: DrillItem) -> None:
    exemplar = scorer.score(item, item.exemplar)
    assert exemplar.score >= 90, (exemplar.parts, exemplar.feedback)
    parroted = scorer.score(item, "You said " + item.message)
    assert parroted.score < exemplar.score
    assert parroted.parts["no_parroting"] == 0.0
    premature = scorer.score(item, PREMATURE)
    assert premature.score < exemplar.score
    assert premature.parts["no_premature_solution"] == 0.0


def test_ranking_on_a_hand_written_item(scorer: DrillScorer) -> None:
    good = scorer.score(ENGINEER, ENGINEER.exemplar).score
    parroted = scorer.score(ENGINEER, "You said " + ENGINEER.message).score
    premature = scorer.score(ENGINEER, PREMATURE).score
    bare = scorer.score(ENGINEER, "Okay.").score
    assert good > parroted > premature
    assert good == 100.0
    # a promise to fix is not a reflection: it scores no better than saying nothing useful
    assert premature <= bare


def test_a_fact_in_other_words_is_found_by_meaning(scorer: DrillScorer) -> None:
    answer = "It sounds like your broadband has been dead for more than a week."
    down = next(f for f in ENGINEER.facts if f.id == "down")
    assert not any(k.lower() in answer.lower() for k in down.keywords)  # so not by keyword
    result = scorer.score(ENGINEER, answer)
    assert result.facts["down"] is True
    assert result.facts["work"] is False
    assert any("work from home" in note for note in result.feedback)


def test_feeling_named_needed_except_for_a_neutral_customer(scorer: DrillScorer) -> None:
    flat = "So you want order 40210 to go to the address you have now."
    assert scorer.score(NEUTRAL, flat).parts["feeling"] == 1.0
    upset = NEUTRAL.model_copy(update={"emotion": "frustrated"})
    assert scorer.score(upset, flat).parts["feeling"] == 0.0
    assert scorer.score(upset, flat + " That's annoying.").parts["feeling"] == 1.0


def test_form_needs_a_reflective_shape(scorer: DrillScorer) -> None:
    assert (
        scorer.score(NEUTRAL, "So you'd like the address on order 40210 changed.").parts["form"]
        == 1.0
    )
    result = scorer.score(NEUTRAL, "The address on order 40210 needs changing.")
    assert result.parts["form"] == 0.0
    assert any("It sounds like" in note for note in result.feedback)


def test_a_fix_before_the_reflection_is_premature(scorer: DrillScorer) -> None:
    reflection = "It sounds like the engineer never came and you've been offline for nine days, which is maddening."
    assert scorer.score(ENGINEER, reflection).parts["no_premature_solution"] == 1.0
    result = scorer.score(ENGINEER, reflection + " Let me check when the next visit is.")
    assert result.parts["no_premature_solution"] == 0.0
    assert result.score < scorer.score(ENGINEER, reflection).score


def test_parroting_loses_its_part(scorer: DrillScorer) -> None:
    result = scorer.score(
        ENGINEER, "So you waited in all Tuesday for your engineer and nobody turned up."
    )
    assert result.parts["no_parroting"] == 0.0
    assert any("own words" in note for note in result.feedback)


def test_a_long_answer_loses_brevity(scorer: DrillScorer) -> None:
    long = (ENGINEER.exemplar + " ") * 4
    words = re.findall(r"[\w']+", long)[:100]
    answer = " ".join(words)
    assert len(re.findall(r"[\w']+", answer)) == 100 > BRIEF
    result = scorer.score(ENGINEER, answer)
    assert result.parts["brevity"] < 1.0
    assert result.parts["brevity"] == max(0.0, 1 - (100 - BRIEF) / BRIEF)
    assert scorer.score(ENGINEER, ENGINEER.exemplar).parts["brevity"] == 1.0


@pytest.mark.parametrize("answer", ["", "   \n"])
def test_an_empty_answer_is_refused(scorer: DrillScorer, answer: str) -> None:
    with pytest.raises(InputError) as caught:
        scorer.score(ENGINEER, answer)
    assert caught.value.field == "answer"


GOOD_ITEM = """\
- id: fine
  message: "Where is my parcel?"
  emotion: neutral
  facts:
    - {id: where, text: "they ask where the parcel is", keywords: ["parcel"]}
  exemplar: "So you're wondering where your parcel has got to."
"""


def test_a_malformed_bank_file_is_named_with_its_field(tmp_path: Path) -> None:
    (tmp_path / "a-good.yaml").write_text(GOOD_ITEM, encoding="utf-8")
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(
        GOOD_ITEM.replace("id: fine", "id: other").replace("neutral", "grumpy"), encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_bank(tmp_path)
    assert caught.value.where == str(bad)
    assert caught.value.field == "[0].emotion"
    assert "b-bad.yaml" in str(caught.value) and "[0].emotion" in str(caught.value)


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "drills.yaml"
    bad.write_text(
        GOOD_ITEM.replace('  exemplar: "So you\'re wondering where your parcel has got to."\n', ""),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_bank(tmp_path)
    assert caught.value.where == str(bad)
    assert caught.value.field == "[0].exemplar"


def test_unreadable_yaml_and_a_reused_id_are_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bank(tmp_path)
    assert caught.value.where == str(broken)
    broken.unlink()
    (tmp_path / "one.yaml").write_text(GOOD_ITEM, encoding="utf-8")
    again = tmp_path / "two.yaml"
    again.write_text(GOOD_ITEM, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bank(tmp_path)
    assert caught.value.where == str(again)
    assert caught.value.field == "id"
