"""How SMTP and IMAP are doing: the last success, the last failure and its reason.

The outbox and the IMAP poller record every outcome here; ``/readyz`` (and anyone
else) reads :func:`mail_health`. The state lives in the ``kv`` table (keys
``mail_health:smtp`` and ``mail_health:imap``) so that a separate worker process and the
web server see the same thing. ``fatal`` marks a configuration failure (SMTP 535, a
refused login, a certificate that cannot be verified): retrying will not help, a person
must fix the settings. Successes are written when the state changes and at most once a
minute otherwise. :meth:`ChannelHealth.state` sums it up for ``/readyz``:
``misconfigured`` and ``failing`` mean not ready, ``degraded`` a passing outage.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ledger.models import KeyValue

Channel = Literal["smtp", "imap"]
State = Literal["unknown", "ok", "degraded", "failing", "misconfigured"]
CHANNELS: tuple[Channel, ...] = ("smtp", "imap")
REFRESH = timedelta(minutes=1)
STALE = timedelta(minutes=10)  # failing for longer than this: "failing", not "degraded"
_written: dict[tuple[int, Channel], tuple[bool, datetime]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class ChannelHealth:
    channel: Channel
    ok: bool | None = None  # None: not tried yet (or not configured)
    last_success_at: datetime | None = None
    last_failure_at: datetime | None = None
    reason: str | None = None  # the last failure's reason
    fatal: bool = False  # a configuration failure, not an outage

    def state(self, now: datetime) -> State:
        """``unknown`` (not used yet), ``ok``, ``degraded`` (failing, but it worked less than
        ``STALE`` ago), ``failing`` (an outage for longer) or ``misconfigured`` (fatal)."""
        if self.ok is None:
            return "unknown"
        if self.ok:
            return "ok"
        if self.fatal:
            return "misconfigured"
        if self.last_success_at is not None and now - self.last_success_at < STALE:
            return "degraded"
        return "failing"

    def as_json(self, now: datetime | None = None) -> dict[str, Any]:
        data = asdict(self)
        for key in ("last_success_at", "last_failure_at"):
            data[key] = data[key].isoformat() if data[key] else None
        if now is not None:
            data["state"] = self.state(now)
        return data


def mail_health(db: Any) -> dict[Channel, ChannelHealth]:
    """SMTP's and IMAP's last known state (``ok=None`` for a channel never used)."""
    with db.transaction() as session:
        rows = {
            kv.key: kv.value
            for kv in session.scalars(
                select(KeyValue).where(KeyValue.key.in_([_key(c) for c in CHANNELS]))
            )
        }
    return {c: _from_json(c, rows.get(_key(c))) for c in CHANNELS}


def record_success(db: Any, channel: Channel, now: datetime) -> None:
    with _lock:
        previous = _written.get((id(db), channel))
        if previous and previous[0] and now - previous[1] < REFRESH:
            return
        _written[(id(db), channel)] = (True, now)
    _update(db, channel, ok=True, last_success_at=now.isoformat(), fatal=False)


def record_failure(
    db: Any, channel: Channel, now: datetime, reason: str, *, fatal: bool = False
) -> None:
    with _lock:
        _written[(id(db), channel)] = (False, now)
    _update(db, channel, ok=False, last_failure_at=now.isoformat(), reason=reason, fatal=fatal)


def _update(db: Any, channel: Channel, **changes: Any) -> None:
    for attempt in (1, 2):  # two processes may create the row at once: the loser updates
        try:
            with db.transaction() as session:
                row = session.scalars(select(KeyValue).where(KeyValue.key == _key(channel))).first()
                if row is None:
                    session.add(KeyValue(key=_key(channel), value=dict(changes)))
                else:
                    row.value = {**(row.value or {}), **changes}
            return
        except IntegrityError:
            if attempt == 2:
                raise


def _key(channel: Channel) -> str:
    return f"mail_health:{channel}"


def _from_json(channel: Channel, value: dict[str, Any] | None) -> ChannelHealth:
    if not value:
        return ChannelHealth(channel)

    def when(key: str) -> datetime | None:
        raw = value.get(key)
        return datetime.fromisoformat(raw) if raw else None

    return ChannelHealth(
        channel=channel,
        ok=value.get("ok"),
        last_success_at=when("last_success_at"),
        last_failure_at=when("last_failure_at"),
        reason=value.get("reason"),
        fatal=bool(value.get("fatal")),
    )
