"""Empathy against outcomes: planted truths recovered, missing kept missing, warnings given."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import pytest

from heard.analytics.outcomes import OutcomeRow, relate, spearman_ci

T = datetime(2026, 9, 1, 9, 0)
TRUE_EFFECT = 0.004  # CSAT per empathy point


def confounded(n: int = 600, seed: int = 1) -> list[OutcomeRow]:
    """Complex conversations get both less empathy and lower CSAT; empathy's own effect is 0.004."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        complex_ = bool(rng.random() < 0.5)
        empathy = 60 - 15 * complex_ + rng.normal(0, 10)
        csat = 0.5 + TRUE_EFFECT * (empathy - 60) - 0.2 * complex_ + rng.normal(0, 0.06)
        rows.append(
            OutcomeRow(
                conversation_id=f"c{i}",
                agent_id=f"a{i % 25}",
                team=None,
                started_at=T + timedelta(hours=i),
                empathy=float(empathy),
                dimensions={"acknowledgement": float(empathy / 100 + rng.normal(0, 0.1))},
                csat=float(np.clip(csat, 0, 1)),
                complexity="complex" if complex_ else "simple",
            )
        )
    return rows


def test_the_controlled_coefficient_recovers_the_truth_the_raw_association_inflates() -> None:
    rows = confounded()
    controlled = relate(rows, outcome="csat", n_boot=300)
    naive = relate([replace(r, complexity=None) for r in rows], outcome="csat", n_boot=300)

    assert controlled.n == 600 and controlled.n_missing == 0
    adj = controlled.adjusted
    assert adj is not None and adj.model == "ols" and adj.controls == ("complexity",)
    assert adj.coefficient is not None and adj.low is not None and adj.high is not None
    assert adj.low <= TRUE_EFFECT <= adj.high
    assert abs(adj.coefficient - TRUE_EFFECT) < 0.0015
    assert adj.p_value is not None and adj.p_value < 0.001
    assert adj.covariance == "cluster(agent)"  # 25 agents

    raw = naive.adjusted
    assert raw is not None and raw.coefficient is not None and raw.low is not None
    assert raw.controls == () and "complexity" in raw.dropped
    assert raw.coefficient > 2 * TRUE_EFFECT and raw.low > TRUE_EFFECT  # inflated by confounding

    # the raw rank correlation is stronger than within either complexity level
    rho = controlled.empathy.rho
    within = [
        relate([r for r in rows if r.complexity == level], n_boot=50).empathy.rho
        for level in ("simple", "complex")
    ]
    assert rho is not None and all(w is not None and rho > w + 0.1 for w in within)
    assert controlled.empathy.low is not None and controlled.empathy.high is not None
    assert controlled.empathy.low < rho < controlled.empathy.high
    assert [d.measure for d in controlled.dimensions] == ["acknowledgement"]
    assert controlled.dimensions[0].n == 600

    text = " ".join(controlled.warnings)
    assert "not causation" in text and "complexity" in text
    assert "channel (not in the data)" in text and "wait time (not in the data)" in text
    assert "too few" not in text


def test_missing_csat_is_dropped_never_counted_as_zero() -> None:
    rows = confounded(n=200)
    holed = [replace(r, csat=None) if i % 4 == 0 else r for i, r in enumerate(rows)]
    known = [r for r in holed if r.csat is not None]
    zeroed = [replace(r, csat=0.0) if r.csat is None else r for r in holed]

    result = relate(holed, n_boot=200)
    assert result.n == 150 and result.n_missing == 50
    assert result.empathy.n == 150 and result.dimensions[0].n == 150
    assert result.adjusted is not None and result.adjusted.n == 150
    assert result.empathy == relate(known, n_boot=200).empathy  # exactly as if never there
    assert result.empathy.rho != relate(zeroed, n_boot=200).empathy.rho
    assert any("50 of 200 conversations have no CSAT" in w for w in result.warnings)


def test_small_samples_say_too_few_to_say() -> None:
    result = relate(confounded(n=12), n_boot=100)
    assert result.n == 12
    assert any("too few to say" in w for w in result.warnings)
    big = relate(confounded(n=100), n_boot=100)
    assert not any("too few to say" in w for w in big.warnings)


def test_a_binary_outcome_uses_a_logit_and_recovers_its_coefficient() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for i in range(1500):
        empathy = float(rng.normal(60, 15))
        channel = ["email", "chat"][i % 2]
        logit = -0.03 * (empathy - 60) + (0.5 if channel == "chat" else 0.0)
        repeat = bool(rng.random() < 1 / (1 + np.exp(-logit)))
        rows.append(
            OutcomeRow(
                f"c{i}",
                f"a{i % 8}",
                None,
                None,
                empathy,
                repeat_contact=repeat,
                channel=channel,
                wait_minutes=float(rng.exponential(10)),
            )
        )
    result = relate(rows, outcome="repeat_contact", n_boot=200)
    adj = result.adjusted
    assert adj is not None and adj.model == "logit" and adj.covariance == "HC0"  # 8 agents
    assert adj.controls == ("channel", "wait_minutes")
    assert adj.coefficient is not None and adj.low is not None and adj.high is not None
    assert adj.low <= -0.03 <= adj.high and adj.high < 0
    assert adj.odds_ratio == pytest.approx(np.exp(adj.coefficient))
    assert result.empathy.rho is not None and result.empathy.rho < 0
    assert any("complexity (not in the data)" in w for w in result.warnings)


def test_perfect_separation_is_reported_not_estimated() -> None:
    rows = [
        OutcomeRow(f"c{i}", "a", None, None, float(e), resolved=e > 50)
        for i, e in enumerate(range(20, 90, 2))
    ]
    result = relate(rows, outcome="resolved", n_boot=100)
    assert result.adjusted is not None and result.adjusted.coefficient is None
    assert any("Perfect separation" in w for w in result.warnings)


def test_constant_and_mostly_unknown_controls_are_dropped_with_a_reason() -> None:
    rows = [
        replace(r, channel="email", wait_minutes=5.0 if i % 3 == 0 else None)
        for i, r in enumerate(confounded(n=90))
    ]
    result = relate(rows, n_boot=100)
    assert result.adjusted is not None
    assert result.adjusted.controls == ("complexity",)
    assert set(result.adjusted.dropped) >= {"channel", "wait_minutes"}
    text = " ".join(result.warnings)
    assert "channel (the same for every conversation)" in text
    assert "wait time (known for only 30 of 90)" in text


def test_results_are_reproducible_with_a_seed_and_validated() -> None:
    rows = confounded(n=120)
    assert relate(rows, n_boot=200, seed=7) == relate(rows, n_boot=200, seed=7)
    assert relate(rows, n_boot=200, seed=7).empathy != relate(rows, n_boot=200, seed=8).empathy
    with pytest.raises(ValueError, match="outcome"):
        relate(rows, outcome="nps")  # type: ignore[arg-type]


def test_spearman_ci_matches_scipy_and_handles_constant_input() -> None:
    from scipy import stats

    rng = np.random.default_rng(0)
    x = rng.normal(size=80)
    y = x + rng.normal(size=80)
    result = spearman_ci(list(x), list(y), n_boot=400)
    assert result.rho == pytest.approx(stats.spearmanr(x, y).statistic)
    assert result.rho is not None and result.low is not None and result.high is not None
    assert result.low < result.rho < result.high
    flat = spearman_ci([1.0] * 10, list(range(10)))
    assert flat.rho is None and flat.low is None and flat.n == 10
