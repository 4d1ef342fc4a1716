"""Training impact by difference-in-differences: planted effects found, null effects not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from heard.analytics.impact import did
from heard.analytics.outcomes import OutcomeRow
from heard.analytics.rows import ReplyRow

SINCE = datetime(2026, 10, 1)


def helpdesk(
    *,
    effect: float,
    seed: int,
    agents: int = 20,
    per_side: int = 12,
    weeks: int = 8,
    pre_drift: float = 0.0,
) -> tuple[list[OutcomeRow], set[str]]:
    """Half the agents trained; each gets ``per_side`` conversations before and after ``SINCE``.

    Everyone drifts up by 3 points after the date (the season); trained agents gain ``effect``
    more. Each agent has their own level (sd 5); noise sd 10. ``pre_drift``: trained agents'
    extra slope per week before the date (a broken parallel-trends assumption).
    """
    rng = np.random.default_rng(seed)
    trained = {f"t{i}" for i in range(agents // 2)}
    ids = sorted(trained) + [f"c{i}" for i in range(agents - agents // 2)]
    rows = []
    for agent in ids:
        level = 60 + rng.normal(0, 5)
        for k in range(2 * per_side):
            after = k >= per_side
            days = float(rng.uniform(0, 7 * weeks)) * (1 if after else -1)
            value = level + rng.normal(0, 10)
            if after:
                value += 3 + (effect if agent in trained else 0)
            elif agent in trained:
                value += pre_drift * days / 7
            rows.append(
                OutcomeRow(
                    conversation_id=f"{agent}-{k}",
                    agent_id=agent,
                    team=None,
                    started_at=SINCE + timedelta(days=days),
                    empathy=float(value),
                    csat=None if k % 5 == 0 else 0.5,
                )
            )
    return rows, trained


def test_a_planted_effect_of_8_is_recovered() -> None:
    # one fixed draw; over 100 seeds this interval covered the truth 94 times (width ≈ 4.0)
    rows, trained = helpdesk(effect=8, seed=0, agents=40, per_side=20)
    result = did(rows, trained=trained, since=SINCE, n_boot=1000)
    assert result.estimate is not None and result.low is not None and result.high is not None
    assert result.low <= 8 <= result.high and result.low > 0
    assert abs(result.estimate - 8) < 3
    assert [(c.group, c.period, c.n, c.agents) for c in result.cells] == [
        ("trained", "before", 400, 20),
        ("trained", "after", 400, 20),
        ("comparison", "before", 400, 20),
        ("comparison", "after", 400, 20),
    ]
    assert result.n_boot == 1000 and result.n_dropped == 0
    assert result.pre_trend is not None and result.pre_trend.weeks >= 3
    assert result.warnings == ()
    assert result == did(rows, trained=trained, since=SINCE, n_boot=1000)  # seeded


def test_a_null_effect_is_rarely_significant() -> None:
    significant = 0
    for seed in range(100):
        rows, trained = helpdesk(effect=0, seed=seed, agents=20, per_side=10)
        result = did(rows, trained=trained, since=SINCE, n_boot=300, seed=seed)
        assert result.low is not None and result.high is not None
        significant += not (result.low <= 0 <= result.high)
    assert significant <= 12


def test_a_null_effect_with_four_agents_a_group_is_rarely_significant() -> None:
    # Resampling whole agents made this 16 in 100; the wild cluster bootstrap-t gives 4.
    significant = 0
    for seed in range(100):
        rows, trained = helpdesk(effect=0, seed=seed, agents=8, per_side=30)
        result = did(rows, trained=trained, since=SINCE, n_boot=300, seed=seed)
        assert result.low is not None and result.high is not None
        significant += not (result.low <= 0 <= result.high)
    assert significant <= 10


def test_no_comparison_group_gives_no_estimate() -> None:
    rows, trained = helpdesk(effect=8, seed=2)
    only_trained = [r for r in rows if r.agent_id in trained]
    result = did(only_trained, trained=trained, since=SINCE, n_boot=100)
    assert result.estimate is None and result.low is None
    assert any("No comparison group" in w for w in result.warnings)
    nobody = did(rows, trained={"ghost"}, since=SINCE, n_boot=100)
    assert nobody.estimate is None
    assert any("None of the trained agents has data" in w for w in nobody.warnings)


def test_small_cells_and_few_agents_are_flagged() -> None:
    rows, trained = helpdesk(effect=8, seed=3, agents=6, per_side=4)
    result = did(rows, trained=trained, since=SINCE, n_boot=200)
    assert result.estimate is not None
    assert result.cell("trained", "after").n == 12
    text = " ".join(result.warnings)
    assert "Only 12 conversations for trained agents after the date: too few to say" in text
    assert "Only 3 trained agents" in text


def test_diverging_pre_trends_are_warned_about() -> None:
    rows, trained = helpdesk(effect=0, seed=4, agents=40, per_side=20, pre_drift=2.0)
    result = did(rows, trained=trained, since=SINCE, n_boot=200)
    assert result.pre_trend is not None and result.pre_trend.p_value < 0.05
    assert result.pre_trend.slope_difference > 0
    assert any("already drifting apart" in w for w in result.warnings)
    short, _ = helpdesk(effect=0, seed=4, weeks=1)
    assert did(short, trained=trained, since=SINCE, n_boot=100).pre_trend is None


def test_missing_values_are_left_out_and_other_metrics_work() -> None:
    rows, trained = helpdesk(effect=8, seed=5)
    result = did(rows, trained=trained, since=SINCE, metric="csat", n_boot=100)
    unknown = sum(r.csat is None for r in rows)
    assert unknown == 100 and result.n_dropped == unknown  # csat unknown: left out, not zero
    assert result.estimate == 0.0  # every known csat is 0.5, before and after
    assert sum(c.n for c in result.cells) == len(rows) - unknown
    holed = [replace(r, started_at=None) if i == 0 else r for i, r in enumerate(rows)]
    assert did(holed, trained=trained, since=SINCE, n_boot=100).n_dropped == 1


def test_reply_rows_and_aware_datetimes() -> None:
    rows, trained = helpdesk(effect=8, seed=6, agents=30, per_side=20)
    replies = [
        ReplyRow(
            conversation_id=r.conversation_id,
            message_id="m1",
            agent_id=str(r.agent_id),
            agent_name=None,
            team=None,
            timestamp=r.started_at.replace(tzinfo=UTC) if r.started_at else None,
            channel=None,
            reply="",
            context="",
            document={"score": round(r.empathy or 0)},
        )
        for r in rows
    ]
    by_reply = did(replies, trained=trained, since=SINCE, n_boot=300)
    by_row = did(rows, trained=trained, since=SINCE.replace(tzinfo=UTC), n_boot=300)
    assert by_reply.estimate is not None and by_row.estimate is not None
    assert abs(by_reply.estimate - by_row.estimate) < 0.2  # only rounding differs
    assert by_reply.low is not None and by_reply.low > 0
