"""The ``heard`` command line, run as a real subprocess through the installed entry point.

Each subprocess costs a second or so, so the batch runs are module-scoped fixtures that run the
command once and several tests check what it produced. Runs use a working directory under
``tmp_path`` and relative file names, as a user at a shell would.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HEARD = Path(sys.executable).parent / "heard"
FIXTURES = Path(__file__).parent / "fixtures" / "cli"
PAIRS_FILE = FIXTURES / "pairs.jsonl"
EMOTIONS_FILE = FIXTURES / "emotions.jsonl"
SAMPLES = Path(__file__).parents[1] / "src" / "heard" / "data" / "samples" / "conversations.json"

EMOTIONS = {"frustrated", "anxious", "disappointed", "confused", "satisfied", "neutral"}
MECHANISMS = {"emotional_reactions", "interpretations", "explorations"}
KINDS = {"strength", "gap", "anti_pattern"}
MAX_CHARS = 10_000
# Rich's progress bar draws with these; a carriage return would mean a redrawn line.
PROGRESS_MARKS = ("━", "\r", "\x1b[")

# Terminal-size and colour overrides from the caller's environment would change what Rich prints;
# drop them so that every run sees a plain pipe, as in a script or CI job.
_DROPPED_ENV = {"COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"}


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def flat_stderr(self) -> str:
        """stderr with all white space (including Rich's line wrapping) collapsed to one space."""
        return " ".join(self.stderr.split())


def heard(*args: str | Path, cwd: Path, timeout: float = 60) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    completed = subprocess.run(
        [str(HEARD), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Run(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


def read_jsonl(text: str) -> list[dict[str, Any]]:
    """JSONL lines split on "\\n" only (a JSON string may hold U+2028, which splitlines() splits)."""
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.split("\n")[:-1]]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


def load_pairs() -> list[dict[str, Any]]:
    return read_jsonl(PAIRS_FILE.read_text(encoding="utf-8"))


# --- the JSON contract ----------------------------------------------------------------------------


def check_span(span: dict[str, Any], reply: str, context: str) -> None:
    assert set(span) >= {"source", "start", "end", "text"}
    assert span["source"] in ("reply", "context")
    source = reply if span["source"] == "reply" else context
    start, end = span["start"], span["end"]
    assert type(start) is int
    assert type(end) is int
    assert 0 <= start < end <= len(source), span
    assert source[start:end] == span["text"], span


def check_probabilities(values: list[float]) -> None:
    assert all(isinstance(p, float | int) and not isinstance(p, bool) for p in values)
    assert all(0.0 <= p <= 1.0 for p in values), values
    # Rounded to 4 decimals in the output, so allow for the rounding.
    assert math.isclose(sum(values), 1.0, abs_tol=1e-3), values


def check_emotion(emotion: dict[str, Any]) -> None:
    assert emotion["label"] in EMOTIONS
    assert isinstance(emotion["intensity"], float | int)
    assert 0.0 <= emotion["intensity"] <= 1.0
    scores = emotion["scores"]
    assert set(scores) == EMOTIONS
    check_probabilities(list(scores.values()))
    assert scores[emotion["label"]] >= max(scores.values()) - 1e-4, emotion


def check_assessment(
    result: dict[str, Any], reply: str, context: str, *, rewrite_required: bool = True
) -> None:
    """Every field of ``Assessment.to_dict()`` with its type and range, and the span invariant.

    ``rewrite_required=False`` leaves out only the check that the rewrite is not empty, for
    inputs known to break it (that check then has its own, expected-to-fail, test).
    """
    assert set(result) >= {
        "score",
        "mechanisms",
        "customer_emotion",
        "findings",
        "tips",
        "rewrite",
        "truncated",
    }
    assert type(result["score"]) is int
    assert 0 <= result["score"] <= 100

    assert set(result["mechanisms"]) == MECHANISMS
    for mechanism in result["mechanisms"].values():
        assert mechanism["level"] in (0, 1, 2)
        assert type(mechanism["level"]) is int
        probabilities = mechanism["probabilities"]
        assert len(probabilities) == 3
        check_probabilities(probabilities)
        assert probabilities[mechanism["level"]] == max(probabilities)
        for span in mechanism["evidence"]:
            check_span(span, reply, context)
            assert span["source"] == "reply"

    check_emotion(result["customer_emotion"])

    codes = set()
    for finding in result["findings"]:
        assert isinstance(finding["code"], str)
        assert finding["code"]
        assert finding["kind"] in KINDS
        assert isinstance(finding["message"], str)
        assert finding["message"].strip()
        assert finding["evidence"], f"finding {finding['code']} has no evidence"
        for span in finding["evidence"]:
            check_span(span, reply, context)
        codes.add(finding["code"])

    assert len(result["tips"]) <= 3
    for tip in result["tips"]:
        assert tip["finding"] in codes, (tip, codes)
        assert isinstance(tip["text"], str)
        assert tip["text"].strip()

    assert isinstance(result["rewrite"], str)
    if rewrite_required:
        assert result["rewrite"].strip(), "empty rewrite"
    assert type(result["truncated"]) is bool
    assert result["truncated"] == (len(reply) > MAX_CHARS or len(context) > MAX_CHARS)


# --- help -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "phrases"),
    [
        (("--help",), ("assess", "emotions", "demo", "heard demo", "--customer")),
        (
            ("assess", "--help"),
            (
                "--customer",
                "--reply",
                "--input",
                "--output",
                "JSONL",
                "--json",
                "--tier",
                "fast",
                "accurate",
                "--workers",
            ),
        ),
        (("emotions", "--help"), ("--text", "--input", "--output", "JSONL")),
    ],
    ids=["heard", "assess", "emotions"],
)
def test_help_explains_the_options_a_newcomer_needs(
    tmp_path: Path, args: tuple[str, ...], phrases: tuple[str, ...]
) -> None:
    run = heard(*args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for phrase in phrases:
        assert phrase in run.stdout, f"{phrase!r} not in `heard {' '.join(args)}`"


# --- one reply ------------------------------------------------------------------------------------

CUSTOMER = (
    "I was charged twice for order [48213] and the second £59.99 still hasn't been refunded. "
    "This is the third time I've asked!!"
)
REPLY = (
    "I'm really sorry you've had to chase this three times. I've refunded the duplicate £59.99 "
    "just now; you'll see it within 3 working days and I'll email you the reference today."
)


@pytest.fixture(scope="module")
def single_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    cwd = tmp_path_factory.mktemp("single")
    readable = heard("assess", "--customer", CUSTOMER, "--reply", REPLY, cwd=cwd)
    as_json = heard("assess", "--customer", CUSTOMER, "--reply", REPLY, "--json", cwd=cwd)
    return readable, as_json


def test_single_assess_prints_a_readable_assessment(single_runs: tuple[Run, Run]) -> None:
    readable, as_json = single_runs
    assert readable.returncode == 0, readable.stderr
    match = re.search(r"Score (\d+)/100", readable.stdout)
    assert match, readable.stdout
    assert int(match.group(1)) == json.loads(as_json.stdout)["score"]
    assert "suggested rewrite" in readable.stdout
    assert "[48213]" in readable.stdout  # customer text is printed as text, not Rich markup


def test_single_assess_json_follows_the_contract(single_runs: tuple[Run, Run]) -> None:
    _, as_json = single_runs
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    check_assessment(result, REPLY, CUSTOMER)
    assert result["truncated"] is False
    assert result["findings"], "a realistic reply should have at least one finding"


# --- a batch file: the output contract --------------------------------------------------------------


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[dict[str, Any]]]:
    cwd = tmp_path_factory.mktemp("batch")
    run = heard("assess", "--input", PAIRS_FILE, "--output", "out.jsonl", cwd=cwd)
    output = (cwd / "out.jsonl").read_text(encoding="utf-8") if run.returncode == 0 else ""
    return run, read_jsonl(output)


def test_batch_exits_0_and_summarises_on_stderr(
    batch_run: tuple[Run, list[dict[str, Any]]],
) -> None:
    run, _ = batch_run
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""  # the results went to --output
    assert "20 of 20 lines written" in run.flat_stderr


def test_batch_has_one_line_per_input_in_order_with_ids_preserved(
    batch_run: tuple[Run, list[dict[str, Any]]],
) -> None:
    _, results = batch_run
    pairs = load_pairs()
    assert len(pairs) == 20
    assert [r["id"] for r in results] == [p["id"] for p in pairs]
    assert [type(r["id"]) for r in results] == [type(p["id"]) for p in pairs]
    assert {type(p["id"]) for p in pairs} == {str, int}


def test_batch_results_follow_the_contract(batch_run: tuple[Run, list[dict[str, Any]]]) -> None:
    _, results = batch_run
    pairs = load_pairs()
    assert len(results) == len(pairs)
    for pair, result in zip(pairs, results, strict=True):
        # id 1011 gets an empty rewrite: see test_batch_rewrites_are_never_empty
        check_assessment(result, pair["reply"], pair["context"], rewrite_required=False)


def test_batch_rewrites_are_never_empty(batch_run: tuple[Run, list[dict[str, Any]]]) -> None:
    _, results = batch_run
    assert len(results) == 20
    empty = [r["id"] for r in results if not r["rewrite"].strip()]
    assert empty == []


def test_batch_quotes_evidence_from_both_reply_and_context(
    batch_run: tuple[Run, list[dict[str, Any]]],
) -> None:
    """The span check above is not vacuous: the file yields spans into both texts."""
    _, results = batch_run
    sources = {
        span["source"]
        for result in results
        for finding in result["findings"]
        for span in finding["evidence"]
    }
    assert sources == {"reply", "context"}


def test_no_progress_bar_when_stderr_is_piped(
    batch_run: tuple[Run, list[dict[str, Any]]],
) -> None:
    run, _ = batch_run
    for mark in PROGRESS_MARKS:
        assert mark not in run.stderr, f"{mark!r} in piped stderr: {run.stderr!r}"


# --- a batch file with bad lines ------------------------------------------------------------------

BAD_LINES = [
    '{"id": "good-1", "context": "Where is my parcel?", "reply": "Let me check that for you now."}',
    '{"id": "broken", "context": "Hi", "reply": "Hello',  # 2: not JSON
    '["id", "context", "reply"]',  # 3: an array
    '{"id": "no-reply", "context": "My card was declined."}',  # 4: no reply
    '{"id": 5, "context": "Can I change my delivery address?", "reply": "Yes, I\'ve updated it to the new address."}',
    '{"id": "number", "context": 42, "reply": "Thanks for waiting."}',  # 6: context is a number
    '{"id": "empty", "context": "Hello?", "reply": ""}',  # 7: empty reply
    "",  # 8: blank, ignored
    '{"id": "good-9", "context": "Thanks for the help!", "reply": "You\'re welcome, have a lovely day."}',
]
# line number -> words that the message must contain (case-insensitive)
BAD_LINE_PROBLEMS = {
    2: ("json",),
    3: ("object",),
    4: ("missing", "reply"),
    6: ("context", "str"),
    7: ("reply", "empty"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    cwd = tmp_path_factory.mktemp("bad")
    (cwd / "bad.jsonl").write_text("\n".join(BAD_LINES) + "\n", encoding="utf-8")
    return heard("assess", "--input", "bad.jsonl", cwd=cwd)


def test_bad_lines_exit_1(bad_run: Run) -> None:
    assert bad_run.returncode == 1, bad_run.stderr


def test_bad_lines_are_named_by_line_number_and_problem(bad_run: Run) -> None:
    # Split the (unwrapped) stderr at each "bad.jsonl:N: " to get each line's message.
    parts = re.split(r"(?=bad\.jsonl:\d+: )", bad_run.flat_stderr)
    messages = {}
    for part in parts:
        match = re.match(r"bad\.jsonl:(\d+): (.*)", part)
        if match:
            messages[int(match.group(1))] = match.group(2).lower()
    assert set(messages) == set(BAD_LINE_PROBLEMS), bad_run.stderr
    for line, words in BAD_LINE_PROBLEMS.items():
        for word in words:
            assert word in messages[line], f"line {line}: {word!r} not in {messages[line]!r}"


def test_bad_lines_do_not_stop_the_good_ones(bad_run: Run) -> None:
    results = read_jsonl(bad_run.stdout)
    assert [r["id"] for r in results] == ["good-1", 5, "good-9"]
    good = [json.loads(BAD_LINES[i]) for i in (0, 4, 8)]
    for pair, result in zip(good, results, strict=True):
        check_assessment(result, pair["reply"], pair["context"])


def test_bad_lines_summary_counts_the_rejects(bad_run: Run) -> None:
    assert "5 line(s) rejected" in bad_run.flat_stderr
    # 8 physical lines with content (the blank one is not counted), 3 written
    assert "3 of 8 lines written" in bad_run.flat_stderr


def test_each_rejected_line_is_reported_on_one_stderr_line(bad_run: Run) -> None:
    lines = bad_run.stderr.splitlines()
    assert len(lines) == len(BAD_LINE_PROBLEMS) + 1, lines
    for line, text in zip(BAD_LINE_PROBLEMS, lines, strict=False):
        assert re.search(rf"\bbad\.jsonl:{line}: \S", text), text
    assert "5 line(s) rejected" in lines[-1]
    # the message for line 4 ends with the list of fields it needs, on the same line
    assert lines[2].rstrip().endswith("'reply')"), lines[2]


# --- very long texts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_texts_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Run, list[dict[str, Any]], list[dict[str, Any]]]:
    cwd = tmp_path_factory.mktemp("long")
    sentence = "I'm sorry about the wait. I've escalated your refund for order 4471 today! "
    megabyte = (sentence * (1_000_000 // len(sentence) + 1))[:1_000_000]
    complaint = "Where is my refund?? I have waited THREE weeks and nobody replies. "
    long_context = (complaint * (1_000_000 // len(complaint) + 1))[:1_000_000]
    records = [
        {"id": "long-reply", "context": "Where is my refund?", "reply": megabyte},
        {
            "id": "long-context",
            "context": long_context,
            "reply": "I'm so sorry for the wait. I've refunded you today.",
        },
        {"id": "normal", "context": "Is the store open?", "reply": "Yes, until 6pm today."},
    ]
    write_jsonl(cwd / "long.jsonl", records)
    run = heard("assess", "--input", "long.jsonl", cwd=cwd, timeout=60)
    return run, records, read_jsonl(run.stdout)


def test_megabyte_texts_are_assessed_on_their_first_10000_characters(
    long_texts_run: tuple[Run, list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    run, records, results = long_texts_run
    assert run.returncode == 0, run.stderr
    assert [r["id"] for r in results] == ["long-reply", "long-context", "normal"]
    assert [r["truncated"] for r in results] == [True, True, False]
    for record, result in zip(records, results, strict=True):
        check_assessment(result, record["reply"], record["context"])
        spans = [s for f in result["findings"] for s in f["evidence"]]
        spans += [s for m in result["mechanisms"].values() for s in m["evidence"]]
        assert all(span["end"] <= MAX_CHARS for span in spans)


# --- files that cannot be read ----------------------------------------------------------------------

LATIN1_LINES = [
    '{"id": 1, "context": "Is the café on Rue de la Paix open on Sundays?", "reply": "Yes, from 9 until 5."}',
    '{"id": 2, "context": "My order from Müller arrived broken.", "reply": "I\'m sorry, I\'ll send a new one."}',
    '{"id": 3, "context": "I was charged £30 twice.", "reply": "I\'ve refunded the £30."}',
]


@pytest.mark.parametrize(
    ("name", "content", "encoding_word"),
    [
        ("latin1.jsonl", ("\n".join(LATIN1_LINES) + "\n").encode("latin-1"), "UTF-8"),
        (
            "utf16.jsonl",
            ("\n".join(LATIN1_LINES) + "\n").encode("utf-16"),  # with a BOM
            "UTF-16",
        ),
    ],
    ids=["latin-1", "utf-16-bom"],
)
def test_a_file_that_is_not_utf8_exits_2_naming_the_file(
    tmp_path: Path, name: str, content: bytes, encoding_word: str
) -> None:
    (tmp_path / name).write_bytes(content)
    run = heard("assess", "--input", name, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert name in run.flat_stderr
    assert "not UTF-8" in run.flat_stderr
    assert encoding_word in run.flat_stderr
    assert run.stdout == ""


def test_a_latin1_file_ending_in_an_accented_letter_exits_2(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "context": "Is the shop open on Sunday?", "reply": "Yes, from 10 until 4."}',
        '{"id": 2, "context": "Thanks, who should I ask for?", "reply": "Ask for René"}',
    ]
    (tmp_path / "names.jsonl").write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    run = heard("assess", "--input", "names.jsonl", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "names.jsonl" in run.flat_stderr
    assert "not UTF-8" in run.flat_stderr


@pytest.mark.parametrize("command", ["assess", "emotions"])
def test_a_missing_input_file_exits_2(tmp_path: Path, command: str) -> None:
    run = heard(command, "--input", "no-such-file.jsonl", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "no-such-file.jsonl" in run.flat_stderr
    assert re.search(r"no such file|not found|does not exist", run.flat_stderr, re.IGNORECASE)
    assert run.stdout == ""
    assert "Traceback" not in run.stderr


def test_an_output_file_that_cannot_be_created_exits_2(tmp_path: Path) -> None:
    run = heard("assess", "--input", PAIRS_FILE, "--output", "no-such-dir/out.jsonl", cwd=tmp_path)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 2
    assert "no-such-dir/out.jsonl" in run.flat_stderr


# --- usage errors -----------------------------------------------------------------------------------


def test_single_assess_without_reply_exits_2(tmp_path: Path) -> None:
    run = heard("assess", "--customer", "My parcel is late.", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "--reply" in run.flat_stderr
    assert "Traceback" not in run.stderr


def test_input_and_reply_together_exit_2(tmp_path: Path) -> None:
    run = heard("assess", "--input", PAIRS_FILE, "--reply", "Sorry!", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "--input" in run.flat_stderr
    assert run.stdout == ""


@pytest.mark.parametrize(
    "args",
    [("assess", "--reply", "Sorry about that."), ("assess", "--input", str(PAIRS_FILE))],
    ids=["single", "batch"],
)
def test_an_unknown_tier_exits_2_naming_the_choices(tmp_path: Path, args: tuple[str, ...]) -> None:
    run = heard(*args, "--tier", "turbo", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "turbo" in run.flat_stderr
    assert "fast" in run.flat_stderr
    assert "accurate" in run.flat_stderr
    assert run.stdout == ""


# --- emotions -----------------------------------------------------------------------------------------


def check_cues(reading: dict[str, Any], text: str) -> None:
    for cue in reading.get("cues", []):
        for span in cue["evidence"]:
            assert span["source"] == "context"
            check_span(span, "", text)


def test_emotions_batch_follows_the_contract(tmp_path: Path) -> None:
    run = heard(
        "emotions", "--input", EMOTIONS_FILE, "--output", "emotions.out.jsonl", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    inputs = read_jsonl(EMOTIONS_FILE.read_text(encoding="utf-8"))
    results = read_jsonl((tmp_path / "emotions.out.jsonl").read_text(encoding="utf-8"))
    assert [r["id"] for r in results] == [i["id"] for i in inputs]
    assert [type(r["id"]) for r in results] == [type(i["id"]) for i in inputs]
    for item, result in zip(inputs, results, strict=True):
        assert set(result) >= {"id", "label", "intensity", "scores"}
        check_emotion(result)
        check_cues(result, item["text"])
    for mark in PROGRESS_MARKS:
        assert mark not in run.stderr


def test_emotions_text_prints_one_reading(tmp_path: Path) -> None:
    text = "This is the THIRD time I've asked!! Where is my money?"
    run = heard("emotions", "--text", text, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    reading = json.loads(run.stdout)
    check_emotion(reading)
    check_cues(reading, text)


# --- demo -------------------------------------------------------------------------------------------


# --- workers ----------------------------------------------------------------------------------------


def test_two_workers_give_the_same_output_as_one(tmp_path: Path) -> None:
    pairs = load_pairs()
    records = []
    # every context with every reply (400), then replies joined in twos (140): 540 lines, so
    # three chunks of up to 256 go to the workers
    for i, customer in enumerate(pairs):
        for j, agent in enumerate(pairs):
            number = i * len(pairs) + j
            records.append(
                {
                    "id": number if number % 2 else f"pair-{number}",
                    "context": customer["context"],
                    "reply": agent["reply"],
                }
            )
    for k in range(140):
        first, second = pairs[k % 20], pairs[(k * 7 + 3) % 20]
        records.append(
            {
                "id": f"joined-{k}",
                "context": first["context"] + "\n" + second["context"],
                "reply": first["reply"] + " " + second["reply"],
            }
        )
    write_jsonl(tmp_path / "many.jsonl", records)
    one = heard("assess", "--input", "many.jsonl", "--output", "one.jsonl", cwd=tmp_path)
    two = heard(
        "assess", "--input", "many.jsonl", "--output", "two.jsonl", "--workers", "2", cwd=tmp_path
    )
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    one_lines = (tmp_path / "one.jsonl").read_text(encoding="utf-8").split("\n")
    two_lines = (tmp_path / "two.jsonl").read_text(encoding="utf-8").split("\n")
    assert len(one_lines) == len(records) + 1  # the last line ends with "\n"
    differing = [n for n, (a, b) in enumerate(zip(one_lines, two_lines, strict=False)) if a != b]
    assert len(two_lines) == len(one_lines)
    assert differing == [], (
        f"{len(differing)} lines differ, first at output line {differing[0] + 1}"
    )
    assert [json.loads(line)["id"] for line in two_lines[:-1]] == [r["id"] for r in records]
    for mark in PROGRESS_MARKS:
        assert mark not in two.stderr
