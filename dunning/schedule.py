"""The daily dunning run inside ``ar-agent serve`` (``AR_AGENT_DUNNING_TIME``, e.g. "07:00").

``run_once_if_due`` runs the cadence once per calendar day, at or after the configured
time of the clock's own offset (UTC for the real clock), and records the day in the
``kv`` table (key ``dunning.last_run``) so a restart the same day does not run it again
(the run is idempotent anyway); the credit review (:mod:`dunning.credit`) follows it.
``run_daily`` is the background loop ``api.server`` starts; it checks every ``poll``
seconds until ``stop`` is set.
"""

from __future__ import annotations

import logging
import threading
from datetime import time
from typing import Any

from sqlalchemy import select

from core.clock import Clock, today
from core.errors import ConfigError
from core.metrics import DUNNING_RUN, timed
from dunning.run import DunningResult, run_dunning
from ledger.models import KeyValue

log = logging.getLogger(__name__)
LAST_RUN = "dunning.last_run"


def parse_time(value: str) -> time:
    """ "07:00" → 07:00; a one-line ConfigError naming the setting otherwise."""
    try:
        hours, minutes = (int(part) for part in value.strip().split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"AR_AGENT_DUNNING_TIME: {value!r} is not a time like 07:00") from exc


def run_once_if_due(
    db: Any, clock: Clock, dunning_time: str, *, policy: Any = None
) -> DunningResult | None:
    """Run today's dunning when its time has come and it has not run today."""
    at = parse_time(dunning_time)
    now = clock.now()
    day = today(clock)
    if now.time().replace(tzinfo=None) < at:
        return None
    with db.session() as session:
        row = session.scalars(select(KeyValue).where(KeyValue.key == LAST_RUN)).first()
        if row is not None and row.value.get("day") == day.isoformat():
            return None
    if policy is None:
        from policies.config import load_policy

        policy = load_policy()  # re-read each day: an edited policy applies to the next run
    return run_today(db, clock, policy=policy)


def run_today(db: Any, clock: Clock, *, policy: Any) -> DunningResult:
    """Run the dunning cycle and the credit review now, and remember that today's ran."""
    day = today(clock)
    with timed(DUNNING_RUN):
        result = run_dunning(db, clock=clock, policy=policy)
    with db.transaction() as session:
        row = session.scalars(select(KeyValue).where(KeyValue.key == LAST_RUN)).first()
        value = {
            "day": day.isoformat(),
            "run_id": result.run_id,
            "queued": len(result.queued),
            "skipped": len(result.skipped),
            "blocked": len(result.blocked),
        }
        if row is None:
            session.add(KeyValue(key=LAST_RUN, value=value))
        else:
            row.value = value
    log.info(
        "dunning run %s: %d queued, %d skipped, %d blocked",
        result.run_id,
        len(result.queued),
        len(result.skipped),
        len(result.blocked),
    )
    from dunning.credit import run_credit_review

    credit = run_credit_review(db, clock=clock, policy=policy)
    log.info("credit review: %d change_credit proposals queued", len(credit.queued))
    return result


def run_daily(
    db: Any, clock: Clock, dunning_time: str, stop: threading.Event, poll: float = 30.0
) -> None:
    """Background loop: run the dunning once a day until ``stop`` is set."""
    parse_time(dunning_time)  # fail at start, not at 07:00
    while not stop.is_set():
        try:
            run_once_if_due(db, clock, dunning_time)
        except Exception:  # the loop must survive a bad day; the next poll tries again
            log.exception("dunning run failed")
        stop.wait(poll)
