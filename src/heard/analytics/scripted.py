"""Scripted replies: an agent's replies that are near-duplicates of another of their own.

A template reused with a different name or order number is still the same template, so each
reply is first **masked**: numbers (``48213``, ``£34.99``, ``14:30``) become ``#num``, redaction
placeholders (``[EMAIL]``, ``[PHONE_2]``, ``<NAME>``) become ``#pii``, and the customer's
name-like tokens become ``#name`` (a capitalised word after a greeting such as "Hi Dana", and a
capitalised word of the reply that the customer also wrote capitalised, e.g. their sign-off).
The masked text is lower-cased and cut into word 3-grams (``SHINGLE``).

Two replies are near-duplicates when the Jaccard similarity of their 3-gram sets is at least
``THRESHOLD`` (0.6: a template with its slots filled in and a clause or two added stays above it;
two different replies on the same topic share well under a fifth of their 3-grams). Replies
shorter than ``MIN_TOKENS`` words ("Thanks!", "You're welcome") are never counted as scripted:
too short to tell a template from a natural answer.

Finding the pairs does not compare every reply with every other one: exact repeats are grouped by
their 3-gram set, and the rest go through MinHash locality-sensitive hashing (datasketch's
``MinHashLSH``, 128 permutations) tuned to a lower ``CANDIDATE_THRESHOLD`` so that it misses
few pairs; each candidate pair is then confirmed on its exact Jaccard similarity. The cost grows
about linearly with the number of replies (tens of thousands per agent take seconds).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

SHINGLE = 3
THRESHOLD = 0.6
CANDIDATE_THRESHOLD = 0.45
MIN_TOKENS = 5
NUM_PERM = 128

_PLACEHOLDER = re.compile(
    r"\[[A-Z][A-Z0-9_ -]{0,30}\]|<[A-Z][A-Z0-9_]{1,30}>|\{[A-Z][A-Z0-9_]{1,30}\}"
)
_NUMBER = re.compile(r"[£$€]?\d+(?:[.,:/-]\d+)*(?:st|nd|rd|th|am|pm|p|k)?", re.IGNORECASE)
_GREETING_NAME = re.compile(
    r"\b(?i:hi|hello|hey|dear|morning|afternoon|evening|thanks|thank you)[ ,]+"
    r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z'’-]+\b")
_TOKEN = re.compile(r"#?\w+(?:['’]\w+)*")
# Capitalised words that are not names, whatever the customer wrote.
_NOT_NAMES = frozenset(
    "i hi hello hey dear thanks thank please sorry the a an and but so we you your our my it "
    "this that there here what when where why how can could would will i'm i've i'll i'd "
    "monday tuesday wednesday thursday friday saturday sunday ok okay yes no".split()
)


def _names(context: str) -> frozenset[str]:
    """Capitalised words the customer wrote that they never wrote in lower case."""
    lower = {word.lower() for word in re.findall(r"\b[a-z][\w'’-]*", context)}
    return frozenset(
        word.lower()
        for word in _CAPITALISED.findall(context)
        if word.lower() not in lower and word.lower() not in _NOT_NAMES
    )


def masked_tokens(reply: str, context: str = "") -> list[str]:
    """The reply's lower-cased words with numbers, placeholders and name-like tokens masked."""
    text = _PLACEHOLDER.sub(" #pii ", reply)
    text = _GREETING_NAME.sub(
        lambda m: (
            m.group(0)[: m.start(1) - m.start(0)] + "#name"
            if m.group(1).split()[0].lower() not in _NOT_NAMES
            else m.group(0)
        ),
        text,
    )
    names = _names(context)
    if names:
        text = _CAPITALISED.sub(
            lambda m: "#name" if m.group(0).lower() in names else m.group(0), text
        )
    text = _NUMBER.sub(" #num ", text)
    return _TOKEN.findall(text.lower())


def shingles(tokens: Sequence[str], size: int = SHINGLE) -> frozenset[int]:
    """The set of hashed word ``size``-grams (CRC-32: stable across processes)."""
    if len(tokens) < size:
        grams: Iterable[Sequence[str]] = [tokens]
    else:
        grams = (tokens[i : i + size] for i in range(len(tokens) - size + 1))
    return frozenset(zlib.crc32(" ".join(gram).encode("utf-8")) for gram in grams)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@functools.lru_cache(maxsize=32)
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """datasketch's optimal (bands, rows) for the threshold, worked out once: it integrates
    numerically, and an analysis builds an index per agent and window."""
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, NUM_PERM, 0.5, 0.5)
    return int(bands), int(rows)


def _identity(value: int) -> int:
    return value


def scripted_flags(
    replies: Sequence[tuple[str, str]], *, threshold: float = THRESHOLD
) -> list[bool]:
    """For each ``(reply, context)`` of one agent: is it a near-duplicate of another of them?"""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
    flags = [False] * len(replies)
    groups: dict[frozenset[int], list[int]] = {}
    for i, (reply, context) in enumerate(replies):
        tokens = masked_tokens(reply, context)
        if len(tokens) >= MIN_TOKENS:
            groups.setdefault(shingles(tokens), []).append(i)
    for members in groups.values():
        if len(members) > 1:
            for i in members:
                flags[i] = True
    distinct = list(groups)
    if len(distinct) < 2:
        return flags
    for index in _near_duplicates(distinct, threshold):
        for i in groups[distinct[index]]:
            flags[i] = True
    return flags


def _near_duplicates(sets: Sequence[frozenset[int]], threshold: float) -> set[int]:
    """Indexes of the sets that have another set with Jaccard similarity >= ``threshold``.

    Each set not yet known to have a partner queries the index once, and every candidate it gets
    back is checked on its exact similarity: a whole template cluster is flagged by the first of
    its members to ask, so the cost stays about linear in the number of sets.
    """
    from datasketch import MinHash, MinHashLSH  # lazily: only analyses need it

    lsh: Any = MinHashLSH(num_perm=NUM_PERM, params=_lsh_bands(min(CANDIDATE_THRESHOLD, threshold)))
    sketches: list[Any] = MinHash.bulk(
        [sorted(s) for s in sets], num_perm=NUM_PERM, hashfunc=_identity
    )
    with lsh.insertion_session() as session:
        for index, sketch in enumerate(sketches):
            session.insert(index, sketch)
    found: set[int] = set()
    for index, sketch in enumerate(sketches):
        if index in found:
            continue
        for other in lsh.query(sketch):
            if other == index or (other in found and index in found):
                continue
            if jaccard(sets[index], sets[other]) >= threshold:
                found.update((index, other))
    return found
