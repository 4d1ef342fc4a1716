"""Session-wide test settings: the encoder's int8 graph cache goes to a temporary folder, so the
suite never writes into the user's own cache (~/.cache/heard)."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.postgres import INSTALL_HINT, LocalPostgres, binaries


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("heard-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEARD_CACHE_DIR", str(folder))
        yield


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    """One local PostgreSQL server per test process (see tests/support/postgres.py)."""
    if binaries() is None:
        pytest.fail(INSTALL_HINT)
    # not under pytest's temporary folder: as root, that is private to root, and the server runs
    # as the postgres user
    folder = Path(tempfile.mkdtemp(prefix="heard-postgres-"))
    server = LocalPostgres(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


_DATABASES = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind: the same storage test runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'heard.db'}"
    server: LocalPostgres = request.getfixturevalue("postgres_server")
    return server.create_database(f"test_{os.getpid()}_{next(_DATABASES)}")
