"""Batch use cases: assess a JSONL file of (context, reply) pairs, or detect emotions in texts.

Input is streamed line by line and processed in chunks, so a large file never sits in memory.
A bad line (not JSON, not an object, a missing or wrong-typed field, an empty reply, bytes that
are not UTF-8) is reported with its line number and skipped; every other line is still
processed, and the caller gets the count of rejects to decide the exit status.
"""

from __future__ import annotations

import codecs
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from heard.errors import InputError

CHUNK = 256
HEAD_BYTES = 65536
# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
# Characters json.dumps leaves raw that str.splitlines() would break a JSONL line at.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


@dataclass(frozen=True, slots=True)
class Reject:
    """A line that was not processed, and why."""

    line: int
    message: str

    def describe(self, source: str) -> str:
        return f"{source}:{self.line}: {self.message}"


@dataclass
class BatchReport:
    """What a batch run did: lines read, written and rejected."""

    read: int = 0
    written: int = 0
    rejects: list[Reject] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    fields: dict[str, Any]


def check_utf8(path: Path) -> None:
    """Fail early, with a clear message, for a file that is not UTF-8 text."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    for bom, name in _BOMS.items():
        if head.startswith(bom):
            raise InputError(
                f"the file is {name}, not UTF-8: save it as UTF-8 (for example "
                f"`iconv -f {name} -t UTF-8`)",
                where=str(path),
            )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        cut_at_boundary = len(head) == HEAD_BYTES and error.start >= len(head) - 4
        if not cut_at_boundary:  # a character cut by the 64 KiB read is not an error
            line = head.count(b"\n", 0, error.start) + 1
            raise InputError(
                f"not UTF-8 text: byte 0x{head[error.start]:02x} on line {line} cannot be decoded; "
                "convert the file to UTF-8 (for example `iconv -f latin1 -t UTF-8`)",
                where=str(path),
            ) from error


def read_records(
    stream: IO[bytes], required: dict[str, type | tuple[type, ...]], report: BatchReport
) -> Iterator[Record]:
    """JSON objects from a JSONL byte stream; bad lines go to ``report.rejects``."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]  # as Notepad and Excel save UTF-8
        if not raw.strip():
            continue
        report.read += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            report.rejects.append(
                Reject(
                    number, f"not UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1})"
                )
            )
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            report.rejects.append(
                Reject(number, f"not valid JSON ({error.msg} at column {error.colno})")
            )
            continue
        if not isinstance(value, dict):
            report.rejects.append(
                Reject(number, f"expected a JSON object, got {type(value).__name__}")
            )
            continue
        problem = _field_problem(value, required)
        if problem:
            report.rejects.append(Reject(number, problem))
            continue
        yield Record(number, value)


def _field_problem(
    value: dict[str, Any], required: dict[str, type | tuple[type, ...]]
) -> str | None:
    for name, kind in required.items():
        if name not in value:
            return (
                f"missing field {name!r} (each line needs {', '.join(repr(k) for k in required)})"
            )
        if not isinstance(value[name], kind):
            expected = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            return f"field {name!r} must be {expected}, got {type(value[name]).__name__}"
    return None


T = TypeVar("T")


def chunked(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order (the last may be shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- assessing pairs ----------------------------------------------------------------------------

PAIR_FIELDS: dict[str, type | tuple[type, ...]] = {"id": (str, int), "context": str, "reply": str}
TEXT_FIELDS: dict[str, type | tuple[type, ...]] = {"id": (str, int), "text": str}


def _assess_chunk(tier: str, items: list[tuple[Any, str, str]]) -> list[dict[str, Any]]:
    from heard.services.models import assessor

    engine = assessor(tier)
    results = engine.assess_many([(reply, context) for _, context, reply in items])
    return [
        {"id": item_id, **result.to_dict()}
        for (item_id, _, _), result in zip(items, results, strict=True)
    ]


def _emotion_chunk(tier: str, items: list[tuple[Any, str]]) -> list[dict[str, Any]]:
    from heard.services.models import assessor

    engine = assessor(tier)
    readings = engine.detect_emotions([text for _, text in items])
    out = []
    for (item_id, _), reading in zip(items, readings, strict=True):
        data = reading.to_dict()
        out.append(
            {
                "id": item_id,
                "label": data["label"],
                "intensity": data["intensity"],
                "scores": data["scores"],
                "cues": data["cues"],
            }
        )
    return out


def _pairs(chunk: list[Record], report: BatchReport) -> list[tuple[Any, str, str]]:
    items = []
    for record in chunk:
        if not record.fields["reply"].strip():
            report.rejects.append(
                Reject(record.line, "field 'reply' is empty: there is nothing to assess")
            )
            continue
        items.append((record.fields["id"], record.fields["context"], record.fields["reply"]))
    return items


def _texts(chunk: list[Record], _report: BatchReport) -> list[tuple[Any, str]]:
    return [(record.fields["id"], record.fields["text"]) for record in chunk]


# kind -> (required fields, how a chunk of records becomes work items, the work itself)
_KINDS: dict[
    str,
    tuple[
        dict[str, type | tuple[type, ...]],
        Callable[..., list[Any]],
        Callable[..., list[dict[str, Any]]],
    ],
] = {
    "assess": (PAIR_FIELDS, _pairs, _assess_chunk),
    "emotions": (TEXT_FIELDS, _texts, _emotion_chunk),
}


def run_file(
    kind: str,
    source: Path,
    sink: IO[str],
    *,
    tier: str = "fast",
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Process every line of ``source`` (JSONL) and write one JSON line per accepted line:
    ``kind`` "assess" takes {"id", "context", "reply"}; "emotions" takes {"id", "text"}."""
    required, prepare, work = _KINDS[kind]
    return _run(
        source, sink, required, prepare, work, tier=tier, workers=workers, on_progress=on_progress
    )


def assess_file(source: Path, sink: IO[str], **options: Any) -> BatchReport:
    """Assess every pair in ``source`` (see :func:`run_file`)."""
    return run_file("assess", source, sink, **options)


def emotions_file(source: Path, sink: IO[str], **options: Any) -> BatchReport:
    """Detect the emotion of every text in ``source`` (see :func:`run_file`)."""
    return run_file("emotions", source, sink, **options)


def _run(
    source: Path,
    sink: IO[str],
    required: dict[str, type | tuple[type, ...]],
    prepare: Callable[[list[Record], BatchReport], list[Any]],
    work: Callable[[str, list[Any]], list[dict[str, Any]]],
    *,
    tier: str,
    workers: int,
    on_progress: Callable[[int], None] | None,
) -> BatchReport:
    check_utf8(source)
    report = BatchReport()
    with source.open("rb") as stream:
        chunks = (
            prepare(chunk, report) for chunk in chunked(read_records(stream, required, report))
        )
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                # A bounded window of chunks in flight: input order is kept, memory stays flat.
                window: deque[Future[list[dict[str, Any]]]] = deque()
                for items in chunks:
                    window.append(pool.submit(work, tier, items))
                    if len(window) >= 2 * workers:
                        _write(window.popleft().result(), sink, report, on_progress)
                while window:
                    _write(window.popleft().result(), sink, report, on_progress)
        else:
            for items in chunks:
                _write(work(tier, items) if items else [], sink, report, on_progress)
    return report


def _write(
    results: list[dict[str, Any]],
    sink: IO[str],
    report: BatchReport,
    on_progress: Callable[[int], None] | None,
) -> None:
    for result in results:
        sink.write(json.dumps(result, ensure_ascii=False).translate(_LINE_BREAKERS) + "\n")
    report.written += len(results)
    if on_progress is not None:
        on_progress(report.read)
