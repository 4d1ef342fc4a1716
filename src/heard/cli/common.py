"""What every command shares: the consoles, the common options, failing with a clear message,
and progress bars drawn only on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from heard.errors import InputError
from heard.times import storable

if TYPE_CHECKING:
    from heard.storage.database import Database

out = Console()
err = Console(stderr=True, soft_wrap=True)  # one diagnostic per line, whatever the width


def check_tier(value: str) -> str:
    from heard.services.models import TIERS

    if value not in TIERS:
        raise typer.BadParameter(f"unknown tier {value!r}; choose one of: {', '.join(TIERS)}")
    return value


TierOption = Annotated[
    str,
    typer.Option(
        "--tier",
        callback=check_tier,
        help="fast: rules and linear models, thousands of replies a second (default). "
        "accurate: adds the fine-tuned sentence encoder; slower, better on the learned tasks.",
    ),
]
WorkersOption = Annotated[
    int,
    typer.Option("--workers", min=1, help="Processes to use for a batch file (default 1)."),
]


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="HEARD_DATABASE_URL",
        help="A database URL (postgresql://USER@HOST/DB, sqlite:///FILE) or a SQLite file path. "
        "Default: $HEARD_DATABASE_URL, else heard.db in the current folder.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        envvar="HEARD_CONFIG",
        help="A settings file (TOML) with the team's thresholds and wellbeing policy; see "
        "docs/wellbeing.md. Default: $HEARD_CONFIG, else the documented defaults.",
        show_default=False,
    ),
]


def open_db(db: str | None) -> Database:
    from heard.storage.database import open_database

    return open_database(db)


def parse_date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", field=option) from error
    try:
        return storable(moment)
    except ValueError as error:
        raise InputError(str(error), field=option) from None


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


@contextmanager
def progress_bar(
    description: str, total: int | None, unit: str = "records"
) -> Iterator[Callable[[int], None]]:
    """A callback that sets how much is done, drawn as a bar on stderr when it is a terminal
    (with no total: a count and a rate). Piped output gets no bar."""
    if not err.is_terminal:
        yield lambda _done: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[str | ProgressColumn] = (
        [
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        ]
        if total
        else [
            SpinnerColumn(),
            "[progress.description]{task.description}",
            "{task.completed} " + unit,
            TimeElapsedColumn(),
        ]
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)
