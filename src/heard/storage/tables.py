"""The database tables (SQLAlchemy 2 declarative). Change them only with a new migration.

Natural keys make imports idempotent: a conversation is (source, external_id), a message is
(conversation, external_id), an agent is (source, external_id), an assessment is
(cache_key, model_version). Surrogate integer ids are internal and never compared across runs.
Customer ids are stored pseudonymised (a keyed hash; the key lives in ``settings``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Setting(Base):
    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportRun(Base):
    """One run of an import. An interrupted run is resumed from ``records_committed``."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    options: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # running | done
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    records_committed: Mapped[int] = mapped_column(Integer, default=0)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class RejectRow(Base):
    __tablename__ = "rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(200), nullable=True)
    problem: Mapped[str] = mapped_column(Text)


class Agent(Base):
    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team: Mapped[str | None] = mapped_column(String(200), nullable=True)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)


class ConversationRecord(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(64), nullable=True)
    customer_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    csat: Mapped[float | None] = mapped_column(Float, nullable=True)
    csat_raw: Mapped[str | None] = mapped_column(String(64), nullable=True)
    csat_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    reopens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    escalated: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    first_reply_minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    resolution_minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    handle_minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    wait_minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The model version the conversation was last scored with; None when new or changed since.
    scored_version: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)

    messages: Mapped[list[MessageRecord]] = relationship(
        back_populates="conversation",
        cascade="all, delete-orphan",
        order_by="MessageRecord.id",
    )


class MessageRecord(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer, default=0)  # order within the source record
    timestamp: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    role: Mapped[str] = mapped_column(String(16))  # customer | agent | bot
    author_key: Mapped[str] = mapped_column(String(200))  # agent id, or pseudonymised customer
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)  # redacted
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    redactions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the assessment of this reply in its context (agent messages): see Assessment.cache_key
    assessment_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    first_reply: Mapped[bool] = mapped_column(Boolean, default=False)

    conversation: Mapped[ConversationRecord] = relationship(back_populates="messages")
    agent: Mapped[Agent | None] = relationship()


class AssessmentRecord(Base):
    """A cached assessment: the same reply in the same context is assessed once per model."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("cache_key", "model_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class ConversationSummary(Base):
    """Per conversation and model: the customer's trajectory and the first reply's score."""

    __tablename__ = "conversation_summaries"
    __table_args__ = (
        UniqueConstraint("conversation_id", "model_version"),
        Index("ix_summaries_version", "model_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    model_version: Mapped[str] = mapped_column(String(64))
    customer_turns: Mapped[int] = mapped_column(Integer)
    agent_turns: Mapped[int] = mapped_column(Integer)
    start_emotion: Mapped[str | None] = mapped_column(String(16), nullable=True)
    start_intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    peak_emotion: Mapped[str | None] = mapped_column(String(16), nullable=True)
    peak_intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    end_emotion: Mapped[str | None] = mapped_column(String(16), nullable=True)
    end_intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    trajectory: Mapped[str | None] = mapped_column(String(16), nullable=True)
    first_reply_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    primary_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)


class PracticeSession(Base):
    """A finished (or abandoned) role-play: the turns and the scorecard, per trainee."""

    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee: Mapped[str] = mapped_column(String(200), index=True)
    scenario: Mapped[str] = mapped_column(String(100))
    seed: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    skills: Mapped[dict[str, Any]] = mapped_column(JSON)  # skill -> share of replies
    session: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole session (redacted)


class DrillAttempt(Base):
    __tablename__ = "drill_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee: Mapped[str] = mapped_column(String(200), index=True)
    item: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    score: Mapped[float] = mapped_column(Float)
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(Text)  # redacted


class FatigueView(Base):
    """An agent looked at their own fatigue signals (the wellbeing policy's "seen first")."""

    __tablename__ = "fatigue_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent: Mapped[str] = mapped_column(String(200), index=True)  # the agent's id in the source
    seen_at: Mapped[datetime] = mapped_column(DateTime)  # the clock, naive UTC
    as_of: Mapped[datetime] = mapped_column(DateTime)  # the end of the window they saw
    fired: Mapped[list[str]] = mapped_column(JSON)  # the signals that had fired


class User(Base):
    """Someone who signs in to the web app or calls the API. ``agent`` links an agent to their
    own help-desk id; ``team`` is the team a lead leads (or an agent works in)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)  # Argon2id
    role: Mapped[str] = mapped_column(String(16))  # agent | lead | admin
    team: Mapped[str | None] = mapped_column(String(200), nullable=True)
    agent: Mapped[str | None] = mapped_column(String(200), nullable=True)  # help-desk agent id
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiToken(Base):
    """A bearer token for integrations. Only its SHA-256 is stored; ``prefix`` identifies it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(Base):
    """A browser session: the cookie holds the token, the table its SHA-256 and CSRF secret."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Who looked at whose data, and who changed what (never message text)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str | None] = mapped_column(String(100), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))  # "agent:agt-104", "team:Billing", ...
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PracticeRun(Base):
    """A role-play in progress in the browser: the trainee's replies so far (redacted). The
    session is replayed from them (same scenario, seed and replies give the same session)."""

    __tablename__ = "practice_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scenario: Mapped[str] = mapped_column(String(100))
    seed: Mapped[int] = mapped_column(Integer)
    replies: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ImportJob(Base):
    """An export uploaded through the API, imported and scored in the background."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))  # queued | importing | scoring | done | failed
    run_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    records: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
