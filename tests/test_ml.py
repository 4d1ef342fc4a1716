"""Learned models: the TF-IDF features, the estimator contract, save → load round trips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heard.datasets import iter_single_label, read_epitome, read_goemotions
from heard.errors import ModelError, NotFittedError
from heard.ml.artefact import load_artefact, save_artefact
from heard.ml.emotion import EmotionClassifier
from heard.ml.mechanisms import MechanismClassifier, rationale_labels, select_evidence
from heard.ml.text_classifier import MultiHeadTextClassifier
from heard.ml.vectorizer import Analyzer, TfidfFeatures, char_ngram_buckets, word_ngrams
from heard.results import EMOTIONS, MECHANISMS
from heard.text import Segment

DATA = Path(__file__).parent / "fixtures" / "data"
TEXTS = [
    "My order 48213 hasn't arrived!!",
    "Thanks so much, that fixed it.",
    "I'm worried my card was charged twice?",
    "",
    "Où est ma commande ? 🙂",
]


def test_word_block_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = [t for t in TEXTS if t] * 2 + ["another order arrived", "the card was fine"]
    ours = TfidfFeatures([Analyzer("word", 1, 2)], min_df=1).fit(corpus)
    theirs = TfidfVectorizer(analyzer=lambda t: word_ngrams(t, 1, 2), sublinear_tf=True).fit(corpus)
    mine = ours.transform(TEXTS).toarray()
    reference = theirs.transform(TEXTS).toarray()
    vocabulary = ours.blocks_[0].vocabulary
    order = [vocabulary[term] for term in theirs.get_feature_names_out()]
    np.testing.assert_allclose(mine[:, order], reference, rtol=1e-5, atol=1e-6)


def test_char_ngrams_stay_inside_padded_words() -> None:
    docs, buckets = char_ngram_buckets(["ab cd", ""], 2, 3)
    assert set(docs.tolist()) == {0}  # the empty text has no n-grams
    # " ab", "ab ", " a", "ab", "b " and the same for "cd": 10, none spanning the space
    assert len(buckets) == 10


def test_char_hashing_is_stable_across_processes() -> None:
    code = (
        "from heard.ml.vectorizer import char_ngram_buckets;"
        "print(char_ngram_buckets(['Where is my parcel?'], 2, 5)[1].tolist())"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            ).stdout
        )
    assert len(outputs) == 1


def test_features_rows_are_l2_normalised_per_block() -> None:
    features = TfidfFeatures(min_df=1).fit(TEXTS)
    matrix = features.transform(TEXTS[:3]).toarray()
    split = features.blocks_[0].size
    for block in (matrix[:, :split], matrix[:, split:]):
        np.testing.assert_allclose(np.linalg.norm(block, axis=1), 1.0, rtol=1e-5)


def test_unfitted_models_raise() -> None:
    with pytest.raises(NotFittedError):
        TfidfFeatures().transform(["x"])
    with pytest.raises(NotFittedError):
        EmotionClassifier().predict_proba(["x"])
    with pytest.raises(NotFittedError):
        MechanismClassifier().predict(["x"], ["y"])


@pytest.fixture(scope="module")
def emotion_model() -> EmotionClassifier:
    rows = list(iter_single_label(read_goemotions(DATA, "train")))
    return EmotionClassifier(min_df=1, max_features=None).fit(
        [t for t, _ in rows], [label for _, label in rows]
    )


def test_emotion_model_round_trip(emotion_model: EmotionClassifier, tmp_path: Path) -> None:
    emotion_model.save(tmp_path / "emotion")
    loaded = EmotionClassifier.load(tmp_path / "emotion")
    texts = ["I'm scared my account was hacked", "Thanks a lot!", "what does this mean?"]
    np.testing.assert_allclose(
        loaded.predict_proba(texts), emotion_model.predict_proba(texts), rtol=1e-6
    )
    probabilities = loaded.predict_proba(texts)
    assert probabilities.shape == (3, len(EMOTIONS))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert loaded.predict(["I'm scared my account was hacked"]) == ["anxious"]


def test_mechanism_model_round_trip(tmp_path: Path) -> None:
    examples = read_epitome(DATA, "train")
    model = MechanismClassifier(min_df=1).fit(examples)
    model.save(tmp_path / "mechanisms")
    loaded = MechanismClassifier.load(tmp_path / "mechanisms")
    replies = ["What happened when you told them?", "I'm so sorry, that sounds really painful."]
    before, after = model.predict(["", ""], replies), loaded.predict(["", ""], replies)
    for a, b in zip(before, after, strict=True):
        assert a.evidence == b.evidence
        for m in MECHANISMS:
            np.testing.assert_allclose(a.probabilities[m], b.probabilities[m], rtol=1e-6)
    # the model learned the obvious: a question explores, "so sorry" reacts
    assert int(np.argmax(after[0].probabilities["explorations"])) == 2
    assert int(np.argmax(after[1].probabilities["emotional_reactions"])) == 2


def test_rationale_labels_cover_half_a_sentence() -> None:
    reply = "I'm sorry. What happened next? Bye."
    labels = rationale_labels(reply, ["What happened next?", "missing span"])
    assert [(s.of(reply), y) for s, y in labels] == [
        ("I'm sorry.", 0),
        ("What happened next?", 1),
        ("Bye.", 0),
    ]


def test_evidence_falls_back_to_the_likeliest_sentence() -> None:
    segments = [Segment(0, 3), Segment(4, 8)]
    assert select_evidence(segments, np.array([0.2, 0.4])) == (Segment(4, 8),)
    assert select_evidence(segments, np.array([0.7, 0.9])) == tuple(segments)
    assert select_evidence([], np.array([])) == ()


def test_artefact_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a saved heard model"):
        load_artefact(tmp_path / "nothing", kind="k")
    save_artefact(tmp_path / "a", kind="k", config={}, arrays={"w": np.zeros(2)})
    with pytest.raises(ModelError, match="holds a 'k' model, expected 'other'"):
        load_artefact(tmp_path / "a", kind="other")
    config = json.loads((tmp_path / "a" / "config.json").read_text())
    (tmp_path / "a" / "config.json").write_text(json.dumps({**config, "format_version": 99}))
    with pytest.raises(ModelError, match="format version 99"):
        load_artefact(tmp_path / "a", kind="k")
    (tmp_path / "a" / "config.json").write_text(json.dumps(config))
    (tmp_path / "a" / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="cannot read the weights"):
        load_artefact(tmp_path / "a", kind="k")


def test_multi_head_rejects_mismatched_labels() -> None:
    with pytest.raises(ValueError, match="head 'h' has 1 labels for 2 texts"):
        MultiHeadTextClassifier().fit(["a", "b"], {"h": [1]})


def test_the_manifest_gives_the_same_model_version_as_the_loaded_tier(tmp_path: Path) -> None:
    from heard.services.models import assessor, model_version

    assert model_version("fast") == assessor("fast").model_version
    (tmp_path / "manifest.json").write_text(json.dumps({"fast": {"version": "2030-01-01"}}))
    assert model_version("fast", model_dir=tmp_path) == "fast-2030-01-01"
    with pytest.raises(ModelError, match="accurate tier is not among the models"):
        model_version("accurate", model_dir=tmp_path)
