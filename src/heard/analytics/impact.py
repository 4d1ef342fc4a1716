"""Did training change anything? A difference-in-differences with a wild cluster bootstrap.

The trained agents' change from before ``since`` to after, minus the comparison agents' change
over the same dates: ``(T_after - T_before) - (C_after - C_before)``, each term the mean over the
cell's conversations (or replies, for ``ReplyRow`` input). The comparison group takes out what
changed for everyone (season, product, a new macro), which a before/after of the trained agents
alone would credit to the training.

- **Interval**: a **wild cluster bootstrap-t** (Cameron, Gelbach & Miller 2008), clustered by
  agent: one agent's conversations are not independent, so treating them as such would make the
  interval too narrow. The estimate is the interaction coefficient of an OLS over conversations,
  its standard error cluster-robust (CR1); each of ``n_boot`` resamples multiplies every agent's
  residuals by one draw from Webb's six-point distribution, and the interval comes from the
  quantiles of the resampled t statistics. Resampling whole agents (a pairs cluster bootstrap)
  is too narrow with few agents: with 4 agents a group, a null effect came out "significant" 16
  times in 100 that way (tests/test_impact.py checks the rate). The draws come from a seeded
  ``numpy.random.Generator``.
- **Cells**: the number of conversations and agents behind each of the four means.
- **Pre-trend check**: when the data before ``since`` span at least ``MIN_PRE_WEEKS`` calendar
  weeks with both groups present, an OLS (``statsmodels``, agent-clustered errors when there are
  enough agents) of the value on time in weeks, group, and their interaction tests whether the
  groups were already drifting apart (p < 0.05 → a warning: the comparison is then not a fair one).
- **Warnings** for no comparison group (or no trained agents with data), a cell with fewer than
  ``MIN_N`` conversations, few agents in a group, and rows left out (no agent, no time, no value).

Missing values are left out, never counted as zero. Naive datetimes are read as UTC.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray

from heard.analytics.outcomes import OUTCOMES, OutcomeRow
from heard.analytics.rows import ReplyRow
from heard.analytics.stats import CONFIDENCE, MIN_N

MIN_AGENTS = 5  # fewer agents than this in a group: the interval rests on very few people
MIN_PRE_WEEKS = 3
MIN_CLUSTERS = 20
_BOOT_CELLS = 2_000_000  # resample weights per batch (bounded memory on large help desks)
PRE_TREND_ALPHA = 0.05
_WEEK_SECONDS = 7 * 24 * 3600.0

Group = Literal["trained", "comparison"]
Period = Literal["before", "after"]


@dataclass(frozen=True, slots=True)
class Cell:
    group: Group
    period: Period
    n: int  # conversations (or replies)
    agents: int
    mean: float | None


@dataclass(frozen=True, slots=True)
class PreTrend:
    """The pre-period slope difference (trained minus comparison), in metric units per week."""

    weeks: int
    slope_difference: float
    p_value: float


@dataclass(frozen=True, slots=True)
class ImpactEstimate:
    metric: str
    since: datetime
    estimate: float | None  # difference-in-differences
    low: float | None
    high: float | None
    n_boot: int  # resamples that produced an estimate
    cells: tuple[Cell, ...]  # trained/before, trained/after, comparison/before, comparison/after
    pre_trend: PreTrend | None
    n_dropped: int  # rows without an agent, a time or a value
    warnings: tuple[str, ...]

    def cell(self, group: Group, period: Period) -> Cell:
        return next(c for c in self.cells if c.group == group and c.period == period)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _value(row: OutcomeRow | ReplyRow, metric: str) -> float | None:
    if isinstance(row, ReplyRow):
        if metric != "score":
            raise ValueError(f"reply rows only have the metric 'score', not {metric!r}")
        return float(row.score)
    if metric in ("score", "empathy"):
        return row.empathy
    if metric in OUTCOMES:
        return row.outcome(metric)
    value = row.dimensions.get(metric)
    return None if value is None else float(value)


def _when(row: OutcomeRow | ReplyRow) -> datetime | None:
    return row.timestamp if isinstance(row, ReplyRow) else row.started_at


def did(
    rows: Sequence[OutcomeRow | ReplyRow],
    *,
    trained: set[str],
    since: datetime,
    metric: str = "score",
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> ImpactEstimate:
    """The difference-in-differences of ``metric`` for ``trained`` agents around ``since``."""
    cut = _utc(since)
    obs: list[tuple[str, float, bool, float]] = []  # agent, seconds since cut, after, value
    dropped = 0
    for row in rows:
        when = _when(row)
        value = _value(row, metric)
        if row.agent_id is None or when is None or value is None or not math.isfinite(value):
            dropped += 1
            continue
        offset = (_utc(when) - cut).total_seconds()
        obs.append((row.agent_id, offset, offset >= 0, float(value)))

    notes: list[str] = []
    if not obs:
        empty = tuple(
            Cell(g, p, 0, 0, None) for g in ("trained", "comparison") for p in ("before", "after")
        )
        note = f"No conversation has {metric}" + (
            f" ({dropped} rows without it)." if dropped else "."
        )
        return ImpactEstimate(metric, since, None, None, None, 0, empty, None, dropped, (note,))
    if dropped:
        notes.append(f"{dropped} rows have no agent, no time or no {metric} and are left out.")
    agents = sorted({a for a, *_ in obs})
    groups: dict[Group, list[str]] = {
        "trained": [a for a in agents if a in trained],
        "comparison": [a for a in agents if a not in trained],
    }
    # per agent: [sum before, n before, sum after, n after]
    sums = {a: [0.0, 0, 0.0, 0] for a in agents}
    for agent, _, after, value in obs:
        s = sums[agent]
        k = 2 if after else 0
        s[k] += value
        s[k + 1] += 1

    cells: list[Cell] = []
    means: dict[tuple[Group, Period], float | None] = {}
    periods: tuple[tuple[Period, int], ...] = (("before", 0), ("after", 2))
    for group in groups:
        for period, k in periods:
            members = [a for a in groups[group] if sums[a][k + 1]]
            n = int(sum(sums[a][k + 1] for a in members))
            mean = sum(sums[a][k] for a in members) / n if n else None
            means[(group, period)] = mean
            cells.append(Cell(group, period, n, len(members), mean))

    if not groups["comparison"]:
        notes.append(
            "No comparison group: every agent with data was trained, so a change cannot be told "
            "apart from what changed for everyone; no estimate."
        )
    if not groups["trained"]:
        notes.append("None of the trained agents has data; no estimate.")
    for c in cells:
        if c.n < MIN_N and groups[c.group]:
            notes.append(
                f"Only {c.n} conversations for {c.group} agents {c.period} the date: too few to "
                f"say (at least {MIN_N} per cell are needed)."
            )
    for group, members in groups.items():
        if 0 < len(members) < MIN_AGENTS:
            notes.append(
                f"Only {len(members)} {group} agent{'' if len(members) == 1 else 's'}: the "
                "interval rests on very few people."
            )

    pre_trend = _pre_trend(obs, trained, notes)
    if pre_trend is not None and pre_trend.p_value < PRE_TREND_ALPHA:
        notes.append(
            "Before the date the two groups were already drifting apart "
            f"({pre_trend.slope_difference:+.2f} per week, p = {pre_trend.p_value:.3f}): the "
            "comparison group is not a fair baseline and the estimate may be biased."
        )

    values = [means[k] for k in means]
    if any(v is None for v in values):
        if groups["comparison"] and groups["trained"]:
            notes.append("A group has no data on one side of the date; no estimate.")
        return ImpactEstimate(
            metric, since, None, None, None, 0, tuple(cells), pre_trend, dropped, tuple(notes)
        )
    tb, ta, cb, ca = (float(v) for v in values if v is not None)
    estimate = (ta - tb) - (ca - cb)

    rng = np.random.default_rng(seed)
    interval = wild_cluster_interval(obs, trained, n_boot=n_boot, rng=rng, confidence=confidence)
    low = high = None
    draws = 0
    if interval is not None:
        low, high, draws = interval
    else:
        notes.append(
            "No interval: too few agents (at least 3 are needed) or no variation to resample."
        )
    return ImpactEstimate(
        metric,
        since,
        estimate,
        low,
        high,
        draws,
        tuple(cells),
        pre_trend,
        dropped,
        tuple(notes),
    )


_WEBB = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])


def wild_cluster_interval(
    obs: Sequence[tuple[str, float, bool, float]],
    trained: set[str],
    *,
    n_boot: int,
    rng: np.random.Generator,
    confidence: float,
) -> tuple[float, float, int] | None:
    """The difference-in-differences' wild cluster bootstrap-t interval: (low, high, draws).

    The DiD is the interaction coefficient of the OLS ``value ~ 1 + trained + after +
    trained:after`` over conversations. Its standard error is cluster-robust by agent (CR1).
    Each resample keeps the design and multiplies each agent's residuals by one weight from
    Webb's six-point distribution (enough distinct resamples even with a handful of agents);
    the interval is ``estimate - q * se`` for the upper and lower quantiles ``q`` of the
    resampled t statistics.
    """
    agents = sorted({a for a, *_ in obs})
    code = {a: i for i, a in enumerate(agents)}
    g = np.array([code[a] for a, *_ in obs], dtype=np.intp)
    t = np.array([1.0 if a in trained else 0.0 for a, *_ in obs])
    after = np.array([1.0 if flag else 0.0 for _, _, flag, _ in obs])
    y = np.array([v for *_, v in obs], dtype=float)
    x = np.column_stack([np.ones_like(t), t, after, t * after])
    n, k, clusters = len(y), x.shape[1], len(agents)
    if clusters < 3 or n <= k:
        return None
    xtx = x.T @ x
    if np.linalg.matrix_rank(xtx) < k:
        return None
    h = x @ np.linalg.inv(xtx)[3]  # the DiD is h @ y
    correction = clusters / (clusters - 1) * (n - 1) / (n - k)

    def coefficient_and_se(ys: NDArray[np.float64]) -> tuple[NDArray[Any], NDArray[Any]]:
        beta = np.linalg.solve(xtx, x.T @ ys.T).T  # (draws, k)
        residuals = ys - beta @ x.T
        scores = np.zeros((ys.shape[0], clusters))
        np.add.at(scores.T, g, (h * residuals).T)
        return beta[:, 3], np.sqrt(correction * (scores**2).sum(axis=1))

    estimate, se = coefficient_and_se(y[None, :])
    if not (se[0] > 0 and math.isfinite(float(se[0]))):
        return None
    beta = np.linalg.solve(xtx, x.T @ y)
    fitted = x @ beta
    residuals = y - fitted
    draws: list[NDArray[Any]] = []
    batch = max(1, _BOOT_CELLS // n)
    for start in range(0, n_boot, batch):
        size = min(batch, n_boot - start)
        weights = _WEBB[rng.integers(0, len(_WEBB), size=(size, clusters))][:, g]
        star, star_se = coefficient_and_se(fitted + residuals * weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            draws.append((star - estimate[0]) / star_se)
    stats_t = np.concatenate(draws)
    stats_t = stats_t[np.isfinite(stats_t)]
    if len(stats_t) < max(10, n_boot // 2):
        return None
    alpha = (1 - confidence) / 2
    q_low, q_high = np.quantile(stats_t, [alpha, 1 - alpha])
    centre, spread = float(estimate[0]), float(se[0])
    return centre - float(q_high) * spread, centre - float(q_low) * spread, len(stats_t)


def _pre_trend(
    obs: Sequence[tuple[str, float, bool, float]], trained: set[str], notes: list[str]
) -> PreTrend | None:
    """Test whether the groups' trends differed before the date (None when the data cannot)."""
    pre = [(a, t, v) for a, t, after, v in obs if not after]
    weeks = {math.floor(t / _WEEK_SECONDS) for _, t, _ in pre}
    by_group_weeks = [
        {math.floor(t / _WEEK_SECONDS) for a, t, _ in pre if (a in trained) == flag}
        for flag in (True, False)
    ]
    if len(weeks) < MIN_PRE_WEEKS or any(len(w) < 2 for w in by_group_weeks):
        if pre and all(by_group_weeks):
            notes.append(
                f"The data before the date span fewer than {MIN_PRE_WEEKS} weeks for a group, so "
                "whether the groups were already drifting apart cannot be checked."
            )
        return None
    t = np.array([x / _WEEK_SECONDS for _, x, _ in pre])
    g = np.array([1.0 if a in trained else 0.0 for a, _, _ in pre])
    y = np.array([v for *_, v in pre])
    x = np.column_stack([np.ones_like(t), t, g, t * g])
    agents = [a for a, _, _ in pre]
    codes = {a: i for i, a in enumerate(sorted(set(agents)))}
    kwargs: dict[str, Any] = {"cov_type": "HC3"}
    if len(codes) >= MIN_CLUSTERS:
        kwargs = {
            "cov_type": "cluster",
            "cov_kwds": {"groups": np.array([codes[a] for a in agents])},
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = sm.OLS(y, x).fit(**kwargs)
        except np.linalg.LinAlgError:
            return None
    slope = float(np.asarray(result.params)[3])
    p_value = float(np.asarray(result.pvalues)[3])
    if not (math.isfinite(slope) and math.isfinite(p_value)):
        return None
    return PreTrend(len(weeks), slope, p_value)


@dataclass(frozen=True)
class SkillPractice:
    """One skill: the trained agents' role-play figures beside the live estimate."""

    skill: str
    sessions: int  # the trained agents' role-play sessions
    trainees: int  # trained agents with at least one session
    first: float | None  # mean over trainees of their first session's share
    latest: float | None  # ... and of their latest session's share (None with one session each)
    live: ImpactEstimate


@dataclass(frozen=True)
class ImpactReport:
    since: datetime
    until: datetime | None  # the after period ends here (None: the end of the data)
    trained: tuple[tuple[str, str], ...]  # (agent id, name) of the trained agents with data
    comparison: int  # agents in the comparison group
    estimates: tuple[ImpactEstimate, ...]  # METRICS, in that order
    practice: tuple[SkillPractice, ...]  # one per skill; empty without role-play data
    drills: int  # the trained agents' drill attempts

    def estimate(self, metric: str) -> ImpactEstimate:
        return next(e for e in self.estimates if e.metric == metric)
