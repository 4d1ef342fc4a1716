"""Payment card numbers and IBANs, each confirmed by its checksum (``python-stdnum``).

A card number is 13 to 19 digits written as one run or in the groups cards are printed in
(4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4), all with the same separator (space, dash or
dot: ``2221.5239.7592.1743``), starting with an
issuer digit 2-6, and passing the Luhn check; one short group typed after it (a CVV) is left
out, and a longer run (a 22-digit tracking number) is not a card. A run right after an order,
tracking, voucher, IMEI or barcode cue is an identifier, not a card.

An IBAN is a country code, two check digits and the account part, with or without spaces,
passing the country's length and format and mod-97.
"""

from __future__ import annotations

import re

from stdnum import iban, luhn

from heard.privacy.context import CARD, IBAN, Found, words_before

# The look-behinds follow the first character, so that each pattern starts with a character
# class, which the regular expression engine scans for quickly.
_DIGIT_RUN = re.compile(r"[0-9](?<![\w.,/$£€#-][0-9])(?:[ .-]?[0-9])*(?![\w]|[.,/-][0-9])")
_SEPARATOR = re.compile(r"[ .-]")

_CARD_GROUPINGS = frozenset({(4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 3)})
_IDENTIFIER_CUES = frozenset(
    "# order ticket tracking ref reference invoice case confirmation booking shipment parcel "
    "sku serial imei transaction receipt claim po awb consignment voucher gift coupon promo code "
    "ean upc isbn gtin barcode".split()
)


def _plausible_grouping(groups: list[str]) -> bool:
    lengths = tuple(len(group) for group in groups)
    if len(lengths) == 1 or lengths in _CARD_GROUPINGS:
        return True
    return all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4


def _card_end(run: str) -> int | None:
    """Length of the longest leading part of ``run`` (whole groups) that reads as a card."""
    separators = set(_SEPARATOR.findall(run))
    if len(separators) > 1:
        return None
    groups = _SEPARATOR.split(run)
    # The whole run, or the run less one short trailing group (a CVV or expiry typed after it);
    # a longer run is some other number (a 22-digit tracking number).
    counts = [len(groups)]
    if len(groups) > 1 and len(groups[-1]) <= 4:
        counts.append(len(groups) - 1)
    for count in counts:
        digits = "".join(groups[:count])
        if (
            13 <= len(digits) <= 19
            and digits[0] in "23456"
            and _plausible_grouping(groups[:count])
            and luhn.is_valid(digits)
        ):
            return sum(len(group) for group in groups[:count]) + count - 1
    return None


def find_cards(text: str) -> list[Found]:
    """Payment card numbers in ``text`` (Luhn-checked)."""
    found: list[Found] = []
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        if len(run) < 13:
            continue
        length = _card_end(run)
        if length is None:
            continue
        if _IDENTIFIER_CUES.intersection(words_before(text, match.start(), count=2)):
            continue
        found.append(Found(CARD, match.start(), match.start() + length))
    return found


# Two letters, two check digits, the account part; the scan looks for the check digits first
# (letters are everywhere) and then behind them for the country code.
_IBAN_RUN = re.compile(
    r"[0-9]{2}(?<=[A-Za-z]{2}[0-9]{2})(?<![\w][A-Za-z]{2}[0-9]{2})(?: ?[A-Za-z0-9]){11,34}"
)
_COUNTRY = 2  # the letters before the match of _IBAN_RUN
_SHORTEST_IBAN = 15  # Norway
_LETTER_VALUES = {chr(code): str(code - 55) for code in range(ord("A"), ord("Z") + 1)}


def _is_iban(compact: str) -> bool:
    """Mod-97 first (cheap, rejects almost everything), then stdnum's full check."""
    if len(compact) < _SHORTEST_IBAN:
        return False
    rearranged = compact[4:] + compact[:4]
    if int("".join(_LETTER_VALUES.get(char, char) for char in rearranged)) % 97 != 1:
        return False
    return bool(iban.is_valid(compact))


def find_ibans(text: str) -> list[Found]:
    """IBANs in ``text`` (country format and mod-97 checked), with or without spaces."""
    found: list[Found] = []
    position = 0
    while match := _IBAN_RUN.search(text, position):
        start = match.start() - _COUNTRY
        run = text[start : match.end()]
        # The run may have swallowed the words after the IBAN: try each word end, longest first.
        ends = [m.start() for m in re.finditer(" ", run)]
        if match.end() == len(text) or not text[match.end()].isalnum():
            ends.append(len(run))
        length = next(
            (end for end in reversed(ends) if _is_iban(run[:end].replace(" ", "").upper())),
            None,
        )
        if length is None:
            position = match.start() + 1
            continue
        found.append(Found(IBAN, start, start + length))
        position = start + length
    return found
