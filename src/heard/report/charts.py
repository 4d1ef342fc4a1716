"""The report's charts: matplotlib figures written as inline SVG.

Each chart is a ``Chart``: the SVG markup (text kept as text, ``svg.fonttype = "none"``, so it is
small, searchable and takes the page's font), a title (the SVG's ``<title>``, also its
``aria-label``) and a one- or two-sentence summary of what it shows, printed under it for readers
who cannot see it. Nothing in the SVG points outside the page: the XML prologue, the doctype, the
metadata and the namespace declarations are removed (HTML needs none of them), and element ids
are prefixed per chart so several charts can share a page.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never pyplot: no
global backend, no state shared between threads. ``svg.hashsalt`` is fixed so the same analysis
gives the same page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib
from markupsafe import Markup, escape
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from heard.analytics.aggregates import Analysis, Group
from heard.analytics.trends import Period
from heard.assessment.skills import SKILL_NAMES
from heard.report.format import (
    between,
    dimension_order,
    measure_label,
    number,
    percent,
    rho,
    signed,
    span,
)

if TYPE_CHECKING:  # the services import statsmodels: only needed for the types here
    from heard.analytics.impact import Cell, ImpactEstimate, ImpactReport
    from heard.analytics.outcomes import Correlation, OutcomesReport

INK, MUTED, GRID, ACCENT = "#1f2933", "#7b8794", "#e4e7eb", "#2f6f9f"
TRAINED = "#c2571a"
SERIES = ("#2f6f9f", "#c2571a", "#3d8c5a", "#8a4fb0", "#b0306a", "#5b6770", "#b08900", "#0f7c80")
# Score bands 0-9 ... 90-100, from red to green.
BINS = (
    *("#c0392b", "#cf5a2c", "#dc7a2c", "#e49a2d", "#e7b52f"),
    *("#c9bf3a", "#9fbd48", "#74b257", "#4aa564", "#2e9461"),
)
_RC: Any = {  # matplotlib types rcParams keys as literals
    "svg.fonttype": "none",
    "svg.hashsalt": "heard",
    "text.parse_math": False,  # names are data: "$5 off" is not TeX
    "font.size": 10,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlecolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    summary: str
    svg: Markup


def _svg(figure: Figure, title: str, chart_id: str) -> Markup:
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
    return Markup(_clean(buffer.getvalue(), chart_id, title))


def _clean(svg: str, chart_id: str, title: str) -> str:
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'\s+(?:width|height)="[\d.]+pt"', "", svg, count=2)
    svg = re.sub(r"font-family:[^;\"]*;?\s*", "", svg)  # take the page's font
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{chart_id}-\1"', svg)
    label = escape(title)
    return svg.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{chart_id}-title" class="chart"',
        1,
    ).replace(">", f'>\n <title id="{chart_id}-title">{label}</title>', 1)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _style(axes: Any) -> None:
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(length=0)


def score_distribution(analysis: Analysis) -> Chart:
    """Replies per score band, coloured from red (0-9) to green (90-100), with the mean."""
    counts = analysis.overall.replies.histogram
    mean = analysis.overall.replies.score
    title = "How replies scored"
    with matplotlib.rc_context(_RC):
        figure = _figure(11, 3.4)
        axes = figure.add_subplot()
        _style(axes)
        lefts = [10 * i for i in range(len(counts))]
        axes.bar(lefts, counts, width=9.2, align="edge", color=BINS, zorder=2)
        top = max(counts, default=0) or 1
        for left, count in zip(lefts, counts, strict=True):
            if count:
                axes.text(left + 4.6, count + top * 0.02, f"{count:,}", ha="center", va="bottom")
        if mean.mean is not None:
            if mean.low is not None and mean.high is not None:
                axes.axvspan(mean.low, mean.high, color=INK, alpha=0.12, zorder=1, linewidth=0)
            line = axes.axvline(mean.mean, color=INK, linewidth=1.5, linestyle="--", zorder=3)
            label = f"mean {mean.mean:.1f}" + (f" ({span(mean)})" if mean.low is not None else "")
            axes.legend([line], [label], loc="best", frameon=False)
        axes.set_xlim(0, 100)
        axes.set_ylim(0, top * 1.15)
        axes.set_xticks(range(0, 101, 10))
        axes.set_xlabel("score (0–100)")
        axes.set_ylabel("replies")
    commonest = max(range(len(counts)), key=lambda i: counts[i]) if any(counts) else None
    summary = f"{sum(counts):,} replies. Mean score {number(mean.mean)} ({span(mean)})."
    if commonest is not None:
        band = f"{10 * commonest}–{10 * commonest + (10 if commonest == 9 else 9)}"
        summary += f" Most replies scored {band} ({counts[commonest]:,})."
    return Chart("chart-distribution", title, summary, _svg(figure, title, "chart-distribution"))


def team_trends(analysis: Analysis) -> Chart | None:
    """One panel per team: period means with their confidence band; None without periods."""
    teams = [t for t in analysis.teams if analysis.team_series(t.key)]
    if not analysis.periods or not teams:
        return None
    periods = [g.period for g in analysis.periods if g.period is not None]
    base = periods[0].index
    # x is the period's distance from the first one, so a gap in the data stays a gap
    ticks = {p.index - base: _tick(p) for p in periods}
    columns = min(3, len(teams))
    rows = (len(teams) + columns - 1) // columns
    lows = [g.replies.score.low for t in teams for g in analysis.team_series(t.key)]
    highs = [g.replies.score.high for t in teams for g in analysis.team_series(t.key)]
    means = [g.replies.score.mean for t in teams for g in analysis.team_series(t.key)]
    bottom = min((v for v in (*lows, *means) if v is not None), default=0.0)
    ceiling = max((v for v in (*highs, *means) if v is not None), default=100.0)
    y_low, y_high = max(0.0, bottom - 5), min(100.0, ceiling + 5)
    title = f"Mean score per {analysis.unit}, by team"
    with matplotlib.rc_context(_RC):
        figure = _figure(11, 2.8 * rows + 0.3)
        axes_grid = figure.subplots(rows, columns, squeeze=False, sharey=True)
        for number_, (team, axes) in enumerate(zip(teams, axes_grid.flat, strict=False)):
            _team_panel(axes, team, analysis, base, ticks, SERIES[number_ % len(SERIES)])
            axes.set_ylim(y_low, y_high)
        for axes in list(axes_grid.flat)[len(teams) :]:
            axes.set_visible(False)
        for axes in axes_grid[:, 0]:
            axes.set_ylabel("mean score")
    lines = []
    for team in teams:
        trend = team.trend
        if trend is None or trend.slope is None:
            lines.append(f"{team.label}: not enough periods for a trend.")
        else:
            lines.append(
                f"{team.label}: {trend.direction} ({signed(trend.slope)} points per "
                f"{analysis.unit}, p = {trend.p_value:.2g})."
            )
    return Chart("chart-trends", title, " ".join(lines), _svg(figure, title, "chart-trends"))


def _tick(period: Period) -> str:
    if period.unit == "month":
        return f"{period.start:%b %y}"
    return f"{period.start.day} {period.start:%b}"


def _team_panel(
    axes: Any,
    team: Group,
    analysis: Analysis,
    base: int,
    ticks: dict[int, str],
    colour: str,
) -> None:
    _style(axes)
    series = [g for g in analysis.team_series(team.key) if g.replies.score.mean is not None]
    xs = [g.period.index - base for g in series if g.period is not None]
    means = [g.replies.score.mean or 0.0 for g in series]
    nan = float("nan")  # a period without an interval breaks the band
    lows = [nan if g.replies.score.low is None else g.replies.score.low for g in series]
    highs = [nan if g.replies.score.high is None else g.replies.score.high for g in series]
    axes.fill_between(xs, lows, highs, color=colour, alpha=0.15, linewidth=0)
    axes.plot(xs, means, color=colour, linewidth=2, zorder=3)
    for x, g in zip(xs, series, strict=True):
        small = g.replies.score.small
        axes.plot(
            [x],
            [g.replies.score.mean],
            marker="o",
            markersize=6 if len(ticks) <= 16 else 3.5,
            color=colour,
            markerfacecolor="white" if small else colour,
            zorder=4,
        )
    overall = analysis.overall.replies.score.mean
    if overall is not None:
        axes.axhline(overall, color=MUTED, linewidth=1, linestyle=":", zorder=1)
    axes.set_title(team.label, loc="left")
    last = max(ticks)
    step = max(1, -(-(last + 1) // 4))  # at most 4 labels per panel
    shown = [x for x in sorted(ticks) if x % step == 0] or sorted(ticks)[:1]
    axes.set_xticks(shown, [ticks[x] for x in shown])
    axes.set_xlim(-0.3, last + 0.3)


def _rows_figure(rows: int) -> tuple[Figure, Axes]:
    """A wide figure with one horizontal row per agent and a light vertical grid."""
    figure = _figure(11, 0.3 * rows + 0.9)
    axes = figure.add_subplot()
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(length=0)
    return figure, axes


def agent_means(analysis: Analysis) -> Chart | None:
    """Each agent's mean score with its confidence interval (small samples hollow and grey)."""
    agents = [a for a in analysis.agents if a.replies.score.mean is not None]
    if not agents:
        return None
    agents.sort(key=lambda a: a.replies.score.mean or 0.0)
    title = "Mean score per agent, with its confidence interval"
    with matplotlib.rc_context(_RC):
        figure, axes = _rows_figure(len(agents))
        for y, agent in enumerate(agents):
            score = agent.replies.score
            mean = score.mean or 0.0
            colour = MUTED if score.small else ACCENT
            if score.low is not None and score.high is not None:
                axes.plot([score.low, score.high], [y, y], color=colour, linewidth=2.5, alpha=0.6)
            axes.plot(
                [mean],
                [y],
                marker="o",
                markersize=8,
                color=colour,
                markerfacecolor="white" if score.small else colour,
                markeredgewidth=2,
            )
            axes.text(101, y, f"{mean:.1f}  (n = {score.n:,})", va="center", color=colour)
        overall = analysis.overall.replies.score.mean
        if overall is not None:
            axes.axvline(overall, color=INK, linewidth=1, linestyle="--")
        labels = [f"{a.label} (small sample)" if a.small else a.label for a in agents]
        axes.set_yticks(range(len(agents)), labels)
        axes.set_xlim(0, 100)
        axes.set_ylim(-0.6, len(agents) - 0.4)
        axes.set_xlabel("mean score (0–100); dashed line: all replies")
        axes.spines["left"].set_visible(False)
    best, weakest = agents[-1], agents[0]
    summary = (
        f"{len(agents)} agents. Highest mean: {best.label}, {number(best.replies.score.mean)} "
        f"({span(best.replies.score)}); lowest: {weakest.label}, "
        f"{number(weakest.replies.score.mean)} ({span(weakest.replies.score)})."
    )
    small = [a.label for a in agents if a.small]
    if small:
        summary += f" Small samples (fewer than {analysis.min_n} replies): {', '.join(small)}."
    return Chart("chart-agents", title, summary, _svg(figure, title, "chart-agents"))


def calmed_rates(analysis: Analysis) -> Chart | None:
    """Per agent: the share of distressed customers who calmed down, with Wilson intervals."""
    agents = [a for a in analysis.agents if a.conversations.calmed.rate is not None]
    if not agents:
        return None
    agents.sort(key=lambda a: a.conversations.calmed.rate or 0.0)
    title = "Distressed customers who calmed down, per agent"
    with matplotlib.rc_context(_RC):
        figure, axes = _rows_figure(len(agents))
        for y, agent in enumerate(agents):
            rate = agent.conversations.calmed
            colour = MUTED if rate.small else SERIES[2]
            share = 100 * (rate.rate or 0.0)
            axes.barh(y, share, height=0.6, color=colour, alpha=0.35 if rate.small else 0.8)
            if rate.low is not None and rate.high is not None:
                axes.plot([100 * rate.low, 100 * rate.high], [y, y], color=INK, linewidth=1.2)
            axes.text(101, y, f"{share:.0f}%  ({rate.k} of {rate.n})", va="center", color=INK)
        axes.set_yticks(range(len(agents)), [a.label for a in agents])
        axes.set_xlim(0, 100)
        axes.set_ylim(-0.6, len(agents) - 0.4)
        axes.set_xlabel("% of conversations that started distressed and ended calmer")
        axes.spines["left"].set_visible(False)
    overall = analysis.overall.conversations.calmed
    summary = (
        f"Overall {percent(overall.rate)} of {overall.n:,} conversations that started distressed "
        f"ended calmer ({span(overall, percent)}). Highest: {agents[-1].label}, "
        f"{percent(agents[-1].conversations.calmed.rate)}; lowest: {agents[0].label}, "
        f"{percent(agents[0].conversations.calmed.rate)}."
    )
    return Chart("chart-calmed", title, summary, _svg(figure, title, "chart-calmed"))


# --- outcomes and training impact ------------------------------------------------------------

Interval = tuple[float | None, float | None, float | None]  # value, low, high


def _excludes_zero(low: float | None, high: float | None) -> bool:
    return low is not None and high is not None and (low > 0 or high < 0)


def _forest(
    axes: Any,
    labels: Sequence[str],
    rows: Sequence[Interval],
    colour: str,
    *,
    value_text: Any = None,
) -> None:
    """One row per label, top to bottom: the value as a dot and its interval as a line. A dot
    is filled when its interval excludes zero and hollow when it does not; a row without a value
    says so. ``value_text(value)``, when given, labels each dot."""
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(length=0)
    axes.axvline(0, color=MUTED, linewidth=1, zorder=1)
    top = len(rows) - 1
    for i, (value, low, high) in enumerate(rows):
        y = top - i
        if value is None:
            axes.text(0, y, "  no estimate", va="center", color=MUTED, fontsize=8.5)
            continue
        if low is not None and high is not None:
            axes.plot([low, high], [y, y], color=colour, linewidth=2.2, alpha=0.6, zorder=2)
        axes.plot(
            [value],
            [y],
            marker="o",
            markersize=7,
            color=colour,
            markerfacecolor=colour if _excludes_zero(low, high) else "white",
            markeredgewidth=1.8,
            zorder=3,
        )
        if value_text is not None:
            right = value if high is None else max(value, high)
            axes.text(right, y, f"  {value_text(value)}", va="center", color=INK)
    axes.set_yticks(range(len(rows)), list(reversed(labels)))
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.spines["left"].set_visible(False)


def _limits(values: Sequence[float], pad: float, low: float, high: float) -> tuple[float, float]:
    """An x range around ``values`` and zero, padded, within ``[low, high]``."""
    left, right = min(0.0, *values), max(0.0, *values)
    margin = max(pad, (right - left) * 0.08)
    return max(low, left - margin), min(high, right + margin)


def outcomes_chart(report: OutcomesReport) -> Chart | None:
    """A forest plot of Spearman's ρ (with 95% intervals) of the empathy score and of each
    dimension, one panel per outcome with data; None when no outcome has any."""
    shown = [
        a
        for a in report.analyses
        if a.n and any(c.rho is not None for c in (a.empathy, *a.dimensions))
    ]
    if not shown:
        return None
    measures = ["empathy", *dimension_order({c.measure for a in shown for c in a.dimensions})]
    labels = [measure_label(m) for m in measures]

    def rows(correlations: Sequence[Correlation]) -> list[Interval]:
        by_measure = {c.measure: c for c in correlations}
        found = [by_measure.get(m) for m in measures]
        return [(None, None, None) if c is None else (c.rho, c.low, c.high) for c in found]

    panels = [rows((a.empathy, *a.dimensions)) for a in shown]
    values = [v for panel in panels for row in panel for v in row if v is not None]
    left, right = _limits(values, 0.1, -1.0, 1.0)
    title = "Spearman's ρ of empathy with each outcome, with 95% intervals"
    chart_id = "chart-outcomes"
    with matplotlib.rc_context(_RC):
        figure = _figure(11, 0.3 * len(measures) + 1.2)
        grid = figure.subplots(1, len(shown), squeeze=False, sharey=True)
        for number_, (analysis, panel, axes) in enumerate(
            zip(shown, panels, grid.flat, strict=True)
        ):
            _forest(axes, labels, panel, SERIES[number_ % len(SERIES)])
            axes.set_title(f"{measure_label(analysis.outcome)} (n = {analysis.n:,})", loc="left")
            axes.set_xlim(left, right)
            axes.set_xlabel("ρ (−1 to 1)")
        grid[0, 0].get_yticklabels()[-1].set_fontweight("bold")  # the empathy score, on top
    lines = [
        "Spearman's ρ of the empathy score and of each dimension with each outcome; a dot is "
        "filled when its 95% interval excludes zero."
    ]
    for analysis in shown:
        e = analysis.empathy
        line = (
            f"{measure_label(analysis.outcome)} ({analysis.n:,} conversations): empathy score "
            f"ρ = {rho(e.rho)} ({between(e.low, e.high, rho)})"
        )
        strongest = max(
            (c for c in analysis.dimensions if c.rho is not None),
            key=lambda c: abs(c.rho or 0.0),
            default=None,
        )
        if strongest is not None:
            line += f"; strongest dimension {measure_label(strongest.measure)}, "
            line += f"ρ = {rho(strongest.rho)}"
        lines.append(line + ".")
    missing = [measure_label(a.outcome) for a in report.analyses if not a.n]
    if missing:
        lines.append(f"Not in the data: {', '.join(missing)}.")
    return Chart(chart_id, title, " ".join(lines), _svg(figure, title, chart_id))


def _date(at: Any) -> str:
    return f"{at.day} {at:%b %Y}"


def _trained_names(report: ImpactReport) -> str:
    names = [name for _, name in report.trained]
    if not names:
        return "no trained agent with data"
    if len(names) > 4:
        return f"{len(names)} agents"
    return ", ".join(names)


def impact_chart(report: ImpactReport) -> Chart | None:
    """The difference-in-differences of the empathy score as a picture: the trained and the
    comparison group's mean before and after the date (two lines), and where the trained agents
    would be had they changed like the comparison group (dashed). None without all four means."""
    estimate: ImpactEstimate | None = next(
        (e for e in report.estimates if e.metric == "empathy"), None
    )
    if estimate is None:
        return None
    cells: dict[tuple[str, str], Cell] = {(c.group, c.period): c for c in estimate.cells}
    order = [("trained", "before"), ("trained", "after"), ("comparison", "before")]
    order.append(("comparison", "after"))
    means = [cells[key].mean if key in cells else None for key in order]
    if any(m is None for m in means):
        return None
    tb, ta, cb, ca = (float(m or 0.0) for m in means)
    counterfactual = tb + (ca - cb)
    since = _date(report.since)
    comparison_agents = cells[("comparison", "before")].agents
    title = "Empathy score before and after the training: trained agents and comparison group"
    chart_id = "chart-impact"
    with matplotlib.rc_context(_RC):
        figure = _figure(11, 3.8)
        axes = figure.add_subplot()
        _style(axes)
        xs = [0.0, 1.0]
        axes.plot(
            xs,
            [cb, ca],
            color=MUTED,
            linewidth=2.2,
            marker="o",
            markersize=7,
            label=f"comparison group ({comparison_agents} agents)",
        )
        axes.plot(
            xs,
            [tb, ta],
            color=TRAINED,
            linewidth=2.6,
            marker="o",
            markersize=8,
            label=f"trained ({_trained_names(report)})",
        )
        axes.plot(
            xs,
            [tb, counterfactual],
            color=TRAINED,
            linewidth=1.4,
            linestyle="--",
            alpha=0.75,
            label="trained, had they changed like the comparison group",
        )
        for (group, period), mean in zip(order, (tb, ta, cb, ca), strict=True):
            n = cells[(group, period)].n
            before = period == "before"
            axes.text(
                -0.04 if before else 1.04,
                mean,
                f"{mean:.1f}  (n = {n:,})" if not before else f"(n = {n:,})  {mean:.1f}",
                ha="right" if before else "left",
                va="center",
                color=TRAINED if group == "trained" else INK,
            )
        bracket = 1.42
        axes.annotate(
            "",
            xy=(bracket, ta),
            xytext=(bracket, counterfactual),
            arrowprops={"arrowstyle": "<->", "color": INK, "linewidth": 1.2},
        )
        axes.plot([1.0, bracket], [counterfactual] * 2, color=TRAINED, linewidth=0.8, linestyle=":")
        if estimate.estimate is not None:
            axes.text(
                bracket + 0.04,
                (ta + counterfactual) / 2,
                f"difference in differences\n{signed(estimate.estimate)} points\n"
                f"(95% CI {between(estimate.low, estimate.high)})",
                va="center",
                color=INK,
            )
        values = [tb, ta, cb, ca, counterfactual]
        axes.set_ylim(max(0.0, min(values) - 8), min(100.0, max(values) + 8))
        axes.set_xlim(-0.6, 2.0)
        axes.set_xticks(xs, [f"before {since}", f"from {since}"])
        axes.set_ylabel("mean empathy score")
        figure.legend(loc="outside lower center", ncols=3, frameon=False)
    summary = (
        f"Mean empathy score per conversation. Trained agents ({_trained_names(report)}): "
        f"{tb:.1f} before {since} ({cells[order[0]].n:,} conversations) and {ta:.1f} from then "
        f"on ({cells[order[1]].n:,}). Comparison group ({comparison_agents} agents): {cb:.1f} and "
        f"{ca:.1f} ({cells[order[2]].n:,} and {cells[order[3]].n:,}). Had the trained agents "
        f"changed like the comparison group, they would be at {counterfactual:.1f}"
    )
    if estimate.estimate is not None:
        summary += (
            f"; the difference in differences is {signed(estimate.estimate)} points "
            f"(95% CI {between(estimate.low, estimate.high)})"
        )
    return Chart(chart_id, title, summary + ".", _svg(figure, title, chart_id))


def impact_estimates_chart(report: ImpactReport) -> Chart | None:
    """A forest plot of the skills' difference-in-differences (percentage points) with their
    95% intervals; None when no skill has an estimate."""
    by_metric = {e.metric: e for e in report.estimates}
    skills = [s for s in SKILL_NAMES if s in by_metric and by_metric[s].estimate is not None]
    if not skills:
        return None

    def scaled(value: float | None) -> float | None:
        return None if value is None else 100 * value

    rows: list[Interval] = [
        (scaled(e.estimate), scaled(e.low), scaled(e.high)) for e in (by_metric[s] for s in skills)
    ]
    values = [v for row in rows for v in row if v is not None]
    left, right = _limits(values, 5.0, -100.0, 100.0)
    title = "Change in each skill after the training, trained minus comparison (percentage points)"
    chart_id = "chart-impact-skills"
    with matplotlib.rc_context(_RC):
        figure = _figure(11, 0.34 * len(skills) + 1.0)
        axes = figure.add_subplot()
        _forest(
            axes,
            [measure_label(s) for s in skills],
            rows,
            TRAINED,
            value_text=lambda v: f"{signed(v)} pp",
        )
        axes.set_xlim(left, right + (right - left) * 0.08)
        axes.set_xlabel(
            "difference in differences of the share of replies showing the skill "
            "(percentage points); filled: the 95% interval excludes zero"
        )
    parts = [
        f"{measure_label(s)} {signed(row[0])} ({between(row[1], row[2])})"
        for s, row in zip(skills, rows, strict=True)
    ]
    summary = (
        "Difference in differences per skill, in percentage points, with 95% intervals: "
        f"{'; '.join(parts)}."
    )
    return Chart(chart_id, title, summary, _svg(figure, title, chart_id))


# --- one chart on its own --------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_STANDALONE_FONT = '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif'


def standalone_svg(chart: Chart) -> str:
    """``chart`` as a complete SVG document (``--chart FILE.svg``): the XML prologue, the SVG and
    XLink namespaces, a size (from the view box, in points, as matplotlib drew it) and a font,
    which the inline version leaves to the page."""
    svg = str(chart.svg)
    size = ""
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if box is not None:
        size = f' width="{box.group(1)}pt" height="{box.group(2)}pt"'
    svg = svg.replace("<svg", f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"{size}', 1)
    style = f'<style type="text/css">text {{ font-family: {_STANDALONE_FONT} }}</style>'
    svg = svg.replace("</title>", f"</title>\n {style}", 1)
    return '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + svg.rstrip() + "\n"
