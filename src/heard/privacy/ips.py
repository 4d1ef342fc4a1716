"""IP addresses, v4 and v6, confirmed by the standard library's ``ipaddress``.

A dotted quad right after a version or numbering cue ("version 1.2.3.4", "firmware 2.1.0.15",
"Android 10.0.0.1", "clause 3.2.1.4") is a version or section number, not an address; a bare
dotted quad is taken as an address, unless it differs only in its last number from one that
is cued as a version ("firmware 5.2.0.14 ..., 5.2.0.15 is next"). IPv6 needs at least two
groups and four hex digits, so that a stray "::" or "a::b" in prose is left alone; MAC addresses
("00:1A:2B:3C:4D:5E") are not valid IPv6 and are not redacted.

Addresses that are nobody's are kept, because an agent needs them to help: loopback
(``127.0.0.1``, ``::1``), unspecified (``0.0.0.0``), broadcast (``255.255.255.255``), netmasks
(``255.255.255.0``), network addresses (``192.168.1.0``, ``127.0.0.0``), a range written with
its prefix length (``10.0.0.0/8``, ``192.168.1.0/24``) and the public DNS resolvers people type
into their settings (``8.8.8.8``, ``1.1.1.1``, ``9.9.9.9``, OpenDNS, and their IPv6 forms).
"""

from __future__ import annotations

import ipaddress
import re

from heard.privacy.context import IP, Found, words_before

# The look-behinds follow the first character, so that each pattern starts with a character
# class, which the regular expression engine scans for quickly.
_IPV4 = re.compile(r"[0-9](?<![\w.][0-9])[0-9]{0,2}\.(?:[0-9]{1,3}\.){2}[0-9]{1,3}(?![\w]|\.[0-9])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f](?![\w:])")
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]+")

_PREFIX_LENGTH = re.compile(r"/[0-9]{1,3}(?![0-9])")
_PUBLIC_RESOLVERS = frozenset(
    "8.8.8.8 8.8.4.4 1.1.1.1 1.0.0.1 9.9.9.9 149.112.112.112 208.67.222.222 208.67.220.220 "
    "2001:4860:4860::8888 2001:4860:4860::8844 2606:4700:4700::1111 2606:4700:4700::1001 "
    "2620:fe::fe 2620:fe::9".split()
)
_VERSION_CUES = frozenset(
    "version versions ver v build release firmware fw update updated upgrade upgraded patch app "
    "ios ipados macos android windows win linux ubuntu chrome firefox safari edge os software "
    "sdk api driver bios rev revision section sections clause clauses paragraph para chapter "
    "article step rule item page figure table appendix".split()
)


def _is_version(text: str, start: int) -> bool:
    return bool(_VERSION_CUES.intersection(words_before(text, start, count=2)))


def _nobodys(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, unspecified, broadcast, netmask, network address or a public DNS resolver."""
    if address.is_loopback or address.is_unspecified or str(address) in _PUBLIC_RESOLVERS:
        return True
    if isinstance(address, ipaddress.IPv6Address):
        return False
    value = int(address)
    inverted = ~value & 0xFFFFFFFF
    is_netmask = value != 0 and inverted & (inverted + 1) == 0  # ones, then zeros
    return is_netmask or value & 0xFF == 0


def _is_personal(
    text: str, start: int, end: int, address: ipaddress.IPv4Address | ipaddress.IPv6Address
) -> bool:
    """Whether the address at ``text[start:end]`` may be someone's (see the module docstring)."""
    if _PREFIX_LENGTH.match(text, end) or _is_version(text, start):
        return False
    return not _nobodys(address)


def _ipv6(candidate: str) -> ipaddress.IPv6Address | None:
    groups = _HEX_GROUP.findall(candidate)
    if len(groups) < 2 or sum(len(group) for group in groups) < 4:
        return None
    try:
        return ipaddress.IPv6Address(candidate)
    except ValueError:
        return None


def find_ips(text: str) -> list[Found]:
    """IPv4 and IPv6 addresses in ``text``."""
    found: list[Found] = []
    if "." in text:
        quads = list(_IPV4.finditer(text))
        # "Firmware 5.2.0.14 ..., the notes say 5.2.0.15 is next": the next version, not an IP.
        versions = {m.group().rsplit(".", 1)[0] for m in quads if _is_version(text, m.start())}
        for match in quads:
            try:
                address = ipaddress.IPv4Address(match.group())
            except ValueError:
                continue
            if match.group().rsplit(".", 1)[0] in versions:
                continue
            if _is_personal(text, match.start(), match.end(), address):
                found.append(Found(IP, match.start(), match.end()))
    if "::" in text or text.count(":") >= 7:
        for match in _IPV6.finditer(text):
            address6 = _ipv6(match.group())
            if address6 is not None and _is_personal(text, match.start(), match.end(), address6):
                found.append(Found(IP, match.start(), match.end()))
    return found
