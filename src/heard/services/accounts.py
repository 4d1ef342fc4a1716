"""Accounts for the web app and API: users and roles, API tokens, browser sessions, the audit log.

- **Passwords** are hashed with Argon2id (``argon2-cffi``'s defaults, RFC 9106's second
  recommended profile); a hash made with older parameters is upgraded at the next sign-in. An
  unknown user name costs the same hash check as a wrong password, so timing does not tell which
  names exist.
- **API tokens** (``heard_…``, 32 random bytes) and **session tokens** are shown once and stored
  only as SHA-256: a copy of the database does not sign anyone in. Tokens may expire; sessions
  always do.
- **Roles**: ``agent`` (their own data; ``agent`` links them to their help-desk agent id),
  ``lead`` (their ``team``), ``admin`` (everything). See :mod:`heard.services.access`.
- **Audit**: who viewed whose data and who changed what, with no message text.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from heard.errors import InputError
from heard.storage import accounts as stored
from heard.storage.database import Database

Role = Literal["agent", "lead", "admin"]
ROLES: tuple[Role, ...] = ("agent", "lead", "admin")
MIN_PASSWORD = 10
TOKEN_PREFIX = "heard_"
LAST_USED_EVERY = timedelta(minutes=1)
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("heard: a password nobody has")


@dataclass(frozen=True)
class Account:
    """A user as the rest of heard sees them (never the password hash)."""

    id: int
    username: str
    role: Role
    team: str | None
    agent: str | None
    disabled: bool


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked: bool


def now() -> datetime:
    """The clock, as naive UTC (how every time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _role(value: str) -> Role:
    role = next((r for r in ROLES if r == value), None)
    if role is None:
        raise InputError(f"unknown role {value!r}; choose one of {', '.join(ROLES)}", field="role")
    return role


def create_user(
    database: Database,
    username: str,
    password: str,
    *,
    role: str,
    team: str | None = None,
    agent: str | None = None,
) -> Account:
    """A new user. Leads need a team; agents need the help-desk agent id they are."""
    checked = _role(role)
    if not _USERNAME.fullmatch(username):
        raise InputError(
            "a user name is 1-100 letters, digits and . _ @ -, starting with a letter or digit",
            field="username",
        )
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if checked == "lead" and not team:
        raise InputError("a lead needs the team they lead (--team)", field="team")
    if checked == "agent" and not agent:
        raise InputError("an agent needs their help-desk agent id or name (--agent)", field="agent")
    with database.session() as session, session.begin():
        if stored.user_named(session, username) is not None:
            raise InputError(f"a user called {username!r} already exists", field="username")
        user = stored.add_user(
            session,
            username=username,
            password_hash=_HASHER.hash(password),
            role=checked,
            team=team or None,
            agent=agent or None,
            created_at=now(),
        )
        return _account_of(user)


def list_users(database: Database) -> list[Account]:
    with database.session() as session:
        return [_account_of(u) for u in stored.users(session)]


def count_users(database: Database) -> int:
    return len(list_users(database))


def disable_user(database: Database, username: str) -> Account:
    """Disable a user: their sessions end and their tokens stop working at once."""
    with database.session() as session, session.begin():
        user = stored.user_named(session, username)
        if user is None:
            raise InputError(f"no user called {username!r}", field="username")
        stored.disable(session, user)
        return _account_of(user)


def authenticate(database: Database, username: str, password: str) -> Account | None:
    """The account when the name and password match an enabled user, else None."""
    with database.session() as session, session.begin():
        user = stored.user_named(session, username)
        known = user.password_hash if user is not None else _DUMMY_HASH
        try:
            _HASHER.verify(known, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if user is None or user.disabled:
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            stored.set_password_hash(user, _HASHER.hash(password))
        return _account_of(user)


def create_token(
    database: Database, username: str, name: str, *, days: int | None = None
) -> tuple[str, TokenInfo]:
    """A new API token for ``username``: the token itself (shown once) and what is kept of it."""
    if days is not None and days < 1:
        raise InputError("a token lasts at least one day", field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with database.session() as session, session.begin():
        user = stored.user_named(session, username)
        if user is None:
            raise InputError(f"no user called {username!r}", field="username")
        if user.disabled:
            raise InputError(f"{username!r} is disabled", field="username")
        created = now()
        row = stored.add_token(
            session,
            user_id=user.id,
            name=name,
            prefix=token[: len(TOKEN_PREFIX) + 6],
            token_hash=digest(token),
            created_at=created,
            expires_at=created + timedelta(days=days) if days else None,
        )
        info = TokenInfo(
            row.id, username, name, row.prefix, row.created_at, row.expires_at, row.revoked
        )
    return token, info


def _account_of(row: Any) -> Account:
    role: Role = next((r for r in ROLES if r == row.role), "agent")
    return Account(row.id, row.username, role, row.team, row.agent, row.disabled)


def account_for_token(database: Database, token: str) -> Account | None:
    """The enabled account behind a live API token, else None.

    This runs on every API request, so it is one indexed Core query (a tenth of the ORM's
    cost), and writes only when the token's last use is more than a minute old.
    """
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = stored.token_sign_in(database.engine, digest(token))
    moment = now()
    if row is None or row.revoked or row.disabled:
        return None
    if row.expires_at is not None and row.expires_at <= moment:
        return None
    if row.last_used_at is None or moment - row.last_used_at > LAST_USED_EVERY:
        stored.token_used(database.engine, row.token_id, moment)  # at most once a minute
    return _account_of(row)


def start_session(database: Database, account: Account, *, hours: float) -> tuple[str, str]:
    """A new browser session: (the cookie's token, the CSRF token for its forms)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with database.session() as session, session.begin():
        created = now()
        stored.add_web_session(
            session,
            user_id=account.id,
            token_hash=digest(token),
            csrf=csrf,
            created_at=created,
            expires_at=created + timedelta(hours=hours),
        )
    return token, csrf


def sign_in(
    database: Database, username: str, password: str, *, hours: float
) -> tuple[Account, str, str] | None:
    """Check a name and password and start a browser session: (the account, the cookie's
    token, the CSRF token), or None when refused. An audit row either way."""
    account = authenticate(database, username, password)
    if account is None:
        audit(database, None, "login_failed", f"user:{username[:100]}")
        return None
    token, csrf = start_session(database, account, hours=hours)
    audit(database, account, "login", f"user:{account.username}")
    return account, token, csrf


def session_account(database: Database, token: str) -> tuple[Account, str] | None:
    """(account, CSRF token) of a live session, else None (an expired one is removed)."""
    row = stored.session_sign_in(database.engine, digest(token))
    if row is None:
        return None
    if row.expires_at <= now():
        stored.drop_web_session(database.engine, row.session_id)
        return None
    if row.disabled:
        return None
    return _account_of(row), str(row.csrf)


def end_session(database: Database, token: str) -> None:
    with database.session() as session, session.begin():
        stored.end_web_session(session, digest(token))


def audit(
    database: Database,
    account: Account | None,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did what to whose data (no message text: ``detail`` holds ids and counts)."""
    with database.session() as session, session.begin():
        stored.add_audit_event(
            session,
            at=now(),
            user_id=account.id if account else None,
            username=account.username if account else None,
            action=action,
            subject=subject[:300],
            detail=detail or {},
        )


def audit_events(database: Database, *, limit: int = 100) -> list[dict[str, Any]]:
    with database.session() as session:
        return [
            {
                "at": e.at.isoformat(),
                "username": e.username,
                "action": e.action,
                "subject": e.subject,
                "detail": e.detail,
            }
            for e in stored.audit_events(session, limit)
        ]
