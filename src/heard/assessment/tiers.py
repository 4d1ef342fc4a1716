"""A tier: the matched set of learned models the engine assesses with (``fast``: no transformer;
``accurate``: the sentence encoder), described by what the engine asks of each model.

The engine depends on these descriptions only; the models themselves (:mod:`heard.ml`) are
loaded by :mod:`heard.services.models` and handed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from heard.text import Segment


@dataclass(frozen=True, slots=True)
class MechanismOutput:
    """For one reply: the probabilities of level 0/1/2 and the evidence sentences, per mechanism."""

    probabilities: dict[str, tuple[float, float, float]]
    evidence: dict[str, tuple[Segment, ...]]


class EmotionModel(Protocol):
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 6) probabilities in ``EMOTIONS`` order."""
        ...


class MechanismModel(Protocol):
    def predict(self, contexts: Sequence[str], replies: Sequence[str]) -> list[MechanismOutput]:
        """Level probabilities and evidence sentences for each reply in its context."""
        ...


class ListeningModel(Protocol):
    def reflection(self, contexts: Sequence[str], replies: Sequence[str]) -> np.ndarray:
        """For each (customer turn, reply) pair, P(the reply reflects the turn)."""
        ...


@dataclass(frozen=True)
class Tier:
    """A matched set of learned models: ``fast`` (no transformer) or ``accurate`` (encoder).

    ``listening`` (optional) reads each reply against the customer's turn: does it reflect what
    they said, or parrot it? Both tiers share the fast tier's listening model."""

    name: str
    version: str
    emotion: EmotionModel
    mechanisms: MechanismModel
    listening: ListeningModel | None = None
