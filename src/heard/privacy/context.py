"""What every detector shares: the found-item record and a look at the words before a match.

Detectors return `Found` items as offsets into the text they were given; none of them logs,
copies or keeps the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

EMAIL = "email"
PHONE = "phone"
CARD = "card"
IBAN = "iban"
IP = "ip"
SSN = "ssn"
NINO = "nino"
DOB = "dob"
ADDRESS = "address"
NAME = "name"

# The order is the precedence when two detectors claim overlapping text: a checksum-backed
# kind wins over a pattern-only one (an IBAN's digits are never a phone number), and a kind
# found only after its cue ("SSN", "date of birth") wins over a phone number made of the same
# digits.
KINDS: tuple[str, ...] = (EMAIL, IBAN, CARD, SSN, NINO, IP, DOB, PHONE, ADDRESS, NAME)


class Found(NamedTuple):
    """One item of personal data: ``text[start:end]`` is replaced by its kind's placeholder."""

    kind: str
    start: int
    end: int


_WORD = re.compile(r"[#\w]+")


def words_before(text: str, start: int, *, count: int = 3, reach: int = 40) -> list[str]:
    """The last ``count`` words (lower case, nearest first) in the ``reach`` characters before
    ``start``. A ``#`` glued to a number counts as a word of its own."""
    window = text[max(0, start - reach) : start].lower()
    words = _WORD.findall(window)
    found: list[str] = []
    for word in reversed(words):
        if word.startswith("#"):
            found.append("#")
            word = word[1:]
            if not word:
                continue
        found.append(word)
    return found[:count]


def words_after(text: str, end: int, *, count: int = 3, reach: int = 40) -> list[str]:
    """The next ``count`` words (lower case, nearest first) in the ``reach`` characters after
    ``end``."""
    return [word.lstrip("#") or "#" for word in _WORD.findall(text[end : end + reach].lower())][
        :count
    ]
