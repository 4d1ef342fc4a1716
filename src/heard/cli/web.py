"""``heard serve``, ``heard users create|list|disable`` and ``heard tokens create``."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from heard.cli.common import ConfigOption, DbOption, err, fail, open_db, out
from heard.errors import HeardError

users_app = typer.Typer(help="Users of the web app and API: create, list, disable.")
tokens_app = typer.Typer(help="API tokens for integrations.")
PASSWORD_ENV = "HEARD_PASSWORD"
# uvicorn's own X-Forwarded-For handling trusts 127.0.0.1 (or $FORWARDED_ALLOW_IPS) by default:
# off, so that only heard's --trusted-proxy decides whose header names the client.
UVICORN_OPTIONS: dict[str, object] = {"log_level": "warning", "proxy_headers": False}


def _password(username: str) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    if not err.is_terminal:
        fail(f"no terminal to ask for {username}'s password: set ${PASSWORD_ENV}")
    first = getpass.getpass(f"Password for {username}: ")
    if getpass.getpass("Again: ") != first:
        fail("the two passwords differ")
    return first


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="The name to sign in with.")],
    role: Annotated[str, typer.Option("--role", help="agent, lead or admin.")] = "agent",
    team: Annotated[
        str | None, typer.Option("--team", help="The team (required for a lead).")
    ] = None,
    agent: Annotated[
        str | None,
        typer.Option("--agent", help="For an agent: their id or name in the help desk."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a user. The password is asked for (twice), or read from $HEARD_PASSWORD."""
    from heard.services.accounts import create_user

    password = _password(username)
    try:
        account = create_user(open_db(db), username, password, role=role, team=team, agent=agent)
    except HeardError as error:
        fail(str(error))
    details = ", ".join(
        part
        for part in (
            f"team {account.team}" if account.team else "",
            f"agent {account.agent}" if account.agent else "",
        )
        if part
    )
    out.print(
        f"created {account.role} {account.username}" + (f" ({details})" if details else ""),
        highlight=False,
    )


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """Every user: name, role, team, agent and whether they are disabled."""
    from heard.services.accounts import list_users

    try:
        accounts = list_users(open_db(db))
    except HeardError as error:
        fail(str(error))
    if not accounts:
        out.print("no users yet: heard users create NAME --role admin")
        return
    table = Table(box=box.SIMPLE, pad_edge=False)
    for column in ("user", "role", "team", "agent", "status"):
        table.add_column(column)
    for a in accounts:
        table.add_row(
            a.username, a.role, a.team or "", a.agent or "", "disabled" if a.disabled else "active"
        )
    out.print(table)


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="The user to disable.")], db: DbOption = None
) -> None:
    """Disable a user: their sessions end and their tokens stop working at once."""
    from heard.services.accounts import disable_user

    try:
        disable_user(open_db(db), username)
    except HeardError as error:
        fail(str(error))
    out.print(f"disabled {username}; their sessions ended and their tokens no longer work")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[
        str, typer.Option("--name", help="What the token is for (shown in listings).")
    ] = "api",
    days: Annotated[
        int | None, typer.Option("--days", min=1, help="Expire after this many days.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Create an API token. It is printed once, on stdout: store it now."""
    from heard.services.accounts import create_token

    try:
        token, info = create_token(open_db(db), username, name, days=days)
    except HeardError as error:
        fail(str(error))
    expiry = f"expires {info.expires_at:%Y-%m-%d %H:%M} UTC" if info.expires_at else "no expiry"
    err.print(
        f"token {info.prefix}… for {username} ({name}, {expiry}); it is shown only once:",
        highlight=False,
    )
    out.print(token, highlight=False, soft_wrap=True)


def serve_command(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Server processes (default 1). Each loads the models; rate limits are counted "
            "per process.",
        ),
    ] = 1,
    db: DbOption = None,
    config: ConfigOption = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            metavar="ADDR",
            help="A reverse proxy's IP address or CIDR network (repeatable): X-Forwarded-For is "
            "believed only from these. Default: $HEARD_TRUSTED_PROXIES, or none.",
        ),
    ] = None,
) -> None:
    """Start the web app and HTTP API (the API's documentation is at /api/docs)."""
    import uvicorn

    from heard.services.accounts import count_users
    from heard.services.config import load_config
    from heard.web.app import create_app
    from heard.web.limits import TRUSTED_PROXIES_ENV, parse_trusted_proxies

    proxies = trusted_proxy if trusted_proxy else [os.environ.get(TRUSTED_PROXIES_ENV, "")]
    try:
        networks = parse_trusted_proxies(proxies)
    except ValueError as error:
        fail(f"--trusted-proxy: {error}")
    os.environ[TRUSTED_PROXIES_ENV] = ",".join(str(n) for n in networks)  # for --workers
    try:
        settings = load_config(config)
        database = open_db(db)
        users = count_users(database)
    except HeardError as error:
        fail(str(error))
    if users == 0:
        err.print(
            "No users yet. Create the first admin in another terminal:\n"
            f"  heard users create admin --role admin --db {db or 'heard.db'}",
            highlight=False,
        )
    err.print(
        f"heard is listening on http://{host}:{port} (database {database.describe()}; "
        f"{workers} worker{'s' if workers > 1 else ''}; API docs at /api/docs)",
        highlight=False,
    )
    if networks:
        trusted = ", ".join(str(n) for n in networks)
        err.print(f"X-Forwarded-For is trusted from {trusted} only", highlight=False)
    if workers == 1:
        app = create_app(database, settings, trusted_proxies=[str(n) for n in networks])
        uvicorn.run(app, host=host, port=port, **UVICORN_OPTIONS)  # type: ignore[arg-type]
        return
    from heard.storage.database import database_url

    os.environ["HEARD_DATABASE_URL"] = database_url(db)
    if settings.path is not None:
        os.environ["HEARD_CONFIG"] = str(settings.path)
    database.close()
    uvicorn.run(
        "heard.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **UVICORN_OPTIONS,  # type: ignore[arg-type]
    )


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.command("serve")(serve_command)
