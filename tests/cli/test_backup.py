"""Backups: ``ar-agent backup`` / ``restore`` on SQLite, and the README's pg_dump/pg_restore
commands on a real PostgreSQL: back up, change, restore, the data is back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from cli.main import main
from core.settings import get_settings
from ledger.db import Database
from ledger.importer import load_ledger_file
from ledger.models import Customer, Invoice
from tests.support.postgres import _bin

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _counts(db: Database) -> tuple[int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Customer)) or 0,
            session.scalar(select(func.count()).select_from(Invoice)) or 0,
        )


def _change(db: Database) -> None:
    with db.transaction() as session:
        session.execute(delete(Invoice))


@pytest.fixture
def live(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", url)
    db = Database(url)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    yield db
    db.dispose()


def test_backup_change_restore_brings_the_data_back(live, tmp_path, capsys):
    before = _counts(live)
    assert before[1] > 0
    backup = tmp_path / "backups" / "ar-agent.db"
    backup.parent.mkdir()
    with live.session() as reading:  # the app keeps a connection open meanwhile
        reading.scalar(select(func.count()).select_from(Customer))
        assert main(["backup", str(backup)]) == 0
    assert "backed up" in capsys.readouterr().out
    assert backup.is_file() and not backup.with_name("ar-agent.db.partial").exists()

    _change(live)
    assert _counts(live)[1] == 0
    assert main(["restore", str(backup), "--yes"]) == 0
    assert "schema revision" in capsys.readouterr().out
    live.dispose()  # connections opened before the restore may cache old pages
    assert _counts(live) == before


def test_backup_and_restore_refuse_in_one_line(live, tmp_path, capsys, monkeypatch):
    existing = tmp_path / "there.db"
    existing.write_text("x")
    assert main(["backup", str(existing)]) == 1
    assert "already exists" in capsys.readouterr().err

    assert main(["restore", str(existing)]) == 1
    assert "add --yes" in capsys.readouterr().err
    assert main(["restore", str(existing), "--yes"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not an ar-agent SQLite backup" in err
    assert _counts(live)[1] > 0  # nothing was touched

    monkeypatch.setenv("AR_AGENT_DATABASE_URL", "postgresql://u@127.0.0.1/ar")
    get_settings.cache_clear()
    assert main(["backup", str(tmp_path / "new.db")]) == 1
    assert "pg_dump -Fc" in capsys.readouterr().err


@pytest.mark.postgres
def test_pg_dump_and_pg_restore_as_the_readme_says(pg_db, tmp_path):
    with pg_db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    before = _counts(pg_db)
    url = make_url(pg_db.url)
    conn = ["-h", str(url.host), "-p", str(url.port), "-U", str(url.username)]
    dump = tmp_path / "ar-agent.dump"
    pg_dump, pg_restore = _bin("pg_dump"), _bin("pg_restore")
    assert pg_dump and pg_restore
    subprocess.run(
        [pg_dump, *conn, "-Fc", "-f", str(dump), str(url.database)], check=True, timeout=120
    )
    _change(pg_db)
    assert _counts(pg_db)[1] == 0
    pg_db.dispose()  # the README: stop serve and the workers before restoring
    subprocess.run(
        [pg_restore, *conn, "--clean", "--if-exists", "-d", str(url.database), str(dump)],
        check=True,
        timeout=120,
    )
    assert _counts(pg_db) == before
