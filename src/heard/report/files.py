"""The report's files: the offline HTML page, the CSV tables and the JSON, from the values of
:func:`heard.services.reporting.report_data`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heard.errors import InputError
from heard.report.exports import to_json, write_csv
from heard.report.html import render_html
from heard.report.measures import impact_json, outcomes_json, plain
from heard.services.reporting import ReportData, report_data
from heard.storage.database import Database

if TYPE_CHECKING:
    from heard.services.config import Config


@dataclass
class ReportFiles:
    """What a report showed, and the files it was written to."""

    data: ReportData
    html: Path | None = None
    csv: list[Path] = field(default_factory=list)
    json: Path | None = None


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
    """Write the HTML page (``out``), the CSV tables (``csv_dir``) and the JSON (``json_path``)
    of :func:`heard.services.reporting.report_data` (its arguments); the sections are built
    for the page and the JSON only (the CSV tables have no use for them)."""
    data = report_data(
        database,
        model_version,
        period=period,
        since=since,
        until=until,
        impact_trained=impact_trained,
        impact_since=impact_since,
        config=config,
        sections=out is not None or json_path is not None,
    )
    return write_files(data, out=out, csv_dir=csv_dir, json_path=json_path, title=title, now=now)


def write_files(
    data: ReportData,
    *,
    out: Path | None,
    csv_dir: Path | None = None,
    json_path: Path | None = None,
    title: str = "Empathy report",
    now: datetime | None = None,
) -> ReportFiles:
    """Write the report of ``data``: the page, the tables, the JSON (each when given a path)."""
    analysis = data.analysis
    files = ReportFiles(data)
    generated = now or datetime.now(UTC)
    if out is not None:
        html = render_html(
            analysis,
            title=title,
            generated_at=generated,
            source_note=f"{data.replies} replies in {data.conversations} conversations, "
            f"scored by {data.model_version}",
            outcomes=data.outcomes,
            impact=data.impact,
            wellbeing=data.wellbeing,
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
        document = to_json(analysis) | sections_json(data)
        _write(json_path, json.dumps(document, ensure_ascii=False, indent=2))
        files.json = json_path
    return files


def sections_json(data: ReportData) -> dict[str, Any]:
    """The "outcomes", "impact" (null when not asked for) and "wellbeing" (counts only) keys."""
    wellbeing = None
    if data.wellbeing is not None:
        w = data.wellbeing
        wellbeing = {
            "as_of": w.as_of.isoformat(),
            "window_days": w.settings.window_days,
            "baseline_days": w.settings.baseline_days,
            "min_agents": w.settings.team_min_agents,
            "overall": plain(w.overall),
            "teams": {team: plain(counts) for team, counts in w.teams.items()},
        }
    return {
        "outcomes": outcomes_json(data.outcomes) if data.outcomes is not None else None,
        "impact": impact_json(data.impact) if data.impact is not None else None,
        "wellbeing": wellbeing,
    }


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write ({error.strerror})", where=str(path)) from error
