"""The ``heard`` command line. Each command parses its options, calls a service, and renders.

Exit status: 0 when everything was processed, 1 when some input lines were rejected (they are
listed on stderr), 2 for a usage error or input that could not be read at all.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from heard.cli.common import TierOption, WorkersOption, err, out, progress_bar
from heard.cli.common import fail as _fail
from heard.cli.measure import register as register_measure
from heard.cli.pipeline import register as register_pipeline
from heard.cli.practice import register as register_practice
from heard.cli.web import register as register_web
from heard.errors import HeardError
from heard.version import __version__

app = typer.Typer(
    name="heard",
    help=(
        "Make every customer feel heard: assess how empathic and effective an agent's reply is, "
        "with the evidence quoted, coaching tips and a suggested rewrite.\n\n"
        'Start with `heard demo`, or try:  heard assess --customer "I was charged twice!" '
        '--reply "Sorry about that, I\'ve refunded the second charge."'
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"heard {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log progress (never message text).")
    ] = False,
    version: Annotated[  # noqa: ARG001 (acted on by the eager callback)
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def assess(
    customer: Annotated[
        str | None, typer.Option("--customer", "-c", help="What the customer wrote.")
    ] = None,
    reply: Annotated[
        str | None, typer.Option("--reply", "-r", help="The agent's reply (or draft).")
    ] = None,
    input_path: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help='A JSONL file to assess in batch, one {"id", "context", "reply"} per line.',
        ),
    ] = None,
    output_path: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the JSONL results (default: stdout)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the assessment as JSON.")] = False,
    tier: TierOption = "fast",
    workers: WorkersOption = 1,
) -> None:
    """Assess one reply (--customer/--reply) or a batch file (--input/--output)."""
    if input_path is not None:
        if customer is not None or reply is not None:
            _fail("give either --input (a batch file) or --customer/--reply, not both")
        _batch("assess", input_path, output_path, tier, workers)
        return
    if reply is None:
        _fail(
            "nothing to assess: give --reply (and usually --customer), or --input FILE; see --help"
        )
    from heard.services.models import assessor

    try:
        result = assessor(tier).assess(reply, customer or "")
    except HeardError as error:
        _fail(str(error))
    if as_json:
        out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    from heard.cli.render import render_assessment

    render_assessment(result, out)


@app.command()
def emotions(
    text: Annotated[str | None, typer.Option("--text", "-t", help="One customer message.")] = None,
    input_path: Annotated[
        Path | None,
        typer.Option("--input", "-i", help='A JSONL file, one {"id", "text"} object per line.'),
    ] = None,
    output_path: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the JSONL results (default: stdout)."),
    ] = None,
    tier: TierOption = "fast",
    workers: WorkersOption = 1,
) -> None:
    """Detect the customer's emotion: one of six labels, with probabilities and an intensity."""
    from heard.services.models import assessor

    if input_path is not None:
        _batch("emotions", input_path, output_path, tier, workers)
        return
    if text is None:
        _fail("give --text or --input FILE; see --help")
    try:
        reading = assessor(tier).detect_emotions([text])[0]
    except HeardError as error:
        _fail(str(error))
    out.print_json(json.dumps(reading.to_dict(), ensure_ascii=False))


def _batch(kind: str, source: Path, target: Path | None, tier: str, workers: int) -> None:
    from heard.services import batch

    if not source.is_file():
        _fail(f"{source}: no such file")
    with ExitStack() as stack:
        try:
            sink = (
                sys.stdout
                if target is None or str(target) == "-"
                else stack.enter_context(target.open("w", encoding="utf-8"))
            )
        except OSError as error:
            _fail(f"{target}: cannot write the output ({error.strerror})")
        total = _count_lines(source) if err.is_terminal else 0  # the bar needs a total
        progress_callback = stack.enter_context(progress_bar(f"{kind} ({tier})", total or None))
        try:
            report = batch.run_file(
                kind, source, sink, tier=tier, workers=workers, on_progress=progress_callback
            )
        except HeardError as error:
            _fail(str(error))
    for reject in report.rejects:
        err.print(
            f"[yellow]skipped[/yellow] {escape(reject.describe(str(source)))}", highlight=False
        )
    summary = f"{report.written} of {report.read} lines written"
    if target is not None and str(target) != "-":
        summary += f" to {target}"
    if report.rejects:
        err.print(f"[red]{len(report.rejects)} line(s) rejected[/red]; {summary}", highlight=False)
        raise typer.Exit(1)
    err.print(summary, highlight=False)


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


DataDirOption = Annotated[
    Path,
    typer.Option(
        "--data-dir",
        envvar="HEARD_DATA_DIR",
        help="The folder holding the data sets epitome/, goemotions/ and tweeteval/ "
        "(see MODEL_CARD.md). Or set HEARD_DATA_DIR.",
    ),
]


@app.command()
def train(
    data_dir: DataDirOption,
    tier: Annotated[str, typer.Option("--tier", help="fast, accurate or all.")] = "all",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", help="Where to write the models (default: the package's own artefacts)."
        ),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", min=10, help="Train on this many rows of each data set (for testing)."
        ),
    ] = None,
) -> None:
    """Rebuild the shipped models from the public data sets, with fixed seeds."""
    from heard.services.models import artefact_root
    from heard.services.training import train_fast

    if tier not in ("fast", "accurate", "all"):
        _fail(f"unknown tier {tier!r}; choose fast, accurate or all")
    target = artefact_root(output)

    def progress(message: str) -> None:
        err.print(f"[dim]{message}[/dim]", highlight=False)

    try:
        if tier in ("fast", "all"):
            train_fast(data_dir, target, sample=sample, progress=progress)
        if tier in ("accurate", "all"):
            from heard.services.training_accurate import train_accurate

            train_accurate(data_dir, target, sample=sample, progress=progress)
    except HeardError as error:
        _fail(str(error))
    out.print(f"models written to {target}")


@app.command()
def evaluate(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="HEARD_DATA_DIR",
            help="The folder holding the data sets epitome/, goemotions/ and tweeteval/ "
            "(see MODEL_CARD.md). Or set HEARD_DATA_DIR. Not needed with --suite.",
        ),
    ] = None,
    suite: Annotated[
        str | None,
        typer.Option(
            "--suite",
            help="Run heard's behavioural suite instead ('behaviour': minimal pairs, bands, "
            "emotions and rewrites; no data sets needed).",
        ),
    ] = None,
    failures: Annotated[
        bool, typer.Option("--failures", help="With --suite: list every failed case too.")
    ] = False,
    tier: TierOption = "fast",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    model_dir: Annotated[
        Path | None, typer.Option("--model-dir", help="Evaluate the models in this folder instead.")
    ] = None,
) -> None:
    """Print dev-set figures for every learned task (needs the data sets, see --data-dir), or
    the behavioural suite's figures (--suite behaviour)."""
    from heard.services.models import assessor

    if suite is not None and suite != "behaviour":
        _fail(f"unknown suite {suite!r}; the only suite is 'behaviour'")
    if suite is None and data_dir is None:
        _fail("give --data-dir (or set HEARD_DATA_DIR), or run --suite behaviour")
    try:
        engine = assessor(tier, model_dir=model_dir)
        if suite is not None:
            from heard.services.behaviour import run_suite

            figures = run_suite(engine)
        else:
            from heard.services.evaluation import evaluate as run_evaluation

            assert data_dir is not None
            figures = run_evaluation(engine, data_dir)
    except HeardError as error:
        _fail(str(error))
    if as_json:
        out.print_json(json.dumps(figures))
        return
    if suite is not None:
        from heard.cli.render import render_suite

        render_suite(figures, out, failures=failures)
        return
    from heard.cli.render import render_figures

    render_figures(figures, out)


register_pipeline(app)
register_measure(app)
register_practice(app)
register_web(app)


def main() -> None:
    app()
