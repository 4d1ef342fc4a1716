"""What every scorer reads: the reply and its context, prepared once, plus the learned readings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from heard.results import CustomerReading, MechanismResult, Source, Span
from heard.text import Segment, negated, normalise, sentence_containing, sentences, words

T = TypeVar("T")
# A negation carried inside the words themselves ("not your fault", "no need to be rude").
NEGATION = re.compile(r"\b(?:not|no|nothing|never)\b|n't\b")


@dataclass(frozen=True)
class TextView:
    """One text (reply or context) with its matching form and sentences, all offset-aligned."""

    source: Source
    text: str
    norm: str = field(init=False)
    sentences: tuple[Segment, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", normalise(self.text))
        object.__setattr__(self, "sentences", tuple(sentences(self.text)))

    @cached_property
    def words(self) -> tuple[Segment, ...]:
        return tuple(words(self.text))

    def span(self, start: int, end: int, label: str = "") -> Span:
        return Span.of(self.source, self.text, start, end, label)

    def matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        return pattern.finditer(self.norm)

    def spans(
        self, pattern: re.Pattern[str], *, label: str = "", allow_negated: bool = True
    ) -> list[Span]:
        """Spans of every match; with ``allow_negated=False`` matches inside a negation are skipped."""
        found = []
        for match in pattern.finditer(self.norm):
            if not allow_negated and negated(self.norm, match.start()):
                continue
            found.append(self.span(match.start(), match.end(), label))
        return found

    def affirmed(self, pattern: re.Pattern[str]) -> list[Span]:
        """Spans of matches not negated from outside ("that's not reasonable" is skipped); a match
        that carries its own negation ("not your fault", "no need to be rude") means what it says
        and is kept."""
        return [
            self.span(match.start(), match.end())
            for match in pattern.finditer(self.norm)
            if not self.negated_from_outside(match)
        ]

    def negated_from_outside(self, match: re.Match[str]) -> bool:
        """Whether a negator before ``match`` cancels it; one inside it is part of its meaning."""
        return NEGATION.search(match.group(0)) is None and negated(self.norm, match.start())

    def sentence_at(self, position: int) -> Segment | None:
        return sentence_containing(self.sentences, position)

    def sentence_span(self, position: int, label: str = "") -> Span:
        """The whole sentence around ``position`` as a span."""
        segment = self.sentence_at(position)
        if segment is None:
            return self.span(position, position, label)
        return self.span(segment.start, segment.end, label)

    def sentence_norm(self, position: int) -> str:
        """The matching form of the whole sentence around ``position``."""
        segment = self.sentence_at(position)
        return self.norm[segment.start : segment.end] if segment is not None else ""

    def is_negated(self, position: int) -> bool:
        return negated(self.norm, position)


@dataclass(frozen=True)
class Exchange:
    """An agent reply in the context of what the customer wrote, with the learned readings."""

    reply: TextView
    context: TextView
    customer: CustomerReading
    mechanisms: Mapping[str, MechanismResult]
    history: str = ""  # earlier customer messages: only used to recognise personalisation
    reflection: float | None = None  # P(the reply reflects the customer's turn), if the tier has it
    # readings several scorers share, computed once per exchange (see ``Exchange.memo``)
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        reply: str,
        context: str,
        customer: CustomerReading,
        mechanisms: Mapping[str, MechanismResult],
        history: str = "",
        reflection: float | None = None,
    ) -> Exchange:
        return cls(
            TextView(Source.REPLY, reply),
            TextView(Source.CONTEXT, context),
            customer,
            mechanisms,
            history,
            reflection,
        )

    def memo(self, key: str, compute: Callable[[Exchange], T]) -> T:
        """``compute(self)``, computed once per exchange and shared by the scorers that need it."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        value: T = self._memo[key]
        return value

    def level(self, mechanism: str) -> int:
        result = self.mechanisms.get(mechanism)
        return result.level if result is not None else 0
