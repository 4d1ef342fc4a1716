"""Street addresses, by pattern. Addresses have no checksum, so this kind is deliberately
narrower than the others: it finds the documented shapes below and leaves free-form places
("the house next to the church", "my mum's in Leeds") alone.

- English-speaking: a house number (``221B``, ``12-14``, Australian ``3/45``) and one to four
  capitalised words ending in a street type: ``221B Baker Street``, ``1600 Amphitheatre
  Parkway``, ``350 5th Ave``, ``77 Wellington Street West``; type first only as ``1211 Avenue of
  the Americas`` / ``210 Avenue A``; in lower case only after an address cue ("I live at 12 baker
  street", "ship it to ...", "it was supposed to go to ..."). A leading or trailing flat/unit
  (``Flat 3,`` / ``, Apt 4B``) is taken with it, and so is a trailing locality: with a postcode
  (``, Mountain View, CA 94043``, ``, London SW1A 2AA``, ``, Sydney NSW 2000``, ``, Ottawa, ON
  K2P 1L4``), or one or two place names that end the phrase (``, Little Whinging``, ``, Ennis,
  Co. Clare``, ``, Dublin 2``).
- A named house and its street: ``Rose Cottage, Mill Lane, Ashby``.
- French: ``12 Rue de Rivoli``, ``8 bis avenue Victor Hugo``.
- German, Dutch, Nordic: ``Hauptstraße 5``, ``Mariahilfer Straße 45``, ``Keizersgracht 123``,
  ``Storgatan 12``.
- Italian, Spanish, Portuguese: ``Via Roma 10``, ``Calle Mayor 5``, ``Rua Augusta 100``.
- Any street that ends in its number when a postcode and city follow: ``Unter den Linden 77,
  10117 Berlin``, ``Damrak 1, 1012 LG Amsterdam``, ``Karl Johans gate 22, 0159 Oslo``.
- Alone: a UK postcode in capitals (``SW1A 1AA``) or after "postcode" in any case
  (``postcode m1 1ae``), a US "City, ST 12345", a PO box, and an ``Apt 4B`` / ``Apartment 12``
  line.
- EU postcodes with a city (``, 75001 Paris``, ``1015 CJ Amsterdam``, ``4050-265 Porto``,
  ``111 21 Stockholm``) only after a street.

Left alone on purpose: Title Case prose ("3 Days On The Way"), common compounds before a street
type ("2 Google Drive", "1 Hard Drive"), storage sizes shaped like postcodes ("PS5 1TB"), a
"Flat 2" or "Suite 3" not next to a street, "Via ..." unless a number ends the phrase or a
place follows ("Via Roma 10 in Milan"; "Via Amazon 2 days ago" is kept), and a number then a
postcode-shaped number without a street before it.
Each pattern family runs only when one of its words occurs in the text, which keeps the cost of
a message without an address to a tokenisation and a postcode scan.
"""

from __future__ import annotations

import re

from heard.privacy import address_patterns as patterns
from heard.privacy.context import ADDRESS, Found

_WORDS = re.compile(r"[^\W\d_]+")
_EN_TYPES = frozenset(word.lower() for word in patterns.EN_TYPES)
_LOWER_TYPES = frozenset(patterns.LOWER_TYPES)
_FR_TYPES = frozenset(patterns.FR_TYPES)
_NORTH_SUFFIXES = tuple(patterns.NORTH_SUFFIXES)
_SOUTH_TYPES = frozenset(patterns.SOUTH_TYPES)
_UNIT_WORDS = frozenset(patterns.UNIT_WORDS)
_STATES = frozenset(patterns.STATES)
_APARTMENT = frozenset({"apt", "apartment"})
_TYPE_FIRST_WORDS = frozenset({"avenue", "boulevard"})
_HOUSE_NAMES = frozenset(patterns.HOUSE_NAMES)
_DIGIT = re.compile(r"[0-9]")
# "Cottage,": the only texts where `patterns.NAMED_HOUSE` can match.
_NAMED_HOUSE_GATE = re.compile(rf"{patterns.alternatives(patterns.HOUSE_NAMES)},")
# A number, then a postcode-shaped one: the only texts where `patterns.EU_STREET` can match.
_EU_GATE = re.compile(r"[0-9][a-zA-Z]?,?[ \t]+[0-9]{2}")
_NOT_BEFORE_TYPE = frozenset(patterns.NOT_BEFORE_TYPE)
# A lone "PS5 1TB" or "M2 4GB" has the shape of a UK postcode; storage sizes are not addresses.
_STORAGE = re.compile(r"[0-9](?:GB|TB)$")
_JOIN = re.compile(r"[ \t]*,?[ \t]*")
_CUE_REACH = 60


def _streets(text: str, words: set[str], lowered: set[str]) -> list[Found]:
    """Street addresses, each pattern family run only when its words occur in ``text``."""
    found = []
    if lowered & _EN_TYPES:
        found = [
            Found(ADDRESS, m.start(), m.end())
            for m in patterns.EN_STREET.finditer(text)
            if text[m.start() : m.start("type")].split()[-1].lower() not in _NOT_BEFORE_TYPE
        ]
    chosen: list[re.Pattern[str]] = []
    if lowered & _FR_TYPES:
        chosen.append(patterns.FR_STREET)
    if any(word.endswith(_NORTH_SUFFIXES) for word in lowered):
        chosen.append(patterns.NORTH_STREET)
    if words & _SOUTH_TYPES:
        chosen.append(patterns.SOUTH_STREET)
    if lowered & _TYPE_FIRST_WORDS:
        chosen.append(patterns.TYPE_FIRST)
    if words & _HOUSE_NAMES:
        chosen.append(patterns.NAMED_HOUSE)
    if _EU_GATE.search(text):
        chosen.append(patterns.EU_STREET)
    found.extend(Found(ADDRESS, m.start(), m.end()) for p in chosen for m in p.finditer(text))
    if lowered & _LOWER_TYPES:
        found.extend(
            Found(ADDRESS, m.start(), m.end())
            for m in patterns.LOWER_STREET.finditer(text)
            if patterns.ADDRESS_CUE.search(text, max(0, m.start() - _CUE_REACH), m.start())
        )
    return found


def _alone(text: str, words: set[str], lowered: set[str]) -> list[Found]:
    """Postcodes, "City, ST 12345", PO boxes and apartment lines, wherever they stand."""
    found = [
        Found(ADDRESS, m.start(), m.end())
        for m in patterns.UK_POSTCODE.finditer(text)
        if not _STORAGE.search(m.group())
    ]
    if words & _STATES:
        found.extend(
            Found(ADDRESS, m.start(), m.end()) for m in patterns.CITY_STATE_ZIP.finditer(text)
        )
    if "postcode" in lowered or ("code" in lowered and lowered & {"post", "postal"}):
        found.extend(
            Found(ADDRESS, m.start("code"), m.end("code"))
            for m in patterns.CUED_POSTCODE.finditer(text)
        )
    if "box" in lowered:
        found.extend(Found(ADDRESS, m.start(), m.end()) for m in patterns.PO_BOX.finditer(text))
    if lowered & _APARTMENT:
        found.extend(Found(ADDRESS, m.start(), m.end()) for m in patterns.APARTMENT.finditer(text))
    return found


def find_named_houses(text: str) -> list[Found]:
    """Addresses without a number: a named house and its street ("Rose Cottage, Mill Lane")."""
    if not _NAMED_HOUSE_GATE.search(text):
        return []
    return [Found(ADDRESS, m.start(), m.end()) for m in patterns.NAMED_HOUSE.finditer(text)]


def _merge(found: list[Found], units: list[Found], text: str) -> list[Found]:
    """Overlapping or adjacent pieces become one address ("Flat 2," + "18 Willowmere Road");
    a flat or unit on its own is not an address."""
    pieces = [(item, True) for item in found] + [(unit, False) for unit in units]
    merged: list[tuple[Found, bool]] = []
    for item, anchored in sorted(pieces, key=lambda p: (p[0].start, -p[0].end)):
        if merged:
            last, last_anchored = merged[-1]
            touching = item.start <= last.end or _JOIN.fullmatch(text, last.end, item.start)
            if touching and (anchored or last_anchored):
                end = max(last.end, item.end)
                merged[-1] = (Found(ADDRESS, last.start, end), True)
                continue
        merged.append((item, anchored))
    return [item for item, anchored in merged if anchored]


def find_addresses(text: str) -> list[Found]:
    """Street addresses, postcodes, PO boxes and apartment lines in ``text``."""
    if not _DIGIT.search(text):
        return find_named_houses(text)
    words = set(_WORDS.findall(text))
    lowered = {word.lower() for word in words}
    found = _streets(text, words, lowered) + _alone(text, words, lowered)
    if not found:
        return []
    units = []
    if lowered & _UNIT_WORDS or "#" in text:
        units = [Found(ADDRESS, m.start(), m.end()) for m in patterns.UNIT.finditer(text)]
    return _merge(found, units, text)
