"""IP addresses, v4 and v6, confirmed by the standard library's ``ipaddress``.

A dotted quad right after a version or numbering cue ("version 1.2.3.4", "firmware 2.1.0.15",
"Android 10.0.0.1", "clause 3.2.1.4") is a version or section number, not an address; a bare
dotted quad is taken as an address. IPv6 needs at least two groups and four hex
digits, so that a stray "::" or "a::b" in prose is left alone; MAC addresses ("00:1A:2B:3C:4D:5E")
are not valid IPv6 and are not redacted.
"""

from __future__ import annotations

import ipaddress
import re

from heard.privacy.context import IP, Found, words_before

_IPV4 = re.compile(r"(?<![\w.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![\w]|\.[0-9])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f](?![\w:])")
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]+")

_VERSION_CUES = frozenset(
    "version versions ver v build release firmware fw update updated upgrade upgraded patch app "
    "ios ipados macos android windows win linux ubuntu chrome firefox safari edge os software "
    "sdk api driver bios rev revision section sections clause clauses paragraph para chapter "
    "article step rule item page figure table appendix".split()
)


def _is_version(text: str, start: int) -> bool:
    return bool(_VERSION_CUES.intersection(words_before(text, start, count=2)))


def _is_ipv6(candidate: str) -> bool:
    groups = _HEX_GROUP.findall(candidate)
    if len(groups) < 2 or sum(len(group) for group in groups) < 4:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


def find_ips(text: str) -> list[Found]:
    """IPv4 and IPv6 addresses in ``text``."""
    found: list[Found] = []
    if "." in text:
        for match in _IPV4.finditer(text):
            try:
                ipaddress.IPv4Address(match.group())
            except ValueError:
                continue
            if not _is_version(text, match.start()):
                found.append(Found(IP, match.start(), match.end()))
    if "::" in text or text.count(":") >= 7:
        for match in _IPV6.finditer(text):
            if _is_ipv6(match.group()) and not _is_version(text, match.start()):
                found.append(Found(IP, match.start(), match.end()))
    return found
