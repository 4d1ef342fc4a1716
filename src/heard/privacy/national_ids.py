"""National identity numbers: US Social Security numbers and UK National Insurance numbers.

An SSN is three, two and four digits. Written with dashes (``536-22-8841``) it is taken as it
stands; with spaces or as one run (``536 22 8841``, ``536228841``) only after an SSN cue
("SSN", "social security", "SS#"), because nine digits are too common a shape on their own. It
must pass ``stdnum.us.ssn`` (no area 000, 666 or 9xx, no group 00, no serial 0000, not one of the
numbers published in advertising). A number right after an order, reference or account cue
("Reference 123-45-6789") is that identifier, not an SSN.

A National Insurance number is two letters, six digits and a letter A-D, with or without
spaces (``JG 10 37 59 A``, ``AB123456C``). ``python-stdnum`` has no module for it, so HMRC's
published rules are checked here: the first letter is not D, F, I, Q, U or V, the second not D,
F, I, O, Q, U or V, and the prefix is not BG, GB, KN, NK, NT, TN or ZZ. In capitals it is taken
unless a part, model or reference cue comes right before it ("part number AB123456C"); in lower
case only after an NI cue ("ni number ab 12 34 56 c").
"""

from __future__ import annotations

import re

from stdnum.us import ssn

from heard.privacy.context import NINO, SSN, Found, words_before

# Both patterns start with a digit class, which the regular expression engine scans for quickly.
_SSN = re.compile(
    r"[0-9](?<![\w.,/$£€#-][0-9])(?<![0-9] [0-9])[0-9]{2}(?P<sep>[ -]?)[0-9]{2}(?P=sep)[0-9]{4}"
    r"(?![\w]|[.,/-][0-9]| [0-9])"
)
_SSN_CUES = frozenset("ssn ssns ss social security taxpayer".split())
_NINO = re.compile(
    r"(?<![\w-])(?P<prefix>[A-Za-z]{2})[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-Da-d](?![\w])"
)
_NINO_DIGITS = re.compile(r"[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-Da-d](?![\w])")
_NINO_CUES = frozenset("ni nino nin national insurance".split())
_NINO_BAD_FIRST = frozenset("DFIQUV")
_NINO_BAD_SECOND = frozenset("DFIOQUV")
_NINO_BAD_PREFIXES = frozenset("BG GB KN NK NT TN ZZ".split())
# Words that make the number after them some other identifier.
_IDENTIFIER_CUES = frozenset(
    "# order ticket tracking ref reference invoice case confirmation booking shipment parcel "
    "sku serial imei transaction receipt claim po account acct routing customer member policy "
    "id no item model part product code batch lot vat flight".split()
)


def _cued(text: str, start: int, cues: frozenset[str]) -> bool:
    """Whether one of ``cues`` is among the few words before ``start``."""
    return bool(cues.intersection(words_before(text, start, count=6, reach=50)))


def _is_identifier(text: str, start: int) -> bool:
    """Whether an identifier cue ("order", "part number is") comes right before ``start``."""
    return bool(_IDENTIFIER_CUES.intersection(words_before(text, start, count=3)))


def find_ssns(text: str) -> list[Found]:
    """US Social Security numbers in ``text``."""
    found: list[Found] = []
    for match in _SSN.finditer(text):
        if not ssn.is_valid(match.group().replace(" ", "").replace("-", "")):
            continue
        if match["sep"] != "-" and not _cued(text, match.start(), _SSN_CUES):
            continue
        if _is_identifier(text, match.start()) and not _cued(text, match.start(), _SSN_CUES):
            continue
        found.append(Found(SSN, match.start(), match.end()))
    return found


def is_nino_prefix(prefix: str) -> bool:
    """Whether two letters can start a National Insurance number (HMRC's rules)."""
    prefix = prefix.upper()
    return (
        prefix[0] not in _NINO_BAD_FIRST
        and prefix[1] not in _NINO_BAD_SECOND
        and prefix not in _NINO_BAD_PREFIXES
    )


def find_ninos(text: str) -> list[Found]:
    """UK National Insurance numbers in ``text``."""
    found: list[Found] = []
    if not _NINO_DIGITS.search(text):
        return found
    for match in _NINO.finditer(text):
        if not is_nino_prefix(match["prefix"]):
            continue
        cued = _cued(text, match.start(), _NINO_CUES)
        if not cued and (not match.group().isupper() or _is_identifier(text, match.start())):
            continue
        found.append(Found(NINO, match.start(), match.end()))
    return found
