"""The pair-based active-listening model (heard.ml.listening) and its data helpers, on small
hand-written data."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from heard.errors import NotFittedError
from heard.listening_data import ANNOMI_CLASSES, annomi_split, read_annomi
from heard.ml.listening import (
    PAIR_FEATURES,
    ListeningModel,
    PairClassifier,
    PairFeatures,
    pair_features,
    stem,
)

CUSTOMERS = [
    "My package arrived broken and nobody answers the phone at your support line.",
    "I was charged twice for the same order and I am really worried about my rent.",
    "The app keeps logging me out every time I try to pay, it is driving me crazy.",
    "I waited three weeks for the refund and I still have not seen any money back.",
    "My flight got cancelled and I missed my sister's wedding because of it.",
    "The technician never showed up and I took the whole day off work for nothing.",
    "I ordered a blue jacket but you sent me a red one in the wrong size.",
    "Your website says in stock but the order was cancelled two days later.",
]
REFLECTIONS = [
    "It sounds like the damaged parcel was bad enough, and then not reaching anyone made it worse.",
    "So being billed two times has you anxious about covering your rent this month.",
    "You're frustrated that the app signs you out whenever you attempt a payment.",
    "It sounds like three weeks without your refund has left you out of pocket and fed up.",
    "So you lost the chance to be at your sister's wedding, that must be heartbreaking.",
    "You gave up a day's pay waiting and nobody came, that sounds really frustrating.",
    "So the jacket that came is the wrong colour and the wrong size, not what you chose.",
    "You were told it was available and then the order was dropped, which feels unfair.",
]
QUESTIONS = [
    "Could you send me the order number?",
    "What is the email on the account?",
    "Which phone are you using?",
    "When did you request the refund?",
    "What was your booking reference?",
    "Can you confirm your postcode?",
    "What size did you order?",
    "Do you have the confirmation email?",
]
OTHER = [
    "Please restart the app and try again.",
    "Our opening hours are nine to five.",
    "You should check the tracking page.",
    "Refunds take five to seven days.",
    "I will pass this to the team.",
    "Thanks for contacting us.",
    "Returns are free within thirty days.",
    "Try clearing your browser cache.",
]


def training_data() -> tuple[list[str], list[str], list[int], list[str]]:
    contexts = CUSTOMERS * 3
    replies = REFLECTIONS + QUESTIONS + OTHER
    labels = [0] * 8 + [1] * 8 + [2] * 8
    groups = [f"g{i % 8}" for i in range(24)]
    return contexts, replies, labels, groups


def fitted(**options: object) -> PairClassifier:
    contexts, replies, labels, groups = training_data()
    params: dict[str, object] = {
        "reflection_classes": (0,),
        "parrot_label": 2,
        "parrot_share": 1.0,
        "folds": 4,
        **options,
    }
    return PairClassifier(**params).fit(contexts, replies, labels, groups=groups)  # type: ignore[arg-type]


def test_init_stores_options_and_predict_needs_fit() -> None:
    model = PairClassifier(C=0.5, pair_weight=2.0)
    assert model.C == 0.5 and model.pair_weight == 2.0
    assert not hasattr(model, "head_")
    with pytest.raises(NotFittedError):
        model.predict_proba(["a"], ["b"])
    with pytest.raises(NotFittedError):
        PairFeatures().transform(["a"], ["b"])


def test_fit_returns_self_and_probabilities_are_distributions() -> None:
    model = PairClassifier(reflection_classes=(0,), folds=4)
    contexts, replies, labels, groups = training_data()
    assert model.fit(contexts, replies, labels, groups=groups) is model
    proba = model.predict_proba(contexts, replies)
    assert proba.shape == (24, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.predict(contexts, replies).shape == (24,)
    assert (model.predict(contexts, replies) == np.asarray(labels)).mean() > 0.8
    reflection = model.reflection_probability(contexts, replies)
    np.testing.assert_allclose(reflection, proba[:, 0])


def test_save_load_round_trip_gives_identical_outputs(tmp_path: Path) -> None:
    model = fitted()
    model.save(tmp_path / "m", metadata={"note": "test"})
    loaded = PairClassifier.load(tmp_path / "m")
    contexts, replies, _, _ = training_data()
    np.testing.assert_array_equal(
        model.predict_proba(contexts, replies), loaded.predict_proba(contexts, replies)
    )
    assert loaded.metadata_ == {"note": "test"}
    assert loaded.reflection_classes == (0,)


def test_listening_model_bundles_both_heads(tmp_path: Path) -> None:
    behaviour = fitted()
    contexts, replies, labels, groups = training_data()
    levels = [2 if label == 0 else 0 for label in labels]
    levels[0] = levels[8] = 1
    interpretations = PairClassifier(folds=4).fit(contexts, replies, levels, groups=groups)
    ListeningModel(interpretations, behaviour).save(tmp_path / "listening")
    loaded = ListeningModel.load(tmp_path / "listening")
    outputs = loaded.predict(contexts[:2], replies[:2])
    assert len(outputs) == 2
    assert abs(sum(outputs[0].interpretations) - 1.0) < 1e-9
    assert abs(sum(outputs[0].behaviour) - 1.0) < 1e-9
    assert outputs[0].reflection == pytest.approx(outputs[0].behaviour[0])


def test_parroting_scores_lower_than_a_paraphrase() -> None:
    model = fitted()
    customers = [
        "My order never arrived and the tracking has not changed for a week.",
        "I have been on hold for an hour and I am so tired of waiting.",
        "You cancelled my subscription without asking and now I lost my saved files.",
    ]
    paraphrases = [
        "It sounds like you've been left in the dark with a parcel that seems stuck.",
        "So a whole hour waiting on the line has really worn you out.",
        "You're upset that it was ended without your say, and your files went with it.",
    ]
    parrots = customers  # the customer's own words echoed back
    real = model.reflection_probability(customers, paraphrases)
    echoed = model.reflection_probability(customers, parrots)
    assert (echoed < real).all()


def test_pair_features_see_copying_and_overlap() -> None:
    names = list(PAIR_FEATURES)
    customer = "I was charged twice for the same order and I am worried about my rent."
    parrot = pair_features(customer, customer, {}, 1.0)
    paraphrase = pair_features(
        customer, "So you are anxious about rent after the double charge.", {}, 1.0
    )
    unrelated = pair_features(customer, "Our opening hours are nine to five.", {}, 1.0)
    copied = names.index("copied_share_run4")
    coverage = names.index("context_coverage")
    assert parrot[copied] == 1.0 and paraphrase[copied] == 0.0
    assert paraphrase[coverage] > unrelated[coverage] == 0.0
    assert parrot[names.index("reply_inside_context")] == 1.0
    assert paraphrase[names.index("reflective_stems_log")] > 0
    assert len(parrot) == len(names)
    assert stem("charged") == stem("charges") == "charg"


def test_pair_features_tell_generic_from_specific_understanding() -> None:
    """EPITOME's weak interpretation is understanding in general; a strong one names what the
    seeker feels or shares the same experience."""
    names = list(PAIR_FEATURES)
    customer = "I lost my job last month and I can't stop thinking I'm a failure."

    def feature(reply: str, name: str) -> float:
        return pair_features(customer, reply, {}, 1.0)[names.index(name)]

    generic = "I understand. I know what you mean."
    inferred = "Losing your job out of nowhere must be frightening, and you sound exhausted."
    own = "I was laid off two years ago and I felt the same way for months."
    advice = "Update your CV and apply for three jobs a day."
    assert feature(generic, "generic_understanding_only") == 1.0
    assert feature(generic, "generic_understanding_share") == 1.0
    assert feature(generic, "generic_understanding_short") == 1.0
    assert feature(inferred, "inferred_feeling") == 1.0
    assert feature(inferred, "generic_understanding") == 0.0
    assert feature(own, "own_experience") == 1.0
    assert feature(own, "generic_understanding_only") == 0.0
    for name in ("generic_understanding", "own_experience", "inferred_feeling"):
        assert feature(advice, name) == 0.0


def test_annomi_reader_pairs_each_therapist_turn_with_the_last_client_turn(tmp_path: Path) -> None:
    folder = tmp_path / "annomi"
    folder.mkdir()
    fields = [
        "transcript_id",
        "utterance_id",
        "interlocutor",
        "utterance_text",
        "main_therapist_behaviour",
    ]
    rows = [
        ("7", "0", "therapist", "Hi, how are you?", "question"),
        ("7", "2", "therapist", "So you feel low.", "reflection"),
        ("7", "1", "client", "I feel low.", "n/a"),
        ("7", "3", "therapist", "Exercise helps.", "therapist_input"),
    ]
    with (folder / "AnnoMI-simple.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        writer.writerows(rows)
    pairs = read_annomi(tmp_path)
    assert [(p.context, p.reply, ANNOMI_CLASSES[p.label]) for p in pairs] == [
        ("", "Hi, how are you?", "question"),
        ("I feel low.", "So you feel low.", "reflection"),
        ("I feel low.", "Exercise helps.", "other"),
    ]
    assert {p.group for p in pairs} == {"7"}
    split = annomi_split("7")
    assert read_annomi(tmp_path, split) == pairs
    assert annomi_split("7") == split  # deterministic
    shares = [annomi_split(str(i)) == "dev" for i in range(2000)]
    assert 0.15 < float(np.mean(shares)) < 0.25
