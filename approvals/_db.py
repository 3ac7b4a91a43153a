"""Unit-of-work helpers shared by the queue, the executors and the outbox.

Callers hand us a :class:`ledger.db.Database` or a plain ``sessionmaker``; both become
one transaction here. :func:`lock_if` is the portable row claim: a compare-and-set
``UPDATE ... WHERE status = :expected`` run as the transaction's first write. On
PostgreSQL it takes the row lock (a concurrent claimer waits, then re-evaluates the
WHERE clause and finds nothing); on SQLite it takes the database write lock before any
read, so no transaction ever works from a stale snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConflictError, NotFound
from ledger.models import Approval, utcnow


@contextmanager
def transaction(db: Any) -> Iterator[Session]:
    """One transaction from a Database or a sessionmaker: commit on success, else roll back."""
    if isinstance(db, sessionmaker):
        with db.begin() as session:
            yield session
        return
    if hasattr(db, "transaction"):
        with db.transaction() as session:
            yield session
        return
    raise TypeError(f"expected a Database or a sessionmaker, got {type(db).__name__}")


MAX_ROW_ID = 2**63 - 1  # BIGINT; a larger id (from a URL) exists nowhere


def existing_id(approval_id: int) -> int:
    """The id, or NotFound for one no row can have (the database would refuse to compare)."""
    if not 1 <= approval_id <= MAX_ROW_ID:
        raise NotFound(f"approval {approval_id} does not exist")
    return approval_id


def lock_if(
    session: Session, approval_id: int, expected: str | tuple[str, ...], **values: Any
) -> bool:
    """Compare-and-set: apply ``values`` only while the row's status is ``expected``."""
    existing_id(approval_id)
    statuses = (expected,) if isinstance(expected, str) else expected
    values.setdefault("updated_at", utcnow())
    result = session.execute(
        update(Approval)
        .where(Approval.id == approval_id, Approval.status.in_(statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def load(session: Session, approval_id: int) -> Approval:
    """The approval as the database has it now (never a stale identity-map copy)."""
    approval = session.get(Approval, existing_id(approval_id), populate_existing=True)
    if approval is None:
        raise NotFound(f"approval {approval_id} does not exist")
    return approval


def conflict(session: Session, approval_id: int, doing: str) -> ConflictError:
    """The error for acting on an approval whose status forbids it."""
    approval = load(session, approval_id)
    return ConflictError(f"cannot {doing} approval {approval_id}: it is already {approval.status}")
