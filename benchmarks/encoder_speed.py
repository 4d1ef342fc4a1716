"""Speed of heard's sentence encoder (all-MiniLM-L6-v2 on ONNX Runtime), float32 and int8.

Prints the time to build or load each graph (int8: first build into an empty cache, then the
cached load), then texts per second on 512 short support-style sentences (~25 tokens) and 256
longer messages (~100 tokens), batch size 64, after a warm-up batch. Run from the repo root:

    .venv/bin/python benchmarks/encoder_speed.py [--threads N] [--repeats 3]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time

import numpy as np

from heard.encoders import SentenceEncoder

_OPENERS = [
    "I'm really sorry about",
    "Thanks for your patience with",
    "I completely understand your frustration with",
    "Let me look into",
    "I can see why you are upset about",
    "Apologies for the trouble with",
    "I've escalated",
    "Good news regarding",
]
_TOPICS = [
    "the delayed delivery of your order",
    "the double charge on your last statement",
    "your broadband dropping out every evening",
    "the missing refund for the returned jacket",
    "the app logging you out after the update",
    "the damaged parcel that arrived yesterday",
    "your account being locked after the password reset",
    "the engineer who did not turn up this morning",
]
_CLOSERS = [
    "and I'll update you by the end of the day.",
    "so you won't need to contact us again.",
    "and I've added a note to your account.",
    "and you should see the change within 24 hours.",
]
_DETAIL = (
    " I checked the history on your account and can see that this started after the change we "
    "made last week, which should not have affected you at all. I have asked the specialist team "
    "to correct it, applied a credit for the inconvenience, and set a reminder to call you on "
    "Friday to make sure everything is working as it should."
)


def support_sentences(count: int, *, long: bool) -> list[str]:
    """`count` varied agent replies: short (~25 tokens) or with a detail paragraph (~100)."""
    combos = itertools.cycle(itertools.product(_OPENERS, _TOPICS, _CLOSERS))
    texts = [f"{a} {b}, {c}" for a, b, c in itertools.islice(combos, count)]
    if long:
        texts = [text + _DETAIL for text in texts]
    return texts


def best_rates(
    encoders: dict[str, SentenceEncoder], sets: dict[str, list[str]], repeats: int
) -> dict[tuple[str, str], float]:
    """Best-of-`repeats` texts/s of encode(texts, batch_size=64) per (encoder, text set), after a
    warm-up batch; the encoders take turns so that load from other processes hits them alike."""
    for encoder in encoders.values():
        encoder.encode(next(iter(sets.values()))[:64], batch_size=64)
    best: dict[tuple[str, str], float] = {}
    for _ in range(repeats):
        for name, encoder in encoders.items():
            for label, texts in sets.items():
                start = time.perf_counter()
                encoder.encode(texts, batch_size=64)
                rate = len(texts) / (time.perf_counter() - start)
                best[name, label] = max(best.get((name, label), 0.0), rate)
    return best


def main() -> None:
    """Measure and print load times and throughput for fp32 and int8."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime threads")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per measurement")
    args = parser.parse_args()

    short = support_sentences(512, long=False)
    longer = support_sentences(256, long=True)
    probe = SentenceEncoder.load(quantize=False, threads=args.threads)
    for label, texts in (("short", short), ("long", longer)):
        lengths = [s.states.shape[0] for s in probe.encode_tokens(texts)]
        print(f"{label}: {len(texts)} texts, mean {np.mean(lengths):.0f} tokens")

    encoders: dict[str, SentenceEncoder] = {}
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as cache:
        start = time.perf_counter()
        encoders["fp32"] = SentenceEncoder.load(quantize=False, threads=args.threads)
        print(f"fp32 build (in memory): {time.perf_counter() - start:.2f}s")
        for what in ("first build", "cached load"):
            start = time.perf_counter()
            encoders["int8"] = SentenceEncoder.load(cache_dir=cache, threads=args.threads)
            print(f"int8 {what}: {time.perf_counter() - start:.2f}s")

    reference = encoders["fp32"].encode(short[:64] + longer[:64])
    quantized = encoders["int8"].encode(short[:64] + longer[:64])
    cosines = (reference * quantized).sum(axis=1)
    print(f"int8 vs fp32 cosine: min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    rates = best_rates(encoders, {"short": short, "long": longer}, args.repeats)
    for name in encoders:
        short_rate, long_rate = rates[name, "short"], rates[name, "long"]
        print(f"{name}: {short_rate:7.1f} short texts/s  {long_rate:6.1f} long texts/s")


if __name__ == "__main__":
    main()
