"""A throw-away local PostgreSQL server for the storage tests (Debian's `postgresql` package).

It runs in a temporary folder, listens on a free loopback port and a private socket folder, and is
stopped at the end. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries not found: install Debian's package "
    "(`apt-get install -y postgresql`; .ci/run does this)"
)


def binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalPostgres:
    def __init__(self, folder: Path) -> None:
        found = binaries()
        if found is None:
            raise RuntimeError(INSTALL_HINT)
        self.bin = found
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, args: Sequence[str]) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
            self.folder.chmod(0o700)
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "heard",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "-l",
                str(self.folder / "server.log"),
                "start",
            ]
        )
        return self.create_database("heard")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://heard@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "heard",
                name,
            ]
        )
        return self.url(name)

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"])
                return
            except subprocess.CalledProcessError:
                time.sleep(0.5)
