"""Opening the database: a URL or a file path, migrated to the current schema on open.

``--db`` takes a SQLAlchemy URL (``postgresql+psycopg://user@host/db``, ``sqlite:///heard.db``) or
a plain file path (a SQLite file). Without it, ``HEARD_DATABASE_URL`` is used, then ``heard.db`` in
the current directory.

The services open sessions here and hand them to the storage modules; ``Session`` is named here
so that the layers above storage can annotate one without importing SQLAlchemy.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from heard.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_FILE = "heard.db"
ENVIRONMENT = "HEARD_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(db: str | Path | None = None) -> str:
    """The URL to use: ``db`` (a URL or a path), else $HEARD_DATABASE_URL, else ./heard.db."""
    value = str(db) if db else os.environ.get(ENVIRONMENT) or DEFAULT_FILE
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError as error:
            raise InputError(f"not a database URL: {error}", field="--db") from error
        if value.startswith("postgresql://"):  # the driver heard ships with
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates the tables on a new database)."""
    command.upgrade(alembic_config(engine), "head")


class Database:
    """An engine and a session factory on a migrated database."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
        except (ArgumentError, NoSuchModuleError) as error:
            raise InputError(
                f"cannot use this database URL ({error}); use sqlite:///FILE, a file path, or "
                "postgresql://USER@HOST/DB",
                field="--db",
            ) from error
        try:
            migrate(self.engine)
        except OperationalError as error:
            raise InputError(
                f"cannot open the database: {error.orig}",
                where=make_url(url).render_as_string(hide_password=True),
                field="--db",
            ) from error
        except SQLAlchemyError as error:
            raise InputError(
                f"cannot migrate the database: {error}",
                where=make_url(url).render_as_string(hide_password=True),
            ) from error
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return self.sessions()

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def open_database(db: str | Path | None = None) -> Database:
    return Database(database_url(db))


__all__ = [
    "DEFAULT_FILE",
    "ENVIRONMENT",
    "Database",
    "Session",
    "database_url",
    "migrate",
    "open_database",
]
