"""Engine and session setup for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ledger.models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key serialising migrations ("ar-agent" as a 64-bit integer).
MIGRATION_LOCK = 0x61722D6167656E74


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        connect_args = {"check_same_thread": False, "timeout": 30}
        if memory:
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # uvicorn serves sync routes from up to 40 threads; keep them from queueing for a connection
    kwargs.setdefault("pool_size", int(os.environ.get("AR_AGENT_DB_POOL_SIZE", "10")))
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision.

    On PostgreSQL several processes (``serve`` replicas) may start at once on a fresh
    database: a transaction-scoped advisory lock lets one migrate while the others wait,
    then find the schema at head (DDL is transactional there, so the lock covers it all).
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def create_all(engine: Engine) -> None:
    """Create every table directly (throw-away in-memory ledgers)."""
    Base.metadata.create_all(engine)


class Database:
    """An engine plus its session factory."""

    def __init__(self, url: str, *, migrate_schema: bool = True, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        if url in ("sqlite://", "sqlite:///:memory:") or not migrate_schema:
            create_all(self.engine)
        else:
            migrate(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def session(self) -> Session:
        return self.sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def in_memory() -> Database:
    """A throw-away SQLite ledger for ``--ledger`` runs, evals and tests."""
    return Database("sqlite://")
