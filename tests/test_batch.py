"""The batch service (``heard.services.batch``) called directly: the finer cases, fast."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from heard.errors import InputError
from heard.results import EMOTIONS
from heard.services import batch

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
HEAD = 65536  # check_utf8 reads this much of a file


def load_pairs() -> list[dict[str, Any]]:
    text = (FIXTURES / "pairs.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n")[:-1]]


def line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_lines(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes("".join(text + newline for text in lines).encode("utf-8"))
    return path


def results_of(sink: io.StringIO) -> list[dict[str, Any]]:
    text = sink.getvalue()
    assert text == "" or text.endswith("\n")
    return [json.loads(row) for row in text.split("\n")[:-1]]


def check_spans(result: dict[str, Any], reply: str, context: str) -> None:
    spans = [span for finding in result["findings"] for span in finding["evidence"]]
    spans += [span for mechanism in result["mechanisms"].values() for span in mechanism["evidence"]]
    for span in spans:
        source = reply if span["source"] == "reply" else context
        assert source[span["start"] : span["end"]] == span["text"], span


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, Any]]:
    return load_pairs()


# --- chunks and order ---------------------------------------------------------------------------


def test_lines_across_chunk_boundaries_keep_their_order_ids_and_line_numbers(
    tmp_path: Path, pairs: list[dict[str, Any]]
) -> None:
    """More than two chunks of input, with bad and blank lines right at the chunk edges."""
    size = batch.CHUNK
    total = 2 * size + 40
    bad_at = {size, size + 1, 2 * size, 2 * size + 1, total}  # physical line numbers
    blank_at = {size - 1, 2 * size + 2}
    lines: list[str] = []
    expected_ids: list[Any] = []
    for number in range(1, total + 1):
        if number in blank_at:
            lines.append("   ")
        elif number in bad_at:
            lines.append('{"id": "bad", "context": "hi"}')  # no reply
        else:
            pair = pairs[number % len(pairs)]
            item_id = number if number % 3 else f"line-{number}"
            lines.append(line({"id": item_id, "context": pair["context"], "reply": pair["reply"]}))
            expected_ids.append(item_id)
    source = write_lines(tmp_path / "chunks.jsonl", lines)
    sink = io.StringIO()
    progress: list[int] = []

    report = batch.assess_file(source, sink, on_progress=progress.append)

    results = results_of(sink)
    assert [r["id"] for r in results] == expected_ids
    assert [type(r["id"]) for r in results] == [type(i) for i in expected_ids]
    assert sorted(reject.line for reject in report.rejects) == sorted(bad_at)
    assert all("reply" in reject.message for reject in report.rejects)
    assert report.read == total - len(blank_at)
    assert report.written == len(expected_ids)
    assert progress == sorted(progress)
    assert progress[-1] == report.read


def test_a_reject_describes_itself_as_file_line_message() -> None:
    reject = batch.Reject(12, "missing field 'reply'")
    assert reject.describe("pairs.jsonl") == "pairs.jsonl:12: missing field 'reply'"


def test_an_empty_file_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_bytes(b"")
    sink = io.StringIO()
    report = batch.assess_file(source, sink)
    assert (report.read, report.written, report.rejects) == (0, 0, [])
    assert sink.getvalue() == ""


def test_windows_line_endings_are_read(tmp_path: Path, pairs: list[dict[str, Any]]) -> None:
    source = write_lines(tmp_path / "crlf.jsonl", [line(p) for p in pairs[:5]], newline="\r\n")
    sink = io.StringIO()
    report = batch.assess_file(source, sink)
    assert report.rejects == []
    assert [r["id"] for r in results_of(sink)] == [p["id"] for p in pairs[:5]]


def test_unicode_line_separators_inside_strings_do_not_split_lines(tmp_path: Path) -> None:
    records = [
        {
            "id": 1,
            "context": "Line one\u2028line two\u0085line three",
            "reply": "Got it\u2029thanks.",
        },
        {"id": 2, "context": "Where is my order?", "reply": "I'll check now."},
    ]
    source = write_lines(tmp_path / "separators.jsonl", [line(r) for r in records])
    sink = io.StringIO()
    report = batch.assess_file(source, sink)
    assert report.rejects == []
    results = results_of(sink)
    assert [r["id"] for r in results] == [1, 2]
    check_spans(results[0], records[0]["reply"], records[0]["context"])


# --- ids --------------------------------------------------------------------------------------------


def test_integer_and_string_ids_come_back_as_given(tmp_path: Path) -> None:
    ids: list[Any] = [7, "7", 0, "", -3, "T-1001", 10**15, "ünïcødé-🆔"]
    lines = [
        line({"id": i, "context": "My parcel is late.", "reply": "Sorry, I'll chase it."})
        for i in ids
    ]
    sink = io.StringIO()
    report = batch.assess_file(write_lines(tmp_path / "ids.jsonl", lines), sink)
    assert report.rejects == []
    results = results_of(sink)
    assert [r["id"] for r in results] == ids
    assert [type(r["id"]) for r in results] == [type(i) for i in ids]


@pytest.mark.parametrize(
    ("raw_id", "kind"),
    [("1.5", "float"), ("null", "NoneType"), ('["a"]', "list"), ('{"n": 1}', "dict")],
)
def test_an_id_that_is_not_a_string_or_integer_is_rejected(
    tmp_path: Path, raw_id: str, kind: str
) -> None:
    lines = [
        '{"id": "ok", "context": "hi", "reply": "Hello, how can I help?"}',
        f'{{"id": {raw_id}, "context": "hi", "reply": "Hello!"}}',
    ]
    sink = io.StringIO()
    report = batch.assess_file(write_lines(tmp_path / "ids.jsonl", lines), sink)
    assert [r["id"] for r in results_of(sink)] == ["ok"]
    assert [reject.line for reject in report.rejects] == [2]
    assert "'id'" in report.rejects[0].message
    assert kind in report.rejects[0].message


# --- rejects ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json at all", ("not valid JSON",)),
        ('{"id": 1, "context": "a", "reply": "b"', ("not valid JSON",)),
        ('"just a string"', ("JSON object", "str")),
        ("[1, 2]", ("JSON object", "list")),
        ("42", ("JSON object", "int")),
        ('{"context": "a", "reply": "b"}', ("missing", "'id'")),
        ('{"id": 1, "reply": "b"}', ("missing", "'context'")),
        ('{"id": 1, "context": "a"}', ("missing", "'reply'")),
        ('{"id": 1, "context": null, "reply": "b"}', ("'context'", "str")),
        ('{"id": 1, "context": "a", "reply": 3}', ("'reply'", "str")),
        ('{"id": 1, "context": "a", "reply": ""}', ("'reply'", "empty")),
        ('{"id": 1, "context": "a", "reply": " \\n\\t\\u3000 "}', ("'reply'", "empty")),
    ],
)
def test_each_kind_of_bad_line_is_rejected_with_its_line_number(
    tmp_path: Path, text: str, words: tuple[str, ...]
) -> None:
    good = '{"id": "g", "context": "Is my refund done?", "reply": "Yes, it went through today."}'
    source = write_lines(tmp_path / "one-bad.jsonl", [good, "", text, good])
    sink = io.StringIO()
    report = batch.assess_file(source, sink)
    assert [r["id"] for r in results_of(sink)] == ["g", "g"]
    assert len(report.rejects) == 1
    reject = report.rejects[0]
    assert reject.line == 3
    for word in words:
        assert word in reject.message, reject.message
    assert (report.read, report.written) == (3, 2)


def test_read_records_skips_blank_lines_but_counts_them_in_line_numbers() -> None:
    stream = io.BytesIO(b'\n  \n{"id": 1, "text": "a"}\n\t\r\n[1]\n{"id": "x", "text": "b"}')
    report = batch.BatchReport()
    records = list(batch.read_records(stream, batch.TEXT_FIELDS, report))
    assert [(r.line, r.fields["id"]) for r in records] == [(3, 1), (6, "x")]
    assert [reject.line for reject in report.rejects] == [5]
    assert report.read == 3


# --- encodings --------------------------------------------------------------------------------------


def test_check_utf8_misses_a_bad_byte_deep_in_the_file_so_that_line_is_rejected(
    tmp_path: Path, pairs: list[dict[str, Any]]
) -> None:
    good = [line({**p, "id": n}) for n, p in enumerate(pairs * 40)]  # well over 64 KiB
    assert sum(len(text.encode()) + 1 for text in good) > 2 * HEAD
    bad_number = len(good) - 3  # 1-based line number of the bad line
    bad = b'{"id": "latin", "context": "caf\xe9", "reply": "Bienvenue au caf\xe9, Ren\xe9."}'
    content = b"".join(
        (bad if number == bad_number else text.encode("utf-8")) + b"\n"
        for number, text in enumerate(good, start=1)
    )
    assert content.index(b"\xe9") > HEAD
    source = tmp_path / "deep.jsonl"
    source.write_bytes(content)

    batch.check_utf8(source)  # only the head is checked: no error

    sink = io.StringIO()
    report = batch.assess_file(source, sink)
    assert [reject.line for reject in report.rejects] == [bad_number]
    assert "not UTF-8" in report.rejects[0].message
    assert "0xe9" in report.rejects[0].message
    assert report.written == len(good) - 1
    ids = [r["id"] for r in results_of(sink)]
    assert ids == [n for n in range(len(good)) if n != bad_number - 1]


def test_check_utf8_refuses_a_bad_byte_in_the_head_naming_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "latin1.jsonl"
    source.write_bytes(
        b'{"id": 1, "context": "hello", "reply": "Hi there."}\n'
        b'{"id": 2, "context": "thanks", "reply": "You are welcome."}\n'
        b'{"id": 3, "context": "Is the caf\xe9 open?", "reply": "Yes, until 5."}\n'
        b'{"id": 4, "context": "ok", "reply": "Bye for now."}\n'
    )
    with pytest.raises(InputError) as caught:
        batch.check_utf8(source)
    message = str(caught.value)
    assert str(source) in message
    assert "not UTF-8" in message
    assert "line 3" in message
    assert "0xe9" in message


def test_check_utf8_accepts_a_character_cut_by_the_64k_head(tmp_path: Path) -> None:
    # "é" is two bytes in UTF-8; put its first byte at the last position of the head
    filler = '{"id": 1, "context": "x", "reply": "' + "a" * (HEAD - 100)
    prefix = filler + "b" * (HEAD - 1 - len(filler.encode()))
    content = (prefix + 'é"}\n').encode("utf-8")
    assert content[HEAD - 1 : HEAD + 1] == "é".encode()
    source = tmp_path / "boundary.jsonl"
    source.write_bytes(content)
    batch.check_utf8(source)
    report = batch.assess_file(source, io.StringIO())
    assert report.rejects == []
    assert report.written == 1


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        pytest.param(
            "utf-32-le",
            "UTF-32",
        ),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_check_utf8_names_a_utf16_or_utf32_file(tmp_path: Path, encoding: str, name: str) -> None:
    text = '{"id": 1, "context": "hello", "reply": "Hi there."}\n'
    # with the byte-order mark, as the tools that write these encodings do
    data = "\ufeff".encode(encoding) + text.encode(encoding)
    source = tmp_path / "wide.jsonl"
    source.write_bytes(data)
    with pytest.raises(InputError) as caught:
        batch.check_utf8(source)
    assert name in str(caught.value)
    assert "not UTF-8" in str(caught.value)
    assert str(source) in str(caught.value)


def test_check_utf8_refuses_a_short_latin1_file_whose_accent_is_at_the_end(
    tmp_path: Path,
) -> None:
    source = tmp_path / "tail.jsonl"
    source.write_bytes(b'{"id": 1, "context": "Who do I ask for?", "reply": "Ask for Ren\xe9"}\n')
    with pytest.raises(InputError, match="not UTF-8"):
        batch.check_utf8(source)


def test_a_utf8_file_with_a_bom_is_read(tmp_path: Path) -> None:
    source = tmp_path / "bom.jsonl"
    source.write_bytes(
        b"\xef\xbb\xbf"
        + b'{"id": 1, "context": "Is my refund done?", "reply": "Yes, it went through today."}\n'
    )
    sink = io.StringIO()
    report = batch.assess_file(source, sink)
    assert report.rejects == []
    assert [r["id"] for r in results_of(sink)] == [1]


# --- truncation ---------------------------------------------------------------------------------------


def test_texts_over_10000_characters_are_marked_truncated(tmp_path: Path) -> None:
    base = "I'm sorry for the delay with your refund, I'll sort it today. "
    exactly = (base * 200)[:10_000]
    over = (base * 200)[:10_001]
    records = [
        {"id": "exact", "context": exactly, "reply": exactly},
        {"id": "long-reply", "context": "Where is my refund?", "reply": over},
        {"id": "long-context", "context": over, "reply": "Sorry, I'll sort it today."},
    ]
    sink = io.StringIO()
    report = batch.assess_file(
        write_lines(tmp_path / "long.jsonl", [line(r) for r in records]), sink
    )
    assert report.rejects == []
    results = results_of(sink)
    assert [r["truncated"] for r in results] == [False, True, True]
    for record, result in zip(records, results, strict=True):
        check_spans(result, record["reply"], record["context"])


# --- sinks and emotions ------------------------------------------------------------------------------


def test_assess_file_writes_one_json_line_per_pair_to_a_string_sink(
    pairs: list[dict[str, Any]],
) -> None:
    sink = io.StringIO()
    report = batch.assess_file(FIXTURES / "pairs.jsonl", sink)
    assert (report.read, report.written, report.rejects) == (len(pairs), len(pairs), [])
    results = results_of(sink)
    assert [r["id"] for r in results] == [p["id"] for p in pairs]
    for pair, result in zip(pairs, results, strict=True):
        assert type(result["score"]) is int
        assert 0 <= result["score"] <= 100
        check_spans(result, pair["reply"], pair["context"])


def test_emotions_file_writes_one_reading_per_text_to_a_string_sink(tmp_path: Path) -> None:
    texts = [
        (1, "This is the THIRD time I've asked!!"),
        ("b", "I'm worried my account was hacked."),
        (3, ""),
        ("d", "שלום 😡 \u202e!!!"),
    ]
    source = write_lines(tmp_path / "texts.jsonl", [line({"id": i, "text": t}) for i, t in texts])
    sink = io.StringIO()
    report = batch.emotions_file(source, sink)
    assert report.rejects == []
    results = results_of(sink)
    assert [r["id"] for r in results] == [i for i, _ in texts]
    for (_, text), result in zip(texts, results, strict=True):
        assert set(result) >= {"id", "label", "intensity", "scores"}
        assert result["label"] in EMOTIONS
        assert 0.0 <= result["intensity"] <= 1.0
        assert set(result["scores"]) == set(EMOTIONS)
        assert math.isclose(sum(result["scores"].values()), 1.0, abs_tol=1e-3)
        for cue in result["cues"]:
            for span in cue["evidence"]:
                assert text[span["start"] : span["end"]] == span["text"]


def test_emotions_file_rejects_a_line_without_text(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "text": "fine"}',
        '{"id": 2, "message": "wrong field"}',
        '{"id": 3, "text": 5}',
    ]
    sink = io.StringIO()
    report = batch.emotions_file(write_lines(tmp_path / "texts.jsonl", lines), sink)
    assert [r["id"] for r in results_of(sink)] == [1]
    assert [(r.line, "'text'" in r.message) for r in report.rejects] == [(2, True), (3, True)]


def test_two_workers_write_the_same_lines_as_one(
    tmp_path: Path, pairs: list[dict[str, Any]]
) -> None:
    records = [
        {
            "id": n if n % 2 else str(n),
            "context": pairs[n % 20]["context"],
            "reply": pairs[(n * 3) % 20]["reply"],
        }
        for n in range(batch.CHUNK + 50)
    ]
    source = write_lines(tmp_path / "workers.jsonl", [line(r) for r in records])
    one, two = io.StringIO(), io.StringIO()
    batch.assess_file(source, one, workers=1)
    report = batch.assess_file(source, two, workers=2)
    assert report.written == len(records)
    assert two.getvalue() == one.getvalue()
