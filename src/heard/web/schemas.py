"""The API's request and response bodies (pydantic), separate from the database tables.

These are the documented contract of ``/api/v1`` (and so of the OpenAPI spec). Changing a field
here is changing the API: add fields, do not rename them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from heard.times import storable


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# Times are stored as naive UTC; the API says so (RFC 3339 with the offset).
UtcTime = Annotated[datetime, AfterValidator(_utc)]

# Times a request may name: help-desk data from 1900 to 2999. The bounds keep every conversion
# and date sum downstream in range (9999-12-31T23:59:59-14:00 is past datetime's end in UTC).
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(3000, 1, 1)
TIME_RANGE = "from 1900-01-01 to 2999-12-31 (UTC)"


def naive_utc(moment: datetime) -> datetime:
    """``moment`` as naive UTC (a naive time is UTC already), within [EARLIEST, LATEST);
    ``ValueError`` otherwise, never ``OverflowError``."""
    try:
        storable(moment)
    except ValueError:
        raise ValueError(f"is out of range: times go {TIME_RANGE}") from None
    utc = moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"is out of range: times go {TIME_RANGE}")
    return utc


# A date or time in a request's query: ISO 8601 (a date alone is its midnight), as naive UTC.
RequestTime = Annotated[datetime, AfterValidator(naive_utc)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    error: str = Field(description="What went wrong, in plain words.")
    field: str | None = Field(default=None, description="The request field at fault, if any.")


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class AccountOut(BaseModel):
    username: str
    role: Literal["agent", "lead", "admin"]
    team: str | None
    agent: str | None


class LoginOut(AccountOut):
    csrf_token: str = Field(description="Send as X-CSRF-Token with every change made by cookie.")


# --- assess ------------------------------------------------------------------------------------


class AssessIn(Strict):
    customer: list[str] = Field(
        min_length=1,
        max_length=20,
        description="The customer's message(s) the draft answers, oldest first.",
    )
    draft: str = Field(min_length=1, max_length=20_000, description="The agent's draft reply.")
    history: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Earlier customer messages in the conversation (help spot personalisation).",
    )


class SpanOut(BaseModel):
    source: Literal["reply", "context"]
    start: int
    end: int
    text: str
    label: str | None = Field(
        default=None,
        description="What kind of evidence the span is, where the scorer says (e.g. 'dense' "
        "jargon, a 'vague' time, a stock 'courtesy'); absent otherwise.",
    )


class MechanismOut(BaseModel):
    level: int = Field(ge=0, le=2)
    probabilities: list[float]
    evidence: list[SpanOut]


class CueOut(BaseModel):
    code: str
    message: str
    evidence: list[SpanOut]


class EmotionOut(BaseModel):
    label: str
    intensity: float
    scores: dict[str, float]
    cues: list[CueOut]


class ComplexityOut(BaseModel):
    label: str
    score: float
    cues: list[CueOut]


class StyleOut(BaseModel):
    formality: str
    directness: str
    cues: list[CueOut]


class CustomerOut(BaseModel):
    complexity: ComplexityOut
    style: StyleOut


class FindingOut(BaseModel):
    code: str
    kind: Literal["strength", "gap", "anti_pattern"]
    message: str
    evidence: list[SpanOut]
    scorer: str = Field(
        default="",
        description="The versioned scorer that found it (e.g. 'heard.acknowledgement.v1'); empty "
        "for an assessment stored before scorers were recorded.",
    )


class TipOut(BaseModel):
    finding: str
    text: str


class AssessmentOut(BaseModel):
    score: int = Field(ge=0, le=100)
    mechanisms: dict[str, MechanismOut]
    customer_emotion: EmotionOut
    customer: CustomerOut
    findings: list[FindingOut]
    tips: list[TipOut]
    rewrite: str
    score_parts: dict[str, float]
    tier: str
    model_version: str
    truncated: bool


# --- agents, teams, conversations ----------------------------------------------------------


class StatOut(BaseModel):
    value: float | None
    low: float | None
    high: float | None
    n: int


class ScorecardOut(BaseModel):
    kind: Literal["agent", "team"]
    id: str
    name: str
    team: str | None
    replies: int
    conversations: int
    score: StatOut
    calmed: StatOut = Field(description="Share of distressed customers who ended calmer.")
    scripted_share: float | None
    trend_per_period: float | None
    trend_p: float | None
    top_strength: str | None
    top_gap: str | None
    small_sample: bool


class AgentOut(BaseModel):
    id: str
    name: str
    team: str | None


class MessageOut(BaseModel):
    id: str
    role: Literal["customer", "agent", "bot"]
    author: str
    timestamp: UtcTime | None
    text: str
    public: bool
    assessment: AssessmentOut | None = None


class ConversationSummaryOut(BaseModel):
    id: str
    channel: str | None
    started_at: UtcTime | None
    agent_id: str | None
    replies: int
    mean_score: float | None
    csat: float | None
    resolved: bool | None


class ConversationOut(ConversationSummaryOut):
    messages: list[MessageOut]


class DocumentOut(BaseModel):
    """A computed result whose fields are documented in docs/wellbeing.md (as ``--json``)."""

    model_config = ConfigDict(extra="allow")


def document(value: dict[str, Any]) -> DocumentOut:
    return DocumentOut.model_validate(value)
