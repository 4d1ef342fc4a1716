"""Recall, precision and speed of heard's redaction (a benchmark that prints figures).

    python benchmarks/redaction_recall.py [--rounds 20] [--quiet]

Prints, on the planted set (tests/fixtures/pii/planted.jsonl, personal data marked
``{{kind:value}}``): recall per kind (an item counts when one placeholder of its kind covers it
whole; "partly" when a placeholder of its kind covers only part of it), every item missed, and
precision per kind: of the placeholders put on the planted set and on the look-alike set
(tests/fixtures/pii/lookalikes.jsonl: order numbers, prices, dates, versions, card last-fours
... that must be left alone), how many sit on a planted item of their kind. A placeholder over
the planted set's unplanted text, over a planted item of another kind, or anywhere in a
look-alike is a false one; each is listed. Then the placeholders on the bundled sample
conversations (each one listed) and the throughput on the sample turns, on typical
300-character messages and on the planted messages.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
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
    """The planted messages, each with its items."""
    lines = (FIXTURES / "planted.jsonl").read_text(encoding="utf-8").splitlines()
    return [expand(json.loads(line)["template"]) for line in lines if line.strip()]


def load_lookalikes() -> list[str]:
    """The look-alike messages (nothing in them may be redacted)."""
    lines = (FIXTURES / "lookalikes.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def load_sample_turns() -> list[tuple[str, str]]:
    """(turn id, text) of every turn of the bundled sample conversations."""
    data = json.loads(SAMPLES.read_text(encoding="utf-8"))
    return [(turn["id"], turn["text"]) for c in data["conversations"] for turn in c["turns"]]


@dataclass
class Scores:
    """Counts per kind over the planted and look-alike sets."""

    planted: Counter[str] = field(default_factory=Counter)
    whole: Counter[str] = field(default_factory=Counter)
    partly: Counter[str] = field(default_factory=Counter)
    true_placeholders: Counter[str] = field(default_factory=Counter)
    false_placeholders: Counter[str] = field(default_factory=Counter)
    missed: list[tuple[str, str]] = field(default_factory=list)
    false_on_planted: list[str] = field(default_factory=list)
    false_on_lookalikes: list[str] = field(default_factory=list)

    def kinds(self) -> list[str]:
        """Every kind redacted or planted, in `KINDS` order (unknown kinds last)."""
        seen = set(self.planted) | set(self.true_placeholders) | set(self.false_placeholders)
        return [k for k in KINDS if k in seen] + sorted(seen - set(KINDS))


def score(planted: list[tuple[str, list[Item]]], lookalikes: list[str]) -> Scores:
    """Recall per kind on ``planted``; true and false placeholders on both sets."""
    scores = Scores()
    for text, items in planted:
        spans = redact(text).spans
        for kind, start, end in items:
            scores.planted[kind] += 1
            same = [s for s in spans if s.kind == kind]
            if any(s.source_start <= start and end <= s.source_end for s in same):
                scores.whole[kind] += 1
                continue
            if any(s.source_start < end and start < s.source_end for s in same):
                scores.partly[kind] += 1
            scores.missed.append((kind, text[start:end]))
        for span in spans:
            if any(
                k == span.kind and span.source_start < e and s < span.source_end
                for k, s, e in items
            ):
                scores.true_placeholders[span.kind] += 1
            else:
                scores.false_placeholders[span.kind] += 1
                value = text[span.source_start : span.source_end]
                scores.false_on_planted.append(f"{span.kind}: {value!r} in {text!r}")
    for text in lookalikes:
        for line in describe(text, redact(text)):
            scores.false_placeholders[line.split(":")[0]] += 1
            scores.false_on_lookalikes.append(f"{line} in {text!r}")
    return scores


def describe(text: str, redaction: Redaction) -> list[str]:
    """One line per placeholder: its kind and the text it replaced."""
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


def print_scores(scores: Scores, messages: int, lookalikes: int, *, quiet: bool) -> None:
    """The recall and precision table, then (unless ``quiet``) every miss and false one."""
    total = sum(scores.planted.values())
    print(f"Planted set: {messages} messages, {total} items; look-alike set: {lookalikes} messages")
    print(
        f"  {'kind':8} {'planted':>7} {'whole':>6} {'partly':>6} {'recall':>7}"
        f" {'placeholders':>12} {'false':>6} {'precision':>9}"
    )
    for kind in scores.kinds():
        planted = scores.planted[kind]
        recall = scores.whole[kind] / planted if planted else float("nan")
        true, false = scores.true_placeholders[kind], scores.false_placeholders[kind]
        precision = true / (true + false) if true + false else float("nan")
        print(
            f"  {kind:8} {planted:7} {scores.whole[kind]:6} {scores.partly[kind]:6}"
            f" {recall:7.3f} {true + false:12} {false:6} {precision:9.3f}"
        )
    whole = sum(scores.whole.values())
    true, false = sum(scores.true_placeholders.values()), sum(scores.false_placeholders.values())
    print(
        f"  {'all':8} {total:7} {whole:6} {sum(scores.partly.values()):6} {whole / total:7.3f}"
        f" {true + false:12} {false:6} {true / max(1, true + false):9.3f}"
    )
    if quiet:
        return
    for kind, value in scores.missed:
        print(f"  missed {kind}: {value!r}")
    for line in scores.false_on_planted:
        print(f"  false placeholder (planted set) {line}")
    for line in scores.false_on_lookalikes:
        print(f"  false placeholder (look-alikes) {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timing passes (best is kept)")
    parser.add_argument("--quiet", action="store_true", help="figures only, no lists")
    args = parser.parse_args()

    planted = load_planted()
    lookalikes = load_lookalikes()
    print_scores(score(planted, lookalikes), len(planted), len(lookalikes), quiet=args.quiet)

    turns = load_sample_turns()
    redacted = [(turn_id, text, redact(text)) for turn_id, text in turns]
    listed = [(turn_id, line) for turn_id, text, r in redacted for line in describe(text, r)]
    print(f"\nSample conversations: {len(turns)} turns, {len(listed)} placeholders")
    if not args.quiet:
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
