"""The measuring commands: outcomes, training impact and wellbeing (fatigue) signals.

Each reads the stored, scored conversations through a service, prints a readable summary (or
``--json``), and for outcomes and impact can write the chart as an SVG file (``--chart``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from heard.cli.common import ConfigOption, DbOption, TierOption, err, fail, open_db, out, parse_date
from heard.errors import HeardError, InputError

if TYPE_CHECKING:
    from heard.analytics.fatigue import AgentFatigue, FatigueSignal
    from heard.analytics.impact import ImpactEstimate, ImpactReport
    from heard.analytics.outcomes import Correlation, OutcomeAnalysis, OutcomesReport
    from heard.analytics.wellbeing import MySignals, TeamSignals
    from heard.report.charts import Chart

SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only conversations from this date (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Only conversations before this date (YYYY-MM-DD).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the results as JSON.")]
ChartOption = Annotated[
    Path | None, typer.Option("--chart", help="Also write the chart as an SVG file here.")
]

OUTCOME_TITLES = {
    "csat": "CSAT",
    "repeat_contact": "Repeat contact",
    "resolved": "Resolution",
    "escalated": "Escalation",
}
SIGNAL_TITLES = {
    "empathy_trend": "Empathy trend",
    "scripted": "Scripted replies",
    "shorter_generic": "Shorter, more generic replies",
    "workload": "Workload",
    "after_hours": "After-hours work",
    "long_streak": "Long streak without a day off",
    "exposure": "Upset customers",
}
METRIC_TITLES = {
    "empathy": "empathy score",
    "no_anti_patterns": "no anti-patterns",
    "next_steps": "next steps",
    **OUTCOME_TITLES,
}


def _config(path: str | None) -> Any:
    from heard.services.config import load_config

    return load_config(path)


def _model_version(tier: str) -> str:
    from heard.services.models import model_version

    return model_version(tier)


def _print_json(document: dict[str, Any]) -> None:
    out.print_json(json.dumps(document, ensure_ascii=False))


def _write_chart(chart: Chart | None, path: Path | None) -> None:
    if path is None:
        return
    if chart is None:
        err.print(f"no chart written to {path}: there is nothing to draw", highlight=False)
        return
    from heard.report.charts import standalone_svg

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(standalone_svg(chart), encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write the chart ({error.strerror})", where=str(path)) from error
    err.print(f"wrote {path}", highlight=False)


def _span(low: float | None, high: float | None, scale: float = 1.0, digits: int = 2) -> str:
    if low is None or high is None:
        return "no interval"
    return f"[{low * scale:+.{digits}f}, {high * scale:+.{digits}f}]"


def _warnings(notes: Sequence[str], indent: str = "  ") -> None:
    for note in notes:
        out.print(f"{indent}[yellow]![/yellow] {note}", highlight=False)


# --- heard outcomes --------------------------------------------------------------------------


def outcomes_command(
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            help="csat, repeat_contact, resolved or escalated; repeat for several "
            "(default: all four).",
        ),
    ] = None,
    repeat_days: Annotated[
        int | None,
        typer.Option(
            "--repeat-days",
            min=1,
            help="A repeat contact: the same customer again within this many days "
            "(default 7, or the settings file's).",
        ),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    chart: ChartOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    tier: TierOption = "fast",
) -> None:
    """Does empathy go with better CSAT, resolution and fewer repeat contacts? Rank
    correlations with bootstrap intervals, and a regression with controls."""
    from heard.analytics.outcomes import OUTCOMES
    from heard.services.outcomes import outcomes_report

    try:
        settings = _config(config)
        report = outcomes_report(
            open_db(db),
            _model_version(tier),
            outcomes=outcome or OUTCOMES,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            repeat_days=repeat_days or settings.repeat_days,
        )
        if chart is not None:
            from heard.report.charts import outcomes_chart

            _write_chart(outcomes_chart(report), chart)
    except HeardError as error:
        fail(str(error))
    if as_json:
        from heard.report.measures import outcomes_json

        _print_json(outcomes_json(report))
        return
    render_outcomes(report)


def render_outcomes(report: OutcomesReport) -> None:
    out.print(
        f"[bold]Empathy and outcomes[/bold] in {report.conversations} scored conversations "
        f"(repeat contact: the same customer again within {report.repeat_days} days)",
        highlight=False,
    )
    for analysis in report.analyses:
        _render_outcome(analysis)


def _render_outcome(analysis: OutcomeAnalysis) -> None:
    title = OUTCOME_TITLES[analysis.outcome]
    out.print()
    if analysis.n == 0:
        out.print(f"[bold]{title}[/bold]: not in the data.", highlight=False)
        return
    out.print(
        f"[bold]{title}[/bold]: known for {analysis.n} conversations"
        + (f" ({analysis.n_missing} unknown, left out)" if analysis.n_missing else ""),
        highlight=False,
    )
    e = analysis.empathy
    out.print(f"  Empathy score: {_rho(e)}", highlight=False)
    adjusted = analysis.adjusted
    if adjusted is not None and adjusted.coefficient is not None:
        from heard.analytics.outcomes import CONTROL_WORDS

        controls = ", ".join(CONTROL_WORDS[c] for c in adjusted.controls) or "nothing"
        if adjusted.model == "ols":
            effect = (
                f"+10 empathy points go with {adjusted.coefficient * 1000:+.1f} CSAT points "
                f"(0-100) {_span(adjusted.low, adjusted.high, 1000, 1)}"
            )
        else:
            odds = 10 * adjusted.coefficient
            effect = (
                f"+10 empathy points multiply the odds of {title.lower()} by "
                f"{_exp(odds):.2f} {_exp_span(adjusted.low, adjusted.high)}"
            )
        out.print(
            f"  Controlled for {controls} ({adjusted.model.upper()}, {adjusted.covariance} "
            f"errors, n {adjusted.n}): {effect}, p = {adjusted.p_value:.3g}",
            highlight=False,
        )
    if analysis.dimensions:
        table = Table(box=box.SIMPLE, show_header=True, pad_edge=False)
        table.add_column("dimension")
        table.add_column("ρ", justify="right")
        table.add_column("95% CI", justify="right")
        table.add_column("n", justify="right")
        from heard.analytics.conversation_outcomes import DIMENSIONS

        order = {name: i for i, name in enumerate(DIMENSIONS)}
        for d in sorted(analysis.dimensions, key=lambda d: order.get(d.measure, len(order))):
            table.add_row(
                METRIC_TITLES.get(d.measure, d.measure.replace("_", " ")),
                "n/a" if d.rho is None else f"{d.rho:+.2f}",
                _span(d.low, d.high),
                str(d.n),
            )
        out.print(table)
    _warnings(analysis.warnings)


def _rho(c: Correlation) -> str:
    if c.rho is None:
        return f"no correlation (nothing varies; n {c.n})"
    return f"Spearman ρ {c.rho:+.2f} {_span(c.low, c.high)}, p = {c.p_value:.3g}, n {c.n}"


def _exp(value: float) -> float:
    import math

    return math.exp(value)


def _exp_span(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "no interval"
    return f"[{_exp(10 * low):.2f}, {_exp(10 * high):.2f}]"


# --- heard impact ----------------------------------------------------------------------------


def impact_command(
    trained: Annotated[
        list[str],
        typer.Option(
            "--trained",
            help="The trained agents or teams, by id or name; comma-separated or repeated.",
        ),
    ],
    since: Annotated[str, typer.Option("--since", help="When the training ended (YYYY-MM-DD).")],
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="End the after period here (YYYY-MM-DD; default: the end of the data)."
        ),
    ] = None,
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            help="empathy, a skill (acknowledge, reflect, explore, own, next_steps, "
            "no_anti_patterns, fit) or an outcome; repeat for several (default: all).",
        ),
    ] = None,
    as_json: JsonOption = False,
    chart: ChartOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    tier: TierOption = "fast",
) -> None:
    """Did the training work? The trained agents before and after, against everyone else
    (difference-in-differences, wild cluster bootstrap intervals), and their role-play
    practice."""
    from heard.services.impact import METRICS, training_impact

    try:
        settings = _config(config)
        start = parse_date(since, "--since")
        assert start is not None
        report = training_impact(
            open_db(db),
            _model_version(tier),
            trained=trained,
            since=start,
            until=parse_date(until, "--until"),
            metrics=metric or METRICS,
            repeat_days=settings.repeat_days,
        )
        if chart is not None:
            from heard.report.charts import impact_chart

            _write_chart(impact_chart(report), chart)
    except HeardError as error:
        fail(str(error))
    if as_json:
        from heard.report.measures import impact_json

        _print_json(impact_json(report))
        return
    render_impact(report)


def _unit(metric: str) -> tuple[float, str, int]:
    """(scale, unit, digits) for showing a metric's difference."""
    if metric == "empathy":
        return 1.0, " pts", 1
    if metric == "csat":
        return 100.0, " CSAT pts", 1
    return 100.0, " pp", 0


def render_impact(report: ImpactReport) -> None:
    names = ", ".join(name for _, name in report.trained) or "none with data"
    out.print(
        f"[bold]Training impact[/bold]: {names} ({len(report.trained)} trained) against "
        f"{report.comparison} other agents, before and after {report.since:%d %b %Y}"
        + (f" (until {report.until:%d %b %Y})" if report.until else ""),
        highlight=False,
    )
    out.print(
        "Difference-in-differences over conversations (the trained agents' change minus the "
        "others' change); 95% intervals from a wild bootstrap clustered by agent.",
        style="dim",
        highlight=False,
    )
    table = Table(box=box.SIMPLE, pad_edge=False)
    table.add_column("metric")
    table.add_column("change [95% CI]", justify="right")
    table.add_column("trained before/after", justify="right")
    table.add_column("others before/after", justify="right")
    for e in report.estimates:
        change, span, trained, others = _estimate(e)
        table.add_row(
            METRIC_TITLES.get(e.metric, e.metric.replace("_", " ")),
            f"{change} {span}".strip(),
            trained,
            others,
        )
    out.print(table)
    if report.practice:
        first = report.practice[0]
        out.print(
            f"[bold]Practice[/bold]: {first.sessions} role-play sessions by {first.trainees} "
            f"trained agent(s), {report.drills} drill attempts. Did what they practised move "
            "in live conversations?",
            highlight=False,
        )
        practice = Table(box=box.SIMPLE, pad_edge=False)
        practice.add_column("skill")
        practice.add_column("role-play: first → latest", justify="right")
        practice.add_column("live change", justify="right")
        for p in report.practice:
            latest = "only one session" if p.latest is None else f"{100 * p.latest:.0f}%"
            first_share = "n/a" if p.first is None else f"{100 * p.first:.0f}%"
            change, span, _, _ = _estimate(p.live)
            practice.add_row(
                p.skill.replace("_", " "), f"{first_share} → {latest}", f"{change} {span}"
            )
        out.print(practice)
    elif report.drills:
        out.print(f"Practice: {report.drills} drill attempts, no role-play sessions.")
    else:
        out.print("Practice: no role-play sessions or drills by the trained agents.", style="dim")
    shown: set[str] = set()
    for e in report.estimates:
        fresh = [w for w in e.warnings if w not in shown]
        if fresh:
            out.print(f"[bold]{METRIC_TITLES.get(e.metric, e.metric)}[/bold]:", highlight=False)
            _warnings(fresh)
            shown.update(fresh)


def _estimate(e: ImpactEstimate) -> tuple[str, str, str, str]:
    scale, unit, digits = _unit(e.metric)
    cells = {(c.group, c.period): c.n for c in e.cells}
    trained = f"{cells[('trained', 'before')]} / {cells[('trained', 'after')]}"
    others = f"{cells[('comparison', 'before')]} / {cells[('comparison', 'after')]}"
    if e.estimate is None:
        return ("no data" if not any(cells.values()) else "no estimate"), "", trained, others
    return (
        f"{e.estimate * scale:+.{digits}f}{unit}",
        _span(e.low, e.high, scale, digits),
        trained,
        others,
    )


# --- heard fatigue ---------------------------------------------------------------------------


def fatigue_command(
    agent: Annotated[
        str | None,
        typer.Option(
            "--agent",
            help="Your own signals, as the agent (id or name). Showing them records that you "
            "have seen them.",
        ),
    ] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="A lead's view of one team (default: everyone).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The end of the recent window (YYYY-MM-DD, exclusive; default: midnight "
            "after the last stored reply).",
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    tier: TierOption = "fast",
) -> None:
    """Empathy-fatigue signals, explained: your own with --agent (you see them first), or a
    lead's team view: counts, and individuals only as the wellbeing policy allows."""
    from heard.services.wellbeing import my_signals, team_signals

    if agent is not None and team is not None:
        fail("choose --agent (your own signals) or --team (a lead's view), not both")
    try:
        settings = _config(config)
        database = open_db(db)
        when = parse_date(as_of, "--as-of")
        if agent is not None:
            mine = my_signals(
                database, _model_version(tier), agent, settings=settings.fatigue, as_of=when
            )
        else:
            shared = team_signals(
                database,
                _model_version(tier),
                team=team,
                settings=settings.fatigue,
                policy=settings.wellbeing,
                as_of=when,
            )
    except HeardError as error:
        fail(str(error))
    from heard.report.measures import my_signals_json, team_signals_json

    if agent is not None:
        if as_json:
            _print_json(my_signals_json(mine))
        else:
            render_my_signals(mine, settings.wellbeing.describe())
    elif as_json:
        _print_json(team_signals_json(shared))
    else:
        render_team_signals(shared)


def _period(result: AgentFatigue) -> str:
    return f"{result.window_start:%d %b} to {result.now:%d %b %Y}"


def _signal(signal: FatigueSignal, *, suggestion: bool) -> None:
    mark = "[bold yellow]●[/bold yellow]" if signal.fired else "[dim]○[/dim]"
    state = "[bold]worth a look[/bold]" if signal.fired else "as usual"
    out.print(f"{mark} {SIGNAL_TITLES.get(signal.name, signal.name)}: {state}", highlight=False)
    out.print(f"    {signal.reason}", highlight=False)
    if suggestion and signal.fired:
        out.print(f"    [green]Try:[/green] {signal.suggestion}", highlight=False)


def render_my_signals(mine: MySignals, policy: str) -> None:
    result = mine.fatigue
    out.print(
        f"[bold]Your wellbeing signals, {mine.name}[/bold] ({_period(result)} "
        "against your own earlier weeks)",
        highlight=False,
    )
    out.print(
        f"These are yours, and you see them first. {policy} There is no score and no ranking.",
        style="dim",
        highlight=False,
    )
    if not result.enough_data:
        out.print(result.reason, highlight=False)
        return
    if not result.fired:
        out.print("Nothing stands out against your own usual. Keep looking after yourself.")
    for signal in sorted(result.signals, key=lambda s: not s.fired):
        _signal(signal, suggestion=True)


def render_team_signals(team: TeamSignals) -> None:
    counts = team.counts
    who = f"team {team.team}" if team.team else "everyone"
    out.print(
        f"[bold]Team wellbeing[/bold], {who}: {counts.agents} agents, "
        f"{counts.agents_with_enough_data} with enough data; the window ends {team.as_of:%d %b %Y}",
        highlight=False,
    )
    if counts.withheld:
        out.print(
            f"Counts withheld: fewer than {counts.min_agents} agents have enough data "
            f"({counts.agents_with_enough_data}), so a count could point at a person.",
            highlight=False,
        )
    else:
        table = Table(box=box.SIMPLE, pad_edge=False)
        table.add_column("signal")
        table.add_column("agents", justify="right")
        for name, count in counts.fired_counts:
            table.add_row(SIGNAL_TITLES.get(name, name), str(count))
        out.print(table)
        out.print(
            f"{counts.agents_with_any_signal} of {counts.agents_with_enough_data} agents have at "
            "least one signal.",
            highlight=False,
        )
    out.print(f"Policy: {team.policy.describe()}", style="dim", highlight=False)
    if not team.shared:
        out.print("No individual signals are shared with leads under the policy.")
        return
    out.print("[bold]Shared under the policy[/bold] (in name order):", highlight=False)
    for shared in team.shared:
        out.print(
            f"[bold]{escape(shared.name)}[/bold] ({escape(shared.visibility.reason)})",
            highlight=False,
        )
        for signal in shared.fatigue.signals:
            if signal.name in shared.visibility.signals:
                _signal(signal, suggestion=True)


def register(app: typer.Typer) -> None:
    app.command("outcomes")(outcomes_command)
    app.command("impact")(impact_command)
    app.command("fatigue")(fatigue_command)
