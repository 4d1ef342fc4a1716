"""The report use case: stored scores → the values a report shows (:class:`ReportData`).

Beside the analysis, a report carries whether empathy goes with better outcomes
(:mod:`heard.services.outcomes`), team wellbeing as counts of agents only
(:func:`heard.services.wellbeing.team_counts`) and, when asked for with both ``impact_trained``
and ``impact_since``, the training impact (:mod:`heard.services.impact`). Rendering them (the
offline HTML page, CSV and JSON tables) is the report's face, :mod:`heard.report.files`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from heard.analytics.aggregates import Analysis, analyse
from heard.analytics.wellbeing import WellbeingCounts
from heard.errors import InputError
from heard.services.rows import scored_rows
from heard.storage.database import Database

if TYPE_CHECKING:
    from heard.analytics.impact import ImpactReport
    from heard.analytics.outcomes import OutcomesReport
    from heard.services.config import Config

PERIODS = ("day", "week", "month")


@dataclass(frozen=True)
class ReportData:
    """What a report shows: the analysis and, when built, its sections."""

    analysis: Analysis
    replies: int
    conversations: int
    model_version: str
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


def report_data(
    database: Database,
    model_version: str,
    *,
    period: str = "week",
    since: datetime | None = None,
    until: datetime | None = None,
    impact_trained: Sequence[str] = (),
    impact_since: datetime | None = None,
    config: Config | None = None,
    sections: bool = True,
) -> ReportData:
    """The analysis of the stored scores and, with ``sections``, the outcomes and wellbeing
    sections (outcomes over the same ``since``/``until``, wellbeing over the fatigue window
    ending at ``until`` or else after the last stored reply) and the training impact when both
    ``impact_trained`` (agent or team names) and ``impact_since`` (the training date) are given.
    ``config`` gives the repeat-contact days and the fatigue settings (defaults without it)."""
    if bool(impact_trained) != (impact_since is not None):
        raise InputError(
            "the training impact needs both the trained agents and the training date",
            field="--trained" if not impact_trained else "--training-since",
        )
    from heard.services.config import Config
    from heard.services.impact import training_impact
    from heard.services.outcomes import outcomes_report

    settings = config or Config()
    analysis, n_replies, n_conversations = build_analysis(
        database, model_version, period=period, since=since, until=until
    )
    data = ReportData(analysis, n_replies, n_conversations, model_version)
    if not sections:
        return data
    impact = None
    if impact_trained and impact_since is not None:
        impact = training_impact(
            database,
            model_version,
            trained=list(impact_trained),
            since=impact_since,
            until=until,
            repeat_days=settings.repeat_days,
        )
    return ReportData(
        analysis,
        n_replies,
        n_conversations,
        model_version,
        outcomes=outcomes_report(
            database, model_version, since=since, until=until, repeat_days=settings.repeat_days
        ),
        impact=impact,
        wellbeing=build_wellbeing(database, model_version, settings, as_of=until),
    )
