"""Phrase patterns that skip, in C, the texts they cannot match.

A rubric pattern is an alternation of phrases ("i'm sorry", "apologi[sz]e", ...) wrapped in word
boundaries. Python's regular-expression engine tries every alternative at every position, which
is most of the cost of assessing a reply. :class:`Phrases` first works out, from the parsed
pattern, a set of literal strings one of which every match must contain (for each alternative,
its most selective mandatory literal: "sorry", "apologi", "fault", "policy"), and scans a text only
when one of them occurs in it (``str.__contains__``, done in C). This is the "required substring"
optimisation of engines such as RE2 and Hyperscan. When no such set can be found, the pattern
simply always scans: the filter can only skip texts in which a match is impossible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

MIN_NEEDLE = 3  # shorter literals ("am", "pm") occur everywhere: not worth checking


def _required(items: Any) -> set[str] | None:
    """A set of literals, one of which any match of the parsed sequence contains (or None)."""
    from re import _constants as c  # type: ignore[attr-defined]

    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        found: set[str] | None = None
        if op is c.SUBPATTERN:
            found = _required(av[3])
        elif op is c.BRANCH:
            options = [_required(branch) for branch in av[1]]
            if all(options):
                found = set().union(*[o for o in options if o])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            found = _required(av[2])
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})

    def selectivity(candidate: set[str]) -> int:
        return min(len(s.strip(" '-,.")) for s in candidate)  # " to " is as common as "to"

    usable = [cand for cand in candidates if selectivity(cand) >= MIN_NEEDLE]
    if not usable:
        return None
    return max(usable, key=lambda cand: (selectivity(cand), -len(cand)))


def needles(pattern: str) -> tuple[str, ...] | None:
    """The literals of :func:`_required` for a whole pattern, or None when there are none."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        found = _required(_parser.parse(pattern))
    except Exception:  # the private parser may change between Python versions: then no filter
        return None
    return tuple(sorted(found)) if found else None


class Phrases:
    """A compiled pattern with a required-literal pre-check; the ``re.Pattern`` methods we use."""

    __slots__ = ("needles", "pattern", "regex")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.regex = re.compile(pattern)
        self.needles = needles(pattern)

    def possible(self, text: str) -> bool:
        """False only when no match can exist in ``text``."""
        return self.needles is None or any(needle in text for needle in self.needles)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.possible(text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(text) else None

    def findall(self, text: str) -> list[Any]:
        return self.regex.findall(text) if self.possible(text) else []

    def match(self, text: str) -> re.Match[str] | None:
        return self.regex.match(text) if self.possible(text) else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.regex.fullmatch(text) if self.possible(text) else None

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.regex.sub(replacement, text) if self.possible(text) else text


Pattern = re.Pattern[str] | Phrases
