"""Process targets for the startup race test (importable by ``multiprocessing`` spawn)."""

from __future__ import annotations

from typing import Any


def _attempt(step: Any) -> str:
    try:
        step()
    except Exception as exc:  # reported to the parent, which asserts on it
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return "ok"


def start_like_a_server(url: str, barrier: Any, results: Any, name: str) -> None:
    """Migrate the ledger, then set up the checkpointer, each step started with the others."""
    from agent.memory import make_checkpointer
    from ledger.db import Database

    barrier.wait(60)
    migrated = _attempt(lambda: Database(url).dispose())
    barrier.wait(60)
    checkpointer = _attempt(lambda: make_checkpointer(url))
    results.put((name, migrated, checkpointer))
