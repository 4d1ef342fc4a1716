"""Empathy-fatigue signals on planted truth: explained per-agent signals, team counts only."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from heard.analytics.fatigue import (
    SIGNALS,
    FatigueSettings,
    after_hours_share,
    fatigue_signals,
    longest_streak,
    team_fatigue,
)
from heard.analytics.rows import ConversationRow, ReplyRow
from support.documents import assessment_document

START = datetime(2026, 1, 5)  # a Monday
NOW = START + timedelta(weeks=6)  # recent window: week 6; baseline: weeks 1-5
TEMPLATES = (
    "Hi {name}, thank you for contacting us about order {num}. We have passed your request to "
    "the team and will be in touch as soon as possible.",
    "Hello {name}, thanks for your message. I have raised ticket {num} with our specialists and "
    "they will get back to you within the next working days.",
)
NAMES = ("Dana", "Omar", "Priya", "Tom", "Mei", "Jonas", "Ada", "Kofi")


def _assessment(score: float, codes: tuple[str, ...] = ()) -> dict[str, Any]:
    return assessment_document(
        score, findings=[{"code": c, "kind": "gap"} for c in codes], levels=(1, 1, 1)
    )


def _row(agent: str, n: int, at: datetime | None, text: str, score: float, **kw: Any) -> ReplyRow:
    return ReplyRow(
        conversation_id=f"src:{agent}-{n}",
        message_id=f"{agent}-{n}",
        agent_id=agent,
        agent_name=None,
        team="support",
        timestamp=at,
        channel="email",
        reply=text,
        context="My order has not arrived and nobody answers.",
        document=_assessment(score, kw.get("codes", ())),
    )


def _unique(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(rng.choice(vocab) for _ in range(rng.randint(18, 26))) + "."


def _agent(
    agent: str,
    seed: int,
    *,
    per_day: tuple[int, ...] = (8,) * 6,
    score_mean: tuple[float, ...] = (72.0,) * 6,
    template_share: tuple[float, ...] = (0.0,) * 6,
    hard_share: tuple[float, ...] = (0.2,) * 6,
) -> tuple[list[ReplyRow], list[ConversationRow]]:
    """Six weeks of Monday-to-Friday work, 09:00-17:00, one conversation per reply."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnoprstuvw") for _ in range(6)) for _ in range(800)]
    rows: list[ReplyRow] = []
    convs: list[ConversationRow] = []
    n = 0
    for week in range(6):
        for weekday in range(5):
            day = START + timedelta(weeks=week, days=weekday)
            for _ in range(per_day[week]):
                at = day + timedelta(hours=9, minutes=rng.randrange(8 * 60))
                if rng.random() < template_share[week]:
                    text = rng.choice(TEMPLATES).format(
                        name=rng.choice(NAMES), num=rng.randrange(10000, 99999)
                    )
                    codes: tuple[str, ...] = ("scripted_phrase",)
                else:
                    text, codes = _unique(rng, vocab), ()
                rows.append(_row(agent, n, at, text, rng.gauss(score_mean[week], 4.0), codes=codes))
                hard = rng.random() < hard_share[week]
                convs.append(
                    ConversationRow(
                        f"src:{agent}-{n}", agent, "support", "email", at, 2, 1,
                        "frustrated" if hard else "neutral",
                        0.8 if hard else 0.3,
                        None, None, None, None, None, None, None, None,
                    )
                )  # fmt: skip
                n += 1
    return rows, convs


def _drifting() -> tuple[list[ReplyRow], list[ConversationRow]]:
    return _agent(
        "drift",
        1,
        score_mean=(78, 74, 70, 66, 62, 58),
        template_share=(0.0, 0.0, 0.0, 0.2, 0.5, 0.85),
    )


def _busy() -> tuple[list[ReplyRow], list[ConversationRow]]:
    return _agent("busy", 2, per_day=(8, 8, 8, 8, 8, 24))


def test_drift_into_templates_and_declining_scores_flags_trend_and_scripted() -> None:
    rows, convs = _drifting()
    result = fatigue_signals(rows, convs, agent_id="drift", now=NOW)
    assert result.enough_data
    assert {"empathy_trend", "scripted"} <= set(result.fired_names)
    assert {"workload", "after_hours", "long_streak", "exposure"}.isdisjoint(result.fired_names)
    assert result.fired == len(result.fired_names)
    assert [s.name for s in result.signals] == list(SIGNALS)

    trend = result.signal("empathy_trend")
    assert trend is not None
    assert trend.value is not None and trend.baseline is not None
    assert trend.baseline - trend.value >= 8
    assert "fell from a usual" in trend.reason and "steady decline" in trend.reason
    assert dict(trend.details)["p_value"] is not None
    assert dict(trend.details)["p_value"] < 0.05  # type: ignore[operator]
    assert "break" in trend.suggestion or "peer" in trend.suggestion

    scripted = result.signal("scripted")
    assert scripted is not None
    assert scripted.value is not None and scripted.baseline is not None
    assert scripted.value > 0.7 > scripted.baseline + 0.2
    assert "near-copies" in scripted.reason and "templates" in scripted.reason
    assert "drill" in scripted.suggestion


def test_a_drop_that_held_all_week_fires_even_when_the_line_through_five_weeks_does_not() -> None:
    """A step down in the last week (every day of it) after weeks of improvement: the slope through
    the daily means misses it, the drop is plain; one bad day, on the other hand, never fires."""
    # five weeks of improvement, then a week far below the usual: the line through all six
    # weeks still points up
    rows, convs = _agent("step", 5, score_mean=(40, 55, 70, 85, 95, 45))
    trend = fatigue_signals(rows, convs, agent_id="step", now=NOW).signal("empathy_trend")
    assert trend is not None and trend.fired, trend.reason if trend else None
    assert "a drop that held" in trend.reason
    details = dict(trend.details)
    assert details["step_p_value"] is not None and details["step_p_value"] < 0.05  # type: ignore[operator]
    assert details["slope_per_day"] is not None and details["slope_per_day"] > 0  # type: ignore[operator]

    steady, steady_convs = _agent("one-day", 5)
    bad_day = NOW - timedelta(days=1)
    steady = [
        replace(r, document=_assessment(5))
        if r.timestamp is not None and r.timestamp.date() == bad_day.date() - timedelta(days=2)
        else r
        for r in steady
    ]
    one_day = fatigue_signals(steady, steady_convs, agent_id="one-day", now=NOW)
    assert not one_day.signal("empathy_trend").fired  # type: ignore[union-attr]


def test_steady_agent_with_one_busy_week_is_flagged_for_workload_only() -> None:
    rows, convs = _busy()
    result = fatigue_signals(rows, convs, agent_id="busy", now=NOW)
    assert result.enough_data
    assert result.fired_names == ("workload",)
    workload = result.signal("workload")
    assert workload is not None
    assert workload.value == pytest.approx(24 * 5 / 7)
    assert workload.baseline == pytest.approx(8 * 5 * 5 / 35)
    assert "heavier load" in workload.reason and "3.0x" in workload.reason
    # the same data seen a week earlier: nothing fires
    earlier = fatigue_signals(rows, convs, agent_id="busy", now=NOW - timedelta(weeks=1))
    assert earlier.fired_names == ()


def test_more_upset_customers_fires_exposure_and_needs_conversations() -> None:
    rows, convs = _agent("hard", 3, hard_share=(0.1, 0.1, 0.1, 0.1, 0.1, 0.6))
    result = fatigue_signals(rows, convs, agent_id="hard", now=NOW)
    assert result.fired_names == ("exposure",)
    without = fatigue_signals(rows, agent_id="hard", now=NOW)
    exposure = without.signal("exposure")
    assert exposure is not None
    assert not exposure.fired and exposure.reason.startswith("Not enough data")


def test_too_little_data_says_so_and_fires_nothing() -> None:
    rows, _ = _agent("new", 4, per_day=(0, 0, 0, 0, 1, 1))
    result = fatigue_signals(rows[:3] + rows[-3:], agent_id="new", now=NOW)
    assert not result.enough_data
    assert result.signals == ()
    assert result.fired == 0
    assert "not enough data" in result.reason.lower()
    assert "3 replies in the last 7 days (need 10)" in result.reason
    nobody = fatigue_signals([], agent_id="ghost", now=NOW)
    assert not nobody.enough_data and nobody.fired == 0


def test_after_hours_and_streak_by_hand() -> None:
    now = datetime(2026, 2, 1)  # window [Jan 25, Feb 1)
    times = [
        datetime(2026, 1, 10, 20, 0),  # baseline, after hours
        *(datetime(2026, 1, d, 12, 0) for d in (20, 21, 22, 23, 24)),  # baseline, in hours
        datetime(2026, 1, 25, 7, 59),  # after
        datetime(2026, 1, 26, 8, 0),  # in (start is inclusive)
        datetime(2026, 1, 27, 18, 59),  # in
        datetime(2026, 1, 29, 19, 0),  # after (end is exclusive)
        datetime(2026, 1, 30, 23, 30),  # after
        datetime(2026, 1, 30, 12, 0),  # in
        datetime(2026, 2, 1, 0, 0),  # at "now": ignored
        None,  # no timestamp: ignored
    ]
    rows = [_row("hand", i, t, "A reply of several words here.", 70) for i, t in enumerate(times)]
    settings = FatigueSettings(
        min_recent_replies=1, min_baseline_replies=1, min_baseline_days=1, streak_days=8
    )
    result = fatigue_signals(rows, agent_id="hand", now=now, settings=settings)
    assert result.recent_replies == 6 and result.baseline_replies == 6
    after = result.signal("after_hours")
    assert after is not None
    assert after.value == pytest.approx(3 / 6) and after.baseline == pytest.approx(1 / 6)
    assert after.fired and "08:00-19:00" in after.reason
    streak = result.signal("long_streak")
    assert streak is not None
    assert (streak.value, streak.baseline) == (8.0, 5.0)  # Jan 20-27; before Jan 25: Jan 20-24
    assert streak.fired
    shorter = FatigueSettings(
        min_recent_replies=1,
        min_baseline_replies=1,
        min_baseline_days=1,
        streak_days=9,
        workday_start=time(7, 0),
        workday_end=time(20, 0),
    )
    again = fatigue_signals(rows, agent_id="hand", now=now, settings=shorter)
    assert again.signal("long_streak").fired is False  # type: ignore[union-attr]
    assert again.signal("after_hours").value == pytest.approx(1 / 6)  # type: ignore[union-attr]

    assert after_hours_share([], time(8), time(19)) is None
    days = [date(2026, 1, d) for d in (1, 2, 3, 5, 6, 6, 7, 8, 9, 11)]
    assert longest_streak(days) == 5  # Jan 5-9
    assert longest_streak(days, reaching=date(2026, 1, 10)) == 1  # only Jan 11 reaches it
    assert longest_streak([]) == 0


def test_team_aggregates_count_without_naming_anyone() -> None:
    drift, dc = _drifting()
    busy, bc = _busy()
    calm, cc = _agent("calm", 5)
    new, _ = _agent("new", 6, per_day=(0, 0, 0, 0, 0, 1))
    rows, convs = drift + busy + calm + new, dc + bc + cc
    settings = FatigueSettings(team_min_agents=3)
    team = team_fatigue(rows, convs, now=NOW, settings=settings)
    assert (team.agents, team.agents_with_enough_data, team.withheld) == (4, 3, False)
    counts = dict(team.fired_counts)
    assert counts["workload"] == 1 and counts["empathy_trend"] == 1 and counts["scripted"] == 1
    assert counts["long_streak"] == 0
    assert team.agents_with_any_signal == 2
    text = repr(team)
    for agent in ("drift", "busy", "calm", "new"):
        assert agent not in text
    withheld = team_fatigue(rows, convs, now=NOW)  # default: at least 5 agents with data
    assert withheld.withheld
    assert all(count is None for _, count in withheld.fired_counts)
    assert withheld.agents_with_any_signal is None


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="baseline_days"):
        FatigueSettings(window_days=7, baseline_days=3)
    with pytest.raises(ValueError, match="trend_p"):
        FatigueSettings(trend_p=0)
    with pytest.raises(ValueError, match="workday_start"):
        replace(FatigueSettings(), workday_start=time(20), workday_end=time(8))
    rows, _ = _busy()
    aware = datetime(2026, 2, 16, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive or all aware"):
        fatigue_signals(rows, agent_id="busy", now=aware)


def test_shorter_and_more_generic_replies_fire_together_only() -> None:
    rows, convs = _agent("terse", 7)
    rng = random.Random(7)
    vocab = ["".join(rng.choice("abcdefghijklmnoprstuvw") for _ in range(6)) for _ in range(800)]
    window_start = NOW - timedelta(days=7)

    def terse(row: ReplyRow, generic: bool) -> ReplyRow:
        if row.timestamp is None or row.timestamp < window_start:
            return row
        text = " ".join(rng.choice(vocab) for _ in range(10)) + "."
        codes = ("generic_reply",) if generic else ()
        return replace(row, reply=text, document=_assessment(row.score, codes))

    both = fatigue_signals([terse(r, True) for r in rows], convs, agent_id="terse", now=NOW)
    assert both.fired_names == ("shorter_generic",)
    signal = both.signal("shorter_generic")
    assert signal is not None
    assert signal.value == 10.0 and "shorter and more generic" in signal.reason
    only_short = fatigue_signals([terse(r, False) for r in rows], convs, agent_id="terse", now=NOW)
    assert only_short.fired_names == ()


def test_scripted_pools_are_equal_sized_with_the_rest_joining_the_last() -> None:
    from heard.analytics.fatigue import _pools

    start = datetime(2026, 5, 4, 9)
    rows = [_row("a", i, start + timedelta(hours=i), f"reply {i}", 50) for i in range(25)]
    assert [len(p) for p in _pools(rows, 10)] == [10, 15]
    assert [len(p) for p in _pools(rows[:20], 10)] == [10, 10]
    assert [len(p) for p in _pools(rows[:9], 10)] == [9]
    assert [r for p in _pools(rows, 10) for r in p] == rows  # nothing lost, order kept
