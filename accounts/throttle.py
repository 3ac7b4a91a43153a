"""Password guessing is slowed down: after ``MAX_FAILURES`` wrong passwords for one username
within ``WINDOW``, that username's password sign-in is refused (without even checking the
password, which also spares the CPU argon2 costs) until the window has passed.

Failures are counted in the ``kv`` table, so several ``serve`` processes share the count.
A right password clears it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ledger.models import KeyValue, utcnow

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


def _key(username: str) -> str:
    return f"login-failures:{username.strip().lower()[:64]}"


def _row(session: Session, username: str) -> KeyValue | None:
    return session.scalar(select(KeyValue).where(KeyValue.key == _key(username)))


def locked_out(session: Session, username: str, *, now: datetime | None = None) -> bool:
    row = _row(session, username)
    if row is None:
        return False
    since = datetime.fromisoformat(row.value["since"])
    return row.value["count"] >= MAX_FAILURES and (now or utcnow()) - since < WINDOW


def record_failure(session: Session, username: str, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    row = _row(session, username)
    if row is None or now - datetime.fromisoformat(row.value["since"]) >= WINDOW:
        if row is not None:
            session.delete(row)
            session.flush()
        session.add(KeyValue(key=_key(username), value={"count": 1, "since": now.isoformat()}))
        return
    row.value = {**row.value, "count": int(row.value["count"]) + 1}


def clear_failures(session: Session, username: str) -> None:
    session.execute(delete(KeyValue).where(KeyValue.key == _key(username)))
