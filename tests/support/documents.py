"""Stored assessments for tests that build analytics rows by hand: real ``Assessment`` values
written with ``to_dict()``, so a row's document has the shape the engine stores and reads back
(``Assessment.from_dict``), with only what a test cares about set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from heard.results import (
    MECHANISMS,
    Assessment,
    ComplexityReading,
    CustomerReading,
    EmotionReading,
    Finding,
    MechanismResult,
    StyleReading,
)

_PROBABILITIES = {0: (0.8, 0.1, 0.1), 1: (0.1, 0.8, 0.1), 2: (0.1, 0.1, 0.8)}


def assessment_document(
    score: float,
    *,
    findings: Sequence[Mapping[str, Any]] = (),
    levels: Sequence[int] = (0, 0, 0),
    emotion: tuple[str, float] = ("frustrated", 0.8),
    complexity: str = "routine",
) -> dict[str, Any]:
    """The stored document of an assessment with this score (clamped to 0–100), these findings
    (each ``{"code", "kind"[, "message", "evidence"]}``) and mechanism levels."""
    label, intensity = emotion
    return Assessment(
        reply="",
        context="",
        score=round(min(100.0, max(0.0, score))),
        mechanisms={
            name: MechanismResult(name, level, _PROBABILITIES[level])
            for name, level in zip(MECHANISMS, levels, strict=True)
        },
        customer=CustomerReading(
            EmotionReading(label, intensity, {label: 1.0}),
            ComplexityReading(complexity, 0.0),
            StyleReading("neutral", "neutral"),
        ),
        findings=tuple(Finding.from_dict({"message": "", **f}) for f in findings),
        tips=(),
        rewrite="",
        tier="fast",
        model_version="test",
    ).to_dict()
