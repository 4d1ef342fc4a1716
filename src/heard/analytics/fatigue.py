"""Empathy-fatigue signals: explained, per agent, against the agent's own baseline.

This is a support tool, not a performance metric. There is **no single score** and **no
leaderboard**: each agent gets a handful of separate signals, each saying what was measured, what
the agent's own usual figure is, the threshold, why it fired (or did not) in plain language, and a
supportive suggestion (a break, a peer session, a refresher drill). ``team_fatigue`` only ever
returns counts of agents per signal, never which agents.

Pure functions: no I/O and no clock. The caller passes ``now``, the end of the recent window.

**Windows.** The *recent window* is ``[now - window_days, now)``. The *baseline* is the
``baseline_days`` before it, ``[now - window_days - baseline_days, now - window_days)``: the
agent's own earlier weeks. Replies at or after ``now`` and replies without a timestamp are
ignored. A timestamp counts on its own calendar date and clock time (no time-zone conversion, as
in :mod:`heard.analytics.trends`); ``now`` and the timestamps must be all naive or all aware.

**Enough data.** With fewer than ``min_recent_replies`` replies in the recent window, fewer than
``min_baseline_replies`` in the baseline, or baseline replies on fewer than ``min_baseline_days``
distinct days, the result says "not enough data" and no signal fires.

**Signals** (``FatigueSettings`` holds every threshold; defaults in brackets):

- ``empathy_trend``: the recent mean score is at least ``decline_points`` [8] below the baseline
  mean, **and** an ordinary least-squares line through the daily mean scores of baseline and
  window (``scipy.stats.linregress``) slopes down with p < ``trend_p`` [0.05] over at least
  ``min_trend_days`` [7] days, **or** the window's daily means sit below the baseline's
  (one-sided Mann-Whitney on days, p < ``trend_p``) with at least ``min_step_days`` [3] of them
  ``decline_points`` below the usual: a drop that held, which a line through five weeks of daily
  means can miss, and never one bad day.
  Eight points on the 0-100 scale is what one generic reply finding costs a reply: a change a
  reader would notice, where a couple of points is noise.
- ``scripted``: the share of the agent's recent replies that are near-duplicates of another
  reply in the same pool (:func:`heard.analytics.scripted.scripted_flags`) is at least
  ``scripted_rise`` [0.2, i.e. 20 percentage points] above the same share in the baseline. Both
  are measured in pools of ``scripted_pool`` [10] consecutive replies (a shorter remainder joins
  the pool before it): the chance that some reply repeats grows with the pool, so a busy week
  measured as one big pool would look "scripted" just for being busy. Everyone reuses a few
  macros; a jump of a fifth of all replies is a change of habit.
- ``shorter_generic``: the median reply length in words fell by at least ``shorter_drop`` [0.25]
  of the baseline median **and** the share of replies with a ``generic_reply`` or
  ``scripted_phrase`` finding rose by at least ``generic_rise`` [0.1]. Both together: shorter
  alone can be a simpler queue.
- ``workload``: conversations handled per day (distinct conversations the agent replied in,
  averaged over the window's calendar days) is at least ``workload_ratio`` [1.5] times the
  baseline's per-day figure. Half as much again, for a whole week, is felt.
- ``after_hours``: the share of recent replies sent outside ``[workday_start, workday_end)``
  [08:00-19:00] is at least ``after_hours_rise`` [0.15] above the baseline share.
- ``long_streak``: the longest run of consecutive calendar days with at least one reply that
  reaches into the recent window (it may have started in the baseline) is at least
  ``streak_days`` [12]. Working-time rules commonly allow averaging a weekly rest over 14 days;
  12 days in a row means no day off in two weeks.
- ``exposure``: the share of the conversations handled that started with a frustrated or anxious
  customer (``exposure_emotions``) at intensity >= ``exposure_intensity`` [0.5] is at least
  ``exposure_rise`` [0.15] above the baseline share. Needs ``ConversationRow``s; a conversation
  counts in the period of the agent's first reply in it.

Team aggregates (``team_fatigue``) are withheld (``None``) when fewer than ``team_min_agents``
[5] agents have enough data: with three agents, "one has a long streak" points at someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import fmean, median, pvariance

from scipy import stats

from heard.analytics.rows import ConversationRow, ReplyRow
from heard.analytics.scripted import scripted_flags

NOT_ENOUGH = "not enough data"
GENERIC_CODES = frozenset({"generic_reply", "scripted_phrase"})
SIGNALS: tuple[str, ...] = (
    "empathy_trend",
    "scripted",
    "shorter_generic",
    "workload",
    "after_hours",
    "long_streak",
    "exposure",
)

SUGGESTIONS: dict[str, str] = {
    "empathy_trend": (
        "Scores slide like this when someone is running on empty. A short break, or a peer "
        "session listening back to a few conversations together, usually helps more than a target."
    ),
    "scripted": (
        "Leaning on the same reply is a normal way to cope with a heavy queue. A short refresher "
        "drill on putting things in your own words (heard drill) can make it feel easier again."
    ),
    "shorter_generic": (
        "Shorter, more general replies often mean too little time per conversation. Check the "
        "queue together and take a proper break between conversations."
    ),
    "workload": (
        "This is a lot more conversations than usual. Talk with the team lead about rebalancing "
        "the queue for the next few days."
    ),
    "after_hours": (
        "More replies are going out early or late. Protecting time off helps: hand the evening "
        "queue over where you can."
    ),
    "long_streak": "A long run of working days without a day off: schedule a rest day soon.",
    "exposure": (
        "More upset and anxious customers than usual. A peer debrief after hard conversations, "
        "and mixing in calmer queues, can lighten the load."
    ),
}


@dataclass(frozen=True)
class FatigueSettings:
    """Every threshold of the fatigue signals; see the module docstring for each and why."""

    window_days: int = 7
    baseline_days: int = 35
    min_recent_replies: int = 10
    min_baseline_replies: int = 30
    min_baseline_days: int = 7
    decline_points: float = 8.0
    trend_p: float = 0.05
    min_trend_days: int = 7
    min_step_days: int = 3
    scripted_rise: float = 0.2
    scripted_pool: int = 10
    shorter_drop: float = 0.25
    generic_rise: float = 0.1
    workload_ratio: float = 1.5
    workday_start: time = time(8, 0)
    workday_end: time = time(19, 0)
    after_hours_rise: float = 0.15
    streak_days: int = 12
    exposure_emotions: frozenset[str] = frozenset({"frustrated", "anxious"})
    exposure_intensity: float = 0.5
    exposure_rise: float = 0.15
    team_min_agents: int = 5

    def __post_init__(self) -> None:
        if self.window_days < 1 or self.baseline_days < self.window_days:
            raise ValueError("window_days must be >= 1 and baseline_days >= window_days")
        if self.scripted_pool < 2:
            raise ValueError(f"scripted_pool must be >= 2, not {self.scripted_pool!r}")
        if not 0 < self.trend_p < 1:
            raise ValueError(f"trend_p must be in (0, 1), not {self.trend_p!r}")
        if self.workday_start >= self.workday_end:
            raise ValueError("workday_start must be before workday_end")


@dataclass(frozen=True)
class FatigueSignal:
    """One explained signal: the recent ``value``, the agent's own ``baseline``, the threshold."""

    name: str
    fired: bool
    value: float | None
    baseline: float | None
    threshold: float
    reason: str
    suggestion: str
    details: tuple[tuple[str, float | None], ...] = ()


@dataclass(frozen=True)
class AgentFatigue:
    """One agent's signals. ``fired`` counts the fired signals; there is no overall score."""

    agent_id: str
    window_start: datetime
    now: datetime
    enough_data: bool
    reason: str
    recent_replies: int
    baseline_replies: int
    signals: tuple[FatigueSignal, ...] = ()
    fired: int = 0

    def signal(self, name: str) -> FatigueSignal | None:
        return next((s for s in self.signals if s.name == name), None)

    @property
    def fired_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.signals if s.fired)


@dataclass(frozen=True)
class TeamFatigue:
    """Counts only: how many agents have each signal fired, never which agents."""

    agents: int
    agents_with_enough_data: int
    withheld: bool
    fired_counts: tuple[tuple[str, int | None], ...] = field(default=())
    agents_with_any_signal: int | None = None
    min_agents: int = 5  # counts are withheld below this many agents with enough data


# --- small exact helpers -------------------------------------------------------------------


def is_after_hours(moment: datetime, start: time, end: time) -> bool:
    """Outside ``[start, end)`` on the timestamp's own clock."""
    clock = moment.time().replace(tzinfo=None)
    return not start <= clock < end


def after_hours_share(moments: Sequence[datetime], start: time, end: time) -> float | None:
    if not moments:
        return None
    return sum(is_after_hours(m, start, end) for m in moments) / len(moments)


def streaks(days: Iterable[date]) -> list[tuple[date, int]]:
    """Runs of consecutive calendar days as ``(first day, length)``, in order."""
    runs: list[tuple[date, int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][0] + timedelta(days=runs[-1][1]) == day:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((day, 1))
    return runs


def longest_streak(days: Iterable[date], *, reaching: date | None = None) -> int:
    """The longest run of consecutive days; with ``reaching``, only runs ending on/after it."""
    lengths = [
        length
        for first, length in streaks(days)
        if reaching is None or first + timedelta(days=length - 1) >= reaching
    ]
    return max(lengths, default=0)


def _words(text: str) -> int:
    return len(text.split())


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _scripted_share(rows: Sequence[ReplyRow]) -> tuple[int, int]:
    if not rows:
        return 0, 0
    flags = scripted_flags([(r.reply, r.context) for r in rows])
    return sum(flags), len(flags)


def _pools(rows: Sequence[ReplyRow], size: int) -> list[Sequence[ReplyRow]]:
    """``rows`` (in time order) in consecutive pools of ``size``; a shorter rest joins the last."""
    pools: list[Sequence[ReplyRow]] = [rows[i : i + size] for i in range(0, len(rows), size)]
    if len(pools) > 1 and len(pools[-1]) < size:
        rest = pools.pop()
        pools[-1] = [*pools[-1], *rest]
    return pools


def _pooled_share(rows: Sequence[ReplyRow], size: int) -> tuple[int, int]:
    k = n = 0
    for pool in _pools(rows, size):
        pk, pn = _scripted_share(pool)
        k, n = k + pk, n + pn
    return k, n


# --- the signals ---------------------------------------------------------------------------


def _trend(
    recent: Sequence[ReplyRow], base: Sequence[ReplyRow], s: FatigueSettings
) -> FatigueSignal:
    name = "empathy_trend"
    r_mean = fmean(r.score for r in recent)
    b_mean = fmean(r.score for r in base)
    daily: dict[date, list[float]] = {}
    for r in (*base, *recent):
        assert r.timestamp is not None
        daily.setdefault(r.timestamp.date(), []).append(float(r.score))
    first = min(daily)
    xs = [float((d - first).days) for d in sorted(daily)]
    ys = [fmean(daily[d]) for d in sorted(daily)]
    slope: float | None = None
    p: float | None = None
    if len(xs) >= s.min_trend_days and pvariance(ys) > 0:
        fit = stats.linregress(xs, ys)
        slope, p = float(fit.slope), float(fit.pvalue)
    drop = b_mean - r_mean
    significant = slope is not None and p is not None and slope < 0 and p < s.trend_p
    # A sustained step down (the window's days below the usual days) is not a straight line,
    # and a slope through five weeks of daily means can miss it: the window's daily means
    # against the baseline's, one-sided Mann-Whitney. Days, not replies, so that one bad day
    # among good ones never passes for a drop that held.
    recent_dates = {r.timestamp.date() for r in recent if r.timestamp is not None}
    recent_daily = [fmean(daily[d]) for d in sorted(recent_dates)]
    base_daily = [fmean(daily[d]) for d in sorted(daily) if d not in recent_dates]
    recent_days = len(recent_daily)
    step_p: float | None = None
    if recent_days >= s.min_step_days and len(base_daily) >= s.min_step_days:
        step_p = float(stats.mannwhitneyu(recent_daily, base_daily, alternative="less").pvalue)
    held_days = sum(1 for m in recent_daily if m <= b_mean - s.decline_points)
    stepped = step_p is not None and step_p < s.trend_p and held_days >= s.min_step_days
    fired = drop >= s.decline_points and (significant or stepped)
    trend_text = (
        f"too few days ({len(xs)}, need {s.min_trend_days}) to test a trend"
        if slope is None
        else f"the daily means move {slope:+.2f} points a day (p = {p:.3g})"
    )
    if fired and not significant:
        reason = (
            f"Empathy scores fell from a usual {b_mean:.0f} to {r_mean:.0f} in the last "
            f"{s.window_days} days ({drop:.0f} points, threshold {s.decline_points:g}), on "
            f"{held_days} of {recent_days} days (p = {step_p:.3g} against the usual days): a "
            "drop that held, not one bad day."
        )
    elif fired:
        reason = (
            f"Empathy scores fell from a usual {b_mean:.0f} to {r_mean:.0f} in the last "
            f"{s.window_days} days ({drop:.0f} points, threshold {s.decline_points:g}), and "
            f"{trend_text}: a steady decline, not one bad day."
        )
    else:
        reason = (
            f"Recent mean {r_mean:.0f} against a usual {b_mean:.0f} "
            f"({-drop:+.0f} points; fires at -{s.decline_points:g} with a significant "
            f"downward trend); {trend_text}."
        )
    return FatigueSignal(
        name,
        fired,
        r_mean,
        b_mean,
        s.decline_points,
        reason,
        SUGGESTIONS[name],
        (
            ("slope_per_day", slope),
            ("p_value", p),
            ("days", float(len(xs))),
            ("step_p_value", step_p),
        ),
    )


def _scripted(
    recent: Sequence[ReplyRow], base: Sequence[ReplyRow], s: FatigueSettings
) -> FatigueSignal:
    name = "scripted"
    k, n = _pooled_share(recent, s.scripted_pool)
    share = k / n
    bk, bn = _pooled_share(base, s.scripted_pool)
    b_share = bk / bn
    rise = share - b_share
    fired = rise >= s.scripted_rise
    if fired:
        reason = (
            f"{k} of {n} recent replies ({_pct(share)}) are near-copies of another reply among "
            f"the {s.scripted_pool} around them, against a usual {_pct(b_share)}: up "
            f"{100 * rise:.0f} points (threshold {100 * s.scripted_rise:.0f}). Replies are "
            f"drifting into templates."
        )
    else:
        reason = (
            f"{_pct(share)} of recent replies are near-copies of another, usual {_pct(b_share)} "
            f"(fires at +{100 * s.scripted_rise:.0f} points)."
        )
    return FatigueSignal(name, fired, share, b_share, s.scripted_rise, reason, SUGGESTIONS[name])


def _generic_share(rows: Sequence[ReplyRow]) -> float:
    return sum(bool(GENERIC_CODES & set(r.finding_codes)) for r in rows) / len(rows)


def _shorter(
    recent: Sequence[ReplyRow], base: Sequence[ReplyRow], s: FatigueSettings
) -> FatigueSignal:
    name = "shorter_generic"
    med = float(median(_words(r.reply) for r in recent))
    b_med = float(median(_words(r.reply) for r in base))
    drop = (b_med - med) / b_med if b_med > 0 else 0.0
    gen, b_gen = _generic_share(recent), _generic_share(base)
    fired = drop >= s.shorter_drop and gen - b_gen >= s.generic_rise
    text = (
        f"median reply {med:.0f} words against a usual {b_med:.0f} "
        f"({abs(100 * drop):.0f}% {'shorter' if drop >= 0 else 'longer'}; "
        f"threshold {100 * s.shorter_drop:.0f}%), and {_pct(gen)} of replies flagged generic or "
        f"scripted against a usual {_pct(b_gen)} (threshold +{100 * s.generic_rise:.0f} points)"
    )
    reason = (
        f"Replies are getting shorter and more generic: {text}."
        if fired
        else f"No clear shift to short, generic replies: {text}."
    )
    return FatigueSignal(
        name,
        fired,
        med,
        b_med,
        s.shorter_drop,
        reason,
        SUGGESTIONS[name],
        (("generic_share", gen), ("baseline_generic_share", b_gen)),
    )


def _per_day(rows: Sequence[ReplyRow], days: float) -> float:
    return len({r.conversation_id for r in rows}) / days


def _workload(
    recent: Sequence[ReplyRow], base: Sequence[ReplyRow], s: FatigueSettings, base_days: float
) -> FatigueSignal:
    name = "workload"
    rate = _per_day(recent, s.window_days)
    b_rate = _per_day(base, base_days)
    ratio = rate / b_rate if b_rate > 0 else None
    fired = ratio is not None and ratio >= s.workload_ratio
    text = (
        f"{rate:.1f} conversations a day in the last {s.window_days} days against a usual "
        f"{b_rate:.1f}"
        + ("" if ratio is None else f" ({ratio:.1f}x; threshold {s.workload_ratio:g}x)")
    )
    reason = f"A much heavier load than usual: {text}." if fired else f"Load as usual: {text}."
    return FatigueSignal(
        name,
        fired,
        rate,
        b_rate,
        s.workload_ratio,
        reason,
        SUGGESTIONS[name],
        (
            ("replies_per_day", len(recent) / s.window_days),
            ("baseline_replies_per_day", len(base) / base_days),
        ),
    )


def _after_hours(
    recent: Sequence[ReplyRow], base: Sequence[ReplyRow], s: FatigueSettings
) -> FatigueSignal:
    name = "after_hours"
    start, end = s.workday_start, s.workday_end
    share = after_hours_share([r.timestamp for r in recent if r.timestamp], start, end)
    b_share = after_hours_share([r.timestamp for r in base if r.timestamp], start, end)
    assert share is not None
    assert b_share is not None
    fired = share - b_share >= s.after_hours_rise
    hours = f"{start:%H:%M}-{end:%H:%M}"
    text = (
        f"{_pct(share)} of recent replies were sent outside {hours}, against a usual "
        f"{_pct(b_share)} (threshold +{100 * s.after_hours_rise:.0f} points)"
    )
    reason = f"More work outside usual hours: {text}." if fired else f"Hours as usual: {text}."
    return FatigueSignal(name, fired, share, b_share, s.after_hours_rise, reason, SUGGESTIONS[name])


def _streak(
    recent: Sequence[ReplyRow], base: Sequence[ReplyRow], window_start: datetime, s: FatigueSettings
) -> FatigueSignal:
    name = "long_streak"
    days = [r.timestamp.date() for r in (*base, *recent) if r.timestamp]
    run = longest_streak(days, reaching=window_start.date())
    b_run = longest_streak(d for d in days if d < window_start.date())
    fired = run >= s.streak_days
    text = (
        f"{run} working days in a row reaching into the last {s.window_days} days (longest "
        f"before: {b_run}; threshold {s.streak_days})"
    )
    reason = f"No day off for a long stretch: {text}." if fired else f"Rest days as usual: {text}."
    return FatigueSignal(
        name, fired, float(run), float(b_run), float(s.streak_days), reason, SUGGESTIONS[name]
    )


def _exposure(
    recent: Sequence[ReplyRow],
    base: Sequence[ReplyRow],
    conversations: Sequence[ConversationRow],
    s: FatigueSettings,
) -> FatigueSignal:
    name = "exposure"
    by_id = {c.conversation_id: c for c in conversations}
    recent_ids = {r.conversation_id for r in recent}
    base_ids = {r.conversation_id for r in base}
    recent_first = {cid for cid in recent_ids if cid not in base_ids}

    def hard(cid: str) -> bool | None:
        c = by_id.get(cid)
        if c is None or c.start_emotion is None or c.start_intensity is None:
            return None
        return c.start_emotion in s.exposure_emotions and c.start_intensity >= s.exposure_intensity

    def share(ids: Iterable[str]) -> tuple[float | None, int]:
        known = [h for h in (hard(cid) for cid in ids) if h is not None]
        return (sum(known) / len(known) if known else None), len(known)

    value, n = share(recent_first)
    b_value, bn = share(base_ids)
    label = " or ".join(sorted(s.exposure_emotions))
    if value is None or b_value is None:
        reason = (
            f"Not enough data: the customers' starting emotion is known for {n} recent and "
            f"{bn} earlier conversations."
        )
        return FatigueSignal(
            name, False, value, b_value, s.exposure_rise, reason, SUGGESTIONS[name]
        )
    fired = value - b_value >= s.exposure_rise
    text = (
        f"{_pct(value)} of the {n} recent conversations started with a customer who was {label} "
        f"(intensity >= {s.exposure_intensity:g}), against a usual {_pct(b_value)} "
        f"(threshold +{100 * s.exposure_rise:.0f} points)"
    )
    reason = (
        f"More upset customers than usual: {text}." if fired else f"Usual mix of customers: {text}."
    )
    return FatigueSignal(name, fired, value, b_value, s.exposure_rise, reason, SUGGESTIONS[name])


# --- the API -------------------------------------------------------------------------------


def fatigue_signals(
    replies: Iterable[ReplyRow],
    conversations: Iterable[ConversationRow] = (),
    *,
    agent_id: str,
    now: datetime,
    settings: FatigueSettings | None = None,
) -> AgentFatigue:
    """One agent's fatigue signals over the window ending at ``now`` (exclusive).

    ``replies`` may hold other agents' rows: only ``agent_id``'s are used. ``conversations`` are
    looked up by id for the ``exposure`` signal; without them that signal is "not enough data".
    """
    s = settings or FatigueSettings()
    window_start = now - timedelta(days=s.window_days)
    baseline_start = window_start - timedelta(days=s.baseline_days)
    mine = [r for r in replies if r.agent_id == agent_id and r.timestamp is not None]
    for r in mine:
        assert r.timestamp is not None
        if (r.timestamp.tzinfo is None) != (now.tzinfo is None):
            raise ValueError("now and the reply timestamps must be all naive or all aware")
    mine.sort(key=lambda r: r.timestamp or now)
    recent = [r for r in mine if r.timestamp and window_start <= r.timestamp < now]
    base = [r for r in mine if r.timestamp and baseline_start <= r.timestamp < window_start]
    base_days = {r.timestamp.date() for r in base if r.timestamp}
    missing = []
    if len(recent) < s.min_recent_replies:
        missing.append(
            f"{len(recent)} replies in the last {s.window_days} days (need {s.min_recent_replies})"
        )
    if len(base) < s.min_baseline_replies:
        missing.append(
            f"{len(base)} replies in the {s.baseline_days} days before (need "
            f"{s.min_baseline_replies})"
        )
    if len(base_days) < s.min_baseline_days:
        missing.append(f"earlier replies on {len(base_days)} days (need {s.min_baseline_days})")
    if missing:
        return AgentFatigue(
            agent_id,
            window_start,
            now,
            False,
            f"Not enough data to compare with this agent's own usual: {'; '.join(missing)}.",
            len(recent),
            len(base),
        )
    # the baseline's length: from the agent's first day in it (a new starter has a short one)
    first = min(r.timestamp for r in base if r.timestamp)
    span_start = max(baseline_start, datetime.combine(first.date(), time(0), tzinfo=now.tzinfo))
    span_days = max((window_start - span_start).total_seconds() / 86400, 1.0)
    signals = (
        _trend(recent, base, s),
        _scripted(recent, base, s),
        _shorter(recent, base, s),
        _workload(recent, base, s, span_days),
        _after_hours(recent, base, s),
        _streak(recent, base, window_start, s),
        _exposure(recent, base, list(conversations), s),
    )
    fired = sum(sig.fired for sig in signals)
    reason = (
        f"{fired} of {len(signals)} signals fired against this agent's own last "
        f"{s.baseline_days} days."
    )
    return AgentFatigue(
        agent_id, window_start, now, True, reason, len(recent), len(base), signals, fired
    )


def team_fatigue(
    replies: Iterable[ReplyRow],
    conversations: Iterable[ConversationRow] = (),
    *,
    now: datetime,
    settings: FatigueSettings | None = None,
) -> TeamFatigue:
    """How many agents have each signal fired: counts only, never which agents.

    Counts are withheld (``None``, ``withheld=True``) when fewer than ``team_min_agents`` agents
    have enough data, so that a count cannot point at a person.
    """
    s = settings or FatigueSettings()
    rows = list(replies)
    convs = list(conversations)
    agents = sorted({r.agent_id for r in rows})
    results = [fatigue_signals(rows, convs, agent_id=a, now=now, settings=s) for a in agents]
    return count_signals(results, settings=s)


def count_signals(
    results: Sequence[AgentFatigue], *, settings: FatigueSettings | None = None
) -> TeamFatigue:
    """``team_fatigue`` from agents' results already computed (one per agent)."""
    s = settings or FatigueSettings()
    enough = [r for r in results if r.enough_data]
    if len(enough) < s.team_min_agents:
        return TeamFatigue(
            len(results),
            len(enough),
            True,
            tuple((name, None) for name in SIGNALS),
            None,
            s.team_min_agents,
        )
    counts = tuple((name, sum(1 for r in enough if name in r.fired_names)) for name in SIGNALS)
    return TeamFatigue(
        len(results),
        len(enough),
        False,
        counts,
        sum(1 for r in enough if r.fired),
        s.team_min_agents,
    )
