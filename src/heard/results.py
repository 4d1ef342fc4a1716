"""Results are values: every finding carries the quoted spans that justify it.

Evidence offsets index the exact strings the caller passed in: for a span whose source is the reply,
``reply[span.start:span.end] == span.text``; for the context, the same on the context string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

EMOTIONS: tuple[str, ...] = (
    "frustrated",
    "anxious",
    "disappointed",
    "confused",
    "satisfied",
    "neutral",
)
NEGATIVE_EMOTIONS = frozenset({"frustrated", "anxious", "disappointed", "confused"})
MECHANISMS: tuple[str, ...] = ("emotional_reactions", "interpretations", "explorations")


class Source(StrEnum):
    """Which text a span points into."""

    REPLY = "reply"
    CONTEXT = "context"


@dataclass(frozen=True, slots=True)
class Span:
    """A quoted piece of the reply or the context: ``text == source_text[start:end]``."""

    source: Source
    start: int
    end: int
    text: str
    label: str = ""

    @classmethod
    def of(cls, source: Source, full_text: str, start: int, end: int, label: str = "") -> Span:
        """The span of ``full_text[start:end]``, with leading and trailing whitespace trimmed."""
        while start < end and full_text[start].isspace():
            start += 1
        while end > start and full_text[end - 1].isspace():
            end -= 1
        return cls(source, start, end, full_text[start:end], label)

    def to_dict(self) -> dict[str, Any]:
        found = {
            "source": str(self.source),
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }
        if self.label:
            found["label"] = self.label
        return found

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        return cls(
            Source(data["source"]),
            int(data["start"]),
            int(data["end"]),
            str(data["text"]),
            str(data.get("label", "")),
        )


class FindingKind(StrEnum):
    STRENGTH = "strength"
    GAP = "gap"
    ANTI_PATTERN = "anti_pattern"


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about a reply, named by a stable ``code``, with its evidence.

    ``scorer`` is the versioned name of the registered scorer that produced it.
    """

    code: str
    kind: FindingKind
    message: str
    evidence: tuple[Span, ...]
    scorer: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": str(self.kind),
            "message": self.message,
            "evidence": [span.to_dict() for span in self.evidence],
            "scorer": self.scorer,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """A finding from its JSON (``scorer`` is empty for one stored before it was kept)."""
        return cls(
            str(data["code"]),
            FindingKind(data["kind"]),
            str(data.get("message", "")),
            _spans(data.get("evidence", ())),
            str(data.get("scorer", "")),
        )


def _spans(values: Iterable[Mapping[str, Any]]) -> tuple[Span, ...]:
    return tuple(Span.from_dict(v) for v in values)


def _cues(values: Iterable[Mapping[str, Any]]) -> tuple[Cue, ...]:
    return tuple(Cue.from_dict(v) for v in values)


def evidence_of(findings: Iterable[Finding], *codes: str) -> list[Span]:
    """The evidence spans of the findings with any of ``codes``, in finding order."""
    return [span for finding in findings if finding.code in codes for span in finding.evidence]


@dataclass(frozen=True, slots=True)
class Cue:
    """A documented signal behind a reading (intensity, complexity, style), with its evidence."""

    code: str
    message: str
    evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "evidence": [span.to_dict() for span in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cue:
        return cls(
            str(data["code"]), str(data.get("message", "")), _spans(data.get("evidence", ()))
        )


def _frozen_mapping(values: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class EmotionReading:
    """The customer's emotion: the label, a probability for each of the six, and an intensity."""

    label: str
    intensity: float
    scores: Mapping[str, float]
    cues: tuple[Cue, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", _frozen_mapping(self.scores))

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "intensity": round(self.intensity, 4),
            "scores": {label: round(p, 4) for label, p in self.scores.items()},
            "cues": [cue.to_dict() for cue in self.cues],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EmotionReading:
        return cls(
            str(data["label"]),
            float(data["intensity"]),
            {str(k): float(v) for k, v in data.get("scores", {}).items()},
            _cues(data.get("cues", ())),
        )


@dataclass(frozen=True, slots=True)
class ComplexityReading:
    """Routine or complex, from documented signals (each a cue with evidence)."""

    label: str
    score: float
    cues: tuple[Cue, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": round(self.score, 3),
            "cues": [cue.to_dict() for cue in self.cues],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ComplexityReading:
        return cls(str(data["label"]), float(data["score"]), _cues(data.get("cues", ())))


@dataclass(frozen=True, slots=True)
class StyleReading:
    """Communication-style cues: formal/informal/neutral and direct/indirect/neutral."""

    formality: str
    directness: str
    cues: tuple[Cue, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "formality": self.formality,
            "directness": self.directness,
            "cues": [cue.to_dict() for cue in self.cues],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StyleReading:
        return cls(str(data["formality"]), str(data["directness"]), _cues(data.get("cues", ())))


NEED_KINDS: tuple[str, ...] = ("loss", "problem", "question", "praise", "none")


@dataclass(frozen=True, slots=True)
class NeedsReading:
    """What the customer's message asks of the reply (``heard.understanding.needs``).

    ``kind`` is one of ``NEED_KINDS``; ``questions`` are the customer's question sentences, with
    ``question_types`` saying what would answer each (time, amount, place, how, yes_no, reason,
    other).
    """

    kind: str = "none"
    questions: tuple[Span, ...] = ()
    question_types: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()

    def has(self, code: str) -> bool:
        return any(cue.code == code for cue in self.cues)

    def evidence(self, *codes: str) -> tuple[Span, ...]:
        return tuple(span for cue in self.cues if cue.code in codes for span in cue.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "questions": [
                {**span.to_dict(), "type": kind}
                for span, kind in zip(self.questions, self.question_types, strict=True)
            ],
            "cues": [cue.to_dict() for cue in self.cues],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NeedsReading:
        questions = list(data.get("questions", ()))
        return cls(
            str(data.get("kind", "none")),
            _spans(questions),
            tuple(str(q.get("type", "other")) for q in questions),
            _cues(data.get("cues", ())),
        )


@dataclass(frozen=True, slots=True)
class CustomerReading:
    """What the engine understood about the customer's message(s)."""

    emotion: EmotionReading
    complexity: ComplexityReading
    style: StyleReading
    needs: NeedsReading = NeedsReading()

    def to_dict(self) -> dict[str, Any]:
        return {
            "emotion": self.emotion.to_dict(),
            "complexity": self.complexity.to_dict(),
            "style": self.style.to_dict(),
            "needs": self.needs.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class MechanismResult:
    """One EPITOME mechanism: level 0 (none), 1 (weak) or 2 (strong), with probabilities."""

    name: str
    level: int
    probabilities: tuple[float, float, float]
    evidence: tuple[Span, ...] = ()

    @property
    def expected_level(self) -> float:
        """The probability-weighted level in [0, 2]: a smooth version of ``level``."""
        return self.probabilities[1] + 2.0 * self.probabilities[2]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "probabilities": [round(p, 4) for p in self.probabilities],
            "evidence": [span.to_dict() for span in self.evidence],
        }

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any]) -> MechanismResult:
        none, weak, strong = (float(p) for p in data["probabilities"])
        return cls(name, int(data["level"]), (none, weak, strong), _spans(data.get("evidence", ())))


@dataclass(frozen=True, slots=True)
class Tip:
    """A coaching tip for the agent, tied to the finding it addresses."""

    finding: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"finding": self.finding, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tip:
        return cls(str(data["finding"]), str(data["text"]))


@dataclass(frozen=True)
class Assessment:
    """The whole judgement of one agent reply in its context."""

    reply: str
    context: str
    score: int
    mechanisms: Mapping[str, MechanismResult]
    customer: CustomerReading
    findings: tuple[Finding, ...]
    tips: tuple[Tip, ...]
    rewrite: str
    tier: str
    model_version: str
    truncated: bool = False
    score_parts: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mechanisms", MappingProxyType(dict(self.mechanisms)))
        object.__setattr__(self, "score_parts", _frozen_mapping(self.score_parts))

    def findings_of(self, kind: FindingKind) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind is kind)

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON contract (see README, "Output format")."""
        emotion = self.customer.emotion.to_dict()
        return {
            "score": self.score,
            "mechanisms": {name: result.to_dict() for name, result in self.mechanisms.items()},
            "customer_emotion": emotion,
            "customer": {
                "complexity": self.customer.complexity.to_dict(),
                "style": self.customer.style.to_dict(),
                "needs": self.customer.needs.to_dict(),
            },
            "findings": [finding.to_dict() for finding in self.findings],
            "tips": [tip.to_dict() for tip in self.tips],
            "rewrite": self.rewrite,
            "score_parts": {name: round(value, 2) for name, value in self.score_parts.items()},
            "tier": self.tier,
            "model_version": self.model_version,
            "truncated": self.truncated,
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, reply: str | None = None, context: str | None = None
    ) -> Assessment:
        """The assessment ``to_dict`` wrote (``reply`` and ``context`` from ``data`` when it holds
        them, as stored assessments do). Figures come back as rounded in the JSON, so
        ``from_dict(a.to_dict()).to_dict() == a.to_dict()``; a ``KeyError`` names a missing part."""
        customer = data.get("customer", {})
        return cls(
            reply=str(data.get("reply", "") if reply is None else reply),
            context=str(data.get("context", "") if context is None else context),
            score=int(data["score"]),
            mechanisms={
                name: MechanismResult.from_dict(name, value)
                for name, value in data["mechanisms"].items()
            },
            customer=CustomerReading(
                EmotionReading.from_dict(data["customer_emotion"]),
                ComplexityReading.from_dict(customer["complexity"]),
                StyleReading.from_dict(customer["style"]),
                NeedsReading.from_dict(customer.get("needs", {})),
            ),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            tips=tuple(Tip.from_dict(t) for t in data.get("tips", ())),
            rewrite=str(data.get("rewrite", "")),
            tier=str(data.get("tier", "")),
            model_version=str(data.get("model_version", "")),
            truncated=bool(data.get("truncated", False)),
            score_parts={str(k): float(v) for k, v in data.get("score_parts", {}).items()},
        )
