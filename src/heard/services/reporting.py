"""The report use case: stored scores → analytics → an offline HTML page, CSV and JSON tables."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from heard.analytics.aggregates import Analysis, analyse
from heard.errors import InputError
from heard.report.exports import to_json, write_csv
from heard.report.html import render_html
from heard.services.rows import scored_rows
from heard.storage.database import Database

PERIODS = ("day", "week", "month")


@dataclass
class ReportFiles:
    analysis: Analysis
    replies: int
    conversations: int
    html: Path | None = None
    csv: list[Path] = field(default_factory=list)
    json: Path | None = None


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
) -> ReportFiles:
    analysis, n_replies, n_conversations = build_analysis(
        database, model_version, period=period, since=since, until=until
    )
    files = ReportFiles(analysis, n_replies, n_conversations)
    generated = now or datetime.now(UTC)
    if out is not None:
        html = render_html(
            analysis,
            title=title,
            generated_at=generated,
            source_note=f"{n_replies} replies in {n_conversations} conversations, "
            f"scored by {model_version}",
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
        _write(json_path, json.dumps(to_json(analysis), ensure_ascii=False, indent=2))
        files.json = json_path
    return files


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write ({error.strerror})", where=str(path)) from error
