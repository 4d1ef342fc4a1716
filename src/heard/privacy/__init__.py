"""Personal data out before anything is stored, scored, reported or logged: e-mail addresses,
phone numbers, payment cards, IBANs, US Social Security and UK National Insurance numbers, IP
addresses, dates of birth, street addresses and the names writers introduce themselves with
become typed placeholders (``[EMAIL]``, ``[PHONE]``, ..., ``[NAME]``). See docs/redaction.md
for what is and is not caught."""

from heard.privacy.context import KINDS, Found
from heard.privacy.redaction import (
    DEFAULT_PHONE_REGIONS,
    PLACEHOLDERS,
    RedactedSpan,
    Redaction,
    Redactor,
    redact,
)

__all__ = [
    "DEFAULT_PHONE_REGIONS",
    "KINDS",
    "PLACEHOLDERS",
    "Found",
    "RedactedSpan",
    "Redaction",
    "Redactor",
    "redact",
]
