"""The report use case: stored scores → analytics → an offline HTML page, CSV and JSON tables.

Beside the analysis, the page and the JSON carry whether empathy goes with better outcomes
(:mod:`heard.services.outcomes`), team wellbeing as counts of agents only
(:func:`heard.services.wellbeing.team_counts`) and, when asked for with both ``impact_trained``
and ``impact_since``, the training impact (:mod:`heard.services.impact`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heard.analytics.aggregates import Analysis, analyse
from heard.errors import InputError
from heard.report.exports import to_json, write_csv
from heard.report.html import WellbeingCounts, render_html
from heard.services.rows import scored_rows
from heard.storage.database import Database

if TYPE_CHECKING:
    from heard.analytics.impact import ImpactReport
    from heard.analytics.outcomes import OutcomesReport
    from heard.services.config import Config

PERIODS = ("day", "week", "month")


@dataclass
class ReportFiles:
    analysis: Analysis
    replies: int
    conversations: int
    html: Path | None = None
    csv: list[Path] = field(default_factory=list)
    json: Path | None = None
    outcomes: OutcomesReport | None = None
    impact: ImpactReport | None = None  # only when asked for
    wellbeing: WellbeingCounts | None = None  # None when no agent reply is stored


def build_analysis(
    database: Database,
    model_version: str,
    *,
    period: str = "week",
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[Analysis, int, int]:
    if period not in PERIODS:
        raise InputError(
            f"unknown period {period!r}; choose one of: {', '.join(PERIODS)}", field="--period"
        )
    replies, conversations = scored_rows(database, model_version, since=since, until=until)
    return analyse(replies, conversations, period=period), len(replies), len(conversations)


def build_wellbeing(
    database: Database,
    model_version: str,
    config: Config,
    *,
    as_of: datetime | None = None,
) -> WellbeingCounts | None:
    """Counts of agents per fatigue signal, everyone's and each team's (withheld below the
    minimum); None when no agent reply is stored."""
    from heard.services.wellbeing import default_as_of, team_counts

    if as_of is None:
        try:
            as_of = default_as_of(database)
        except InputError:  # nothing stored yet: nothing to count
            return None
    when, overall, teams = team_counts(
        database, model_version, settings=config.fatigue, as_of=as_of
    )
    return WellbeingCounts(when, overall, teams, config.fatigue)


def write_report(
    database: Database,
    model_version: str,
    *,
    out: Path | None,
    csv_dir: Path | None = None,
    json_path: Path | None = None,
    period: str = "week",
    since: datetime | None = None,
    until: datetime | None = None,
    title: str = "Empathy report",
    now: datetime | None = None,
    impact_trained: Sequence[str] = (),
    impact_since: datetime | None = None,
    config: Config | None = None,
) -> ReportFiles:
    """Write the HTML page (``out``), the CSV tables (``csv_dir``) and the JSON (``json_path``).

    The outcomes and wellbeing sections are built for the page and the JSON (outcomes over the
    same ``since``/``until``, wellbeing over the fatigue window ending at ``until`` or else after
    the last stored reply); the training impact only with both ``impact_trained`` (agent or team
    names) and ``impact_since`` (the training date). ``config`` gives the repeat-contact days and
    the fatigue settings (defaults without it).
    """
    if bool(impact_trained) != (impact_since is not None):
        raise InputError(
            "the training impact needs both the trained agents and the training date",
            field="--trained" if not impact_trained else "--training-since",
        )
    from heard.services.config import Config

    settings = config or Config()
    analysis, n_replies, n_conversations = build_analysis(
        database, model_version, period=period, since=since, until=until
    )
    files = ReportFiles(analysis, n_replies, n_conversations)
    if out is not None or json_path is not None:  # the CSV tables have no use for them
        _build_sections(
            files, database, model_version, settings, since, until, impact_trained, impact_since
        )
    generated = now or datetime.now(UTC)
    if out is not None:
        html = render_html(
            analysis,
            title=title,
            generated_at=generated,
            source_note=f"{n_replies} replies in {n_conversations} conversations, "
            f"scored by {model_version}",
            outcomes=files.outcomes,
            impact=files.impact,
            wellbeing=files.wellbeing,
        )
        _write(out, html)
        files.html = out
    if csv_dir is not None:
        try:
            csv_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                f"cannot create the folder ({error.strerror})", where=str(csv_dir)
            ) from error
        files.csv = write_csv(analysis, csv_dir)
    if json_path is not None:
        document = to_json(analysis) | sections_json(files)
        _write(json_path, json.dumps(document, ensure_ascii=False, indent=2))
        files.json = json_path
    return files


def _build_sections(
    files: ReportFiles,
    database: Database,
    model_version: str,
    config: Config,
    since: datetime | None,
    until: datetime | None,
    impact_trained: Sequence[str],
    impact_since: datetime | None,
) -> None:
    from heard.services.impact import training_impact
    from heard.services.outcomes import outcomes_report

    files.outcomes = outcomes_report(
        database, model_version, since=since, until=until, repeat_days=config.repeat_days
    )
    if impact_trained and impact_since is not None:
        files.impact = training_impact(
            database,
            model_version,
            trained=list(impact_trained),
            since=impact_since,
            until=until,
            repeat_days=config.repeat_days,
        )
    files.wellbeing = build_wellbeing(database, model_version, config, as_of=until)


def sections_json(files: ReportFiles) -> dict[str, Any]:
    """The "outcomes", "impact" (null when not asked for) and "wellbeing" (counts only) keys."""
    from heard.report.measures import impact_json, outcomes_json, plain

    wellbeing = None
    if files.wellbeing is not None:
        w = files.wellbeing
        wellbeing = {
            "as_of": w.as_of.isoformat(),
            "window_days": w.settings.window_days,
            "baseline_days": w.settings.baseline_days,
            "min_agents": w.settings.team_min_agents,
            "overall": plain(w.overall),
            "teams": {team: plain(counts) for team, counts in w.teams.items()},
        }
    return {
        "outcomes": outcomes_json(files.outcomes) if files.outcomes is not None else None,
        "impact": impact_json(files.impact) if files.impact is not None else None,
        "wellbeing": wellbeing,
    }


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write ({error.strerror})", where=str(path)) from error
