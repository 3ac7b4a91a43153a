"""Engine and session setup for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ledger.models import Base
from ledger.sessions import (
    WRITER,
    LentSession,
    SharedSessions,
    TrackedSession,
    track_checkouts,
    track_writes,
)

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

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
    # One process holds at most pool_size + max_overflow connections. A request holds at most
    # one at a time (ledger.sessions), uvicorn runs sync routes on up to 40 threads and the
    # in-process worker adds up to 5 (outbox, scheduler, expiry, IMAP, Slack cards): 10 + 20 covers
    # both without queueing. PostgreSQL's max_connections must exceed the sum over processes.
    kwargs.setdefault("pool_size", int(os.environ.get("AR_AGENT_DB_POOL_SIZE", "10")))
    kwargs.setdefault("max_overflow", int(os.environ.get("AR_AGENT_DB_MAX_OVERFLOW", "20")))
    kwargs.setdefault("pool_timeout", float(os.environ.get("AR_AGENT_DB_POOL_TIMEOUT", "30")))
    # a database host that does not answer fails a connection in seconds, not minutes
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("connect_timeout", 5)
    return create_engine(url, connect_args=connect_args, **kwargs)


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


def _scripts() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def head_revisions() -> set[str]:
    """The newest Alembic revision(s) this code expects."""
    return set(_scripts().get_heads())


def known_revisions() -> set[str]:
    """Every Alembic revision this code can migrate from."""
    return {script.revision for script in _scripts().walk_revisions()}


def current_revisions(conn: Connection) -> set[str]:
    """The revision(s) the database is at (empty when it was never migrated)."""
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(conn).get_current_heads())


def create_all(engine: Engine) -> None:
    """Create every table directly (throw-away in-memory ledgers)."""
    Base.metadata.create_all(engine)


class Database:
    """An engine plus its session factory.

    Sessions nest without a second connection (see :mod:`ledger.sessions`): a
    ``with db.session()`` inside another open session of this database in the same thread
    or task is that session.
    """

    def __init__(self, url: str, *, migrate_schema: bool = True, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        track_checkouts(self.engine)
        # False: an in-memory ledger, its tables made directly, no migration history to check
        self.migrated = url not in ("sqlite://", "sqlite:///:memory:")
        if self.migrated and migrate_schema:
            migrate(self.engine)
        else:
            create_all(self.engine)
        self.shared = SharedSessions(str(id(self)))
        self.sessions = sessionmaker(
            self.engine, class_=TrackedSession, expire_on_commit=False, shared=self.shared
        )
        track_writes(self.sessions)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def session(self) -> Session:
        """A session; inside another open session of this context, that one (not closed here)."""
        open_session = self.shared.current()
        if open_session is not None:
            return cast(Session, LentSession(open_session))
        return self.sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error.

        An open read session of this context gives its connection back first, so the unit
        of work never holds two connections of the pool.
        """
        self.shared.release_reads()
        with self.sessions.begin() as session:
            session.info[WRITER] = True
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def in_memory() -> Database:
    """A throw-away SQLite ledger for ``--ledger`` runs, evals and tests."""
    return Database("sqlite://")
