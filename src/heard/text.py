"""Text helpers that keep character offsets exact: sentences, words, clause-aware negation.

Everything here works on offsets into the caller's own string, so evidence can always be quoted
as ``text[start:end]``. Normalisation for matching (lower case, straight apostrophes) never changes
a string's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

# Longer texts are assessed on their first MAX_CHARS characters (documented in the README).
MAX_CHARS = 10_000

_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}
)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower case with straight quotes, the same length as ``text`` (so offsets carry over)."""
    lowered = text.translate(_APOSTROPHES).lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters change length when lower-cased (e.g. "İ"); keep those as they are.
    return "".join(
        low if len(low) == 1 else char
        for char, low in zip(text.translate(_APOSTROPHES), (c.lower() for c in text), strict=True)
    )


_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# A sentence ends at . ! ? (possibly repeated, possibly closing quotes/brackets) before white space,
# or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "no", "e.g", "i.e", "etc", "vs", "approx", "inc", "ltd"}
)


class Segment(NamedTuple):
    """A stretch of a text, by offsets into it (a named tuple: cheap to make by the thousand)."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def words(text: str) -> list[Segment]:
    """Word tokens (letters and digits, with inner apostrophes: "don't", "it's")."""
    return [Segment(m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[Segment, ...]:
    """Sentences, trimmed of surrounding white space; never empty segments (cached per text)."""
    segments: list[Segment] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        previous_word = text[max(start, end - 8) : end].rsplit(None, 1)[-1:] if end > start else []
        if previous_word and previous_word[0].lower().rstrip(".") in _ABBREVIATIONS:
            continue
        segments.extend(_trimmed(text, start, end))
        start = match.end()
    segments.extend(_trimmed(text, start, len(text)))
    return tuple(segments)


def _trimmed(text: str, start: int, end: int) -> Iterator[Segment]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Segment(start, end)


_NEGATORS = re.compile(
    r"\b(?:not|no|never|nothing|none|nobody|neither|nor|without|hardly|barely|cannot)\b|n't\b"
)
_CLAUSE_BREAK = re.compile(r"[.!?;:,]|\b(?:but|however|although|though|because|so)\b")


def negated(normalised: str, start: int, window: int = 4) -> bool:
    """Whether a negator stands within ``window`` words before ``start``, in the same clause.

    ``normalised`` is the output of :func:`normalise`. "It's not your fault" negates "your fault";
    "Not yet, but your fault" does not, because the clause breaks at "but".
    """
    left = normalised[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(left))
    if breaks:
        left = left[breaks[-1].end() :]
    tail = " ".join(left.split()[-window:])
    return _NEGATORS.search(tail) is not None


def sentence_containing(segments: Sequence[Segment], position: int) -> Segment | None:
    for segment in segments:
        if segment.start <= position < segment.end:
            return segment
    return None


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def truncate(text: str, limit: int = MAX_CHARS) -> tuple[str, bool]:
    """The first ``limit`` characters (a prefix, so offsets stay valid) and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True
