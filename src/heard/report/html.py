"""The report as one self-contained HTML page: ``render_html(analysis, ...) -> str``.

Everything is inline (CSS, SVG charts), nothing is fetched, no script runs: the file can be
mailed, archived and opened offline. The page is rendered with Jinja2 with autoescaping on, since
every reply, customer message, agent and team name is user data; the only markup that is not
escaped is what this module builds itself from escaped pieces (the highlighted evidence) and the
charts' SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from heard import __version__
from heard.analytics.aggregates import Analysis, Group
from heard.analytics.examples import Highlight, ReplyExample
from heard.analytics.stats import Mean, Rate
from heard.analytics.trends import NOT_ENOUGH
from heard.report import charts
from heard.report.format import (
    KIND_LABELS,
    MECHANISM_LABELS,
    label,
    number,
    percent,
    signed,
    span,
)
from heard.results import MECHANISMS

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


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("heard.report", "templates"),
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
    environment.globals.update(
        highlight=highlight,
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
) -> str:
    """The whole report page. ``generated_at`` and ``source_note`` (where the data came from) are
    printed in the header and footer; nothing here reads the clock."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        a=analysis,
        title=title,
        generated_at=generated_at,
        source_note=source_note,
        version=__version__,
        period_range=_period_range(analysis),
        charts={
            "distribution": charts.score_distribution(analysis),
            "trends": charts.team_trends(analysis),
            "agents": charts.agent_means(analysis),
            "calmed": charts.calmed_rates(analysis),
        },
        cell=_cell,
        trend_text=_trend_text,
        examples=_examples,
    )


def _period_range(analysis: Analysis) -> str:
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


def _examples(group: Group) -> list[tuple[str, ReplyExample]]:
    shown: list[tuple[str, ReplyExample]] = []
    if group.best is not None:
        shown.append(("Best reply" if group.weakest is not None else "Reply", group.best))
    if group.weakest is not None:
        shown.append(("Weakest reply", group.weakest))
    return shown
