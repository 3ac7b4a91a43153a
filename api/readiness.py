"""``/readyz``: can this process do its work, and how are the services it depends on?

Not ready (HTTP 503, with the reason) when the database cannot be reached or its schema is
not at the revision this code expects. Ready but ``degraded`` (HTTP 200) when Slack, SMTP,
IMAP or the language model fail, or no worker has finished a pass lately: the web page
and the API still work, and those services are retried with backoff.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from api import worker
from api.deps import AppContext
from api.errors import database_reason
from core import health
from ledger.db import current_revisions, head_revisions

WORKER_STALE_SECONDS = 300.0
_heads: set[str] = set()


def expected_heads() -> set[str]:
    if not _heads:
        _heads.update(head_revisions())
    return _heads


def readiness(ctx: AppContext, *, runs_worker: bool) -> tuple[bool, dict[str, Any]]:
    """``(ready, body)``; the body lists every check with its state and reason."""
    checks: dict[str, dict[str, Any]] = {}
    beat: dict[str, Any] | None = None
    try:
        with ctx.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            checks["database"] = {"state": "ok"}
            checks["migrations"] = _migrations(ctx, conn)
        with ctx.db.session() as session:
            beat = worker.read(session)
    except Exception as exc:  # any driver error: the database is what is not ready
        checks["database"] = {"state": "down", "reason": database_reason(exc)}
        checks["migrations"] = {"state": "unknown", "reason": "database unreachable"}
    states = health.snapshot()
    checks["worker"] = _worker(beat, runs_worker=runs_worker)
    for name, state in states.items():
        if not runs_worker and name in ("smtp", "imap") and beat and beat.get(name):
            state = beat[name]  # the worker process's view of its mail services
        checks[name] = state
    ready = checks["database"]["state"] == "ok" and checks["migrations"]["state"] == "ok"
    degraded = sorted(n for n, c in checks.items() if c.get("state") in ("degraded", "stale"))
    status = "ok" if ready and not degraded else ("degraded" if ready else "not ready")
    body: dict[str, Any] = {"status": status, "checks": checks}
    if not ready:
        body["reason"] = next(
            f"{name}: {c.get('reason')}"
            for name, c in checks.items()
            if name in ("database", "migrations") and c["state"] != "ok"
        )
    elif degraded:
        body["degraded"] = degraded
    return ready, body


def _migrations(ctx: AppContext, conn: Any) -> dict[str, Any]:
    if not ctx.db.migrated:
        return {"state": "ok", "reason": "tables created directly (in-memory ledger)"}
    current, expected = current_revisions(conn), expected_heads()
    if current == expected:
        return {"state": "ok", "revision": ", ".join(sorted(current))}
    return {
        "state": "behind" if current else "missing",
        "reason": f"database at {', '.join(sorted(current)) or 'no revision'}, "
        f"code expects {', '.join(sorted(expected))}",
    }


def _worker(beat: dict[str, Any] | None, *, runs_worker: bool) -> dict[str, Any]:
    where = "in this process" if runs_worker else "separate process"
    if beat is None:
        return {"state": "unknown", "reason": f"no worker pass recorded yet ({where})"}
    at = datetime.fromisoformat(beat["at"])
    age = (datetime.now(UTC) - at).total_seconds()
    state = {"state": "ok", "last_pass": beat["at"], "host": beat.get("host"), "where": where}
    if age > WORKER_STALE_SECONDS:
        state |= {"state": "stale", "reason": f"no worker pass for {age:.0f} s"}
    return state
