"""Scorecards per agent, team and period: ``analyse(replies, conversations) -> Analysis``.

Pure: rows in, values out; no I/O and no clock (the period unit and every threshold are
parameters). For every group (all replies, each agent, each team, each period, each team in each
period) it gives:

- the number of replies and their mean score with a t-interval (``heard.analytics.stats``), and
  the same for first replies alone;
- the rate of each empathy mechanism shown at all (level >= 1) and strongly (level 2), and of
  each finding code, with Wilson intervals;
- the share of scripted replies (near-duplicates of another reply by the same agent, found over
  all of that agent's replies; ``heard.analytics.scripted``);
- a histogram of scores in bins of 10, how the conversations went
  (``heard.analytics.conversations``) and, except for periods, the score trend over periods
  (``heard.analytics.trends``) and the best and weakest replies with their evidence.

Groups with fewer than ``min_n`` replies are flagged ``small``; their figures are reported but
are not evidence of a difference.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from heard.analytics.conversations import (
    DISTRESSED,
    ConversationStats,
    conversation_stats,
)
from heard.analytics.examples import (
    ANTI_PATTERN,
    GAP,
    KINDS,
    STRENGTH,
    ReplyExample,
    best_and_weakest,
    pick_examples,
)
from heard.analytics.rows import ConversationRow, ReplyRow
from heard.analytics.scripted import THRESHOLD, scripted_flags
from heard.analytics.stats import (
    CONFIDENCE,
    MIN_N,
    SCORE_SCALE,
    Mean,
    Rate,
    check_confidence,
    histogram,
    mean_ci,
    wilson,
)
from heard.analytics.trends import Period, Trend, check_unit, period_of, score_trend
from heard.results import MECHANISMS

NO_TEAM = "(no team)"
K = TypeVar("K")
TOP_FINDINGS = 8


@dataclass(frozen=True, slots=True)
class MechanismRate:
    """How often a mechanism is shown at all (level >= 1) and strongly (level 2)."""

    name: str
    shown: Rate
    strong: Rate


@dataclass(frozen=True, slots=True)
class FindingRate:
    """The share of replies with at least one finding of ``code``."""

    code: str
    kind: str
    rate: Rate


@dataclass(frozen=True)
class ReplyStats:
    n: int
    score: Mean
    first_reply: Mean
    mechanisms: tuple[MechanismRate, ...]  # in heard.results.MECHANISMS order
    findings: tuple[FindingRate, ...]  # every code of the analysis, strengths, gaps, anti-patterns
    scripted: Rate
    histogram: tuple[int, ...]  # replies scoring 0-9, 10-19, ..., 90-100

    def mechanism(self, name: str) -> MechanismRate:
        return next(m for m in self.mechanisms if m.name == name)

    def finding(self, code: str) -> FindingRate | None:
        return next((f for f in self.findings if f.code == code), None)

    def top(self, *kinds: str) -> FindingRate | None:
        """The commonest finding of these kinds (None when none occurs)."""
        present = [f for f in self.findings if f.kind in kinds and f.rate.k > 0]
        return max(present, key=lambda f: f.rate.k, default=None)


@dataclass(frozen=True)
class Group:
    """The figures for one agent, team, period (or team in a period), or for everything."""

    kind: str  # "all", "agent", "team", "period", "team_period"
    key: str  # agent id, team name, period key ("team|period" for team_period)
    label: str
    team: str | None  # the agent's (main) team; the team of a team or team_period
    period: Period | None
    replies: ReplyStats
    conversations: ConversationStats
    trend: Trend | None  # None for periods
    best: ReplyExample | None
    weakest: ReplyExample | None  # None when it would be the best one again

    @property
    def small(self) -> bool:
        return self.replies.score.small


@dataclass(frozen=True)
class CommonFinding:
    """A gap or anti-pattern, how often it occurs, and one reply that shows it."""

    code: str
    kind: str
    rate: Rate  # of all replies
    agents: int  # agents with at least one
    example: ReplyExample | None  # with only this finding's evidence highlighted


@dataclass(frozen=True)
class Analysis:
    unit: str  # "day", "week" or "month"
    confidence: float
    min_n: int
    distressed: float
    scripted_threshold: float
    overall: Group
    agents: tuple[Group, ...]
    teams: tuple[Group, ...]
    periods: tuple[Group, ...]  # chronological, periods with replies only
    team_periods: tuple[Group, ...]  # by team, then chronological
    common_findings: tuple[CommonFinding, ...]  # gaps and anti-patterns, commonest first
    kinds: tuple[tuple[str, str], ...]  # (code, kind) of every finding code seen
    first_at: datetime | None
    last_at: datetime | None
    undated: int  # replies without a timestamp (left out of periods and trends)

    def team_series(self, team: str) -> tuple[Group, ...]:
        return tuple(g for g in self.team_periods if g.team == team)


@dataclass(frozen=True)
class _Settings:
    unit: str
    confidence: float
    min_n: int
    distressed: float
    codes: tuple[tuple[str, str], ...]
    scripted: frozenset[tuple[str, str]]


def analyse(
    replies: Iterable[ReplyRow],
    conversations: Iterable[ConversationRow] = (),
    *,
    period: str = "week",
    min_n: int = MIN_N,
    confidence: float = CONFIDENCE,
    distressed: float = DISTRESSED,
    scripted_threshold: float = THRESHOLD,
    top_findings: int = TOP_FINDINGS,
) -> Analysis:
    """Aggregate scored replies and conversations into scorecards (see the module's notes)."""
    check_unit(period)
    check_confidence(confidence)
    if min_n < 1:
        raise ValueError(f"min_n must be at least 1, not {min_n!r}")
    rows = list(replies)
    talks = list(conversations)
    settings = _Settings(
        period,
        confidence,
        min_n,
        distressed,
        _codes(rows),
        _scripted(rows, scripted_threshold),
    )
    agents = _agents(rows, talks, settings)
    teams = _by(rows, talks, lambda r: _team(r.team), lambda c: _team(c.team))
    team_groups = tuple(
        _group("team", key, key, key, None, members, convs, settings, examples=True)
        for key, (members, convs) in sorted(teams.items())
    )
    periods = _by(rows, talks, lambda r: _period(r.timestamp, period), _started(period))
    period_groups = tuple(
        _group("period", key.key, key.label, None, key, members, convs, settings)
        for key, (members, convs) in sorted(periods.items())
        if members
    )
    team_periods = _by(
        rows,
        talks,
        lambda r: _pair(_team(r.team), _period(r.timestamp, period)),
        lambda c: _pair(_team(c.team), _started(period)(c)),
    )
    team_period_groups = tuple(
        _group("team_period", f"{team}|{p.key}", p.label, team, p, members, convs, settings)
        for (team, p), (members, convs) in sorted(team_periods.items())
        if members
    )
    dated = [r.timestamp for r in rows if r.timestamp is not None]
    return Analysis(
        unit=period,
        confidence=confidence,
        min_n=min_n,
        distressed=distressed,
        scripted_threshold=scripted_threshold,
        overall=_group("all", "all", "All replies", None, None, rows, talks, settings),
        agents=agents,
        teams=team_groups,
        periods=period_groups,
        team_periods=team_period_groups,
        common_findings=_common(rows, settings, top_findings),
        kinds=settings.codes,
        first_at=min(dated, default=None),
        last_at=max(dated, default=None),
        undated=len(rows) - len(dated),
    )


def _team(team: str | None) -> str:
    return team if team else NO_TEAM


def _period(moment: datetime | None, unit: str) -> Period | None:
    return period_of(moment, unit) if moment is not None else None


def _started(unit: str) -> Callable[[ConversationRow], Period | None]:
    return lambda c: _period(c.started_at, unit)


def _pair(team: str, period: Period | None) -> tuple[str, Period] | None:
    return (team, period) if period is not None else None


def _by(
    rows: Sequence[ReplyRow],
    talks: Sequence[ConversationRow],
    reply_key: Callable[[ReplyRow], K | None],
    talk_key: Callable[[ConversationRow], K | None],
) -> dict[K, tuple[list[ReplyRow], list[ConversationRow]]]:
    """Replies and conversations grouped by a key (None: left out)."""
    groups: dict[K, tuple[list[ReplyRow], list[ConversationRow]]] = defaultdict(lambda: ([], []))
    for row in rows:
        key = reply_key(row)
        if key is not None:
            groups[key][0].append(row)
    for talk in talks:
        key = talk_key(talk)
        if key is not None:
            groups[key][1].append(talk)
    return dict(groups)


def _codes(rows: Sequence[ReplyRow]) -> tuple[tuple[str, str], ...]:
    """Every finding code with its kind: strengths, gaps, anti-patterns; commonest first."""
    kinds: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        for finding in row.assessment.findings:
            kinds.setdefault(finding.code, str(finding.kind))
        counts.update(set(row.finding_codes))
    rank = {kind: i for i, kind in enumerate(KINDS)}
    ordered = sorted(kinds, key=lambda c: (rank.get(kinds[c], len(KINDS)), -counts[c], c))
    return tuple((code, kinds[code]) for code in ordered)


def _scripted(rows: Sequence[ReplyRow], threshold: float) -> frozenset[tuple[str, str]]:
    """(conversation id, message id) of every scripted reply, agent by agent."""
    by_agent: dict[str, list[ReplyRow]] = defaultdict(list)
    for row in rows:
        by_agent[row.agent_id].append(row)
    scripted: set[tuple[str, str]] = set()
    for members in by_agent.values():
        flags = scripted_flags([(r.reply, r.context) for r in members], threshold=threshold)
        for row, flag in zip(members, flags, strict=True):
            if flag:
                scripted.add((row.conversation_id, row.message_id))
    return frozenset(scripted)


def _agents(
    rows: Sequence[ReplyRow], talks: Sequence[ConversationRow], settings: _Settings
) -> tuple[Group, ...]:
    grouped = _by(rows, talks, lambda r: r.agent_id, lambda c: c.agent_id)
    groups = []
    for agent_id, (members, convs) in grouped.items():
        if not members:  # an agent with conversations but no scored reply has no scorecard
            continue
        names = Counter(r.agent_name for r in members if r.agent_name)
        teams = Counter(_team(r.team) for r in members)
        label = names.most_common(1)[0][0] if names else agent_id
        team = teams.most_common(1)[0][0]
        groups.append(
            _group("agent", agent_id, label, team, None, members, convs, settings, examples=True)
        )
    return tuple(sorted(groups, key=lambda g: (g.label.casefold(), g.key)))


def _group(
    kind: str,
    key: str,
    label: str,
    team: str | None,
    period: Period | None,
    rows: Sequence[ReplyRow],
    talks: Sequence[ConversationRow],
    settings: _Settings,
    *,
    examples: bool = False,
) -> Group:
    best, weakest = best_and_weakest(rows) if examples or kind == "all" else (None, None)
    trend = None
    if period is None:
        points = [
            (period_of(r.timestamp, settings.unit).index, float(r.score))
            for r in rows
            if r.timestamp is not None
        ]
        trend = score_trend(points, confidence=settings.confidence)
    return Group(
        kind=kind,
        key=key,
        label=label,
        team=team,
        period=period,
        replies=_reply_stats(rows, settings),
        conversations=conversation_stats(
            talks,
            confidence=settings.confidence,
            min_n=settings.min_n,
            distressed=settings.distressed,
        ),
        trend=trend,
        best=best,
        weakest=weakest,
    )


def _reply_stats(rows: Sequence[ReplyRow], settings: _Settings) -> ReplyStats:
    confidence, min_n = settings.confidence, settings.min_n

    def rate(k: int, n: int) -> Rate:
        return wilson(k, n, confidence=confidence, min_n=min_n)

    scores = [r.score for r in rows]
    codes: Counter[str] = Counter()
    for row in rows:
        codes.update(set(row.finding_codes))
    mechanisms = []
    for name in MECHANISMS:
        levels = [level for r in rows if (level := r.level(name)) is not None]
        mechanisms.append(
            MechanismRate(
                name,
                rate(sum(1 for level in levels if level >= 1), len(levels)),
                rate(sum(1 for level in levels if level >= 2), len(levels)),
            )
        )
    return ReplyStats(
        n=len(rows),
        score=mean_ci(scores, confidence=confidence, min_n=min_n, scale=SCORE_SCALE),
        first_reply=mean_ci(
            [r.score for r in rows if r.first_reply],
            confidence=confidence,
            min_n=min_n,
            scale=SCORE_SCALE,
        ),
        mechanisms=tuple(mechanisms),
        findings=tuple(
            FindingRate(code, kind, rate(codes[code], len(rows))) for code, kind in settings.codes
        ),
        scripted=rate(
            sum(1 for r in rows if (r.conversation_id, r.message_id) in settings.scripted),
            len(rows),
        ),
        histogram=histogram(scores),
    )


def _common(rows: Sequence[ReplyRow], settings: _Settings, limit: int) -> tuple[CommonFinding, ...]:
    counts: Counter[str] = Counter()
    agents: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for code in set(row.finding_codes):
            counts[code] += 1
            agents[code].add(row.agent_id)
    problems = [(code, kind) for code, kind in settings.codes if kind in (GAP, ANTI_PATTERN)]
    problems.sort(key=lambda item: (-counts[item[0]], item[0]))
    problems = problems[:limit]
    examples = pick_examples(rows, [code for code, _ in problems])
    return tuple(
        CommonFinding(
            code,
            kind,
            wilson(counts[code], len(rows), confidence=settings.confidence, min_n=settings.min_n),
            len(agents[code]),
            examples[code],
        )
        for code, kind in problems
    )


__all__ = [
    "ANTI_PATTERN",
    "GAP",
    "STRENGTH",
    "Analysis",
    "CommonFinding",
    "FindingRate",
    "Group",
    "MechanismRate",
    "ReplyStats",
    "analyse",
]
