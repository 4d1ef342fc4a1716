"""heard: make every customer feel heard.

The stable Python interface::

    import heard
    result = heard.assess("Sorry about that, I've refunded it.", context="I was charged twice!")
    result.score, result.findings, result.tips, result.rewrite
    heard.detect_emotion("This is the third time I've asked!!").label

Models load on first use (the ``fast`` tier by default) and stay loaded for the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from heard.version import __version__

if TYPE_CHECKING:
    from heard.results import Assessment, EmotionReading

__all__ = ["__version__", "assess", "detect_emotion"]


def assess(reply: str, context: str | Sequence[str] = "", *, tier: str = "fast") -> Assessment:
    """Assess an agent's ``reply`` to what the customer wrote (``context``: a string, or the
    customer's messages since the agent's last reply). Raises ``heard.errors.InputError`` for an
    empty reply."""
    from heard.services.models import assessor

    return assessor(tier).assess(reply, context)


def detect_emotion(text: str, *, tier: str = "fast") -> EmotionReading:
    """The customer's emotion in ``text``: one of six labels, a probability for each, an
    intensity in [0, 1], and the cues behind the intensity."""
    from heard.services.models import assessor

    return assessor(tier).detect_emotions([text])[0]
