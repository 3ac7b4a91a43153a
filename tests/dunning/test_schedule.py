"""The daily run inside serve: once a day, at or after the configured time."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.clock import FrozenClock
from core.errors import ConfigError
from dunning.schedule import parse_time, run_daily, run_once_if_due
from ledger.models import Approval, KeyValue
from tests.dunning import _ledger as L

CHICAGO = ZoneInfo("America/Chicago")


def approvals(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Approval))


def test_runs_once_per_day_after_its_time(db):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-1", 8)
    clock = FrozenClock(datetime(2026, 11, 23, 6, 59, tzinfo=CHICAGO))
    assert run_once_if_due(db, clock, "07:00") is None and approvals(db) == 0
    clock.advance(minutes=1)
    result = run_once_if_due(db, clock, "07:00")
    assert result is not None and len(result.queued) == 1
    assert run_once_if_due(db, clock, "07:00") is None  # same day: not again
    with db.session() as s:
        kv = s.scalars(select(KeyValue).where(KeyValue.key == "dunning.last_run")).one()
    assert kv.value["day"] == "2026-11-23" and kv.value["queued"] == 1
    clock.advance(days=1)
    assert run_once_if_due(db, clock, "07:00") is not None  # next day runs again


def test_bad_time_is_a_config_error():
    with pytest.raises(ConfigError, match="AR_AGENT_DUNNING_TIME: '7am' is not a time"):
        parse_time("7am")


def test_loop_stops_when_told(db):
    clock = FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHICAGO))
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-1", 8)
    stop = threading.Event()
    worker = threading.Thread(target=run_daily, args=(db, clock, "07:00", stop, 0.05))
    worker.start()
    for _ in range(200):
        if approvals(db):
            break
        stop.wait(0.05)
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive() and approvals(db) == 1
