"""Does empathy go with better outcomes? Rank correlations and a controlled regression.

For one outcome (CSAT, repeat contact, resolution or escalation) over per-conversation rows:

- **Missing is never zero.** Rows whose outcome is unknown are dropped and counted
  (``n_missing``); every figure says how many conversations are behind it (``n``).
- **Rank correlation.** Spearman's ρ (``scipy.stats.spearmanr``, with its p-value) of the
  conversation's empathy score, and of each dimension (mechanism levels, acknowledgement share…),
  with the outcome. The 95% interval is a **percentile bootstrap** over conversations: ``n_boot``
  resamples drawn with a seeded ``numpy.random.Generator``, so the same rows and seed give the same
  interval. Resamples where ρ is undefined (one side constant) are left out of the percentiles.
- **Controlled regression.** The outcome on the empathy score plus the controls that are present:
  complexity and channel (categories, dummy-coded against the most common one; an unknown value is
  its own category), the customer's starting intensity and the wait in minutes (numbers; rows
  where a numeric control is unknown are dropped, and a numeric control known for fewer than half
  of the rows is dropped instead). CSAT uses ``statsmodels`` OLS, the binary outcomes a Logit.
  Standard errors are robust: clustered by agent when there are at least ``MIN_CLUSTERS`` agents
  (one agent's conversations are not independent), heteroskedasticity-robust otherwise (HC3 for
  OLS, HC0 for the Logit). The empathy coefficient is per score point: a CSAT difference for OLS,
  a log-odds difference for the Logit (``odds_ratio`` is its exponential).
- **Warnings in plain language**: too few conversations to say (``n < MIN_N``), correlation is not
  causation (and what was and was not controlled for), a control dropped and why, perfect
  separation (the outcome is predicted exactly, so the Logit has no finite answer).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray
from scipy import stats
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    PerfectSeparationError,
    PerfectSeparationWarning,
)

from heard.analytics.stats import CONFIDENCE, MIN_N

Outcome = Literal["csat", "repeat_contact", "resolved", "escalated"]
OUTCOMES: tuple[Outcome, ...] = ("csat", "repeat_contact", "resolved", "escalated")
MIN_CLUSTERS = 20  # fewer agents than this: cluster-robust errors are unreliable, use HC instead
EMPATHY = "empathy"
_BOOT_CELLS = 2_000_000  # resample matrix cells per batch (bounded memory on large help desks)

OUTCOME_WORDS = {
    "csat": "CSAT",
    "repeat_contact": "repeat contact",
    "resolved": "resolution",
    "escalated": "escalation",
}
_CATEGORICAL = ("complexity", "channel")
_NUMERIC = ("start_intensity", "wait_minutes")
CONTROL_WORDS = {
    "complexity": "complexity",
    "channel": "channel",
    "start_intensity": "the customer's starting intensity",
    "wait_minutes": "wait time",
}


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One conversation: its empathy, its outcomes and what else could explain them.

    ``empathy`` is the mean of the conversation's reply scores (0-100); ``dimensions`` holds other
    per-conversation measures by name (e.g. a mechanism's mean level, the acknowledgement share).
    ``None`` is unknown, never zero.
    """

    conversation_id: str
    agent_id: str | None
    team: str | None
    started_at: datetime | None
    empathy: float | None
    dimensions: Mapping[str, float] = field(default_factory=dict)
    csat: float | None = None  # 0-1
    repeat_contact: bool | None = None
    resolved: bool | None = None
    escalated: bool | None = None
    complexity: str | None = None
    channel: str | None = None
    start_intensity: float | None = None
    wait_minutes: float | None = None

    def outcome(self, name: str) -> float | None:
        """The outcome as a number (True → 1.0), or None when unknown."""
        value = getattr(self, name)
        if value is None:
            return None
        return float(value)


@dataclass(frozen=True, slots=True)
class Correlation:
    """Spearman's ρ of one measure with the outcome, over ``n`` conversations."""

    measure: str  # "empathy" or a dimension's name
    n: int
    rho: float | None
    low: float | None
    high: float | None
    p_value: float | None


@dataclass(frozen=True, slots=True)
class Adjusted:
    """The empathy coefficient of the controlled regression."""

    model: Literal["ols", "logit"]
    n: int
    coefficient: float | None  # per empathy point: CSAT difference (OLS) or log-odds (Logit)
    low: float | None
    high: float | None
    p_value: float | None
    odds_ratio: float | None  # Logit only: exp(coefficient), per empathy point
    controls: tuple[str, ...]  # controls in the model
    dropped: tuple[str, ...]  # controls left out (constant, absent or mostly unknown)
    covariance: str  # "cluster(agent)", "HC3" or "HC0"


@dataclass(frozen=True, slots=True)
class OutcomeAnalysis:
    outcome: Outcome
    n: int  # conversations with the outcome known
    n_missing: int  # conversations dropped because the outcome is unknown
    empathy: Correlation
    dimensions: tuple[Correlation, ...]
    adjusted: Adjusted | None
    warnings: tuple[str, ...]


def spearman_ci(
    x: Sequence[float],
    y: Sequence[float],
    *,
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> Correlation:
    """Spearman's ρ of paired values with a seeded percentile-bootstrap interval."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    n = len(xs)
    if n < 3 or np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return Correlation("", n, None, None, None, None)
    result = stats.spearmanr(xs, ys)
    rho = float(result.statistic)
    p_value = float(result.pvalue)
    rng = np.random.default_rng(seed)
    boots: list[NDArray[np.float64]] = []
    batch = max(1, _BOOT_CELLS // n)
    for start in range(0, n_boot, batch):
        idx = rng.integers(0, n, size=(min(batch, n_boot - start), n))
        boots.append(_rank_corr(xs[idx], ys[idx]))
    draws = np.concatenate(boots) if boots else np.empty(0)
    draws = draws[np.isfinite(draws)]
    if len(draws) < max(10, n_boot // 2):
        return Correlation("", n, rho, None, None, p_value)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(draws, [alpha, 1 - alpha])
    return Correlation("", n, rho, float(low), float(high), p_value)


def _rank_corr(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise Spearman ρ: Pearson's r of the average ranks (scipy's definition, with ties)."""
    rx = stats.rankdata(x, axis=-1)
    ry = stats.rankdata(y, axis=-1)
    rx = rx - rx.mean(axis=-1, keepdims=True)
    ry = ry - ry.mean(axis=-1, keepdims=True)
    denom = np.sqrt((rx * rx).sum(axis=-1) * (ry * ry).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = (rx * ry).sum(axis=-1) / denom
    return out


def relate(
    rows: Sequence[OutcomeRow],
    *,
    outcome: Outcome = "csat",
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> OutcomeAnalysis:
    """How the empathy score and each dimension go with ``outcome``; see the module docstring."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    known = [r for r in rows if r.outcome(outcome) is not None]
    n_missing = len(rows) - len(known)
    word = OUTCOME_WORDS[outcome]
    notes: list[str] = []

    if not known:
        return OutcomeAnalysis(
            outcome=outcome,
            n=0,
            n_missing=n_missing,
            empathy=Correlation(EMPATHY, 0, None, None, None, None),
            dimensions=(),
            adjusted=None,
            warnings=(f"No conversation has {word}: the data does not carry it.",),
        )
    with_empathy = [r for r in known if r.empathy is not None]
    empathy = _correlate(
        EMPATHY,
        [(float(r.empathy), _y(r, outcome)) for r in with_empathy if r.empathy is not None],
        n_boot=n_boot,
        seed=seed,
        confidence=confidence,
    )
    names = sorted({name for r in known for name in r.dimensions})
    dimensions = tuple(
        _correlate(
            name,
            [(float(r.dimensions[name]), _y(r, outcome)) for r in known if name in r.dimensions],
            n_boot=n_boot,
            seed=seed,
            confidence=confidence,
        )
        for name in names
    )

    if n_missing:
        notes.append(
            f"{n_missing} of {len(rows)} conversations have no {word} and are left out "
            "(unknown is not counted as zero)."
        )
    if len(with_empathy) < MIN_N:
        notes.append(
            f"Only {len(with_empathy)} conversations have both an empathy score and {word}: "
            f"too few to say (at least {MIN_N} are needed)."
        )
    if empathy.rho is None and len(with_empathy) >= 3:
        notes.append(f"The empathy score or {word} does not vary, so there is nothing to relate.")

    adjusted = _regress(with_empathy, outcome, confidence, notes)
    return OutcomeAnalysis(
        outcome=outcome,
        n=len(known),
        n_missing=n_missing,
        empathy=empathy,
        dimensions=dimensions,
        adjusted=adjusted,
        warnings=tuple(notes),
    )


def _y(row: OutcomeRow, outcome: str) -> float:
    value = row.outcome(outcome)
    assert value is not None
    return value


def _correlate(
    measure: str,
    pairs: Sequence[tuple[float, float]],
    *,
    n_boot: int,
    seed: int,
    confidence: float,
) -> Correlation:
    pairs = [(x, y) for x, y in pairs if math.isfinite(x)]
    result = spearman_ci(
        [x for x, _ in pairs],
        [y for _, y in pairs],
        n_boot=n_boot,
        seed=seed,
        confidence=confidence,
    )
    return Correlation(measure, result.n, result.rho, result.low, result.high, result.p_value)


def _regress(
    rows: Sequence[OutcomeRow], outcome: Outcome, confidence: float, notes: list[str]
) -> Adjusted | None:
    """The controlled model, or None (with a note) when it cannot be fitted."""
    model: Literal["ols", "logit"] = "ols" if outcome == "csat" else "logit"
    word = OUTCOME_WORDS[outcome]
    dropped: list[str] = []
    reasons: list[str] = []
    used: list[str] = []

    numeric_used: list[str] = []
    for name in _NUMERIC:
        values = [getattr(r, name) for r in rows]
        present = [float(v) for v in values if v is not None]
        if not present:
            dropped.append(name)
            reasons.append(f"{CONTROL_WORDS[name]} (not in the data)")
        elif len(present) * 2 < len(rows):
            dropped.append(name)
            reasons.append(f"{CONTROL_WORDS[name]} (known for only {len(present)} of {len(rows)})")
        else:
            numeric_used.append(name)
    fit_rows = [r for r in rows if all(getattr(r, name) is not None for name in numeric_used)]
    for name in list(numeric_used):
        if len({float(getattr(r, name)) for r in fit_rows}) < 2:
            numeric_used.remove(name)
            dropped.append(name)
            reasons.append(f"{CONTROL_WORDS[name]} (the same for every conversation)")

    columns: list[NDArray[np.float64]] = [
        np.ones(len(fit_rows)),
        np.array([float(r.empathy or 0.0) for r in fit_rows]),
    ]
    names = ["const", EMPATHY]
    for name in _CATEGORICAL:
        values = [getattr(r, name) for r in fit_rows]
        if all(v is None for v in values):
            dropped.append(name)
            reasons.append(f"{CONTROL_WORDS[name]} (not in the data)")
            continue
        labels = ["unknown" if v is None else str(v) for v in values]
        counts = Counter(labels)
        if len(counts) < 2:
            dropped.append(name)
            reasons.append(f"{CONTROL_WORDS[name]} (the same for every conversation)")
            continue
        base = max(sorted(counts), key=lambda k: counts[k])
        for level in sorted(counts):
            if level != base:
                columns.append(np.array([1.0 if v == level else 0.0 for v in labels]))
                names.append(f"{name}={level}")
        used.append(name)
    for name in numeric_used:
        columns.append(np.array([float(getattr(r, name)) for r in fit_rows]))
        names.append(name)
        used.append(name)
    used.sort(key=lambda c: (_CATEGORICAL + _NUMERIC).index(c))

    n = len(fit_rows)
    if len(rows) > n:
        notes.append(
            f"{len(rows) - n} conversations with an unknown control are left out of the "
            "controlled model."
        )
    if reasons:
        notes.append("Not controlled for: " + "; ".join(reasons) + ".")
    unmeasured = "the topic, the agent's experience, the customer's history"
    if used:
        controlled = ", ".join(CONTROL_WORDS[c] for c in used)
        notes.append(
            f"Correlation is not causation: the controlled model accounts for {controlled}, not "
            f"for anything unmeasured ({unmeasured})."
        )
    else:
        notes.append(
            "Correlation is not causation: nothing could be controlled for, and anything "
            f"unmeasured ({unmeasured}) may explain the link."
        )

    y = np.array([_y(r, outcome) for r in fit_rows])
    x = np.column_stack(columns) if n else np.empty((0, len(columns)))
    if n <= len(names) + 1 or np.ptp(y) == 0 or np.ptp(x[:, 1]) == 0:
        notes.append(
            "The controlled model cannot be fitted: too few conversations, or no variation in "
            f"{word} or in the empathy score."
        )
        return None
    if np.linalg.matrix_rank(x) < x.shape[1]:
        notes.append("The controlled model cannot be fitted: the controls are collinear.")
        return None

    agents = [r.agent_id for r in fit_rows]
    clustered = None not in agents and len(set(agents)) >= MIN_CLUSTERS
    cov_type = "cluster" if clustered else ("HC3" if model == "ols" else "HC0")
    cov_kwds: dict[str, Any] = {}
    if clustered:
        codes = {a: i for i, a in enumerate(sorted({str(a) for a in agents}))}
        cov_kwds["groups"] = np.array([codes[str(a)] for a in agents])
    covariance = "cluster(agent)" if clustered else cov_type

    def empty() -> Adjusted:
        return Adjusted(
            model, n, None, None, None, None, None, tuple(used), tuple(dropped), covariance
        )

    fit: Callable[[], Any]
    if model == "ols":
        fit = lambda: sm.OLS(y, x).fit(cov_type=cov_type, cov_kwds=cov_kwds)  # noqa: E731
    else:
        fit = lambda: sm.Logit(y, x).fit(  # noqa: E731
            disp=0, maxiter=200, cov_type=cov_type, cov_kwds=cov_kwds
        )
    separated = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fit()
        except PerfectSeparationError:
            separated = True
            result = None
        except np.linalg.LinAlgError:
            notes.append("The controlled model cannot be fitted: the controls are collinear.")
            return empty()
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        separated = True
    if separated:
        notes.append(
            f"Perfect separation: {word} is predicted exactly by the empathy score and the "
            "controls, so the model has no finite coefficient; there is no reliable estimate."
        )
        return empty()
    assert result is not None
    params = np.asarray(result.params, dtype=float)
    bse = np.asarray(result.bse, dtype=float)
    pvalues = np.asarray(result.pvalues, dtype=float)
    conf = np.asarray(result.conf_int(alpha=1 - confidence), dtype=float)
    coefficient = float(params[1])
    if not math.isfinite(coefficient) or not math.isfinite(float(bse[1])):
        notes.append("The controlled model gives no finite estimate for the empathy score.")
        return empty()
    if model == "logit" and abs(coefficient) * float(np.ptp(x[:, 1])) > 30:
        notes.append(
            f"Perfect separation: {word} is predicted (almost) exactly, so the model's "
            "coefficient is not reliable."
        )
        return empty()
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append("The controlled model did not converge; its figures are unreliable.")
    return Adjusted(
        model=model,
        n=n,
        coefficient=coefficient,
        low=float(conf[1, 0]),
        high=float(conf[1, 1]),
        p_value=float(pvalues[1]),
        odds_ratio=math.exp(coefficient) if model == "logit" else None,
        controls=tuple(used),
        dropped=tuple(dropped),
        covariance=covariance,
    )


@dataclass(frozen=True)
class OutcomesReport:
    conversations: int  # conversations with a scored reply
    repeat_days: int
    analyses: tuple[OutcomeAnalysis, ...]  # one per outcome asked for
