"""A scored database on SQLite or a local PostgreSQL server, with signed-up users: what the web
tests build their app on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from heard.services.accounts import create_token, create_user
from heard.storage.database import Database, open_database
from support.postgres import LocalPostgres

Users = dict[str, tuple[str, str | None, str | None]]  # name -> (role, team, agent)


def scored_database(request: pytest.FixtureRequest, export: Path, name: str) -> Database:
    """``export`` imported and scored with the fast tier into a fresh database of the engine
    ``request.param`` names ("sqlite" or "postgresql")."""
    from heard.services.imports import import_export
    from heard.services.models import assessor
    from heard.services.scoring import score_pending

    if request.param == "sqlite":
        url = f"sqlite:///{export.parent / 'heard.db'}"
    else:
        server: LocalPostgres = request.getfixturevalue("postgres_server")
        url = server.create_database(f"{name}_{os.getpid()}")
    database = open_database(url)
    import_export(database, export)
    score_pending(database, assessor("fast"))
    return database


def sign_up(database: Database, users: Users, password: str) -> dict[str, str]:
    """Each user created with ``password``, and an API token for each, by name."""
    tokens = {}
    for name, (role, team, agent) in users.items():
        create_user(database, name, password, role=role, team=team, agent=agent)
        tokens[name] = create_token(database, name, "tests")[0]
    return tokens
