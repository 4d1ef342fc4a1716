"""Replace personal data with typed placeholders before anything is stored, scored or logged.

    >>> redact("Mail dana.r@example.com or call +44 20 7946 0958").text
    'Mail [EMAIL] or call [PHONE]'

Each detector (one module per kind) proposes items as offsets into the text; where two overlap,
the kind earlier in `KINDS` wins, then the longer item. Detection runs again on the redacted text
until nothing new is found (a replacement can change what a neighbour looks like), so the result
is a fixed point: ``redact(redact(x).text).text == redact(x).text``. Placeholders, including any
already in the input, are never matched or split. Text outside the replaced items is kept as is,
in order, and every span says where its placeholder sits in the redacted text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import phonenumbers

from heard.privacy.addresses import find_addresses, find_named_houses
from heard.privacy.birthdates import find_birthdates
from heard.privacy.context import (
    ADDRESS,
    CARD,
    DOB,
    EMAIL,
    IBAN,
    IP,
    KINDS,
    NAME,
    NINO,
    PHONE,
    SSN,
    Found,
)
from heard.privacy.emails import find_emails
from heard.privacy.ips import find_ips
from heard.privacy.names import find_names
from heard.privacy.national_ids import find_ninos, find_ssns
from heard.privacy.payments import find_cards, find_ibans
from heard.privacy.phones import find_phones

# Kind -> placeholder, in `KINDS` order.
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        EMAIL: "[EMAIL]",
        IBAN: "[IBAN]",
        CARD: "[CARD]",
        SSN: "[SSN]",
        NINO: "[NINO]",
        IP: "[IP]",
        DOB: "[DOB]",
        PHONE: "[PHONE]",
        ADDRESS: "[ADDRESS]",
        NAME: "[NAME]",
    }
)
# National formats recognised by default: the regions whose national numbers were reported
# missed (issue 12) or occur in the planted set. Each one costs a parse per candidate written
# with its trunk prefix 0 (see phones.py).
DEFAULT_PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "AU")

_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_PRECEDENCE = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class RedactedSpan:
    """One replaced item. ``start``/``end`` locate its placeholder in the redacted text;
    ``source_start``/``source_end`` locate the text it replaced in the input."""

    kind: str
    start: int
    end: int
    source_start: int
    source_end: int


@dataclass(frozen=True, slots=True)
class Redaction:
    """A redacted text, how many items of each kind were replaced, and where they sit."""

    text: str
    counts: Mapping[str, int]
    spans: tuple[RedactedSpan, ...]

    @property
    def redacted(self) -> bool:
        """Whether anything was replaced."""
        return bool(self.spans)


class _Piece(NamedTuple):
    text: str
    kind: str | None  # None: text kept from the input
    source_start: int
    source_end: int


def _digit_count(text: str) -> int:
    return sum(map(text.count, "0123456789"))


def _resolve(found: list[Found], text: str) -> list[Found]:
    """Non-overlapping items, none touching a placeholder, in text order."""
    taken = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
    chosen: list[Found] = []
    for item in sorted(found, key=lambda f: (_PRECEDENCE[f.kind], f.start - f.end, f.start)):
        if item.start >= item.end:
            continue
        if any(item.start < end and start < item.end for start, end in taken):
            continue
        taken.append((item.start, item.end))
        chosen.append(item)
    return sorted(chosen, key=lambda f: f.start)


def _split(pieces: list[_Piece], found: list[Found]) -> list[_Piece]:
    """Replace ``found`` (offsets into the joined pieces) by placeholder pieces."""
    result: list[_Piece] = []
    items = iter(found)
    item = next(items, None)
    offset = 0
    for piece in pieces:
        piece_end = offset + len(piece.text)
        if piece.kind is not None or item is None or item.start >= piece_end:
            result.append(piece)
            offset = piece_end
            continue
        cursor = offset  # items never straddle pieces: placeholders are never matched
        while item is not None and item.start < piece_end:
            if item.start > cursor:
                kept = piece.text[cursor - offset : item.start - offset]
                source = piece.source_start + cursor - offset
                result.append(_Piece(kept, None, source, source + len(kept)))
            source_start = piece.source_start + item.start - offset
            source_end = piece.source_start + item.end - offset
            result.append(_Piece(PLACEHOLDERS[item.kind], item.kind, source_start, source_end))
            cursor = item.end
            item = next(items, None)
        if cursor < piece_end:
            kept = piece.text[cursor - offset :]
            source = piece.source_start + cursor - offset
            result.append(_Piece(kept, None, source, source + len(kept)))
        offset = piece_end
    return result


class Redactor:
    """Finds and replaces personal data; configure once, call on many texts.

    ``kinds``: which of `KINDS` to redact (all by default). ``phone_regions``: ISO 3166 region
    codes whose national phone formats are recognised (international ``+`` numbers always are).
    """

    def __init__(
        self,
        *,
        kinds: Collection[str] = KINDS,
        phone_regions: Sequence[str] = DEFAULT_PHONE_REGIONS,
    ) -> None:
        if isinstance(kinds, str):
            kinds = (kinds,)
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown kinds {unknown}; valid kinds: {', '.join(KINDS)}")
        regions = tuple(region.upper() for region in phone_regions)
        bad = sorted(set(regions) - phonenumbers.SUPPORTED_REGIONS)
        if bad:
            raise ValueError(
                f"unknown phone regions {bad}; use ISO 3166 alpha-2 codes such as US, GB, DE"
            )
        self.kinds: tuple[str, ...] = tuple(kind for kind in KINDS if kind in kinds)
        self.phone_regions: tuple[str, ...] = regions

    def __repr__(self) -> str:
        return f"Redactor(kinds={self.kinds!r}, phone_regions={self.phone_regions!r})"

    def find(self, text: str) -> list[Found]:
        """One pass of detection: the items to replace in ``text``, in order, not overlapping."""
        return self._find(text, {})

    def _find(self, text: str, memo: dict[str, str | None]) -> list[Found]:
        digits = _digit_count(text)
        found: list[Found] = []
        wanted = self.kinds
        if EMAIL in wanted:
            found.extend(find_emails(text))
        if IBAN in wanted and digits >= 2:
            found.extend(find_ibans(text))
        if CARD in wanted and digits >= 13:
            found.extend(find_cards(text))
        if SSN in wanted and digits >= 9:
            found.extend(find_ssns(text))
        if NINO in wanted and digits >= 6:
            found.extend(find_ninos(text))
        if IP in wanted and digits >= 4:
            found.extend(find_ips(text))
        if DOB in wanted and digits >= 1:
            found.extend(find_birthdates(text))
        if PHONE in wanted and (digits >= 7 or (digits >= 4 and "+" in text)):
            found.extend(find_phones(text, self.phone_regions, taken=found, memo=memo))
        if ADDRESS in wanted:
            found.extend(find_addresses(text) if digits >= 1 else find_named_houses(text))
        if NAME in wanted:
            found.extend(find_names(text))
        return _resolve(found, text)

    def __call__(self, text: str) -> Redaction:
        pieces = [_Piece(text, None, 0, len(text))]
        current = text
        memo: dict[str, str | None] = {}  # phone verdicts, reused by the next pass
        # Each pass replaces input text that no placeholder covers, so this ends.
        while found := self._find(current, memo):
            pieces = _split(pieces, found)
            current = "".join(piece.text for piece in pieces)
        spans: list[RedactedSpan] = []
        counts = dict.fromkeys(KINDS, 0)
        offset = 0
        for piece in pieces:
            if piece.kind is not None:
                end = offset + len(piece.text)
                spans.append(
                    RedactedSpan(piece.kind, offset, end, piece.source_start, piece.source_end)
                )
                counts[piece.kind] += 1
            offset += len(piece.text)
        return Redaction(current, MappingProxyType(counts), tuple(spans))


@lru_cache(maxsize=16)
def _redactor(phone_regions: tuple[str, ...]) -> Redactor:
    return Redactor(phone_regions=phone_regions)


def redact(text: str, *, phone_regions: Sequence[str] = DEFAULT_PHONE_REGIONS) -> Redaction:
    """``text`` with every kind of personal data replaced by its placeholder (see `Redactor`)."""
    return _redactor(tuple(phone_regions))(text)
