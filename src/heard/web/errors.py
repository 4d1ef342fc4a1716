"""Errors as JSON ``{"error": ..., "field": ...}`` with the right status, and never a stack trace
or an internal detail: an unexpected error is logged on the server with a reference, and the
client gets only the reference."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from heard.errors import ForbiddenError, HeardError, InputError, NotFoundError
from heard.web.auth import CsrfError, NotAuthenticatedError

log = logging.getLogger(__name__)


class BadRequestError(HeardError):
    """A request heard cannot use at all (an upload's unusable file name): 400."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LoginError(HeardError):
    """Wrong user name or password: 401 (without saying which)."""


class RateLimitError(HeardError):
    """Too many requests: 429 with Retry-After."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _error(status: int, message: str, field: str | None = None, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message, "field": field}, status_code=status, headers=headers)


def validation_message(error: Mapping[str, Any]) -> str:
    """A validation error's message, naming the query, path or header parameter it is about
    (``since: Input should be a valid datetime``); a body field is named by ``field``."""
    message = str(error.get("msg", "the request is not valid")).removeprefix("Value error, ")
    location = [str(part) for part in error.get("loc", ())]
    if len(location) > 1 and location[0] in ("query", "path", "header", "cookie"):
        return f"{'.'.join(location[1:])}: {message}"
    return message


def install(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticatedError)
    async def _401(_: Request, error: NotAuthenticatedError) -> JSONResponse:
        return _error(401, str(error), **{"WWW-Authenticate": "Bearer"})

    @app.exception_handler(BadRequestError)
    async def _400(_: Request, error: BadRequestError) -> JSONResponse:
        return _error(400, error.message, error.field)

    @app.exception_handler(LoginError)
    async def _401_login(_: Request, error: LoginError) -> JSONResponse:
        return _error(401, str(error))

    @app.exception_handler(ForbiddenError)
    async def _403(_: Request, error: ForbiddenError) -> JSONResponse:
        return _error(403, str(error))

    @app.exception_handler(CsrfError)
    async def _403_csrf(_: Request, error: CsrfError) -> JSONResponse:
        return _error(403, str(error))

    @app.exception_handler(NotFoundError)
    async def _404(_: Request, error: NotFoundError) -> JSONResponse:
        return _error(404, str(error))

    @app.exception_handler(RateLimitError)
    async def _429(_: Request, error: RateLimitError) -> JSONResponse:
        return _error(429, str(error), **{"Retry-After": str(error.retry_after)})

    @app.exception_handler(InputError)
    async def _422(_: Request, error: InputError) -> JSONResponse:
        return _error(422, error.message, error.field)

    @app.exception_handler(RequestValidationError)
    async def _422_schema(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
        return _error(422, validation_message(first), where)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def _500(request: Request, error: Exception) -> JSONResponse:
        reference = secrets.token_hex(6)
        log.error(
            "unexpected error %s on %s %s",
            reference,
            request.method,
            request.url.path,
            exc_info=error,
        )
        return _error(500, f"internal error (reference {reference}; the server log has details)")
