"""Active-listening drills: the trainee reflects a customer's message back, in their own words.

A reflection is scored on six documented parts (weights in ``WEIGHTS``, total 100):

- **facts**: the share of the item's key facts captured, each by one of its keywords or by
  meaning (a sentence of the answer whose embedding is within ``SIMILAR`` cosine of the fact,
  with the bundled all-MiniLM-L6-v2 encoder);
- **feeling**: the customer's feeling named (a word of ``FEELINGS`` for the item's emotion) or
  clearly implied (the engine finds an acknowledgement or a strong emotional reaction); a
  neutral customer needs none;
- **form**: it is shaped as a reflection ("It sounds like…", "So you…", "You must be…");
- **no premature solution**: it reflects before it fixes (no promise or next step yet);
- **no parroting**: at most ``PARROT`` of its words sit in runs of four or more copied from the
  customer;
- **brevity**: up to ``BRIEF`` words; longer answers lose the part gradually.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from heard.assessment.engine import Assessor
from heard.assessment.skills import codes_of
from heard.errors import InputError
from heard.results import EMOTIONS
from heard.text import sentences


class SentenceEmbedder(Protocol):
    """What a drill asks of a sentence encoder (:mod:`heard.encoders` has the shipped one)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length vector per text, in order."""
        ...


WEIGHTS: Mapping[str, float] = {
    "facts": 40.0,
    "feeling": 20.0,
    "form": 15.0,
    "no_premature_solution": 10.0,
    "no_parroting": 10.0,
    "brevity": 5.0,
}
SIMILAR = 0.55
PARROT = 0.5
BRIEF = 45
FEELINGS: Mapping[str, tuple[str, ...]] = {
    "frustrated": (
        "frustrat",
        "annoy",
        "fed up",
        "angry",
        "upset",
        "infuriat",
        "exasperat",
        "maddening",
        "had enough",
        "sick of",
        "irritat",
    ),
    "anxious": (
        "worr",
        "anxious",
        "stress",
        "nervous",
        "concern",
        "scar",
        "uneasy",
        "panic",
        "on edge",
        "afraid",
        "fear",
    ),
    "disappointed": (
        "disappoint",
        "let down",
        "upset",
        "sad",
        "gutted",
        "hurt",
        "a shame",
        "deflat",
        "hoped",
    ),
    "confused": (
        "confus",
        "unclear",
        "lost",
        "not sure",
        "puzzl",
        "unsure",
        "baffl",
        "overwhelm",
        "makes sense",
        "doesn't add up",
    ),
    "satisfied": ("pleased", "happy", "glad", "relie", "delight", "thrilled"),
    "neutral": (),
}
_FORM = re.compile(
    r"\b(?:it\s+)?(?:sounds|seems|looks)\s+(?:like|as\s+if|as\s+though)\b|\bso,?\s+you(?:r|'re|'ve|\s+are|\s+have|\s+were|\s+had|\s+feel|\s+need|\s+want)?\b"
    r"|\byou(?:'re|\s+are)\s+(?:feeling|worried|frustrated|upset|saying|telling)\b|\byou\s+feel\b"
    r"|\byou\s+must\s+be\b|\bthat\s+must\s+(?:be|have)\b|\bwhat\s+i(?:'m|\s+am)\s+hearing\b"
    r"|\bif\s+i\s+understand\b|\bi\s+hear\s+(?:that|you)\b|\bi\s+can\s+(?:see|tell|hear)\b"
    r"|\bit\s+must\s+(?:be|have)\b|\byou(?:'ve|\s+have)\s+been\b|\bi\s+understand\s+(?:that|you)\b",
    re.IGNORECASE,
)
_SOLUTION = re.compile(
    r"\b(?:i'll|i\s+will|we'll|we\s+will|let\s+me\s+(?:fix|refund|send|reset|sort|check|look)"
    r"|i(?:'ve|\s+have)\s+(?:refunded|sent|fixed|booked|reset|cancelled|escalated|arranged)"
    r"|you\s+(?:should|need\s+to|can\s+just|could\s+try)|try\s+(?:restarting|clearing|resetting))\b",
    re.IGNORECASE,
)
# Rule findings only: the mechanism model rates some promises ("I'll sort that out") as strong
# emotional reactions, which must not pass for reflecting a feeling.
ACKNOWLEDGING = frozenset({"acknowledges_feeling", "validates_feeling"})
SOLVING = frozenset({"next_steps", "clear_next_steps"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DrillFact(_Strict):
    id: Annotated[str, Field(min_length=1)]
    text: Annotated[str, Field(min_length=1)]
    keywords: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class DrillItem(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    scenario: str = ""  # the scenario it comes from
    message: Annotated[str, Field(min_length=1)]
    emotion: Literal[EMOTIONS]  # type: ignore[valid-type]
    facts: Annotated[list[DrillFact], Field(min_length=1)]
    exemplar: Annotated[str, Field(min_length=1)]  # a good reflection, to show afterwards


@dataclass(frozen=True)
class DrillResult:
    item: str
    score: float  # 0-100
    parts: dict[str, float]  # each part in [0, 1]
    facts: dict[str, bool]
    feedback: tuple[str, ...]
    exemplar: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "score": round(self.score, 1),
            "parts": {name: round(value, 2) for name, value in self.parts.items()},
            "facts": self.facts,
            "feedback": list(self.feedback),
            "exemplar": self.exemplar,
        }


def parroted_share(answer: str, message: str) -> float:
    """The share of the answer's words in runs of four or more copied from the message."""
    said = re.findall(r"[\w']+", answer.lower())
    heard = re.findall(r"[\w']+", message.lower())
    if not said:
        return 0.0
    blocks = SequenceMatcher(None, said, heard, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 4) / len(said)


class DrillScorer:
    """Scores reflections. ``load_encoder`` gives the sentence encoder, called on first use
    (most answers name every fact in words and need none): the scorer reads no files itself
    (``heard.services.models.drill_scorer`` hands it the shipped encoder)."""

    def __init__(self, assessor: Assessor, load_encoder: Callable[[], SentenceEmbedder]) -> None:
        self.assessor = assessor
        self._load_encoder = load_encoder
        self._encoder: SentenceEmbedder | None = None

    @property
    def encoder(self) -> SentenceEmbedder:
        if self._encoder is None:
            self._encoder = self._load_encoder()
        return self._encoder

    def _facts(self, item: DrillItem, answer: str) -> dict[str, bool]:
        lowered = answer.lower()
        found = {f.id: any(k.lower() in lowered for k in f.keywords) for f in item.facts}
        missing = [f for f in item.facts if not found[f.id]]
        parts = [s.of(answer) for s in sentences(answer)] or [answer]
        if missing and parts:
            vectors = self.encoder.encode([f.text for f in missing] + parts)
            facts, said = vectors[: len(missing)], vectors[len(missing) :]
            for fact, row in zip(missing, facts @ said.T, strict=True):
                found[fact.id] = bool(row.max() >= SIMILAR)
        return found

    def score(self, item: DrillItem, answer: str) -> DrillResult:
        if not answer.strip():
            raise InputError("the reflection is empty", field="answer")
        codes = codes_of(self.assessor.assess(answer, item.message, listen=True))
        lowered = answer.lower()
        facts = self._facts(item, answer)
        named = any(word in lowered for word in FEELINGS[item.emotion])
        words = len(re.findall(r"[\w']+", answer))
        parrot = parroted_share(answer, item.message)
        solving = bool(codes & SOLVING) or bool(_SOLUTION.search(answer))
        parts = {
            "facts": sum(facts.values()) / len(facts),
            "feeling": 1.0 if item.emotion == "neutral" or named or codes & ACKNOWLEDGING else 0.0,
            # shaped as a reflection: the stems, or the engine's listening model reads it as one
            "form": 1.0 if _FORM.search(answer) or "reflects" in codes else 0.0,
            "no_premature_solution": 0.0 if solving else 1.0,
            "no_parroting": 0.0 if parrot > PARROT else 1.0,
            "brevity": 1.0 if words <= BRIEF else max(0.0, 1.0 - (words - BRIEF) / BRIEF),
        }
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        return DrillResult(
            item.id, score, parts, facts, _feedback(item, parts, facts, parrot), item.exemplar
        )


def _feedback(
    item: DrillItem, parts: Mapping[str, float], facts: Mapping[str, bool], parrot: float
) -> tuple[str, ...]:
    notes: list[str] = []
    missed = [f.text for f in item.facts if not facts[f.id]]
    if missed:
        notes.append("You did not pick up: " + "; ".join(missed) + ".")
    if not parts["feeling"]:
        notes.append(f"Name how they feel: they sound {item.emotion}.")
    if not parts["form"]:
        notes.append('Shape it as a reflection: "It sounds like…", "So you…".')
    if not parts["no_premature_solution"]:
        notes.append("Reflect first; the fix can come in your next sentence.")
    if not parts["no_parroting"]:
        notes.append(f"Use your own words: {parrot:.0%} of yours are copied from theirs.")
    if parts["brevity"] < 1:
        notes.append(f"Keep it short: one or two sentences, under {BRIEF} words.")
    return tuple(notes) or ("A good reflection: facts, feeling and form.",)


_BANK = TypeAdapter(list[DrillItem])


def bank_path() -> Path:
    return Path(str(resources.files("heard") / "data" / "drills"))


def load_bank(folder: Path | None = None) -> dict[str, DrillItem]:
    """Every drill item in the folder's YAML files (each a list of items), by id."""
    items: dict[str, DrillItem] = {}
    for path in sorted((folder or bank_path()).glob("*.yaml")):
        where = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            parsed = _BANK.validate_python(data)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise InputError(f"cannot read the drills: {error}", where=where) from error
        except ValidationError as error:
            first = error.errors()[0]
            loc: Sequence[Any] = first["loc"]
            field = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in loc).lstrip(".")
            raise InputError(first["msg"], where=where, field=field) from error
        for item in parsed:
            if item.id in items:
                raise InputError(f"drill id {item.id!r} is used twice", where=where, field="id")
            items[item.id] = item
    return items
