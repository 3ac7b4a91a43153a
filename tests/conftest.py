"""Shared fixtures: databases (SQLite and real PostgreSQL), a frozen clock, corpora."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.clock import FrozenClock
from ledger.db import Database
from tests.support.postgres import TestPostgres

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        if IN_CI:
            pytest.fail(f"{CORPORA} is missing in CI")
        pytest.skip(f"{CORPORA} is absent (the shared corpora sit beside the repo)")
    return CORPORA


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("America/Chicago")))


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated by Alembic per test session (migrating for every test is slow)."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    Database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db(tmp_path: Path, _migrated_sqlite: Path) -> Iterator[Database]:
    """A fresh, migrated SQLite database (a copy of the session's template)."""
    path = tmp_path / "ledger.db"
    shutil.copyfile(_migrated_sqlite, path)
    database = Database(f"sqlite:///{path}", migrate_schema=False)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TestPostgres]:
    server = TestPostgres()
    yield server
    server.stop()


@pytest.fixture
def pg_db(postgres_server: TestPostgres) -> Iterator[Database]:
    if not postgres_server.url:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {postgres_server.reason}")
        pytest.skip(f"PostgreSQL unavailable: {postgres_server.reason}")
    url = postgres_server.new_database(f"t_{uuid.uuid4().hex[:12]}")
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """The same test on SQLite and on PostgreSQL."""
    name = "db" if request.param == "sqlite" else "pg_db"
    return request.getfixturevalue(name)


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are read once per process; tests that set environment variables need a re-read."""
    from core.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
