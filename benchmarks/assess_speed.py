"""Speed of the assessment engine, per tier (a benchmark that prints figures, not a test).

    python benchmarks/assess_speed.py [--tier fast|accurate|both] [--pairs 5000]

Prints, for each tier: replies assessed per second in batch (one process, and the CLI's batch
mode with --workers 2), p50/p95 latency of one reply in a warm process, the CLI's cold-start
time for one reply, and peak memory. The replies are the bundled sample conversations' agent
replies in their context (chat turns and e-mails, 20 to 250 words), each made distinct, repeated
to the requested count; one extra line measures short chat turns (their first sentences).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from heard.services.models import assessor
from heard.services.samples import load_conversations

HEARD = str(Path(sys.executable).parent / "heard")


NAMES = (
    "Dana",
    "Sam",
    "Priya",
    "Lee",
    "Ana",
    "Tom",
    "Ewan",
    "Aisha",
    "Kwame",
    "Lucy",
    "Rhys",
    "Mo",
)


def sample_pairs() -> list[tuple[str, str]]:
    pairs = []
    for conversation in load_conversations():
        for item in conversation.replies_in_context():
            pairs.append((item.reply.text, item.context_text))
    return pairs


def distinct_pairs(count: int) -> list[tuple[str, str]]:
    """``count`` pairs built from the samples, each text made unique (its own order number and
    name), so that nothing is served from a per-text cache."""
    rng = random.Random(5)
    base = sample_pairs()
    pairs = []
    for i in range(count):
        reply, context = base[i % len(base)]
        order = rng.randrange(10_000, 99_999)
        name = NAMES[rng.randrange(len(NAMES))]
        pairs.append((f"Hi {name}, about order {order}: {reply}", f"{context} (order {order})"))
    return pairs


def short_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Chat-length turns: the first sentence of each reply and context."""
    from heard.text import sentences

    def first(text: str) -> str:
        found = sentences(text)
        return found[0].of(text) if found else text

    return [(first(reply), first(context)) for reply, context in pairs]


def batch_rate(tier: str, pairs: list[tuple[str, str]]) -> float:
    engine = assessor(tier)
    engine.assess_many(pairs[:64])  # warm up
    started = time.perf_counter()
    for start in range(0, len(pairs), 256):
        engine.assess_many(pairs[start : start + 256])
    return len(pairs) / (time.perf_counter() - started)


def cli_batch_rate(tier: str, pairs: list[tuple[str, str]], workers: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pairs.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for i, (reply, context) in enumerate(pairs):
                handle.write(json.dumps({"id": i, "context": context, "reply": reply}) + "\n")
        started = time.perf_counter()
        subprocess.run(
            [
                HEARD,
                "assess",
                "--input",
                str(source),
                "--output",
                str(Path(folder) / "out.jsonl"),
                "--tier",
                tier,
                "--workers",
                str(workers),
            ],
            check=True,
            capture_output=True,
        )
        return len(pairs) / (time.perf_counter() - started)


def latencies(tier: str, pairs: list[tuple[str, str]], runs: int = 500) -> tuple[float, float]:
    engine = assessor(tier)
    engine.assess(*pairs[0])
    times = []
    for i in range(runs):
        reply, context = pairs[i % len(pairs)]
        started = time.perf_counter()
        engine.assess(reply, context)
        times.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(times, n=100)
    return quantiles[49], quantiles[94]


def cold_start(tier: str, runs: int = 5) -> tuple[float, float]:
    """Median wall time of `heard assess` for one reply, and its peak memory (MiB)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [
                HEARD,
                "assess",
                "--tier",
                tier,
                "--json",
                "--customer",
                "Where is my order?? It's late!",
                "--reply",
                "Sorry about that! I've chased the courier and it arrives tomorrow.",
            ],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tier", choices=("fast", "accurate", "both"), default="both")
    parser.add_argument("--pairs", type=int, default=5000)
    args = parser.parse_args()
    tiers = ("fast", "accurate") if args.tier == "both" else (args.tier,)
    print("sample replies in context, each made distinct; 2-core machine figures")
    for tier in tiers:
        count = args.pairs if tier == "fast" else min(args.pairs, 1000)
        pairs = distinct_pairs(count)
        rate = batch_rate(tier, pairs)
        rate_short = batch_rate(tier, short_pairs(distinct_pairs(2 * count)[count:]))
        rate_cli = cli_batch_rate(tier, pairs, workers=2)
        short_count = 20_000 if tier == "fast" else 1000
        rate_cli_short = cli_batch_rate(
            tier, short_pairs(distinct_pairs(2 * short_count)[short_count:]), workers=2
        )
        runs = 500 if tier == "fast" else 100
        p50, p95 = latencies(tier, distinct_pairs(count + runs)[count:], runs=runs)
        start, peak_cli = cold_start(tier)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{tier}:")
        print(f"  batch, one process        {rate:8.0f} replies/s ({count} replies)")
        print(f"  batch, short chat turns   {rate_short:8.0f} replies/s (first sentence of each)")
        print(f"  batch, CLI --workers 2    {rate_cli:8.0f} replies/s")
        short = f"{rate_cli_short:8.0f} replies/s ({short_count} replies, start-up included)"
        print(f"  ... short chat turns      {short}")
        print(f"  one reply, warm process   p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        print(f"  CLI cold start, one reply {start:.2f} s")
        print(
            f"  peak memory               {peak:.0f} MiB in process, {peak_cli:.0f} MiB for the CLI"
        )


if __name__ == "__main__":
    main()
