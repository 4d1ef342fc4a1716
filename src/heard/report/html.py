"""The report as one self-contained HTML page: ``render_html(analysis, ...) -> str``.

Three optional sections sit after the analysis': whether empathy goes with better outcomes
(``outcomes``), the training impact (``impact``, only when asked for) and team wellbeing
(``wellbeing``: counts of agents only, never a name).

Everything is inline (CSS, SVG charts), nothing is fetched, no script runs: the file can be
mailed, archived and opened offline. The page is rendered with Jinja2 with autoescaping on, since
every reply, customer message, agent and team name is user data; the only markup that is not
escaped is what this module builds itself from escaped pieces (the highlighted evidence) and the
charts' SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from heard.analytics.aggregates import Analysis, Group
from heard.analytics.examples import Highlight, ReplyExample
from heard.analytics.stats import Mean, Rate
from heard.analytics.trends import NOT_ENOUGH
from heard.assessment.skills import SKILL_NAMES
from heard.report import charts
from heard.report.format import (
    CONTROL_LABELS,
    KIND_LABELS,
    MECHANISM_LABELS,
    MISSING,
    OUTCOME_ODDS,
    SIGNAL_LABELS,
    between,
    dimension_order,
    impact_scale,
    label,
    measure_label,
    number,
    p_value,
    percent,
    rho,
    signed,
    span,
)
from heard.results import MECHANISMS
from heard.version import __version__

if TYPE_CHECKING:  # the services import statsmodels: only needed for the types here
    from heard.analytics.fatigue import FatigueSettings
    from heard.analytics.impact import Cell, ImpactEstimate, ImpactReport
    from heard.analytics.outcomes import Correlation, OutcomeAnalysis, OutcomesReport
    from heard.analytics.wellbeing import WellbeingCounts

# When spans overlap, the more serious kind colours the overlap.
_PRIORITY = {"strength": 1, "gap": 2, "anti_pattern": 3}


def highlight(text: str, highlights: Sequence[Highlight]) -> Markup:
    """``text`` escaped, with each highlighted stretch in ``<mark class="KIND" title="...">``.

    Spans may overlap: the text is cut at every span boundary, and each piece is marked with the
    most serious kind among the spans covering it (anti-pattern, then gap, then strength), its
    title naming every finding that covers it. Neighbouring pieces with the same marking are
    joined into one mark.
    """
    spans = [h for h in highlights if 0 <= h.start < h.end <= len(text)]
    cuts = sorted({0, len(text), *(h.start for h in spans), *(h.end for h in spans)})
    runs: list[tuple[tuple[str, str] | None, str]] = []
    for start, end in pairwise(cuts):
        covering = [h for h in spans if h.start <= start and end <= h.end]
        marking = None
        if covering:
            kind = max(covering, key=lambda h: _PRIORITY.get(h.kind, 0)).kind
            names = dict.fromkeys(
                f"{label(h.code)} ({KIND_LABELS.get(h.kind, h.kind)})" for h in covering
            )
            marking = (kind, "; ".join(names))
        if runs and runs[-1][0] == marking:
            runs[-1] = (marking, runs[-1][1] + text[start:end])
        else:
            runs.append((marking, text[start:end]))
    return Markup("").join(
        escape(piece)
        if marking is None
        else Markup('<mark class="{}" title="{}">{}</mark>').format(*marking, piece)
        for marking, piece in runs
    )


def template_environment(package: str) -> Environment:
    """A Jinja2 environment for ``package``'s templates with the report's escaping and filters
    (the web pages use it too, so numbers and labels read the same everywhere)."""
    environment = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        number=number,
        percent=percent,
        span=span,
        signed=signed,
        label=label,
        kind=lambda kind: KIND_LABELS.get(kind, kind),
    )
    environment.globals.update(highlight=highlight)
    return environment


def _environment() -> Environment:
    environment = template_environment("heard.report")
    environment.globals.update(
        number=number,
        percent=percent,
        mechanisms=MECHANISMS,
        mechanism_labels=MECHANISM_LABELS,
        not_enough=NOT_ENOUGH,
    )
    return environment


def render_html(
    analysis: Analysis,
    *,
    title: str = "Empathy report",
    generated_at: datetime,
    source_note: str = "",
    outcomes: OutcomesReport | None = None,
    impact: ImpactReport | None = None,
    wellbeing: WellbeingCounts | None = None,
) -> str:
    """The whole report page. ``generated_at`` and ``source_note`` (where the data came from) are
    printed in the header and footer; nothing here reads the clock. The outcomes, training
    impact and wellbeing sections appear only when given."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        a=analysis,
        title=title,
        generated_at=generated_at,
        source_note=source_note,
        version=__version__,
        period_range=period_range(analysis),
        charts={
            "distribution": charts.score_distribution(analysis),
            "trends": charts.team_trends(analysis),
            "agents": charts.agent_means(analysis),
            "calmed": charts.calmed_rates(analysis),
            "outcomes": charts.outcomes_chart(outcomes) if outcomes else None,
            "impact": charts.impact_chart(impact) if impact else None,
            "impact_skills": charts.impact_estimates_chart(impact) if impact else None,
        },
        outcomes=_outcomes_view(outcomes) if outcomes else None,
        impact=_impact_view(impact) if impact else None,
        wellbeing=_wellbeing_view(wellbeing) if wellbeing else None,
        cell=_cell,
        trend_text=_trend_text,
        examples=examples_of,
    )


def period_range(analysis: Analysis) -> str:
    if analysis.first_at is None or analysis.last_at is None:
        return "no dated replies"
    first, last = analysis.first_at, analysis.last_at
    if first.date() == last.date():
        return f"{first.day} {first:%b %Y}"
    head = f"{first.day} {first:%b}" if first.year == last.year else f"{first.day} {first:%b %Y}"
    return f"{head} – {last.day} {last:%b %Y}"


def _cell(stat: Mean | Rate) -> dict[str, Any]:
    """What a table cell needs: the value, its interval as a tooltip, the small-sample flag."""
    if isinstance(stat, Rate):
        value = percent(stat.rate)
        interval = span(stat, percent)
        count = f"{stat.k:,} of {stat.n:,}"
    else:
        value = number(stat.mean)
        interval = span(stat)
        count = f"n = {stat.n:,}"
    return {"value": value, "interval": interval, "count": count, "small": stat.small}


def _trend_text(group: Group, unit: str) -> str:
    trend = group.trend
    if trend is None or trend.slope is None or trend.p_value is None:
        return "not enough periods for a trend (at least 3 are needed)"
    return (
        f"{trend.direction}: {signed(trend.slope)} points per {unit} "
        f"(p = {trend.p_value:.2g}, {trend.periods} {unit}s)"
    )


def examples_of(group: Group) -> list[tuple[str, ReplyExample]]:
    """The group's best and weakest reply, labelled (one "Reply" when they are the same)."""
    shown: list[tuple[str, ReplyExample]] = []
    if group.best is not None:
        shown.append(("Best reply" if group.weakest is not None else "Reply", group.best))
    if group.weakest is not None:
        shown.append(("Weakest reply", group.weakest))
    return shown


# --- outcomes ---------------------------------------------------------------------------------


def _correlation(c: Correlation) -> dict[str, Any]:
    clear = c.low is not None and c.high is not None and (c.low > 0 or c.high < 0)
    return {
        "rho": rho(c.rho),
        "interval": between(c.low, c.high, rho),
        "n": c.n,
        "p": p_value(c.p_value),
        "excludes_zero": clear,
    }


def _and(items: Sequence[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _exp10(value: float) -> float:
    return math.exp(min(700.0, 10 * value))


def adjusted_text(analysis: OutcomeAnalysis) -> str:
    """The controlled regression's empathy coefficient in words, per 10 empathy points."""
    adjusted = analysis.adjusted
    if adjusted is None:
        return "No controlled model could be fitted (see the notes)."
    if adjusted.coefficient is None:
        return "The controlled model gives no reliable estimate (see the notes)."
    if adjusted.model == "ols":  # CSAT in [0, 1]: per point, times 10 points, times 100
        effect = (
            f"+10 empathy points go with {signed(adjusted.coefficient * 1000)} CSAT points on a "
            f"0–100 scale (95% CI {between(*_scaled(adjusted.low, adjusted.high, 1000))}"
        )
        model = "linear regression"
    else:
        odds = OUTCOME_ODDS.get(analysis.outcome, analysis.outcome)
        interval = MISSING
        if adjusted.low is not None and adjusted.high is not None:
            interval = f"{_exp10(adjusted.low):.2f} to {_exp10(adjusted.high):.2f}"
        effect = (
            f"+10 empathy points go with {_exp10(adjusted.coefficient):.2f} times the odds of "
            f"{odds} (95% CI {interval}"
        )
        model = "logistic regression"
    effect += f"; {p_value(adjusted.p_value)})"
    controls = [CONTROL_LABELS.get(c, c) for c in adjusted.controls]
    held = f"with {_and(controls)} held constant" if controls else "with nothing held constant"
    clustered = adjusted.covariance.startswith("cluster")
    errors = "errors clustered by agent" if clustered else "robust errors"
    return f"{effect}, {held} ({model}, {errors}, {adjusted.n:,} conversations)."


def _scaled(
    low: float | None, high: float | None, scale: float
) -> tuple[float | None, float | None]:
    return (
        None if low is None else low * scale,
        None if high is None else high * scale,
    )


def _measure_group(measure: str) -> str:
    if measure == "empathy":
        return ""
    if measure in MECHANISMS:
        return "Empathy mechanisms (mean level, 0–2)"
    if measure in SKILL_NAMES:
        return "Skills (share of replies showing it)"
    return "Other measures"


def _outcomes_view(report: OutcomesReport) -> dict[str, Any]:
    """Each outcome's figures and a table of every measure's ρ against the outcomes with data."""
    items = []
    for a in report.analyses:
        items.append(
            {
                "outcome": a.outcome,
                "label": measure_label(a.outcome),
                "n": a.n,
                "n_missing": a.n_missing,
                "empathy": _correlation(a.empathy),
                "adjusted": adjusted_text(a) if a.n else "",
                "warnings": a.warnings,
            }
        )
    with_data = [a for a in report.analyses if a.n]
    names = dimension_order({c.measure for a in with_data for c in a.dimensions})
    rows = []
    for measure in ["empathy", *names]:
        cells = []
        for a in with_data:
            found = {c.measure: c for c in (a.empathy, *a.dimensions)}.get(measure)
            cells.append(None if found is None else _correlation(found))
        rows.append(
            {
                "measure": measure,
                "label": measure_label(measure),
                "group": _measure_group(measure),
                "cells": cells,
            }
        )
    return {
        "conversations": report.conversations,
        "repeat_days": report.repeat_days,
        "analyses": items,
        "columns": [{"label": measure_label(a.outcome), "n": a.n} for a in with_data],
        "rows": rows,
        "missing": [measure_label(a.outcome) for a in report.analyses if not a.n],
    }


# --- training impact --------------------------------------------------------------------------


def _mean_text(metric: str, value: float | None) -> str:
    if metric == "empathy":
        return number(value)
    if metric == "csat":
        return number(None if value is None else 100 * value)
    return percent(value)


def _cells(estimate: ImpactEstimate, group: str) -> dict[str, Any]:
    found: dict[str, Cell] = {c.period: c for c in estimate.cells if c.group == group}
    before, after = found.get("before"), found.get("after")
    return {
        "before": _mean_text(estimate.metric, before.mean if before else None),
        "after": _mean_text(estimate.metric, after.mean if after else None),
        "n_before": before.n if before else 0,
        "n_after": after.n if after else 0,
        "agents": max(before.agents if before else 0, after.agents if after else 0),
    }


def _estimate_row(estimate: ImpactEstimate) -> dict[str, Any]:
    scale, unit = impact_scale(estimate.metric)
    low, high = _scaled(estimate.low, estimate.high, scale)
    value = None if estimate.estimate is None else estimate.estimate * scale
    clear = low is not None and high is not None and (low > 0 or high < 0)
    trend = estimate.pre_trend
    if trend is None:
        pre = "not checked"
        pre_title = "Too few weeks before the date to check"
    else:
        pre = p_value(trend.p_value)
        pre_title = (
            f"Trained minus comparison slope before the date: "
            f"{signed(trend.slope_difference * scale, 2)} {unit} per week over {trend.weeks} weeks"
        )
    return {
        "metric": estimate.metric,
        "label": measure_label(estimate.metric),
        "estimate": MISSING if value is None else f"{signed(value)} {unit}",
        "interval": between(low, high),
        "excludes_zero": clear,
        "trained": _cells(estimate, "trained"),
        "comparison": _cells(estimate, "comparison"),
        "pre_trend": pre,
        "pre_title": pre_title,
        "drifting": trend is not None and trend.p_value < 0.05,  # impact.PRE_TREND_ALPHA
    }


def _impact_view(report: ImpactReport) -> dict[str, Any]:
    """The estimates as table rows, their warnings (each once, with the measures it concerns)
    and the role-play practice beside the live estimates."""
    rows = [_estimate_row(e) for e in report.estimates]
    notes: dict[str, list[str]] = {}
    for e in report.estimates:
        for note in e.warnings:
            notes.setdefault(note, []).append(measure_label(e.metric))
    every = len(report.estimates)
    warnings = [
        {"text": note, "about": "every measure" if len(about) == every > 1 else _and(about)}
        for note, about in notes.items()
    ]
    practice = []
    for p in report.practice:
        live = p.live
        low, high = _scaled(live.low, live.high, 100)
        practice.append(
            {
                "label": measure_label(p.skill),
                "sessions": p.sessions,
                "trainees": p.trainees,
                "first": percent(p.first),
                "latest": percent(p.latest),
                "live": MISSING if live.estimate is None else f"{signed(100 * live.estimate)} pp",
                "interval": between(low, high),
            }
        )
    return {
        "since": report.since,
        "trained": [name for _, name in report.trained],
        "comparison": report.comparison,
        "rows": rows,
        "warnings": warnings,
        "practice": practice,
        "sessions": report.practice[0].sessions if report.practice else 0,
        "drills": report.drills,
    }


# --- wellbeing --------------------------------------------------------------------------------


def signal_meaning(name: str, s: FatigueSettings) -> str:
    """One plain line per fatigue signal (see :mod:`heard.analytics.fatigue`), with the
    thresholds in use."""
    week = f"the last {s.window_days} days"
    meanings = {
        "empathy_trend": (
            f"Mean score in {week} at least {s.decline_points:g} points below the agent's own "
            "earlier weeks, and the daily scores sliding down."
        ),
        "scripted": (
            f"Near-duplicate replies up by at least {100 * s.scripted_rise:.0f} percentage "
            "points on the agent's own usual share."
        ),
        "shorter_generic": (
            f"Replies at least {100 * s.shorter_drop:.0f}% shorter than usual, and "
            f"{100 * s.generic_rise:.0f} percentage points more of them generic or scripted."
        ),
        "workload": (
            f"At least {s.workload_ratio:g} times the agent's usual number of conversations a day."
        ),
        "after_hours": (
            f"Replies sent outside {s.workday_start:%H:%M}–{s.workday_end:%H:%M} up by at least "
            f"{100 * s.after_hours_rise:.0f} percentage points."
        ),
        "long_streak": f"{s.streak_days} or more days in a row with replies, no day off.",
        "exposure": (
            f"Conversations starting with an upset ({', '.join(sorted(s.exposure_emotions))}) "
            f"customer up by at least {100 * s.exposure_rise:.0f} percentage points."
        ),
    }
    return meanings.get(name, "")


def _wellbeing_view(counts: WellbeingCounts) -> dict[str, Any]:
    """Counts only: the groups whose counts may be shown, the withheld ones, one row per
    signal."""
    groups = [("All agents", counts.overall), *counts.teams.items()]
    shown = [(name, team) for name, team in groups if not team.withheld]
    withheld = [
        {"label": name, "enough": team.agents_with_enough_data, "agents": team.agents}
        for name, team in groups
        if team.withheld
    ]
    signals = [name for name, _ in counts.overall.fired_counts]
    rows = []
    for signal in signals:
        values = [dict(team.fired_counts).get(signal) for _, team in shown]
        rows.append(
            {
                "signal": signal,
                "label": SIGNAL_LABELS.get(signal, label(signal)),
                "meaning": signal_meaning(signal, counts.settings),
                "counts": values,
            }
        )
    return {
        "as_of": counts.as_of,
        "window_days": counts.settings.window_days,
        "baseline_days": counts.settings.baseline_days,
        "min_agents": counts.settings.team_min_agents,
        "columns": [
            {
                "label": name,
                "agents": team.agents,
                "enough": team.agents_with_enough_data,
                "any": team.agents_with_any_signal,
            }
            for name, team in shown
        ],
        "withheld": withheld,
        "rows": rows,
    }
