"""Conversation memory: a LangGraph checkpointer per database (SQLite, or Postgres at scale).

Threads are Slack threads / web chat sessions (``thread_id`` = conversation id).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver


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
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row

        dsn = url.replace("postgresql+psycopg://", "postgresql://").replace(
            "postgres://", "postgresql://"
        )
        conn = Connection.connect(dsn, autocommit=True, prepare_threshold=0, row_factory=dict_row)
        saver = PostgresSaver(conn)
        saver.setup()
        return saver
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        conn = sqlite3.connect(path or ":memory:", check_same_thread=False)
        saver = SqliteSaver(conn)
        saver.setup()
        return saver
    return InMemorySaver()


def sqlite_checkpointer(path: str | Path) -> SqliteSaver:
    """A SQLite checkpointer on ``path`` (":memory:" for a throw-away one)."""
    saver = SqliteSaver(sqlite3.connect(str(path), check_same_thread=False))
    saver.setup()
    return saver
