"""Who is calling: a bearer API token or a browser session cookie, and CSRF for cookie changes.

- ``Authorization: Bearer heard_…`` authenticates integrations. Such requests carry no ambient
  credentials, so they need no CSRF token.
- The ``heard_session`` cookie (HttpOnly, SameSite=Lax, Secure unless configured otherwise)
  authenticates the browser. Every request that changes something with it (POST, PUT, PATCH,
  DELETE) must carry the session's CSRF token, in the ``X-CSRF-Token`` header or the form field
  ``csrf_token``, compared in constant time.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from heard.errors import HeardError
from heard.services.accounts import (
    Account,
    account_for_token,
    end_session,
    session_account,
)
from heard.services.accounts import sign_in as check_password
from heard.services.views import Viewer
from heard.web.limits import hit

COOKIE = "heard_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotAuthenticatedError(HeardError):
    """No valid credentials: 401."""


class CsrfError(HeardError):
    """A cookie-authenticated change without the session's CSRF token: 403."""


@dataclass(frozen=True)
class Caller:
    account: Account
    csrf: str | None  # the session's CSRF token (None for bearer tokens)
    via: str  # "token" or "session"


def viewer_of(request: Request, who: Caller) -> Viewer:
    """The caller as the use cases take them: with this app's database and model version."""
    return Viewer(
        who.account, request.app.state.database, str(request.app.state.engine.model_version)
    )


# Declared for the OpenAPI spec (its security schemes); checked by ``caller`` below.
_bearer = HTTPBearer(auto_error=False, description="An API token from `heard tokens create`.")
_cookie = APIKeyCookie(
    name=COOKIE, auto_error=False, description="The session cookie set by POST /api/v1/session."
)


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Caller:
    database = request.app.state.database
    token = credentials.credentials.strip() if credentials else None
    if request.headers.get("authorization") and token is None:
        raise NotAuthenticatedError("the Authorization header must be: Bearer TOKEN")
    if token is not None:
        account = account_for_token(database, token)
        if account is None:
            raise NotAuthenticatedError("the API token is not valid (unknown, revoked or expired)")
        return Caller(account, None, "token")
    if cookie:
        found = session_account(database, cookie)
        if found is not None:
            account, csrf = found
            if request.method in UNSAFE:
                await _check_csrf(request, csrf)
            return Caller(account, csrf, "session")
    raise NotAuthenticatedError("sign in first, or send an API token (Authorization: Bearer …)")


async def _check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, expected):
        raise CsrfError("missing or wrong CSRF token")


CallerDep = Annotated[Caller, Depends(caller)]


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account and its session, or why not."""

    account: Account | None  # None: refused (wrong name or password, or rate limited)
    token: str = ""
    csrf: str = ""
    limited: bool = False


async def sign_in(request: Request, username: str, password: str) -> SignIn:
    """Check a name and password for the API and the login page alike: one rate-limit budget
    per client address and user name, then the accounts service (an audit row either way, and
    a new session). The address
    is the peer's, or X-Forwarded-For's when the peer is a trusted proxy (heard.web.limits)."""
    settings = request.app.state.config.web
    client = request.client.host if request.client else "unknown"
    if not hit(request.app, "login", settings.login_rate, f"{client}|{username.casefold()}"):
        return SignIn(None, limited=True)
    signed_in = await run_in_threadpool(
        lambda: check_password(
            request.app.state.database, username, password, hours=settings.session_hours
        )
    )
    return SignIn(None) if signed_in is None else SignIn(*signed_in)


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.config.web
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
    )


async def sign_out(request: Request, response: Response) -> None:
    """End the session on the server, and drop the cookie."""
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(end_session, request.app.state.database, token)
    response.delete_cookie(COOKIE, path="/")
