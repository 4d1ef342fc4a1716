"""Practice commands: ``heard roleplay run`` and ``heard scenarios list|show|validate``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from heard.cli.common import DbOption, TierOption, err, fail, out
from heard.errors import HeardError, InputError

if TYPE_CHECKING:
    from heard.practice.scenario import Scenario

roleplay_app = typer.Typer(help="Role-play with a simulated customer.", no_args_is_help=True)
scenarios_app = typer.Typer(help="The role-play scenarios.", no_args_is_help=True)
drill_app = typer.Typer(
    help="Active-listening drills: reflect the customer back.", no_args_is_help=True
)

TraineeOption = Annotated[
    str | None,
    typer.Option("--trainee", help="Keep the result under this trainee's name (see --db)."),
]
ScenarioArgument = Annotated[
    str, typer.Argument(help="A scenario id from `heard scenarios list`, or a YAML file.")
]


def _scenario(name: str) -> Scenario:
    from heard.practice.scenario import load_library, load_scenario

    path = Path(name)
    if name.endswith((".yaml", ".yml")) or path.is_file():
        return load_scenario(path)
    library = load_library()
    if name not in library:
        raise InputError(
            f"no scenario {name!r}; choose one of: {', '.join(sorted(library))}",
            field="SCENARIO",
        )
    return library[name]


def _replies(path: Path) -> list[str]:
    """The non-blank lines of a text file: one reply (or reflection) each."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file: {error}", where=str(path)) from error
    replies = [line.strip() for line in lines if line.strip()]
    if not replies:
        raise InputError("no replies in the file (one per line)", where=str(path))
    return replies


@roleplay_app.command("run")
def roleplay_run(
    scenario: ScenarioArgument,
    replies: Annotated[
        Path, typer.Option("--replies", help="A text file: each line is one trainee reply.")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Chooses among the authored lines.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the session as JSON.")] = False,
    trainee: TraineeOption = None,
    db: DbOption = None,
    tier: TierOption = "fast",
) -> None:
    """Play a scenario non-interactively: every line of --replies is the trainee's next reply.
    Stops when the session ends; unused replies are reported."""
    from heard.practice.llm import LLMCustomer, LLMSettings
    from heard.practice.session import RolePlay
    from heard.services.models import assessor

    settings = LLMSettings.from_environment()
    writer = LLMCustomer(settings) if settings else None
    try:
        session = RolePlay(_scenario(scenario), assessor(tier), seed=seed, writer=writer)
        given = _replies(replies)
        used = 0
        for reply in given:
            if session.ended:
                break
            session.reply(reply)
            used += 1
        if trainee:
            from heard.services.practice import record_session
            from heard.storage.database import open_database

            record_session(open_database(db), trainee, session)
    except HeardError as error:
        fail(str(error))
    for turn in session.turns:
        if turn.fallback:
            err.print(
                f"[yellow]note[/yellow] language-model customer: {turn.fallback}", highlight=False
            )
    unused = len(given) - used
    document = session.to_dict() | {"unused_replies": unused}
    if as_json:
        out.print_json(json.dumps(document, ensure_ascii=False))
    else:
        out.print(f"[bold]Customer:[/bold] {escape(session.opening)}", highlight=False)
        for turn in session.turns:
            out.print(
                f"[bold]You[/bold] ({turn.assessment.score}): {escape(turn.reply)}", highlight=False
            )
            state = turn.state
            out.print(
                f"[bold]Customer[/bold] ({state.emotion} {state.intensity:.2f}): "
                f"{turn.customer_line}",
                highlight=False,
            )
        card = session.scorecard()
        out.print(f"\nOutcome: {card.outcome or 'unfinished'}", highlight=False)
        for skill, value in card.skills.items():
            out.print(f"  {skill:<18} {value:.0%}", highlight=False)
    if unused:
        err.print(f"the session ended after {used} replies; {unused} unused", highlight=False)


@scenarios_app.command("list")
def scenarios_list() -> None:
    """The bundled scenarios."""
    from heard.practice.scenario import load_library

    try:
        library = load_library()
    except HeardError as error:
        fail(str(error))
    table = Table("id", "title", "emotion", "difficulty", "channel")
    for item in library.values():
        table.add_row(item.id, item.title, item.emotion.label, item.difficulty, item.channel)
    out.print(table)


@scenarios_app.command("show")
def scenarios_show(scenario: ScenarioArgument) -> None:
    """One scenario, as JSON."""
    try:
        out.print_json(_scenario(scenario).model_dump_json())
    except HeardError as error:
        fail(str(error))


@scenarios_app.command("validate")
def scenarios_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files to check.")],
) -> None:
    """Check scenario files against the format; every problem names the file, line and field."""
    from heard.practice.scenario import load_scenario

    failed = 0
    for path in files:
        try:
            load_scenario(path)
        except InputError as error:
            failed += 1
            err.print(f"[red]invalid[/red] {error}", highlight=False)
        else:
            out.print(f"ok {path}", highlight=False)
    if failed:
        raise typer.Exit(1)


@drill_app.command("list")
def drill_list() -> None:
    """The drill items."""
    from heard.practice.drills import load_bank

    try:
        bank = load_bank()
    except HeardError as error:
        fail(str(error))
    table = Table("id", "emotion", "message")
    table.columns[0].no_wrap = True
    for item in bank.values():
        table.add_row(item.id, item.emotion, item.message[:60])
    out.print(table)


@drill_app.command("run")
def drill_run(
    item_id: Annotated[
        str | None, typer.Argument(help="A drill id (`heard drill list`); default: one by --seed.")
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="A text file: each line is one reflection to score."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Picks the item when none is named.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    trainee: TraineeOption = None,
    db: DbOption = None,
    tier: TierOption = "fast",
) -> None:
    """Score reflections of one drill item: facts, feeling, form, no premature fix, no
    parroting, brevity; with feedback and an exemplary reflection."""
    import random

    from heard.practice.drills import load_bank
    from heard.services.models import assessor, drill_scorer

    if answers is None:
        fail("give --answers FILE (one reflection per line)")
    try:
        bank = load_bank()
        if item_id is None:
            item_id = random.Random(seed).choice(sorted(bank))
        if item_id not in bank:
            raise InputError(f"no drill {item_id!r}; see `heard drill list`", field="ITEM_ID")
        item = bank[item_id]
        scorer = drill_scorer(assessor(tier))
        given = _replies(answers)
        results = [scorer.score(item, answer) for answer in given]
        if trainee:
            from heard.services.practice import record_drills
            from heard.storage.database import open_database

            record_drills(open_database(db), trainee, results, given)
    except HeardError as error:
        fail(str(error))
    if as_json:
        document = {
            "item": item.id,
            "message": item.message,
            "results": [r.to_dict() for r in results],
        }
        out.print_json(json.dumps(document, ensure_ascii=False))
        return
    out.print(f"[bold]Customer:[/bold] {item.message}", highlight=False)
    for result in results:
        out.print(f"\n[bold]Score {result.score:.0f}/100[/bold]", highlight=False)
        for note in result.feedback:
            out.print(f"  - {note}", highlight=False)
    out.print(f"\nAn exemplary reflection: {item.exemplar}", highlight=False)


def _gauge(emotion: str, intensity: float) -> str:
    filled = round(intensity * 20)
    colour = "red" if intensity >= 0.7 else "yellow" if intensity > 0.3 else "green"
    return f"[{colour}]{'█' * filled}{'░' * (20 - filled)}[/{colour}] {emotion} {intensity:.2f}"


def practice_command(
    scenario: Annotated[
        str | None,
        typer.Argument(help="A scenario id or file; default: one recommended for --trainee."),
    ] = None,
    trainee: TraineeOption = None,
    db: DbOption = None,
    seed: Annotated[int, typer.Option("--seed", help="Chooses among the authored lines.")] = 0,
    tier: TierOption = "fast",
) -> None:
    """An interactive role-play in the terminal: reply to the customer, see feedback and their
    emotion move after every reply, and get a scorecard at the end. Type /quit to stop."""
    from rich.prompt import Prompt

    from heard.practice.llm import LLMCustomer, LLMSettings
    from heard.practice.session import RolePlay
    from heard.services.models import assessor

    try:
        if scenario is None:
            scenario = _recommended(trainee, db)
        settings = LLMSettings.from_environment()
        session = RolePlay(
            _scenario(scenario),
            assessor(tier),
            seed=seed,
            writer=LLMCustomer(settings) if settings else None,
        )
    except HeardError as error:
        fail(str(error))
    persona = session.scenario.persona
    out.rule(
        f"{session.scenario.title} ({session.scenario.channel}, {session.scenario.difficulty})"
    )
    out.print(f"[bold]{persona.name}:[/bold] {session.opening}", highlight=False)
    out.print(_gauge(session.state.emotion, session.state.intensity))
    while not session.ended:
        try:
            text = Prompt.ask("[bold]You[/bold]", console=out)
        except EOFError:
            break
        if text.strip() in ("/quit", "/q"):
            break
        if not text.strip():
            continue
        turn = session.reply(text)
        out.print(f"  score {turn.assessment.score}/100", highlight=False)
        for note in turn.feedback.worked:
            out.print(f"  [green]+[/green] {note}", highlight=False)
        for note in turn.feedback.try_next:
            out.print(f"  [yellow]→[/yellow] {note}", highlight=False)
        if turn.fallback:
            err.print(f"[yellow]note[/yellow] language-model customer: {turn.fallback}")
        out.print(f"[bold]{persona.name}:[/bold] {turn.customer_line}", highlight=False)
        out.print(_gauge(turn.state.emotion, turn.state.intensity))
    card = session.scorecard()
    out.rule(f"Scorecard: {card.outcome or 'unfinished'}")
    for skill, value in card.skills.items():
        out.print(f"  {skill:<18} {value:.0%}", highlight=False)
    if card.weakest is not None and card.better_reply:
        out.print(
            f"\nYour weakest reply: {session.turns[card.weakest].reply}\n"
            f"A better one: {card.better_reply}",
            highlight=False,
        )
    if trainee and session.turns:
        from heard.services.practice import record_session
        from heard.storage.database import open_database

        try:
            record_session(open_database(db), trainee, session)
        except HeardError as error:
            fail(str(error))
        out.print(f"Kept under {trainee}: see `heard progress --trainee {trainee}`.")


def _recommended(trainee: str | None, db: str | None) -> str:
    from heard.practice.scenario import load_library

    if trainee:
        from heard.services.practice import trainee_progress
        from heard.storage.database import open_database

        report = trainee_progress(open_database(db), trainee)
        if report.scenarios:
            return report.scenarios[0]
    return sorted(load_library())[0]


def progress_command(
    trainee: Annotated[str, typer.Option("--trainee", help="The trainee's name.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the progress as JSON.")] = False,
) -> None:
    """A trainee's skills over their sessions and drills, and what to practise next."""
    from heard.services.practice import trainee_progress
    from heard.storage.database import open_database

    try:
        report = trainee_progress(open_database(db), trainee)
    except HeardError as error:
        fail(str(error))
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    if not report.sessions and not report.drills:
        out.print(f"No practice kept for {trainee} yet: try `heard scenarios list`.")
        return
    table = Table("skill", "attempts", "earlier", "later", "trend", title=f"{trainee}")
    for skill in report.skills:
        table.add_row(
            skill.skill,
            str(skill.n),
            f"{skill.earlier:.0%}",
            f"{skill.later:.0%}",
            skill.direction,
        )
    out.print(table)
    out.print(f"Weakest: {report.weakest}", highlight=False)
    if report.scenarios:
        out.print("Next scenarios: " + ", ".join(report.scenarios), highlight=False)
    if report.drill_items:
        out.print("Next drills: " + ", ".join(report.drill_items), highlight=False)


def register(app: typer.Typer) -> None:
    app.command("practice")(practice_command)
    app.command("progress")(progress_command)
    app.add_typer(roleplay_app, name="roleplay")
    app.add_typer(scenarios_app, name="scenarios")
    app.add_typer(drill_app, name="drill")
