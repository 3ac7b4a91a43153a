"""The worker's heartbeat: when it last finished a pass and how its mail services are.

Each worker process writes ``kv['worker.heartbeat']`` every ``EVERY`` seconds, and at once
when its SMTP or IMAP state changes: time, host and pid, the pass time, and those states. ``/readyz`` of any web
process reads it, so a web process without a worker (``serve --no-worker``) still says
when the outbox has stopped moving or the mail server refuses.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.deps import AppContext
from core import health
from ledger.models import KeyValue

log = logging.getLogger("ar_agent.worker")
KEY = "worker.heartbeat"
EVERY = 15.0


def heartbeat(ctx: AppContext) -> Callable[[Any, float], None]:
    """An ``after_pass`` hook for :func:`approvals.worker.run_worker`: writes after a pass
    when ``EVERY`` seconds have gone by or the SMTP or IMAP state has changed."""
    last: dict[str, Any] = {"at": 0.0, "states": None}

    def beat(report: Any, seconds: float) -> None:
        if report is None:
            return
        states = health.snapshot()
        mail = (states["smtp"]["state"], states["imap"]["state"])
        if time.monotonic() - last["at"] < EVERY and mail == last["states"]:
            return
        last.update(at=time.monotonic(), states=mail)
        write(
            ctx,
            {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "pass_seconds": round(seconds, 3),
                "smtp": states["smtp"],
                "imap": states["imap"],
            },
        )

    return beat


def write(ctx: AppContext, value: dict[str, Any]) -> None:
    try:
        with ctx.db.transaction() as session:
            row = session.scalar(select(KeyValue).where(KeyValue.key == KEY))
            if row is None:
                session.add(KeyValue(key=KEY, value=value))
            else:
                row.value = value
    except IntegrityError:  # another worker inserted it at the same moment
        log.debug("heartbeat row raced; the next beat updates it")


def read(session: Any) -> dict[str, Any] | None:
    row = session.scalar(select(KeyValue).where(KeyValue.key == KEY))
    return dict(row.value) if row is not None else None
