"""Start a throw-away PostgreSQL server for the database tests.

Uses ``AR_AGENT_TEST_POSTGRES_URL`` when set; otherwise initdb's a cluster in a temp
folder with Debian's binaries (as the ``postgres`` user when running as root) and
starts it on a free loopback port. Returns None (with a reason) when that cannot work.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mail.sink import free_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class TestPostgres:
    """``own=True``: always a server of its own (never the shared URL), for tests that stop
    and restart it (:meth:`pause`, :meth:`resume`)."""

    def __init__(self, *, own: bool = False) -> None:
        self.url: str | None = None if own else os.environ.get("AR_AGENT_TEST_POSTGRES_URL")
        self.reason = ""
        self._datadir: Path | None = None
        self._as: list[str] = []
        self._options = ""
        self._log: Path | None = None
        if not self.url:
            self._start()

    def _start(self) -> None:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            self.reason = "no PostgreSQL binaries (apt-get install postgresql)"
            return
        root = Path(tempfile.mkdtemp(prefix="ar-agent-pg-"))
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres")
        self._datadir = root / "data"
        self._log = root / "log"
        port = free_port()
        self._options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        try:
            subprocess.run(
                [
                    *self._as,
                    initdb,
                    "-D",
                    str(self._datadir),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            self._pg_ctl_start()
        except (subprocess.SubprocessError, OSError) as exc:
            self.reason = f"could not start PostgreSQL: {exc}"
            return
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _pg_ctl_start(self) -> None:
        subprocess.run(
            [
                *self._as,
                _bin("pg_ctl") or "pg_ctl",
                "-D",
                str(self._datadir),
                "-w",
                "-l",
                str(self._log),
                "-o",
                self._options,
                "start",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def pause(self) -> None:
        """Stop the server (an outage); its data stays for :meth:`resume`."""
        assert self._datadir is not None, "only a server started here can be paused"
        subprocess.run(
            [
                *self._as,
                _bin("pg_ctl") or "pg_ctl",
                "-D",
                str(self._datadir),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def resume(self) -> None:
        """Start the paused server again on the same port."""
        assert self._datadir is not None
        self._pg_ctl_start()

    def new_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        assert self.url
        base = self.url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        if self._datadir is not None:
            subprocess.run(
                [
                    *self._as,
                    _bin("pg_ctl") or "pg_ctl",
                    "-D",
                    str(self._datadir),
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
                timeout=60,
            )
