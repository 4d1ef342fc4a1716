"""How the drill scorer's reflection cues fare on real counselling reflections (AnnoMI).

For every therapist utterance in AnnoMI-full.csv, checks whether the scorer's reflective-form
pattern (``_FORM`` in heard.practice.drills) and its feeling words (any of ``FEELINGS``, matched
as the scorer does: a lower-cased substring) fire, and reports how often they do on utterances
annotated as reflections (``reflection_exists`` or ``main_therapist_behaviour == reflection``,
by ``reflection_subtype`` simple or complex) versus questions, therapist input and other talk:
the form detector's recall on real reflections and its false-positive rate on non-reflections.
It also prints the median length in words of simple and complex reflections, to sanity-check the
brevity limit ``BRIEF``.

Seven transcripts were annotated by all ten annotators; each utterance counts once, with the
majority label of its annotators (``--all-annotations`` counts every annotation row instead).
Only figures and the scorer's own cue phrases are printed, never AnnoMI text.

Run from the repository root:
    .venv/bin/python scripts/check_reflections_annomi.py [DATA_DIR]
DATA_DIR is the folder holding annomi/ (default: $HEARD_DATA_DIR, else ../shared/data beside
the repository).
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from heard.datasets import default_data_dir
from heard.practice.drills import _FORM, BRIEF, FEELINGS

ROOT = Path(__file__).resolve().parents[1]
FILE = Path("annomi") / "AnnoMI-full.csv"
FEELING_WORDS = sorted({word for words in FEELINGS.values() for word in words})


@dataclass(frozen=True)
class Utterance:
    behaviour: str  # main_therapist_behaviour: reflection, question, therapist_input, other
    reflection: bool  # reflection_exists
    subtype: str  # reflection_subtype (simple, complex) or "n/a"
    question: str  # question_subtype (open, closed) or "n/a"
    form: str | None  # the _FORM phrase that fired, lower-cased, if any
    feeling: str | None  # the first feeling word that fired, if any
    words: int


def data_dir(argument: str | None) -> Path:
    return default_data_dir(argument, ROOT)


def _majority(values: Iterable[str]) -> str:
    # ties go to the value met first, in file order
    return Counter(values).most_common(1)[0][0]


def read(path: Path, *, all_annotations: bool) -> list[Utterance]:
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if row["interlocutor"] != "therapist":
                continue
            key = (row["transcript_id"], str(number) if all_annotations else row["utterance_id"])
            groups.setdefault(key, []).append(row)
    utterances = []
    for rows in groups.values():
        text = rows[0]["utterance_text"]
        reflection = _majority(r["reflection_exists"] for r in rows) == "True"
        behaviour = _majority(r["main_therapist_behaviour"] for r in rows)
        subtypes = [r["reflection_subtype"] for r in rows if r["reflection_subtype"] != "n/a"]
        questions = [r["question_subtype"] for r in rows if r["question_subtype"] != "n/a"]
        lowered = text.lower()
        form = _FORM.search(text)
        utterances.append(
            Utterance(
                behaviour=behaviour,
                reflection=reflection or behaviour == "reflection",
                subtype=_majority(subtypes) if subtypes else "n/a",
                question=_majority(questions) if questions else "n/a",
                form=" ".join(form.group(0).lower().split()) if form else None,
                feeling=next((w for w in FEELING_WORDS if w in lowered), None),
                words=len(re.findall(r"[\w']+", text)),
            )
        )
    return utterances


def _share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def row(name: str, group: list[Utterance]) -> str:
    n = len(group)
    form = sum(u.form is not None for u in group)
    feeling = sum(u.feeling is not None for u in group)
    either = sum(u.form is not None or u.feeling is not None for u in group)
    median = statistics.median(u.words for u in group) if group else 0
    long = sum(u.words > BRIEF for u in group)
    return (
        f"{name:<34}{n:>6} {_share(form, n)} {_share(feeling, n)} {_share(either, n)}"
        f" {median:>7g} {_share(long, n)}"
    )


def top(counter: Counter[str], limit: int = 8) -> str:
    total = sum(counter.values())
    return ", ".join(f'"{k}" {v / total:.0%}' for k, v in counter.most_common(limit)) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", help="the folder holding annomi/")
    parser.add_argument(
        "--all-annotations",
        action="store_true",
        help="count every annotation row, not one majority label per utterance",
    )
    args = parser.parse_args(argv)
    path = data_dir(args.data_dir) / FILE
    if not path.is_file():
        print(
            f"{path} not found: pass the folder holding annomi/ or set HEARD_DATA_DIR",
            file=sys.stderr,
        )
        return 2
    utterances = read(path, all_annotations=args.all_annotations)

    reflections = [u for u in utterances if u.reflection]
    simple = [u for u in reflections if u.subtype == "simple"]
    complex_ = [u for u in reflections if u.subtype == "complex"]
    main_reflections = [u for u in reflections if u.behaviour == "reflection"]
    others = [u for u in utterances if not u.reflection]
    open_q = [u for u in others if u.behaviour == "question" and u.question == "open"]
    closed_q = [u for u in others if u.behaviour == "question" and u.question != "open"]
    given = [u for u in others if u.behaviour == "therapist_input"]
    other = [u for u in others if u.behaviour == "other"]

    unit = "annotation rows" if args.all_annotations else "utterances (majority label)"
    print(f"AnnoMI therapist {unit}: {len(utterances)}; feeling words: any of FEELINGS")
    print(
        f"{'group':<34}{'n':>6} {'form':>6} {'feel':>6} {'either':>6} {'med.wds':>7} {'>BRIEF':>6}"
    )
    print("reflections")
    print(row("  simple", simple))
    print(row("  complex", complex_))
    print(row("  all (recall)", reflections))
    print(row("  main behaviour = reflection", main_reflections))
    print("non-reflections")
    print(row("  open question", open_q))
    print(row("  closed question", closed_q))
    print(row("  therapist input", given))
    print(row("  other", other))
    print(row("  all (false-positive rate)", others))

    fired = [u for u in utterances if u.form is not None]
    right = sum(u.reflection for u in fired)
    print()
    print(
        f"form recall on reflections: {_share(sum(u.form is not None for u in reflections), len(reflections)).strip()}"
    )
    print(
        f"form false-positive rate on non-reflections: {_share(sum(u.form is not None for u in others), len(others)).strip()}"
    )
    print(
        f"form precision (share of utterances it fires on that are reflections): {_share(right, len(fired)).strip()}"
    )
    print(f"form cues on reflections: {top(Counter(u.form for u in reflections if u.form))}")
    print(f"form cues on non-reflections: {top(Counter(u.form for u in others if u.form))}")
    print(
        f"feeling words on reflections: {top(Counter(u.feeling for u in reflections if u.feeling))}"
    )
    print(
        f"feeling words on non-reflections: {top(Counter(u.feeling for u in others if u.feeling))}"
    )
    print()
    for name, group in (("simple", simple), ("complex", complex_)):
        lengths = sorted(u.words for u in group)
        q3 = statistics.quantiles(lengths, n=4)[2] if len(lengths) > 1 else 0
        print(
            f"{name} reflections: median {statistics.median(lengths):g} words, upper quartile "
            f"{q3:g}, {_share(sum(w > BRIEF for w in lengths), len(lengths)).strip()} over BRIEF={BRIEF}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
