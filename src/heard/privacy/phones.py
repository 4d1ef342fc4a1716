"""Phone numbers, confirmed by Google's libphonenumber metadata (``phonenumbers``).

A candidate is a run of digits with single separators (space, dot, dash, brackets), optionally
led by ``+``. It counts as a phone number when ``phonenumbers`` parses it as a *valid* number,
either internationally (``+44 20 7946 0958``, ``0044 ...``, ``011 ...``) or in the national
format of one of the configured regions (``(415) 555-0132``, ``020 7946 0958``), and it has at
least seven digits unless it starts with ``+``. Dates ("2024-03-12", "12.03.2024") are never
phone numbers. A run next to an order, ticket, tracking or account cue ("order 2025550143",
"2025550143 is the order number") is an identifier unless a phone cue ("call", "mobile", "tel")
comes before it. When a run is too long to be one number, trailing groups are dropped
("415 555 0132 23 times" -> "415 555 0132"). An extension ("x 23", "ext. 23") after a phone
number is redacted with it.

``phonenumbers.PhoneNumberMatcher`` does the same job but costs 100-250 µs per region for a
short message; parsing our own candidates costs about 20 µs each and only runs on digit runs
long enough to be a number.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence

import phonenumbers

from heard.privacy.context import PHONE, Found, words_after, words_before

_UNIT = r"(?:\([0-9]{1,5}\)|[0-9])"
_RUN = re.compile(
    rf"(?<![\w+.,/$£€#-])(?:\+ ?)?{_UNIT}(?:[ .-]?{_UNIT})*(?![\w]|[.,/:-][0-9])",
)
_GROUP_END = re.compile(r"(?<=[0-9)])(?=[ .-]|$)")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*[0-9]{1,6}\b", re.IGNORECASE)
_DATE = re.compile(
    r"[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{2,4}",
)
_CLAUSE_END = re.compile(r"[,.;:!?()\n]|\s(?:and|or|but)\s", re.IGNORECASE)
_MIN_DIGITS = 7
_MAX_DIGITS = 17  # 15 for E.164, plus an international prefix such as 00 or 011

_PHONE_CUES = frozenset(
    "phone phones tel telephone mobile cell cellphone call called calling ring text sms "
    "whatsapp fax landline reach contact helpline hotline freephone dial".split()
)
_IDENTIFIER_CUES = frozenset(
    "# order ticket tracking ref reference invoice case confirmation booking shipment parcel "
    "sku serial imei transaction receipt claim po awb consignment account acct customer member "
    "membership policy id no item model".split()
)


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _is_valid(candidate: str, regions: Sequence[str]) -> bool:
    if _DATE.fullmatch(candidate):
        return False
    international = candidate.startswith("+")
    if not international and _digits(candidate) < _MIN_DIGITS:
        return False
    for region in (None,) if international else regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _longest_valid(
    run: str, regions: Sequence[str], memo: MutableMapping[str, str | None]
) -> str | None:
    """The longest leading part of ``run``, in whole groups, that is a valid phone number."""
    if run in memo:
        return memo[run]
    ends: list[int] = []
    digits = 0
    cursor = 0
    for group_end in _GROUP_END.finditer(run):
        digits += _digits(run[cursor : group_end.start()])
        if digits > _MAX_DIGITS:
            break  # a long run of numbers (a table, a serial) is read from its start only
        ends.append(group_end.start())
        cursor = group_end.start()
    valid = next((run[:end] for end in reversed(ends) if _is_valid(run[:end], regions)), None)
    memo[run] = valid
    return valid


def _is_identifier(text: str, start: int, end: int) -> bool:
    before = words_before(text, start, count=8, reach=60)
    if _PHONE_CUES.intersection(before):
        return False
    clause = _CLAUSE_END.search(text, end, end + 40)
    after = words_after(text[: clause.start()] if clause else text, end)
    if _PHONE_CUES.intersection(after):
        return False
    return bool(_IDENTIFIER_CUES.intersection(before[:3] + after))


def find_phones(
    text: str,
    regions: Sequence[str],
    *,
    taken: Sequence[Found] = (),
    memo: MutableMapping[str, str | None] | None = None,
) -> list[Found]:
    """Phone numbers in ``text``: international, or national in one of ``regions``. Digit runs
    overlapping ``taken`` (cards, IBANs, IPs found already) are not looked at. ``memo`` keeps
    the verdict on each run between passes over the same text."""
    found: list[Found] = []
    memo = {} if memo is None else memo
    for match in _RUN.finditer(text):
        if any(match.start() < item.end and item.start < match.end() for item in taken):
            continue
        run = match.group()
        if len(run) < _MIN_DIGITS and not run.startswith("+"):
            continue
        if _digits(run) < 5:
            continue
        candidate = _longest_valid(run, regions, memo)
        if candidate is None:
            continue
        stop = match.start() + len(candidate)
        if not candidate.startswith("+") and _is_identifier(text, match.start(), stop):
            continue
        if extension := _EXTENSION.match(text, stop):
            stop = extension.end()
        found.append(Found(PHONE, match.start(), stop))
    return found
