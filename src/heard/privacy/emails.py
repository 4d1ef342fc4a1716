"""E-mail addresses: ``local@domain.tld`` (plus tags, dots, subdomains, Unicode letters) and the
ways people write them so that a form or a spam filter does not: ``name [at] domain [dot] com``,
``name (at) domain.com``, ``name @ gmail . com``, a doubled ``rita@@gmail.com``, letters spaced
out (``j o h n @ g m a i l . c o m``) and the spoken ``name at gmail dot com`` /
``ali at yahoo.com``.

The spoken form is an ordinary sentence as often as an address ("look at this dot com", "I shop
at walmart.com", "I'm logged in at outlook.com"), so it is taken only when it reads as an
address: the domain is a well-known mail provider, or the local part looks like a mailbox
(``sarah.jones``, ``olu_b``, ``tom42``), or an e-mail cue comes just before it ("my mail is",
"send it to"), or, with "dot" spelled out, the domain has more than one label or a hyphen
(``acme-corp dot co dot uk``). Common words ("me", "in", "this", "account") are never a local
part or a domain there.
"""

from __future__ import annotations

import re

from heard.privacy.context import EMAIL, Found, words_before

_LOCAL = r"[\w%+-]+(?:[.'][\w%+-]+)*"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})"
_EMAIL = re.compile(
    rf"(?<![\w.%+-])(?<!\w'){_LOCAL}@(?:{_LABEL}\.)+(?P<tld>{_TLD})(?![\w-]|\.[^\W_])",
)
# "image@2x.png": image files named for screen density, not addresses.
_FILE_TYPES = frozenset("png jpg jpeg gif svg webp heic pdf".split())

# name [at] domain [dot] com, name (at) domain (dot) co (dot) uk, name {at} domain.com
_OPEN = r"\s*[\[({<]\s*"
_CLOSE = r"\s*[\])}>]\s*"
_BRACKET_AT = rf"{_OPEN}at{_CLOSE}"
_BRACKET_DOT = rf"(?:{_OPEN}dot{_CLOSE}|\.)"
_BRACKETED_AT = re.compile(r"[\[({<]\s*at\s*[\])}>]")  # the test for _BRACKETED, quick to scan
_BRACKETED = re.compile(
    rf"(?<![\w.%+-])(?<!\w'){_LOCAL}{_BRACKET_AT}(?:{_LABEL}{_BRACKET_DOT})+{_TLD}(?![\w-])",
    re.IGNORECASE,
)

_PROVIDERS = frozenset(
    (
        "gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol proton "
        "protonmail pm gmx web yandex mail zoho fastmail hey btinternet sky virginmedia talktalk "
        "comcast verizon att sbcglobal cox charter orange wanadoo free laposte libero t-online "
        "tiscali alice sfr bigpond optusnet rogers shaw sympatico rediffmail naver daum qq 163 126 "
        "sina seznam wp o2 onet interia telia eircom sapo uol bol terra mweb ntlworld blueyonder "
        "plusnet bluewin telenet skynet ziggo kpnmail xs4all"
    ).split()
)
# Top-level domains accepted in the loose and spoken forms (the plain form takes any).
_COMMON_TLDS = frozenset(
    "com net org edu gov mil int io co uk de fr es it nl ie au in ca us info biz me ru pl se no "
    "dk fi ch at be pt br mx jp cn kr za nz sg hk tv dev app ai eu cz gr tr ar cl ng ke".split()
)
_TLD_WORDS = "|".join(sorted(_COMMON_TLDS, key=len, reverse=True))
_WORD = r"[^\W_][\w%+-]*"
_SPOKEN_DOT = r"\s+dot\s+"
# name at gmail dot com, mo dot ali at gmail dot com, info at acme-corp dot co dot uk. The
# dotted parts are bounded in number, so that a long run of "x dot x dot ..." is scanned in
# linear time.
_SPOKEN = re.compile(
    rf"(?<![\w.%+-])(?<!\w')(?P<local>{_WORD}(?:(?:{_SPOKEN_DOT}|\.){_WORD}){{0,4}})\s+at\s+"
    rf"(?P<domain>{_LABEL}(?:(?:{_SPOKEN_DOT}|\.){_LABEL}){{0,4}}){_SPOKEN_DOT}(?:{_TLD_WORDS})"
    rf"(?:{_SPOKEN_DOT}[a-z]{{2}})?(?![\w-])",
    re.IGNORECASE,
)
# ali at yahoo.com, h.mueller at t-online.de
_SPOKEN_AT = re.compile(
    rf"(?<![\w.%+-])(?<!\w')(?P<local>{_LOCAL})\s+at\s+(?P<domain>(?:{_LABEL}\.)+(?:{_TLD_WORDS}))"
    rf"(?![\w-]|\.[^\W_])",
    re.IGNORECASE,
)
# name @ gmail . com, rita@@gmail.com, sam . patel @ gmail . com
_LOOSE = re.compile(
    rf"(?<![\w.%+-])(?<!\w')(?P<local>{_WORD}(?: ?\. ?{_WORD}){{0,4}})(?P<at> ?@@ ?| @ ?|@ )"
    rf"(?P<domain>(?:{_LABEL} ?\. ?){{1,5}}(?P<tld>{_TLD}))(?![\w-]|\.[^\W_])"
)
# j o h n @ g m a i l . c o m: single characters separated by single spaces.
_SPACED = re.compile(r"(?<!\S)(?:\S ){5,}\S(?!\S)")
# Cheap tests (a literal first) for whether the spoken forms can occur at all.
_AT_DOMAIN = re.compile(r" at +[^\W_][\w-]*\.[^\W\d_]{2}", re.IGNORECASE)
# Words that are never a local part ("email me at gmail dot com", "logged in at outlook.com").
_NOT_LOCAL = frozenset(
    "me us you him her them it in on up is was this that one account accounts email mail "
    "address inbox registered signed logged here there now also still login work home school "
    "shop shopping bought ordered sold available online look looked emailed mailed it's im "
    "i'm reach contact".split()
)
_NOT_DOMAIN = frozenset("this that the a an my your our their his her it its home work".split())
_EMAIL_CUES = frozenset(
    "email emails e mail address contact reach write reply send sent cc forward login "
    "username".split()
)
_HANDLE = re.compile(r"[._\d-]|\sdot\s", re.IGNORECASE)


def _reads_as_address(text: str, match: re.Match[str], *, spoken_dots: bool) -> bool:
    """Whether a spoken or loosely written address is one (see the module's docstring)."""
    local = match["local"].lower()
    labels = re.split(r"\s+dot\s+|\s?\.\s?", match["domain"].lower())
    if local in _NOT_LOCAL or labels[0] in _NOT_DOMAIN:
        return False
    if labels[0] in _PROVIDERS or _HANDLE.search(local):
        return True
    if _EMAIL_CUES.intersection(words_before(text, match.start(), count=5, reach=40)):
        return True
    return spoken_dots and (len(labels) > 1 or "-" in labels[0] or any(map(str.isdigit, local)))


def _spaced_out(text: str) -> list[Found]:
    """Addresses typed one character at a time: ``j o h n @ g m a i l . c o m``."""
    found: list[Found] = []
    for match in _SPACED.finditer(text):
        compact = match.group().replace(" ", "")
        if "@" in compact and _EMAIL.fullmatch(compact):
            found.append(Found(EMAIL, match.start(), match.end()))
    return found


def find_emails(text: str) -> list[Found]:
    """E-mail addresses in ``text``, plain and obfuscated."""
    found: list[Found] = []
    if "@" in text:
        found.extend(
            Found(EMAIL, m.start(), m.end())
            for m in _EMAIL.finditer(text)
            if m["tld"].lower() not in _FILE_TYPES
        )
        if "@@" in text or " @" in text or "@ " in text:
            found.extend(
                Found(EMAIL, m.start(), m.end())
                for m in _LOOSE.finditer(text)
                if m["tld"].lower() in _COMMON_TLDS
                and (m["at"] == "@@" or _reads_as_address(text, m, spoken_dots=False))
            )
            found.extend(_spaced_out(text))
    lowered = text.lower()
    if _BRACKETED_AT.search(lowered):
        found.extend(Found(EMAIL, m.start(), m.end()) for m in _BRACKETED.finditer(text))
    if " at " in lowered:
        spoken = [(m, True) for m in _SPOKEN.finditer(text)] if " dot " in lowered else []
        if _AT_DOMAIN.search(text):
            spoken += [(m, False) for m in _SPOKEN_AT.finditer(text)]
        found.extend(
            Found(EMAIL, m.start(), m.end())
            for m, dots in spoken
            if _reads_as_address(text, m, spoken_dots=dots)
        )
    return found
