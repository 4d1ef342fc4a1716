"""Pairs (customer turn, reply) for the active-listening models (training and evaluation only).

Two sources, one shape (``ListeningPair``):
- EPITOME (``epitome_pairs``): Reddit seeker post → peer reply, labelled with the interpretations
  level 0 (none) / 1 (weak) / 2 (strong); the group is the seeker post id ``sp_id``.
- AnnoMI (``read_annomi``): every therapist utterance of ``AnnoMI-simple.csv`` with the previous
  client utterance of its transcript as the customer turn, labelled reflection / question /
  other (``therapist_input`` and ``other`` merged); the group is the transcript.

AnnoMI has no given dev set, so ``annomi_split`` assigns each *transcript* (never a row) to
"train" or "dev" by a stable hash of its id: about ``ANNOMI_DEV_SHARE`` of the transcripts go to
dev, the same on every machine and Python version.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from heard.errors import DataSetError
from heard.ml.mechanisms import MechanismExample

ANNOMI_FILE = Path("annomi") / "AnnoMI-simple.csv"
ANNOMI_DEV_SHARE = 0.2
#: AnnoMI's therapist behaviours → the three classes the listening model learns.
ANNOMI_CLASSES = ("reflection", "question", "other")
ANNOMI_TO_CLASS = {
    "reflection": 0,
    "question": 1,
    "therapist_input": 2,
    "other": 2,
}


@dataclass(frozen=True, slots=True)
class ListeningPair:
    """One labelled (customer turn, reply) pair; pairs sharing a group stay in one CV fold."""

    context: str
    reply: str
    label: int
    group: str


def annomi_split(transcript_id: str, dev_share: float = ANNOMI_DEV_SHARE) -> str:
    """ "dev" or "train" for a transcript, from a stable hash of its id (SHA-1, not ``hash``)."""
    digest = hashlib.sha1(f"annomi-transcript:{transcript_id}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2.0**64
    return "dev" if position < dev_share else "train"


def read_annomi(data_dir: str | Path, split: str | None = None) -> list[ListeningPair]:
    """AnnoMI therapist utterances with the previous client turn, of ``split`` (None: all).

    A therapist utterance with no client utterance before it in its transcript gets an empty
    customer turn. Labels index ``ANNOMI_CLASSES``.
    """
    if split not in (None, "train", "dev"):
        raise ValueError(f"split must be 'train', 'dev' or None, got {split!r}")
    path = Path(data_dir) / ANNOMI_FILE
    if not path.is_file():
        raise DataSetError(f"{path} not found: point --data-dir at the folder holding annomi/")
    transcripts: dict[str, list[tuple[int, dict[str, str]]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"transcript_id", "utterance_id", "interlocutor", "utterance_text"}
        needed.add("main_therapist_behaviour")
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise DataSetError(f"{path}: missing columns {sorted(missing)}")
        for row in reader:
            try:
                order = int(row["utterance_id"])
            except ValueError as error:
                number = row["utterance_id"]
                raise DataSetError(
                    f"{path}:{reader.line_num}: utterance_id {number!r} is not a number"
                ) from error
            transcripts.setdefault(row["transcript_id"], []).append((order, row))
    pairs = []
    for transcript_id in sorted(transcripts, key=lambda t: (len(t), t)):
        if split is not None and annomi_split(transcript_id) != split:
            continue
        client = ""
        for _, row in sorted(transcripts[transcript_id], key=lambda item: item[0]):
            text = row["utterance_text"].strip()
            if row["interlocutor"] == "client":
                client = text
                continue
            behaviour = row["main_therapist_behaviour"]
            if behaviour not in ANNOMI_TO_CLASS:
                raise DataSetError(
                    f"{path}: transcript {transcript_id} utterance {row['utterance_id']}: "
                    f"main_therapist_behaviour is {behaviour!r}"
                )
            pairs.append(ListeningPair(client, text, ANNOMI_TO_CLASS[behaviour], transcript_id))
    if not pairs:
        raise DataSetError(f"{path}: no therapist utterances in split {split!r}")
    return pairs


def epitome_pairs(
    examples: Sequence[MechanismExample], mechanism: str = "interpretations"
) -> list[ListeningPair]:
    """EPITOME examples as pairs labelled with the level (0/1/2) of ``mechanism``."""
    return [
        ListeningPair(e.context, e.reply, e.levels[mechanism], e.group or f"row{i}")
        for i, e in enumerate(examples)
    ]
