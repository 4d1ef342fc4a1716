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
from sqlalchemy import delete, select, update

from heard.errors import InputError
from heard.storage.database import Database
from heard.storage.tables import ApiToken, AuditEvent, User, WebSession

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


def _account(user: User) -> Account:
    return _account_of(user)


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
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise InputError(f"a user called {username!r} already exists", field="username")
        user = User(
            username=username,
            password_hash=_HASHER.hash(password),
            role=checked,
            team=team or None,
            agent=agent or None,
            disabled=False,
            created_at=now(),
        )
        session.add(user)
        session.flush()
        return _account(user)


def list_users(database: Database) -> list[Account]:
    with database.session() as session:
        return [_account(u) for u in session.scalars(select(User).order_by(User.username))]


def count_users(database: Database) -> int:
    return len(list_users(database))


def disable_user(database: Database, username: str) -> Account:
    """Disable a user: their sessions end and their tokens stop working at once."""
    with database.session() as session, session.begin():
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise InputError(f"no user called {username!r}", field="username")
        user.disabled = True
        for web in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
            session.delete(web)
        return _account(user)


def authenticate(database: Database, username: str, password: str) -> Account | None:
    """The account when the name and password match an enabled user, else None."""
    with database.session() as session, session.begin():
        user = session.scalar(select(User).where(User.username == username))
        stored = user.password_hash if user is not None else _DUMMY_HASH
        try:
            _HASHER.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if user is None or user.disabled:
            return None
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
        return _account(user)


def create_token(
    database: Database, username: str, name: str, *, days: int | None = None
) -> tuple[str, TokenInfo]:
    """A new API token for ``username``: the token itself (shown once) and what is kept of it."""
    if days is not None and days < 1:
        raise InputError("a token lasts at least one day", field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with database.session() as session, session.begin():
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise InputError(f"no user called {username!r}", field="username")
        if user.disabled:
            raise InputError(f"{username!r} is disabled", field="username")
        created = now()
        row = ApiToken(
            user_id=user.id,
            name=name,
            prefix=token[: len(TOKEN_PREFIX) + 6],
            token_hash=digest(token),
            created_at=created,
            expires_at=created + timedelta(days=days) if days else None,
            revoked=False,
        )
        session.add(row)
        session.flush()
        info = TokenInfo(
            row.id, username, name, row.prefix, row.created_at, row.expires_at, row.revoked
        )
    return token, info


_ACCOUNT_COLUMNS = (User.id, User.username, User.role, User.team, User.agent, User.disabled)


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
    query = (
        select(
            ApiToken.id.label("token_id"),
            ApiToken.expires_at,
            ApiToken.revoked,
            ApiToken.last_used_at,
            *_ACCOUNT_COLUMNS,
        )
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(token))
    )
    with database.engine.connect() as connection:
        row = connection.execute(query).first()
    moment = now()
    if row is None or row.revoked or row.disabled:
        return None
    if row.expires_at is not None and row.expires_at <= moment:
        return None
    if row.last_used_at is None or moment - row.last_used_at > LAST_USED_EVERY:
        with database.engine.begin() as connection:  # at most once a minute per token
            connection.execute(
                update(ApiToken).where(ApiToken.id == row.token_id).values(last_used_at=moment)
            )
    return _account_of(row)


def start_session(database: Database, account: Account, *, hours: float) -> tuple[str, str]:
    """A new browser session: (the cookie's token, the CSRF token for its forms)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with database.session() as session, session.begin():
        created = now()
        session.add(
            WebSession(
                user_id=account.id,
                token_hash=digest(token),
                csrf=csrf,
                created_at=created,
                expires_at=created + timedelta(hours=hours),
            )
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
    query = (
        select(
            WebSession.id.label("session_id"),
            WebSession.csrf,
            WebSession.expires_at,
            *_ACCOUNT_COLUMNS,
        )
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == digest(token))
    )
    with database.engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    if row.expires_at <= now():
        with database.engine.begin() as connection:
            connection.execute(delete(WebSession).where(WebSession.id == row.session_id))
        return None
    if row.disabled:
        return None
    return _account_of(row), str(row.csrf)


def end_session(database: Database, token: str) -> None:
    with database.session() as session, session.begin():
        row = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
        if row is not None:
            session.delete(row)


def audit(
    database: Database,
    account: Account | None,
    action: str,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did what to whose data (no message text: ``detail`` holds ids and counts)."""
    with database.session() as session, session.begin():
        session.add(
            AuditEvent(
                at=now(),
                user_id=account.id if account else None,
                username=account.username if account else None,
                action=action,
                subject=subject[:300],
                detail=detail or {},
            )
        )


def audit_events(database: Database, *, limit: int = 100) -> list[dict[str, Any]]:
    with database.session() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
        return [
            {
                "at": e.at.isoformat(),
                "username": e.username,
                "action": e.action,
                "subject": e.subject,
                "detail": e.detail,
            }
            for e in rows
        ]
