"""Users, API tokens, browser sessions and the audit log.

Token and session lookups run on every request, so they are single indexed Core queries on a
connection of their own (a tenth of the ORM's cost); the rest works in the caller's session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Row, delete, select, update
from sqlalchemy.orm import Session

from heard.storage.tables import ApiToken, AuditEvent, User, WebSession

# what a sign-in needs of the user (never the password hash)
_ACCOUNT_COLUMNS = (User.id, User.username, User.role, User.team, User.agent, User.disabled)


def user_named(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def add_user(
    session: Session,
    *,
    username: str,
    password_hash: str,
    role: str,
    team: str | None,
    agent: str | None,
    created_at: datetime,
) -> User:
    user = User(
        username=username,
        password_hash=password_hash,
        role=role,
        team=team,
        agent=agent,
        disabled=False,
        created_at=created_at,
    )
    session.add(user)
    session.flush()
    return user


def users(session: Session) -> list[User]:
    """Every user, in name order."""
    return list(session.scalars(select(User).order_by(User.username)))


def disable(session: Session, user: User) -> None:
    """Disable a user and end their browser sessions."""
    user.disabled = True
    for web in session.scalars(select(WebSession).where(WebSession.user_id == user.id)):
        session.delete(web)


def set_password_hash(user: User, password_hash: str) -> None:
    user.password_hash = password_hash


def add_token(
    session: Session,
    *,
    user_id: int,
    name: str,
    prefix: str,
    token_hash: str,
    created_at: datetime,
    expires_at: datetime | None,
) -> ApiToken:
    row = ApiToken(
        user_id=user_id,
        name=name,
        prefix=prefix,
        token_hash=token_hash,
        created_at=created_at,
        expires_at=expires_at,
        revoked=False,
    )
    session.add(row)
    session.flush()
    return row


def token_sign_in(engine: Engine, token_hash: str) -> Row[*tuple[Any, ...]] | None:
    """The token with this hash and its user: ``token_id``, ``expires_at``, ``revoked``,
    ``last_used_at`` and the user's id, username, role, team, agent and disabled."""
    query = (
        select(
            ApiToken.id.label("token_id"),
            ApiToken.expires_at,
            ApiToken.revoked,
            ApiToken.last_used_at,
            *_ACCOUNT_COLUMNS,
        )
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash)
    )
    with engine.connect() as connection:
        return connection.execute(query).first()


def token_used(engine: Engine, token_id: int, moment: datetime) -> None:
    """Note a token's last use (in a transaction of its own)."""
    with engine.begin() as connection:
        connection.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=moment)
        )


def add_web_session(
    session: Session,
    *,
    user_id: int,
    token_hash: str,
    csrf: str,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        WebSession(
            user_id=user_id,
            token_hash=token_hash,
            csrf=csrf,
            created_at=created_at,
            expires_at=expires_at,
        )
    )


def session_sign_in(engine: Engine, token_hash: str) -> Row[*tuple[Any, ...]] | None:
    """The browser session with this hash and its user: ``session_id``, ``csrf``,
    ``expires_at`` and the user's id, username, role, team, agent and disabled."""
    query = (
        select(
            WebSession.id.label("session_id"),
            WebSession.csrf,
            WebSession.expires_at,
            *_ACCOUNT_COLUMNS,
        )
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == token_hash)
    )
    with engine.connect() as connection:
        return connection.execute(query).first()


def drop_web_session(engine: Engine, session_id: int) -> None:
    """Remove a browser session (in a transaction of its own)."""
    with engine.begin() as connection:
        connection.execute(delete(WebSession).where(WebSession.id == session_id))


def end_web_session(session: Session, token_hash: str) -> None:
    row = session.scalar(select(WebSession).where(WebSession.token_hash == token_hash))
    if row is not None:
        session.delete(row)


def add_audit_event(
    session: Session,
    *,
    at: datetime,
    user_id: int | None,
    username: str | None,
    action: str,
    subject: str,
    detail: dict[str, Any],
) -> None:
    session.add(
        AuditEvent(
            at=at,
            user_id=user_id,
            username=username,
            action=action,
            subject=subject,
            detail=detail,
        )
    )


def audit_events(session: Session, limit: int) -> list[AuditEvent]:
    """The latest audit events, newest first."""
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))


__all__ = [
    "add_audit_event",
    "add_token",
    "add_user",
    "add_web_session",
    "audit_events",
    "disable",
    "drop_web_session",
    "end_web_session",
    "session_sign_in",
    "set_password_hash",
    "token_sign_in",
    "token_used",
    "user_named",
    "users",
]
