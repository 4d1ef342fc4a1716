"""Request limits: a cap on body size, rate limits (``limits``' moving window, in memory), and
the client address they are counted against.

The body cap is checked on ``Content-Length`` and again while the body streams in: a chunked
upload (no ``Content-Length``) is cut off as soon as it passes the cap, and gets the same 413
and error body. Rate limits are per process: behind several worker processes, put the limits in
front (the reverse proxy) as well.

The client address is the TCP peer's. ``X-Forwarded-For`` counts only when that peer is one of
the trusted proxies (``heard serve --trusted-proxy``, ``$HEARD_TRUSTED_PROXIES``; none by
default): then the address is the right-most one in the header that is not itself a trusted
proxy, the first address a trusted machine saw. Anyone else's header is ignored, so a client
cannot pick a new rate-limit key for each request.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATHS = ("/api/v1/imports", "/imports")  # the API and the page form
TRUSTED_PROXIES_ENV = "HEARD_TRUSTED_PROXIES"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_MAX_FORWARDED = 4096  # characters of X-Forwarded-For looked at, at most


def install_rate_limits(app: FastAPI) -> None:
    app.state.limiter = MovingWindowRateLimiter(MemoryStorage())


def hit(app: Any, name: str, rate: str, key: str) -> bool:
    """Count one request against ``rate`` for ``key``; False when over the limit."""
    limiter: MovingWindowRateLimiter = app.state.limiter
    return bool(limiter.hit(parse(rate), name, key))


# --- the client address ------------------------------------------------------------------------


def parse_trusted_proxies(values: Iterable[str]) -> tuple[Network, ...]:
    """IP addresses and CIDR networks (``10.0.0.5``, ``10.0.0.0/8``, ``::1``), each item
    possibly a comma- or space-separated list; ``ValueError`` naming a bad one."""
    networks: list[Network] = []
    for value in values:
        for item in re.split(r"[,\s]+", value.strip()):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(
                    f"{item!r} is not an IP address or network (for example 10.0.0.5 or 10.0.0.0/8)"
                ) from None
    return tuple(networks)


def trusted_proxies_from_environment() -> tuple[Network, ...]:
    """The trusted proxies in ``$HEARD_TRUSTED_PROXIES`` (none when it is unset)."""
    return parse_trusted_proxies([os.environ.get(TRUSTED_PROXIES_ENV, "")])


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address in ``value`` (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``), or None."""
    text = value.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(value: str | None, proxies: Sequence[Network]) -> bool:
    """Whether ``value`` is the address of one of the trusted ``proxies``."""
    if not value or not proxies:
        return False
    address = _address(value)
    return address is not None and any(address in network for network in proxies)


def forwarded_client(header: str, proxies: Sequence[Network]) -> str | None:
    """The right-most address in an ``X-Forwarded-For`` value that is not a trusted proxy (the
    left-most when all are); None when the header names no one."""
    hops = [hop.strip() for hop in header[:_MAX_FORWARDED].split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, proxies):
            address = _address(hop)
            return str(address) if address is not None else hop[:100]
    return str(_address(hops[0])) if hops else None


class ForwardedClient:
    """Sets the request's client address from ``X-Forwarded-For`` (and its scheme from
    ``X-Forwarded-Proto``), only when the direct peer is a trusted proxy."""

    def __init__(self, app: ASGIApp, *, proxies: Sequence[Network]) -> None:
        self.app = app
        self.proxies = tuple(proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] == "http" and peer and is_trusted(peer[0], self.proxies):
            scope = dict(scope)
            self._rewrite(scope)
        await self.app(scope, receive, send)

    def _rewrite(self, scope: dict[str, Any]) -> None:
        forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
        client = forwarded_client(", ".join(forwarded), self.proxies) if forwarded else None
        if client:
            scope["client"] = (client, 0)
        for name, value in scope["headers"]:
            if name == b"x-forwarded-proto" and value.strip() in (b"http", b"https"):
                scope["scheme"] = value.strip().decode()


# --- the body cap ------------------------------------------------------------------------------


class BodyLimit:
    """413 for a body over ``max_bytes`` (``upload_bytes`` on the upload paths), declared or
    streamed: reading stops at the chunk that passes the cap, whatever the app was doing with
    the body, and the app's own answer (a parse error) is replaced by the 413."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.upload_bytes if path.startswith(UPLOAD_PATHS) else self.max_bytes
        if _declared_too_large(scope, limit):
            await _too_large(send, limit)
            return
        guard = _StreamGuard(receive, send, limit)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            if not guard.exceeded:
                raise
        if guard.exceeded and not guard.started:
            await _too_large(send, limit)


def _declared_too_large(scope: Scope, limit: int) -> bool:
    """Whether the ``Content-Length`` header is over ``limit`` (or not a length at all)."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                return True
            if declared < 0 or declared > limit:
                return True
    return False


class _StreamGuard:
    """Counts the body as it is received; past the limit, the app's reads fail and its
    response is held back (the caller sends the 413 instead)."""

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive = receive
        self._send = send
        self.limit = limit
        self.seen = 0
        self.exceeded = False
        self.started = False

    async def receive(self) -> Message:
        if self.exceeded:  # never read on once over the limit
            raise _BodyTooLargeError
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                self.exceeded = True
                raise _BodyTooLargeError
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded and not self.started:
            return  # the app's answer to a body it could not read: the 413 goes instead
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


class _BodyTooLargeError(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = (
        b'{"error": "the request body is too large (limit ' + str(limit).encode() + b' bytes)",'
        b' "field": null}'
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
