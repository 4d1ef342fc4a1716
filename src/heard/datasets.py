"""Readers for the public labelled data sets heard trains and evaluates on (training time only).

The data sets live outside the project (``--data-dir`` or ``$HEARD_DATA_DIR``); see
MODEL_CARD.md for their sources and licences. Readers fail with a DataSetError that names the file,
the line and what was expected.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from heard.errors import DataSetError
from heard.ml.mechanisms import MechanismExample
from heard.results import MECHANISMS

# GoEmotions label → the product's six labels (unmapped labels are dropped).
GOEMOTIONS_TO_PRODUCT: dict[str, str] = {
    **dict.fromkeys(("anger", "annoyance", "disgust", "disapproval"), "frustrated"),
    **dict.fromkeys(("fear", "nervousness"), "anxious"),
    **dict.fromkeys(("sadness", "disappointment", "grief"), "disappointed"),
    "confusion": "confused",
    **dict.fromkeys(
        (
            "gratitude",
            "joy",
            "relief",
            "admiration",
            "approval",
            "amusement",
            "love",
            "optimism",
            "pride",
            "excitement",
            "caring",
        ),
        "satisfied",
    ),
    "neutral": "neutral",
}
TWEETEVAL_TO_PRODUCT: dict[str, str] = {
    "anger": "frustrated",
    "sadness": "disappointed",
    "joy": "satisfied",
    "optimism": "satisfied",
}
_EPITOME_PREFIX = {"emotional_reactions": "er", "interpretations": "ip", "explorations": "ex"}


def default_data_dir(argument: str | None, root: Path) -> Path:
    """The data folder: the argument, else ``$HEARD_DATA_DIR``, else ``shared/data`` beside the
    repository at ``root`` (for the scripts; the CLI takes ``--data-dir`` the same way)."""
    if argument:
        return Path(argument)
    if os.environ.get("HEARD_DATA_DIR"):
        return Path(os.environ["HEARD_DATA_DIR"])
    return root.parent / "shared" / "data"


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataSetError(
            f"{path} not found: point --data-dir at the folder holding the data sets "
            "(epitome/, goemotions/, tweeteval/; see MODEL_CARD.md)"
        )
    return path


def read_epitome(data_dir: str | Path, split: str) -> list[MechanismExample]:
    """EPITOME pairs of ``split`` ("train" or "dev") with levels and rationale spans."""
    path = _require(Path(data_dir) / "epitome" / f"{split}.csv")
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"seeker_post", "response_post"} | {
            f"{p}_{suffix}" for p in _EPITOME_PREFIX.values() for suffix in ("level", "rationales")
        }
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise DataSetError(f"{path}: missing columns {sorted(missing)}")
        for row in reader:
            levels = {}
            for mechanism, prefix in _EPITOME_PREFIX.items():
                value = row[f"{prefix}_level"]
                if value not in ("0", "1", "2"):
                    raise DataSetError(
                        f"{path}:{reader.line_num}: {prefix}_level is {value!r}, expected 0, 1 or 2"
                    )
                levels[mechanism] = int(value)
            rationales = {
                mechanism: tuple(s for s in row[f"{prefix}_rationales"].split("|") if s.strip())
                for mechanism, prefix in _EPITOME_PREFIX.items()
            }
            examples.append(
                MechanismExample(
                    row["seeker_post"],
                    row["response_post"],
                    levels,
                    rationales,
                    row.get("sp_id", ""),
                )
            )
    if not examples:
        raise DataSetError(f"{path}: no rows")
    assert set(MECHANISMS) == set(_EPITOME_PREFIX)
    return examples


@dataclass(frozen=True, slots=True)
class EmotionExample:
    text: str
    labels: frozenset[str]  # product labels
    source_labels: tuple[str, ...]  # the data set's own labels
    all_mapped: bool  # every source label has a product label

    @property
    def single(self) -> str | None:
        """The product label when the row maps to exactly one label and all its labels map."""
        if self.all_mapped and len(self.labels) == 1:
            return next(iter(self.labels))
        return None


def read_goemotions(data_dir: str | Path, split: str) -> list[EmotionExample]:
    """GoEmotions rows of ``split`` ("train" or "dev"), mapped to the product's labels."""
    folder = Path(data_dir) / "goemotions"
    names = _require(folder / "emotions.txt").read_text(encoding="utf-8").split()
    path = _require(folder / f"{split}.tsv")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                raise DataSetError(
                    f"{path}:{line_number}: expected 3 tab-separated fields, got {len(parts)}"
                )
            text, ids, _ = parts
            try:
                source = tuple(names[int(i)] for i in ids.split(","))
            except (ValueError, IndexError) as error:
                raise DataSetError(f"{path}:{line_number}: bad emotion ids {ids!r}") from error
            mapped = frozenset(
                GOEMOTIONS_TO_PRODUCT[s] for s in source if s in GOEMOTIONS_TO_PRODUCT
            )
            examples.append(
                EmotionExample(
                    text, mapped, source, all(s in GOEMOTIONS_TO_PRODUCT for s in source)
                )
            )
    return examples


def read_tweeteval_emotion(data_dir: str | Path, split: str) -> list[EmotionExample]:
    """TweetEval emotion rows of ``split`` ("train" or "val"), mapped to the product's labels."""
    folder = Path(data_dir) / "tweeteval" / "emotion"
    mapping = {}
    for line in _require(folder / "mapping.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            index, name = line.split("\t")
            mapping[index.strip()] = name.strip()
    texts = _require(folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = _require(folder / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise DataSetError(f"{folder}: {len(texts)} texts but {len(labels)} labels in {split}")
    examples = []
    for line_number, (text, label) in enumerate(zip(texts, labels, strict=True), start=1):
        source_name = mapping.get(label.strip())
        if source_name is None:
            raise DataSetError(
                f"{folder / (split + '_labels.txt')}:{line_number}: unknown label {label!r}"
            )
        product = TWEETEVAL_TO_PRODUCT[source_name]
        examples.append(EmotionExample(text.strip(), frozenset({product}), (source_name,), True))
    return examples


def iter_single_label(examples: list[EmotionExample]) -> Iterator[tuple[str, str]]:
    for example in examples:
        label = example.single
        if label is not None:
            yield example.text, label
