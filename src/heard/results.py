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
        return {"source": str(self.source), "start": self.start, "end": self.end, "text": self.text}


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
        }


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


@dataclass(frozen=True, slots=True)
class Tip:
    """A coaching tip for the agent, tied to the finding it addresses."""

    finding: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"finding": self.finding, "text": self.text}


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
