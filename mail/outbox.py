"""The outbox: deliver due outbound Communications, retry with backoff, never twice.

A row is claimed with a compare-and-set (``outbox`` → ``sending``, attempts + 1, its
``next_attempt_at`` pushed out by a lease) in its own short transaction, sent outside
any transaction, then marked ``sent``. A failure puts it back to ``outbox`` after a
backoff (1 min, 5 min, 30 min, 2 h, 6 h, 12 h) or, after the last attempt, ``failed``
with the error. A row left in ``sending`` by a crash becomes due again when its lease
runs out and goes out with the same Message-ID, so recipients can de-duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from core.clock import Clock
from core.errors import ARAgentError, DeliveryError
from core.settings import get_settings
from ledger.models import Approval, AuditEvent, Communication
from mail.compose import build_message, invoice_attachments
from mail.documents import Letterhead, render_attachments
from mail.smtp import Transport

log = logging.getLogger(__name__)
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
SENDING_LEASE = timedelta(minutes=10)
Precheck = Callable[[Session, Communication], str | None]


class Cancelled(ARAgentError):
    """The message must not go out after all (its precheck said why)."""


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def deliver_due(
    db: Any,
    *,
    clock: Clock,
    transport: Transport,
    limit: int = 100,
    from_addr: str | None = None,
    reply_domain: str | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    lease: timedelta = SENDING_LEASE,
    precheck: Precheck | None = None,
) -> DeliveryReport:
    """Send every due outbox row (and every expired ``sending`` lease) once.

    ``precheck(session, comm)`` may return a reason not to send after all (the ledger
    changed while the message waited for its send window); the row then fails with it.
    """
    settings = get_settings()
    from_addr = from_addr or settings.from_address
    reply_domain = reply_domain or settings.reply_domain
    report = DeliveryReport()
    report.failed += _give_up_crashed(db, clock.now(), max_attempts)
    for comm_id in due_ids(db, clock=clock, limit=limit):
        now = clock.now()
        if not _claim(db, comm_id, now, lease):
            continue  # another worker has it
        report.claimed += 1
        try:
            message, attempts = _message(db, comm_id, from_addr, reply_domain, now, precheck)
            transport.send(message)
        except Exception as exc:  # every failure is recorded on the row
            error = str(exc) or type(exc).__name__
            report.errors[comm_id] = error
            # A message that cannot be built or was cancelled will never go out; anything
            # else (SMTP, network, a bug) is retried with backoff up to max_attempts.
            transient = not isinstance(exc, ARAgentError) or isinstance(exc, DeliveryError)
            if not isinstance(exc, ARAgentError | OSError):
                log.exception("outbox: unexpected error sending communication %s", comm_id)
            final = _failed(db, comm_id, clock.now(), error, max_attempts if transient else 0)
            if isinstance(exc, Cancelled):
                report.cancelled.append(comm_id)
            else:
                (report.failed if final else report.retrying).append(comm_id)
            log.warning("outbox: communication %s not delivered: %s", comm_id, error)
            continue
        _sent(db, comm_id, clock.now(), attempts)
        report.sent.append(comm_id)
    return report


def due_ids(db: Any, *, clock: Clock, limit: int = 100) -> list[int]:
    """Ids of outbound rows whose next attempt is due now, oldest first."""
    with db.transaction() as session:
        return list(
            session.scalars(
                select(Communication.id)
                .where(*_due(clock.now()))
                .order_by(Communication.next_attempt_at, Communication.id)
                .limit(limit)
            )
        )


def _due(now: datetime) -> tuple[Any, ...]:
    return (
        Communication.direction == "out",
        Communication.status.in_(("outbox", "sending")),
        or_(Communication.next_attempt_at.is_(None), Communication.next_attempt_at <= now),
    )


def _give_up_crashed(db: Any, now: datetime, max_attempts: int) -> list[int]:
    """Fail rows whose sender crashed mid-send on every one of their attempts."""
    with db.transaction() as session:
        ids = list(
            session.scalars(
                select(Communication.id).where(
                    *_due(now),
                    Communication.status == "sending",
                    Communication.attempts >= max_attempts,
                )
            )
        )
        for comm_id in ids:
            session.execute(
                update(Communication)
                .where(Communication.id == comm_id, Communication.status == "sending")
                .values(
                    status="failed",
                    next_attempt_at=None,
                    error=f"gave up after {max_attempts} attempts: the sender stopped mid-send",
                )
            )
            _audit(session, comm_id, now, "email_failed", {"error": "crashed mid-send"})
    return ids


def _claim(db: Any, comm_id: int, now: datetime, lease: timedelta) -> bool:
    with db.transaction() as session:
        result = session.execute(
            update(Communication)
            .where(Communication.id == comm_id, *_due(now))
            .values(
                status="sending", attempts=Communication.attempts + 1, next_attempt_at=now + lease
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)


def _message(
    db: Any,
    comm_id: int,
    from_addr: str,
    reply_domain: str | None,
    now: datetime,
    precheck: Precheck | None,
) -> tuple[Any, int]:
    with db.transaction() as session:
        comm = session.scalars(
            select(Communication)
            .where(Communication.id == comm_id)
            .options(selectinload(Communication.invoices))
        ).one()
        reason = precheck(session, comm) if precheck else None
        if reason:
            raise Cancelled(f"not sent: {reason}")
        message = build_message(
            comm,
            from_addr=from_addr,
            reply_domain=reply_domain,
            attachments=[*invoice_attachments(comm), *_documents(session, comm, now)],
            date=now,
        )
        return message, comm.attempts


def _documents(session: Any, comm: Communication, now: datetime) -> list[tuple[str, bytes, str]]:
    """The invoice copies and statements the approved draft names, rendered now."""
    approval = session.get(Approval, comm.approval_id) if comm.approval_id else None
    specs = list(((approval.payload if approval else None) or {}).get("attachments") or [])
    if not specs or not comm.customer_id:
        return []
    settings = get_settings()
    return render_attachments(
        session,
        specs,
        customer_id=comm.customer_id,
        head=Letterhead(settings.company_name, settings.pay_link),
        day=now.date(),
        language=(approval.payload or {}).get("language") if approval else None,
    )


def _sent(db: Any, comm_id: int, now: datetime, attempts: int) -> None:
    with db.transaction() as session:
        session.execute(
            update(Communication)
            .where(Communication.id == comm_id, Communication.status == "sending")
            .values(status="sent", sent_at=now, error=None, next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        _audit(session, comm_id, now, "email_sent", {"attempts": attempts})


def _failed(db: Any, comm_id: int, now: datetime, error: str, max_attempts: int) -> bool:
    """Back to the outbox after a backoff, or ``failed`` for good; True when final."""
    with db.transaction() as session:
        comm = session.get(Communication, comm_id, populate_existing=True)
        if comm is None or comm.status != "sending":
            return False
        final = comm.attempts >= max_attempts
        comm.status = "failed" if final else "outbox"
        comm.error = error
        comm.next_attempt_at = None if final else now + backoff(comm.attempts)
        _audit(
            session,
            comm_id,
            now,
            ("email_cancelled" if error.startswith("not sent: ") else "email_failed")
            if final
            else "email_retry",
            {
                "attempts": comm.attempts,
                "error": error,
                "next_attempt_at": comm.next_attempt_at.isoformat()
                if comm.next_attempt_at
                else None,
            },
        )
        return final


def _audit(session: Any, comm_id: int, now: datetime, event: str, detail: dict[str, Any]) -> None:
    approval_id = session.scalar(
        select(Communication.approval_id).where(Communication.id == comm_id)
    )
    session.add(
        AuditEvent(
            at=now,
            approval_id=approval_id,
            actor="outbox",
            event=event,
            detail={"communication_id": comm_id, **detail},
        )
    )
