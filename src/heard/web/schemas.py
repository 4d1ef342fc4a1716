"""The API's request and response bodies (pydantic), separate from the database tables.

These are the documented contract of ``/api/v1`` (and so of the OpenAPI spec). Changing a field
here is changing the API: add fields, do not rename them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from heard.analytics.impact import Group, Period
from heard.analytics.outcomes import Outcome
from heard.analytics.wellbeing import LeadSees
from heard.practice.scenario import Channel, Difficulty
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


class QuestionOut(SpanOut):
    type: str = Field(
        description="What would answer it: name, next, status, time, amount, place, how, "
        "reason, yes_no or other."
    )


class NeedsOut(BaseModel):
    """What the customer's message asks of the reply."""

    kind: Literal["loss", "problem", "question", "praise", "none"]
    questions: list[QuestionOut] = Field(description="The customer's question sentences.")
    cues: list[CueOut]


class CustomerOut(BaseModel):
    complexity: ComplexityOut
    style: StyleOut
    needs: NeedsOut


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


# --- outcomes, impact, wellbeing: the documents of ``heard outcomes|impact|fatigue --json`` ----
# The CLI and the API share these documents (heard.report.measures): they mirror the result values
# of heard.analytics field by field, floats rounded to 4 places, unknown as null; the models only
# describe them. docs/wellbeing.md explains the figures.

# A time in these documents: ISO 8601 in UTC without the offset, as the CLI prints it (so a string,
# not format "date-time": RFC 3339 wants the offset).
DocumentTime = Annotated[str, Field(description="ISO 8601, UTC, without an offset.")]


class CorrelationOut(BaseModel):
    measure: str = Field(
        description='"empathy", or the dimension\'s name (a skill, an EPITOME level).'
    )
    n: int = Field(description="Conversations behind the figure.")
    rho: float | None = Field(description="Spearman's rank correlation with the outcome.")
    low: float | None = Field(description="The 95% percentile-bootstrap interval of rho.")
    high: float | None
    p_value: float | None


class AdjustedOut(BaseModel):
    """The controlled regression of the outcome on the empathy score."""

    model: Literal["ols", "logit"]
    n: int
    coefficient: float | None = Field(
        description="Per empathy point: the CSAT difference (OLS) or the log-odds (logit)."
    )
    low: float | None = Field(description="The 95% interval of the coefficient.")
    high: float | None
    p_value: float | None
    odds_ratio: float | None = Field(description="Logit only: exp(coefficient).")
    controls: list[str] = Field(description="The controls in the model.")
    dropped: list[str] = Field(description="Controls left out (constant, absent, mostly unknown).")
    covariance: str = Field(description='"cluster(agent)", "HC3" or "HC0".')


class OutcomeAnalysisOut(BaseModel):
    outcome: Outcome
    n: int = Field(description="Conversations with the outcome known.")
    n_missing: int = Field(description="Conversations left out: the outcome is unknown.")
    empathy: CorrelationOut
    dimensions: list[CorrelationOut]
    adjusted: AdjustedOut | None
    warnings: list[str]


class OutcomesOut(BaseModel):
    """Empathy against the outcomes, as ``heard outcomes --json``."""

    conversations: int = Field(description="Conversations with a scored reply.")
    repeat_days: int = Field(description="A repeat contact: the same customer within these days.")
    analyses: list[OutcomeAnalysisOut] = Field(description="One per outcome.")


class TrainedAgentOut(BaseModel):
    id: str
    name: str


class CellOut(BaseModel):
    group: Group
    period: Period
    n: int = Field(description="Conversations (or replies) behind the mean.")
    agents: int
    mean: float | None


class PreTrendOut(BaseModel):
    """The pre-trend check: how the groups drifted apart before the date (trained minus
    comparison)."""

    weeks: int
    slope_difference: float = Field(description="In the metric's units per week.")
    p_value: float


class ImpactEstimateOut(BaseModel):
    metric: str
    since: DocumentTime
    estimate: float | None = Field(description="The difference-in-differences.")
    low: float | None = Field(description="The 95% wild cluster bootstrap-t interval.")
    high: float | None
    n_boot: int = Field(description="Bootstrap resamples that produced an estimate.")
    cells: list[CellOut] = Field(description="Trained and comparison, before and after.")
    pre_trend: PreTrendOut | None
    n_dropped: int = Field(description="Rows without an agent, a time or a value.")
    warnings: list[str]


class SkillPracticeOut(BaseModel):
    skill: str
    sessions: int = Field(description="The trained agents' role-play sessions.")
    trainees: int = Field(description="Trained agents with at least one session.")
    first: float | None = Field(description="Mean share in each trainee's first session.")
    latest: float | None = Field(
        description="Mean share in each trainee's latest session (null: one session each)."
    )
    live: float | None = Field(
        description="The skill's live estimate (the full figures are in estimates)."
    )


class ImpactOut(BaseModel):
    """Training impact, as ``heard impact --json``."""

    since: DocumentTime
    until: DocumentTime | None = Field(
        description="The after period's end, ISO 8601 in UTC (null: the end of the data)."
    )
    trained: list[TrainedAgentOut] = Field(description="The trained agents with data.")
    comparison: int = Field(description="Agents in the comparison group.")
    estimates: list[ImpactEstimateOut] = Field(description="Empathy, each skill, each outcome.")
    practice: list[SkillPracticeOut] = Field(description="One per skill; empty without role-play.")
    drills: int = Field(description="The trained agents' drill attempts.")


class SignalOut(BaseModel):
    """One fatigue signal, explained: the recent value against the agent's own baseline."""

    name: str
    fired: bool
    value: float | None
    baseline: float | None
    threshold: float
    reason: str
    suggestion: str
    details: dict[str, float | None] = Field(description="The signal's own figures, by name.")


class MySignalsOut(BaseModel):
    """Your own fatigue signals, all of them, as ``heard fatigue --agent --json``."""

    agent_id: str
    name: str
    window_start: DocumentTime
    now: DocumentTime = Field(description="The end of the recent window, ISO 8601 in UTC.")
    enough_data: bool
    reason: str
    recent_replies: int
    baseline_replies: int
    signals: list[SignalOut]
    fired: int = Field(description="How many signals fired (there is no overall score).")
    fired_names: list[str]


class PolicyOut(BaseModel):
    lead_sees: LeadSees
    grace_days: float
    min_signals: int
    description: str


class TeamCountsOut(BaseModel):
    """How many agents have each signal fired, never which (withheld for small teams)."""

    agents: int
    agents_with_enough_data: int
    withheld: bool
    fired_counts: list[tuple[str, int | None]] = Field(description="(signal, agents) pairs.")
    agents_with_any_signal: int | None
    min_agents: int = Field(description="Counts are withheld below this many agents with data.")


class SharedSignalsOut(BaseModel):
    """An agent's signals as a lead may see them: only those the policy shares, with no count
    and no summary of the others."""

    agent_id: str
    name: str
    why: str = Field(description="Why the policy shares these signals.")
    window_start: DocumentTime
    now: DocumentTime
    enough_data: bool
    recent_replies: int
    baseline_replies: int
    signals: list[SignalOut]
    fired_names: list[str]


class TeamSignalsOut(BaseModel):
    """A team's wellbeing, as ``heard fatigue --json`` shows it to a lead."""

    team: str | None = Field(description="null: everyone.")
    as_of: DocumentTime
    policy: PolicyOut
    counts: TeamCountsOut
    shared: list[SharedSignalsOut] = Field(description="In name order; only whom the policy shows.")


# --- practice: role-play and drills ----------------------------------------------------------


class ScenarioOut(BaseModel):
    id: str
    title: str
    persona: str = Field(description="The customer's name.")
    channel: Channel
    difficulty: Difficulty
    emotion: str = Field(description="The customer's emotion at the start.")


class RolePlayScenarioOut(BaseModel):
    id: str
    title: str
    persona: str
    channel: Channel


Ending = Literal["resolved", "escalated", "out_of_turns"]


class CustomerStateOut(BaseModel):
    emotion: str
    intensity: float
    needs_met: list[str]
    turn: int
    outcome: Ending | None


class FeedbackOut(BaseModel):
    worked: list[str]
    try_next: list[str] = Field(alias="try", description="Tips for the next reply.")


class TurnOut(BaseModel):
    customer: str = Field(description="The customer's line the reply answered.")
    reply: str
    score: int
    findings: list[str] = Field(description="The reply's finding codes.")
    state: CustomerStateOut = Field(description="The customer after the reply.")
    change: float = Field(description="The change in the customer's intensity (< 0: calmer).")
    reasons: list[tuple[str, float]] = Field(description="(rule, change in intensity) pairs.")
    needs_met: list[str] = Field(description="The needs this reply met.")
    customer_reply: str
    feedback: FeedbackOut
    fallback: str | None = Field(
        description="Why the language-model customer was not used for this line, if it was not."
    )


class TrajectoryPointOut(BaseModel):
    turn: int
    emotion: str
    intensity: float


class RolePlayScorecardOut(BaseModel):
    outcome: Ending | None
    skills: dict[str, float] = Field(description="The share of replies showing each skill.")
    trajectory: list[TrajectoryPointOut] = Field(description="The customer, from the start.")
    strongest_turn: int | None = Field(description="The index of the turn, from 0.")
    weakest_turn: int | None
    better_reply: str | None = Field(description="A better version of the weakest reply.")


class RolePlayOut(BaseModel):
    id: int
    scenario: RolePlayScenarioOut
    opening: str
    turns: list[TurnOut]
    state: CustomerStateOut
    ended: bool
    outcome: Ending | None
    scorecard: RolePlayScorecardOut | None = Field(description="Once the role-play has ended.")


class DrillOut(BaseModel):
    id: str
    message: str = Field(description="The customer's message to reflect.")
    emotion: str


class DrillResultOut(BaseModel):
    item: str
    score: float = Field(description="0 to 100.")
    parts: dict[str, float] = Field(description="Each part of the score, 0 to 1.")
    facts: dict[str, bool] = Field(description="Each fact of the message: reflected or not.")
    feedback: list[str]
    exemplar: str = Field(description="A good reflection.")


class SkillTrendOut(BaseModel):
    skill: str
    attempts: int
    mean: float
    earlier: float = Field(description="The mean of the earlier half of the attempts.")
    later: float = Field(description="The mean of the later half.")
    direction: Literal["not enough data", "improving", "declining", "steady"]


class ProgressOut(BaseModel):
    """Practice progress, as ``heard progress --json``."""

    trainee: str
    sessions: int
    drills: int
    skills: list[SkillTrendOut]
    weakest: str | None
    recommended_scenarios: list[str]
    recommended_drills: list[str]


# --- imports ------------------------------------------------------------------------------------


class ImportJobOut(BaseModel):
    id: int
    filename: str
    status: Literal["queued", "importing", "scoring", "done", "failed"]
    records: int
    scored: int
    rejected: int
    error: str | None


class RejectOut(BaseModel):
    file: str
    location: str = Field(description='Where in the file: "line 12", "ticket 4711".')
    field: str | None
    problem: str


class ImportStatusOut(ImportJobOut):
    rejects: list[RejectOut] = Field(description="The first 200.")
