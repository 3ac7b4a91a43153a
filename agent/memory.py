"""Conversation memory: a LangGraph checkpointer per database (SQLite, or Postgres at scale).

Threads are Slack threads / web chat sessions (``thread_id`` = conversation id).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

# Advisory lock key serialising the Postgres checkpointer's own migrations ("ar-ckpt").
SETUP_LOCK = 0x61722D636B7074


def _sqlite_path(database_url: str) -> str | None:
    """The checkpoint file beside a SQLite ledger file (None for in-memory ledgers)."""
    path = database_url.split(":///", 1)[1] if ":///" in database_url else ""
    if not path or path == ":memory:":
        return None
    p = Path(path)
    return str(p.with_name(p.stem + ".checkpoints.sqlite"))


def make_checkpointer(database_url: str | None = None) -> Any:
    """SQLite by default, Postgres when the URL is PostgreSQL, in memory for ``sqlite://``."""
    url = database_url or "sqlite://"
    if url.startswith(("postgresql", "postgres://")):
        return postgres_checkpointer(url)
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        conn = sqlite3.connect(path or ":memory:", check_same_thread=False)
        saver = SqliteSaver(conn)
        saver.setup()
        return saver
    return InMemorySaver()


def postgres_checkpointer(url: str, *, max_connections: int = 4) -> Any:
    """A PostgresSaver on a small connection pool, its tables created once per database.

    Several ``serve`` processes share one database: the saver's own migrations are not
    safe to race, so they run under an advisory lock; the pool replaces broken connections.
    """
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg import Connection
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    dsn = url.replace("postgresql+psycopg://", "postgresql://").replace(
        "postgres://", "postgresql://"
    )
    kwargs: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    with Connection.connect(dsn, **kwargs) as conn:
        _setup_locked(conn, PostgresSaver(conn))
    pool = ConnectionPool(
        dsn,
        kwargs=kwargs,
        min_size=1,
        max_size=max_connections,
        open=True,
        check=ConnectionPool.check_connection,
        name="ar-agent-checkpoints",
    )
    return PostgresSaver(pool)


def _setup_locked(conn: Any, saver: Any, *, timeout: float = 120.0) -> None:
    """Run ``saver.setup()`` holding a session advisory lock.

    The lock is polled, not awaited: a waiter blocked inside ``pg_advisory_lock`` holds a
    snapshot, and the saver's ``CREATE INDEX CONCURRENTLY`` waits for older snapshots.
    """
    deadline = time.monotonic() + timeout
    while not conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (SETUP_LOCK,)).fetchone()["ok"]:
        if time.monotonic() > deadline:
            raise TimeoutError(f"checkpoint tables: setup lock not free after {timeout:.0f}s")
        time.sleep(0.05)
    try:
        saver.setup()
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK,))


def sqlite_checkpointer(path: str | Path) -> SqliteSaver:
    """A SQLite checkpointer on ``path`` (":memory:" for a throw-away one)."""
    saver = SqliteSaver(sqlite3.connect(str(path), check_same_thread=False))
    saver.setup()
    return saver
