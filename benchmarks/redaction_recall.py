"""Recall, false positives and speed of heard's redaction (a benchmark that prints figures).

    python benchmarks/redaction_recall.py [--rounds 20]

Prints, on the planted set (tests/fixtures/pii/planted.jsonl, personal data marked
``{{kind:value}}``): recall per kind (an item counts when one placeholder of its kind covers it
whole; "partly" when a placeholder covers only part of it) and placeholders that cover nothing
planted. Then the placeholders put on the look-alike set (tests/fixtures/pii/lookalikes.jsonl:
order numbers, prices, dates, versions, card last-fours ... that must be left alone) and on the
bundled sample conversations (each one listed), and the throughput on the sample turns and on
typical 300-character messages.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from heard.privacy import KINDS, Redaction, redact

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pii"
SAMPLES = ROOT / "src" / "heard" / "data" / "samples" / "conversations.json"
_MARK = re.compile(r"\{\{(\w+):(.*?)\}\}", re.DOTALL)

Item = tuple[str, int, int]  # kind, start, end in the message text


def expand(template: str) -> tuple[str, list[Item]]:
    """The message with its markers removed, and where each planted item sits in it."""
    parts: list[str] = []
    items: list[Item] = []
    length = 0
    cursor = 0
    for mark in _MARK.finditer(template):
        parts.append(template[cursor : mark.start()])
        length += mark.start() - cursor
        items.append((mark[1], length, length + len(mark[2])))
        parts.append(mark[2])
        length += len(mark[2])
        cursor = mark.end()
    parts.append(template[cursor:])
    return "".join(parts), items


def load_planted() -> list[tuple[str, list[Item]]]:
    lines = (FIXTURES / "planted.jsonl").read_text(encoding="utf-8").splitlines()
    return [expand(json.loads(line)["template"]) for line in lines if line.strip()]


def load_lookalikes() -> list[str]:
    lines = (FIXTURES / "lookalikes.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def load_sample_turns() -> list[tuple[str, str]]:
    data = json.loads(SAMPLES.read_text(encoding="utf-8"))
    return [(turn["id"], turn["text"]) for c in data["conversations"] for turn in c["turns"]]


def score_planted(planted: list[tuple[str, list[Item]]]) -> tuple[Counter[str], ...]:
    """Planted, covered whole, covered in part, per kind; placeholders over nothing planted."""
    total: Counter[str] = Counter()
    whole: Counter[str] = Counter()
    part: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for text, items in planted:
        spans = redact(text).spans
        for kind, start, end in items:
            total[kind] += 1
            same = [s for s in spans if s.kind == kind]
            if any(s.source_start <= start and end <= s.source_end for s in same):
                whole[kind] += 1
            elif any(s.source_start < end and start < s.source_end for s in same):
                part[kind] += 1
        for span in spans:
            if not any(span.source_start < e and s < span.source_end for _, s, e in items):
                spurious[span.kind] += 1
    return total, whole, part, spurious


def describe(text: str, redaction: Redaction) -> list[str]:
    return [f"{s.kind}: {text[s.source_start : s.source_end]!r}" for s in redaction.spans]


def typical_messages(turns: list[str], size: int = 300) -> list[str]:
    """Messages of about ``size`` characters cut from the sample turns at word boundaries."""
    words = " ".join(turns).split()
    messages: list[str] = []
    current: list[str] = []
    for word in words:
        current.append(word)
        if sum(len(w) + 1 for w in current) >= size:
            messages.append(" ".join(current))
            current = []
    return messages


def throughput(messages: list[str], rounds: int) -> tuple[float, float, float]:
    """Messages per second, mean and p95 µs per message (best of ``rounds`` passes)."""
    best = float("inf")
    per_message: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        for message in messages:
            one = time.perf_counter()
            redact(message)
            per_message.append(time.perf_counter() - one)
        best = min(best, time.perf_counter() - start)
    p95 = statistics.quantiles(per_message, n=20)[-1] * 1e6
    return len(messages) / best, best / len(messages) * 1e6, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timing passes (best is kept)")
    args = parser.parse_args()

    planted = load_planted()
    total, whole, part, spurious = score_planted(planted)
    print(f"Planted set: {len(planted)} messages, {sum(total.values())} items")
    print(f"  {'kind':8} {'planted':>7} {'whole':>6} {'partly':>6} {'recall':>7} {'extra':>6}")
    for kind in KINDS:
        recall = whole[kind] / total[kind] if total[kind] else float("nan")
        print(
            f"  {kind:8} {total[kind]:7} {whole[kind]:6} {part[kind]:6} {recall:7.3f}"
            f" {spurious[kind]:6}"
        )
    missed = [
        (kind, text[start:end])
        for text, items in planted
        for kind, start, end in items
        if not any(
            s.kind == kind and s.source_start <= start and end <= s.source_end
            for s in redact(text).spans
        )
    ]
    for kind, value in missed:
        print(f"  missed {kind}: {value!r}")

    lookalikes = load_lookalikes()
    flagged = [(text, redact(text)) for text in lookalikes]
    false_positives = [line for text, r in flagged for line in describe(text, r)]
    print(f"\nLook-alike set: {len(lookalikes)} messages, {len(false_positives)} false positives")
    for line in false_positives:
        print(f"  {line}")

    turns = load_sample_turns()
    redacted = [(turn_id, text, redact(text)) for turn_id, text in turns]
    listed = [(turn_id, line) for turn_id, text, r in redacted for line in describe(text, r)]
    print(f"\nSample conversations: {len(turns)} turns, {len(listed)} placeholders")
    for turn_id, line in listed:
        print(f"  {turn_id}  {line}")

    texts = [text for _, text in turns]
    typical = typical_messages(texts)
    all_planted = [text for text, _ in planted]
    print(f"\nThroughput (best of {args.rounds} passes, one process)")
    for name, messages in (
        (f"sample turns ({statistics.mean(map(len, texts)):.0f} chars on average)", texts),
        (f"typical messages ({statistics.mean(map(len, typical)):.0f} chars)", typical),
        (f"planted messages ({statistics.mean(map(len, all_planted)):.0f} chars)", all_planted),
    ):
        rate, mean, p95 = throughput(messages, args.rounds)
        print(f"  {name}: {rate:,.0f} messages/s, {mean:.0f} µs per message (p95 {p95:.0f} µs)")


if __name__ == "__main__":
    main()
