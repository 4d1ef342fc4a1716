"""E-mail addresses: ``local@domain.tld`` (plus tags, dots, subdomains, Unicode letters) and the
common obfuscations ``name [at] domain [dot] com`` / ``name (at) domain.com``. The spelled-out
form ``name at gmail dot com`` is taken only with "dot" spelled out and a well-known mail
provider, because "look at this dot com" and "I shop at walmart.com" are ordinary sentences."""

from __future__ import annotations

import re

from heard.privacy.context import EMAIL, Found

_LOCAL = r"[\w%+-]+(?:[.'][\w%+-]+)*"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})"
_EMAIL = re.compile(
    rf"(?<![\w.%+'-]){_LOCAL}@(?:{_LABEL}\.)+(?P<tld>{_TLD})(?![\w-]|\.[^\W_])",
)
# "image@2x.png": image files named for screen density, not addresses.
_FILE_TYPES = frozenset("png jpg jpeg gif svg webp heic pdf".split())

# name [at] domain [dot] com, name (at) domain (dot) co (dot) uk, name {at} domain.com
_OPEN = r"\s*[\[({<]\s*"
_CLOSE = r"\s*[\])}>]\s*"
_BRACKET_AT = rf"{_OPEN}at{_CLOSE}"
_BRACKET_DOT = rf"(?:{_OPEN}dot{_CLOSE}|\.)"
_BRACKETED_AT = re.compile(_BRACKET_AT)
_BRACKETED = re.compile(
    rf"(?<![\w.%+'-]){_LOCAL}{_BRACKET_AT}(?:{_LABEL}{_BRACKET_DOT})+{_TLD}(?![\w-])",
    re.IGNORECASE,
)

_PROVIDERS = (
    "gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol proton protonmail "
    "pm gmx web yandex mail zoho fastmail hey btinternet sky virginmedia talktalk comcast "
    "verizon att sbcglobal cox charter orange wanadoo free laposte libero t-online"
).split()
_WORD = r"[^\W_][\w%+-]*"
_SPOKEN_DOT = r"\s+dot\s+"
_SPOKEN = re.compile(
    rf"(?<![\w.%+'-])(?P<local>{_WORD}(?:(?:{_SPOKEN_DOT}|\.){_WORD})*)\s+at\s+"
    rf"(?:{'|'.join(re.escape(p) for p in _PROVIDERS)}){_SPOKEN_DOT}[a-z]{{2,3}}"
    rf"(?:{_SPOKEN_DOT}[a-z]{{2}})?(?![\w-])",
    re.IGNORECASE,
)
# Words that end a sentence like "email me at gmail dot com" without being anyone's address.
_NOT_LOCAL = frozenset(
    "me us him her them it in on up is was this that one account email mail address inbox "
    "registered signed logged".split()
)


def find_emails(text: str) -> list[Found]:
    """E-mail addresses in ``text``, plain and obfuscated."""
    found: list[Found] = []
    if "@" in text:
        found.extend(
            Found(EMAIL, m.start(), m.end())
            for m in _EMAIL.finditer(text)
            if m["tld"].lower() not in _FILE_TYPES
        )
    lowered = text.lower()
    if _BRACKETED_AT.search(lowered):
        found.extend(Found(EMAIL, m.start(), m.end()) for m in _BRACKETED.finditer(text))
    if " at " in lowered and " dot " in lowered:
        found.extend(
            Found(EMAIL, m.start(), m.end())
            for m in _SPOKEN.finditer(text)
            if m["local"].lower() not in _NOT_LOCAL
        )
    return found
