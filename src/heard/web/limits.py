"""Request limits: a cap on body size, and rate limits (``limits``' moving window, in memory).

The body cap is checked on ``Content-Length`` and again while the body streams in (a chunked
upload cannot slip past it). Rate limits are per process: behind several worker processes, put
the limits in front (the reverse proxy) as well.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATHS = ("/api/v1/imports", "/imports")  # the API and the page form


def install_rate_limits(app: FastAPI) -> None:
    app.state.limiter = MovingWindowRateLimiter(MemoryStorage())


def hit(app: Any, name: str, rate: str, key: str) -> bool:
    """Count one request against ``rate`` for ``key``; False when over the limit."""
    limiter: MovingWindowRateLimiter = app.state.limiter
    return bool(limiter.hit(parse(rate), name, key))


class BodyLimit:
    """413 for a body over ``max_bytes`` (``upload_bytes`` on the upload paths)."""

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
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await _too_large(send, limit)
                    return
        seen = 0
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLargeError
            return message

        try:
            await self.app(scope, limited, guarded_send)
        except _BodyTooLargeError:
            if not started:
                await _too_large(send, limit)


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
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
