"""Dates of birth: a date that the text introduces as a birth date.

A cue ("DOB", "D.O.B.", "date of birth", "birth date", "birthdate", "born", "born on",
"birthday is", and the German, French and Spanish "Geburtsdatum", "date de naissance",
"fecha de nacimiento"), then at most a few linking words ("is", "was", "on", "on my account
is" ...), then a date: numeric (``14/02/1987``, ``07.11.1968``, ``1992-08-17``, ``7/4/82``, a
day and month ``30/12``) or with the month in words (``3 May 1979``, ``4th of July 1985``,
``March 14, 1992``, ``June 3rd``). A second date offered as a correction right after it ("...
1993, it should be 22/07/1983") is a birth date too. Only the date is replaced, not its cue.

Every other date is kept: delivery dates, "on 3 May", "the 12th of April", "born in 1985" (a
year alone), "birthday present arrived on 12 May" (the words between are not linking words).
"""

from __future__ import annotations

import re

from heard.privacy.context import DOB, Found

_MONTH_NAMES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_MONTH = rf"(?:{'|'.join(sorted(_MONTH_NAMES, key=len, reverse=True))})\.?"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)[0-9]{2}|'?[0-9]{2})"
_NUMERIC = (
    r"(?P<a>[0-9]{1,2})(?P<sep>[./-])(?P<b>[0-9]{1,2})(?P=sep)(?:[0-9]{4}|[0-9]{2})"
    r"|(?:19|20)[0-9]{2}(?P<iso>[./-])(?P<m>[0-9]{1,2})(?P=iso)(?P<d>[0-9]{1,2})"
    r"|(?P<x>[0-9]{1,2})/(?P<y>[0-9]{1,2})"
)
_WORDS = (
    rf"(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?"
)
_DATE = re.compile(rf"(?i:{_NUMERIC}|{_WORDS})(?![\w]|[./-][0-9])")
_CUE = re.compile(
    r"(?<![\w.])(?i:d\.?[ ]?o\.?[ ]?b|date\s+of\s+birth|birth[ -]?date|birthday|born"
    r"|geburtsdatum|date\s+de\s+naissance|fecha\s+de\s+nacimiento)(?![\w])\.?"
)
_CUE_WORDS = ("birth", "born", "dob", "d.o.b", "d o b", "geburt", "naissance", "nacimiento")
# Words that may stand between a cue and its date ("date of birth on my account is ...").
_LINK_WORDS = frozenset(
    "is was on of as my the it its it's her his their our your should be says said reads shows "
    "showing listed in file account system record records form profile registered recorded "
    "given written".split()
)
_SEPARATORS = re.compile(r"[\s:=(\-–—]*")
_WORD = re.compile(r"[^\W\d_][\w'’]*")
_MAX_LINKS = 6
_CORRECTION = re.compile(
    r"[\s,;(–—-]*(?i:(?:(?:but|and)\s+)?(?:it\s+should\s+be|should\s+be|it's|it\s+is|not|"
    r"instead\s+of|rather\s+than|or))?[\s:,]*"
)


def _plausible(match: re.Match[str]) -> bool:
    """Day and month in range (either order for numeric dates written with the day first)."""
    if match["a"] is not None:
        a, b = int(match["a"]), int(match["b"])
        return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)
    if match["m"] is not None:
        return 1 <= int(match["m"]) <= 12 and 1 <= int(match["d"]) <= 31
    if match["x"] is not None:
        x, y = int(match["x"]), int(match["y"])
        return (1 <= x <= 31 and 1 <= y <= 12) or (1 <= x <= 12 and 1 <= y <= 31)
    return True


def _date_after(text: str, position: int) -> re.Match[str] | None:
    """The date that follows ``position`` across linking words only, if there is one."""
    position = _skip_separators(text, position)
    for _ in range(_MAX_LINKS + 1):
        date = _DATE.match(text, position)
        if date and _plausible(date):
            return date
        word = _WORD.match(text, position)
        if word is None or word.group().lower() not in _LINK_WORDS:
            return None
        position = _skip_separators(text, word.end())
    return None


def _skip_separators(text: str, position: int) -> int:
    """Past the spaces, colons, dashes and brackets at ``position``."""
    separators = _SEPARATORS.match(text, position)
    return separators.end() if separators else position


def _corrections(text: str, date: re.Match[str]) -> list[Found]:
    """Dates offered right after a birth date as a correction ("..., it should be ...")."""
    found: list[Found] = []
    while True:
        link = _CORRECTION.match(text, date.end())
        if link is None or link.end() == date.end():
            return found
        following = _DATE.match(text, link.end())
        if following is None or not _plausible(following):
            return found
        found.append(Found(DOB, following.start(), following.end()))
        date = following


def find_birthdates(text: str) -> list[Found]:
    """Dates introduced as dates of birth in ``text``."""
    found: list[Found] = []
    lowered = text.lower()
    if not any(word in lowered for word in _CUE_WORDS):
        return found
    for cue in _CUE.finditer(text):
        date = _date_after(text, cue.end())
        if date is not None:
            found.append(Found(DOB, date.start(), date.end()))
            found.extend(_corrections(text, date))
    return found
