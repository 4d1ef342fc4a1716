"""The commands that score a whole help desk: import, score, analyze, report and the demo."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from heard.cli.common import (
    ConfigOption,
    DbOption,
    TierOption,
    err,
    fail,
    open_db,
    out,
    parse_date,
    progress_bar,
)
from heard.errors import HeardError, InputError
from heard.imports.records import Reject

if TYPE_CHECKING:  # imported when used: the CLI starts fast
    from heard.report.files import ReportFiles
    from heard.storage.database import Database

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="generic, zendesk, freshdesk, intercom or twcs (default: detected from the file).",
    ),
]
MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help="For generic CSV/JSONL: FIELD=COLUMN, e.g. --map text=body --map role=sender_type. "
        "Repeat for each renamed column.",
    ),
]
RejectsOption = Annotated[
    Path | None,
    typer.Option(
        "--rejects", help="Save every skipped record (CSV: file, location, field, problem)."
    ),
]
BatchOption = Annotated[
    int, typer.Option("--batch-size", min=1, help="Records per transaction.", hidden=True)
]


def _import(
    database: Database,
    exports: list[Path],
    fmt: str | None,
    mapping: list[str] | None,
    batch_size: int,
) -> Imported:
    """Import each export in turn; one that cannot be read at all is reported and the others
    are still imported."""
    from heard.imports import parse_mapping

    columns = parse_mapping(mapping or [])
    imported = Imported([], [])
    for path in exports:
        try:
            imported.rejects.extend(_import_one(database, path, fmt, columns, batch_size))
        except InputError as error:
            err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
            imported.unreadable.append(path)
    return imported


@dataclass
class Imported:
    rejects: list[Reject]
    unreadable: list[Path]

    def exit(self) -> None:
        """2 when a file could not be read, 1 when records were skipped, else carry on."""
        if self.unreadable:
            raise typer.Exit(2)
        if self.rejects:
            raise typer.Exit(1)


def _import_one(
    database: Database, path: Path, fmt: str | None, columns: dict[str, str], batch_size: int
) -> list[Reject]:
    from heard.services.imports import import_export, run_rejects

    if path.is_dir():
        raise InputError("is a directory, not an export file", where=str(path))
    if not path.is_file():
        raise InputError("no such file", where=str(path))
    with progress_bar(f"importing {escape(path.name)}", None) as progress:
        done = 0

        def step(count: int) -> None:
            nonlocal done
            done += count
            progress(done)

        summary = import_export(
            database,
            path,
            format=fmt,
            mapping=columns,
            batch_size=batch_size,
            progress=step,
        )
    resumed = f" (resumed after record {summary.resumed_from})" if summary.resumed_from else ""
    redacted = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.redacted.items()))
    counts = summary.counts
    err.print(
        f"{path}: {summary.format}, {summary.records} records{resumed}; "
        f"{counts.conversations_new} new and {counts.conversations_changed} updated "
        f"conversations, {counts.messages_new} new messages"
        + (f"; redacted {redacted}" if redacted else ""),
        highlight=False,
        markup=False,
    )
    return run_rejects(database, summary.run_id)


def _report_rejects(rejects: list[Reject], target: Path | None) -> None:
    shown = 20
    for reject in rejects[:shown]:
        # data is never markup: a value such as "[/bold]" is printed as written
        err.print(f"[yellow]skipped[/yellow] {escape(reject.describe())}", highlight=False)
    if len(rejects) > shown:
        err.print(f"... and {len(rejects) - shown} more", highlight=False)
    if target is not None:
        try:
            with target.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["file", "location", "field", "problem"])
                for reject in rejects:
                    writer.writerow(
                        [reject.file, reject.location, reject.field or "", reject.problem]
                    )
        except OSError as error:
            fail(f"{target}: cannot write the rejects ({error.strerror})")
        err.print(f"rejects saved to {target}", highlight=False, markup=False)


def _score(database: Database, tier: str, rescore: bool) -> None:
    from heard.services.models import assessor
    from heard.services.scoring import pending, score_pending

    engine = assessor(tier)
    total = pending(database, engine.model_version, rescore=rescore)
    with progress_bar(f"scoring ({tier})", total or None) as bar:
        summary = score_pending(
            database, engine, rescore=rescore, progress=lambda done, _total: bar(done)
        )
    cached = summary.replies - summary.assessed
    err.print(
        f"scored {summary.conversations} conversations: {summary.assessed} replies assessed, "
        f"{cached} from the cache ({summary.model_version})",
        highlight=False,
    )
    for version, count in summary.other_versions.items():
        err.print(
            f"[yellow]note[/yellow] {count} conversations were scored by {version}; "
            f"`heard score --rescore` re-scores them with {summary.model_version}",
            highlight=False,
        )


def import_command(
    exports: Annotated[list[Path], typer.Argument(help="Export files to import.")],
    db: DbOption = None,
    fmt: FormatOption = None,
    mapping: MapOption = None,
    rejects: RejectsOption = None,
    batch_size: BatchOption = 200,
) -> None:
    """Read, redact and store help-desk exports (without scoring them). Safe to re-run: the same
    export updates, never duplicates, and an interrupted import continues where it stopped."""
    try:
        database = open_db(db)
        imported = _import(database, exports, fmt, mapping, batch_size)
    except HeardError as error:
        fail(str(error))
    _report_rejects(imported.rejects, rejects)
    imported.exit()


def score_command(
    db: DbOption = None,
    tier: TierOption = "fast",
    rescore: Annotated[
        bool,
        typer.Option("--rescore", help="Also re-score conversations scored by another model."),
    ] = False,
) -> None:
    """Score every stored conversation not yet scored (cached: only new replies are assessed)."""
    try:
        _score(open_db(db), tier, rescore)
    except HeardError as error:
        fail(str(error))


def analyze_command(
    exports: Annotated[list[Path], typer.Argument(help="Export files to import and score.")],
    db: DbOption = None,
    fmt: FormatOption = None,
    mapping: MapOption = None,
    tier: TierOption = "fast",
    rejects: RejectsOption = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the HTML report here.")
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local (default), or dask: score a Parquet or JSONL archive of generic message "
            "rows on a Dask cluster (pip install 'heard[scale]').",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="With --engine dask: the scheduler's address (tcp://host:8786); "
            "default: a local cluster.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="With --engine dask: workers (default: one per CPU)."
        ),
    ] = None,
    batch_size: BatchOption = 200,
) -> None:
    """Import, redact, store and score help-desk exports, with progress bars; then
    `heard report --out report.html`."""
    if engine not in ("local", "dask"):
        fail(f"unknown engine {engine!r}; choose local or dask")
    if engine == "local" and (scheduler is not None or workers is not None):
        fail("--scheduler and --workers go with --engine dask")
    if engine == "dask":
        _analyze_on_dask(exports, db, fmt, mapping, tier, rejects, report, scheduler, workers)
        return
    try:
        database = open_db(db)
        imported = _import(database, exports, fmt, mapping, batch_size)
        _score(database, tier, rescore=False)
        if report is not None:
            _write_report(database, tier, report, None, None, "week", None, None)
    except HeardError as error:
        fail(str(error))
    _report_rejects(imported.rejects, rejects)
    imported.exit()


def _analyze_on_dask(
    archives: list[Path],
    db: str | None,
    fmt: str | None,
    mapping: list[str] | None,
    tier: str,
    rejects: Path | None,
    report: Path | None,
    scheduler: str | None,
    workers: int | None,
) -> None:
    if fmt not in (None, "generic") or mapping:
        fail("--engine dask reads archives of generic message rows (Parquet or JSONL), unmapped")
    from heard.scale import analyze_archive

    skipped: list[Reject] = []
    try:
        database = open_db(db)
        for archive in archives:
            with progress_bar(f"scoring {archive.name} on dask", None, "partitions") as bar:
                summary = analyze_archive(
                    database,
                    archive,
                    tier=tier,
                    scheduler=scheduler,
                    workers=workers,
                    progress=lambda done, _total: bar(done),
                )
            err.print(
                f"{archive}: {summary.partitions} partitions on {summary.workers} workers; "
                f"{summary.conversations} conversations, {summary.messages} messages, "
                f"{summary.assessed} replies assessed in {summary.seconds:.1f} s",
                highlight=False,
            )
            skipped.extend(summary.rejects)
        if report is not None:
            _write_report(database, tier, report, None, None, "week", None, None)
    except HeardError as error:
        fail(str(error))
    _report_rejects(skipped, rejects)
    if skipped:
        raise typer.Exit(1)


def _write_report(
    database: Database,
    tier: str,
    out_path: Path | None,
    csv_dir: Path | None,
    json_path: Path | None,
    period: str,
    since: str | None,
    until: str | None,
    *,
    trained: list[str] | None = None,
    training_since: str | None = None,
    config: str | None = None,
) -> ReportFiles:
    from heard.report.files import write_report
    from heard.services.config import load_config
    from heard.services.models import model_version

    if bool(trained) != (training_since is not None):
        raise InputError(
            "give both --trained and --training-since for the training-impact section",
            field="--trained" if not trained else "--training-since",
        )
    files = write_report(
        database,
        model_version(tier),
        out=out_path,
        csv_dir=csv_dir,
        json_path=json_path,
        period=period,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        impact_trained=trained or (),
        impact_since=parse_date(training_since, "--training-since"),
        config=load_config(config),
    )
    for path in [files.html, *files.csv, files.json]:
        if path is not None:
            out.print(f"wrote {path}", highlight=False, soft_wrap=True)
    return files


def report_command(
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the HTML report here.")
    ] = None,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write the report's tables as CSV files here.")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the report's tables as one JSON file.")
    ] = None,
    period: Annotated[
        str, typer.Option("--period", help="Trend periods: day, week or month.")
    ] = "week",
    since: Annotated[
        str | None, typer.Option("--since", help="Only replies from this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only replies before this date (YYYY-MM-DD).")
    ] = None,
    trained: Annotated[
        list[str] | None,
        typer.Option(
            "--trained",
            help="Add the training-impact section for these agents or teams (with "
            "--training-since).",
        ),
    ] = None,
    training_since: Annotated[
        str | None,
        typer.Option("--training-since", help="When that training ended (YYYY-MM-DD)."),
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    tier: TierOption = "fast",
) -> None:
    """Write the report of stored scores: an offline HTML page (--out) and the same tables as
    CSV (--csv) or JSON (--json), with outcomes, team wellbeing (counts only) and, when asked,
    training impact."""
    if out_path is None and csv_dir is None and json_path is None:
        fail("say where to write: --out report.html, --csv FOLDER or --json FILE")
    try:
        _write_report(
            open_db(db),
            tier,
            out_path,
            csv_dir,
            json_path,
            period,
            since,
            until,
            trained=trained,
            training_since=training_since,
            config=config,
        )
    except HeardError as error:
        fail(str(error))


def demo_command(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help="Where to put the demo database and report.")
    ] = Path("heard-demo"),
    tier: TierOption = "fast",
) -> None:
    """The whole path on the bundled sample help desk: import, redact, store, score, report."""
    from heard.cli.render import render_agent_table
    from heard.services.samples import demo_settings_path, helpdesk_path

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        database = open_db(str(out_dir / "heard.db"))
        _import(database, [helpdesk_path()], None, None, 200)
        _score(database, tier, rescore=False)
        report = out_dir / "report.html"
        files = _write_report(
            database,
            tier,
            report,
            None,
            out_dir / "report.json",
            "week",
            None,
            None,
            config=str(demo_settings_path()),
        )
    except (HeardError, OSError) as error:
        fail(str(error))
    render_agent_table(files.data.analysis, out)
    out.print(f"\nOpen the report: {report.resolve().as_uri()}", highlight=False, soft_wrap=True)
    db_path = out_dir / "heard.db"
    settings = demo_settings_path()
    command = sys.argv[0] if Path(sys.argv[0]).name == "heard" else "heard"  # as it was run
    out.print(
        "\nNext, on the same data:\n"
        f"  {command} outcomes --db {db_path}\n"
        f"  {command} impact --db {db_path} --trained Marcus --since 2026-10-05\n"
        f"  {command} fatigue --db {db_path} --config {settings} --agent Leon",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("score")(score_command)
    app.command("analyze")(analyze_command)
    app.command("report")(report_command)
    app.command("demo")(demo_command)
