"""Phone numbers, confirmed by Google's libphonenumber metadata (``phonenumbers``).

A candidate is a run of digits with single separators (space, dot, dash, brackets), optionally
led by ``+``. It counts as a phone number when ``phonenumbers`` parses it as a *valid* number,
either internationally (``+44 20 7946 0958``, ``0044 ...``, ``011 ...``) or in the national
format of one of the configured regions (``(415) 555-0132``, ``020 7946 0958``,
``030 190697``, ``06 12 26 65 36``, ``0412 345 678``), and it has at least seven digits unless
it starts with ``+``. A national number of a region whose trunk prefix is 0 (all the default
regions but the US) must be written with that 0, as people write them ("07911 123456", not
"7911 123456"): any run of seven or more digits is valid somewhere once the 0 is optional.
After a phone cue ("call", "mobile", "WhatsApp") the 0 may be left out ("WhatsApp me on
98765 43210"). Dates ("2024-03-12", "12.03.2024") are never
phone numbers. A run next to an order, ticket, tracking or account cue ("order 2025550143",
"2025550143 is the order number"), or after a code of letters and digits ("1Z 999 AA1 01 2345
6784"), is an identifier unless a phone cue ("call", "mobile", "tel") comes before it. When a
run is too long to be one number, trailing groups are dropped ("415 555 0132 23 times" ->
"415 555 0132"). An extension ("x 23", "ext. 23") after a phone number is redacted with it.

``phonenumbers.PhoneNumberMatcher`` does the same job but, measured over the six default
regions, costs about 235 µs per 300-character message and puts 26 false numbers on the planted
and look-alike sets (SSNs, card groups, dates, order numbers); parsing our own candidates costs
about 20 µs each and only runs on digit runs long enough to be a number.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from functools import lru_cache

import phonenumbers

from heard.privacy.context import PHONE, Found, words_after, words_before

_UNIT = r"(?:\([0-9]{1,5}\)|[0-9])"
# Each branch starts with its character and then looks behind it, so that the pattern starts
# with a character class, which the regular expression engine scans for quickly.
_NOT_AFTER = r"[\w+.,/$£€#-]"
_RUN = re.compile(
    rf"(?:\+(?<!{_NOT_AFTER}\+) ?{_UNIT}|\((?<!{_NOT_AFTER}\()[0-9]{{1,5}}\)"
    rf"|[0-9](?<!{_NOT_AFTER}[0-9]))(?:[ .-]?{_UNIT})*(?![\w]|[.,/:-][0-9])",
)
_GROUP_END = re.compile(r"(?<=[0-9)])(?=[ .-]|$)")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*[0-9]{1,6}\b", re.IGNORECASE)
_DATE = re.compile(
    r"[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{2,4}",
)
_CLAUSE_END = re.compile(r"[,.;:!?()\n]|\s(?:and|or|but)\s", re.IGNORECASE)
# A token of letters and digits right before a run: the run is the end of that code.
_CODE_BEFORE = re.compile(r"(?<![\w])(?:[A-Za-z]+[0-9]|[0-9]+[A-Za-z])[A-Za-z0-9]*[ \t]+$")
_MIN_DIGITS = 7
_MAX_DIGITS = 17  # 15 for E.164, plus an international prefix such as 00 or 011

_PHONE_CUES = frozenset(
    "phone phones tel telephone mobile cell cellphone call called calling ring text sms "
    "whatsapp fax landline reach contact helpline hotline freephone dial".split()
)
_IDENTIFIER_CUES = frozenset(
    "# order ticket tracking ref reference invoice case confirmation booking shipment parcel "
    "sku serial imei transaction receipt claim po awb consignment account acct customer member "
    "membership policy id no item model routing batch lot part product meter vat".split()
)


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


@lru_cache(maxsize=64)
def _needs_trunk_zero(region: str) -> bool:
    """Whether national numbers of ``region`` are written with a leading 0 (GB, DE, FR ...)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return metadata is not None and metadata.national_prefix == "0"


def _is_valid(candidate: str, regions: Sequence[str], *, lenient: bool = False) -> bool:
    """Whether ``candidate`` is a valid number, international or national in ``regions`` (with
    its trunk 0 unless ``lenient``)."""
    if _DATE.fullmatch(candidate):
        return False
    international = candidate.startswith("+")
    if not international and _digits(candidate) < _MIN_DIGITS:
        return False
    zero = candidate.lstrip("(").startswith("0")
    for region in (None,) if international else regions:
        if region is not None and not (zero or lenient) and _needs_trunk_zero(region):
            continue
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _longest_valid(
    run: str,
    regions: Sequence[str],
    memo: MutableMapping[str, str | None],
    *,
    lenient: bool = False,
) -> str | None:
    """The longest leading part of ``run``, in whole groups, that is a valid phone number."""
    key = f"~{run}" if lenient else run
    if key in memo:
        return memo[key]
    ends: list[int] = []
    digits = 0
    cursor = 0
    for group_end in _GROUP_END.finditer(run):
        digits += _digits(run[cursor : group_end.start()])
        if digits > _MAX_DIGITS:
            break  # a long run of numbers (a table, a serial) is read from its start only
        ends.append(group_end.start())
        cursor = group_end.start()
    valid = next(
        (run[:end] for end in reversed(ends) if _is_valid(run[:end], regions, lenient=lenient)),
        None,
    )
    memo[key] = valid
    return valid


def _phone_cued(text: str, start: int) -> bool:
    """Whether a phone cue ("call", "mobile", "WhatsApp me on") is among the words before."""
    return bool(_PHONE_CUES.intersection(words_before(text, start, count=4)))


def _is_identifier(text: str, start: int, end: int) -> bool:
    """Whether the number at ``text[start:end]`` is an order, ticket or account number rather
    than a phone: an identifier cue next to it, or the rest of a code before it ("1Z 999 AA1
    01 2345 6784"), and no phone cue."""
    before = words_before(text, start, count=8, reach=60)
    if not _PHONE_CUES.intersection(before) and _CODE_BEFORE.search(
        text, max(0, start - 20), start
    ):
        return True
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
        if candidate is None and run[0] not in "0+" and _phone_cued(text, match.start()):
            candidate = _longest_valid(run, regions, memo, lenient=True)
        if candidate is None:
            continue
        stop = match.start() + len(candidate)
        if not candidate.startswith("+") and _is_identifier(text, match.start(), stop):
            continue
        if extension := _EXTENSION.match(text, stop):
            stop = extension.end()
        found.append(Found(PHONE, match.start(), stop))
    return found
