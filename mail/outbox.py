"""The outbox: deliver due outbound Communications, retry outages, never send twice.

A row is claimed with a compare-and-set (``outbox`` → ``sending``, attempts + 1, its
``next_attempt_at`` pushed out by a one-minute lease that a helper thread renews while
the send runs) in its own short transaction and sent outside any transaction. Just
before the message content goes to the server the row becomes ``submitting``; at the
server's 250 to the end of DATA (before QUIT) it becomes ``sent``.

- An outage (connection refused, 4xx, a drop before the end of DATA) puts it back to
  ``outbox`` after a backoff (1 min, 5 min, 30 min, 2 h, 6 h, 12 h); after the last
  attempt it is ``failed``.
- A 5xx (at MAIL, at RCPT for every recipient, at the end of DATA) fails it at once with
  the reason. A recipient refused because the address is bad (``5.1.x``) is flagged as
  bouncing (``mail.bounces``), also when only some recipients were refused (each
  answer is kept in ``meta["recipients"]``).
- A 535 (or 530: a login is required) or a certificate failure fails it at once, is recorded as a fatal SMTP state
  (``mail.health``) and pauses sending for ``CONFIG_PAUSE`` instead of failing the
  whole queue.
- No answer to the end of DATA, or a crash while ``submitting`` (its lease ran out),
  makes it ``delivery_unknown``: a person resends or closes it on the Outbox page
  (:func:`mail.outbox_rows.resend`, :func:`~mail.outbox_rows.close`); it is never sent again
  automatically.
- A crash before the content was sent (``sending``, lease over) is retried with the
  same Message-ID.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from core.clock import Clock
from core.errors import ARAgentError, DeliveryError
from core.settings import get_settings
from ledger.models import Approval, Communication
from mail.compose import build_message, invoice_attachments
from mail.documents import Letterhead, render_attachments
from mail.health import mail_health, record_failure, record_success
from mail.outbox_rows import (
    IN_FLIGHT,
    MAX_ATTEMPTS,
    give_up_crashed,
    mark_failed,
    mark_sent,
    mark_unknown,
    unknown_after_crash,
)
from mail.smtp import ConfigFailure, DeliveryUnknown, Receipt, RefusedForGood, Transport

log = logging.getLogger(__name__)
SENDING_LEASE = timedelta(minutes=1)
CONFIG_PAUSE = timedelta(minutes=5)
Precheck = Callable[[Session, Communication], str | None]


class Cancelled(ARAgentError):
    """The message must not go out after all (its precheck said why)."""


class LostClaim(ARAgentError):
    """Another worker took the row over (our lease ran out): stop before the content goes."""


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    paused: str | None = None  # why nothing was sent (a configuration failure)


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
    how = _How(
        from_addr=from_addr or settings.from_address,
        reply_domain=reply_domain or settings.reply_domain,
        max_attempts=max_attempts,
        lease=lease,
        precheck=precheck,
    )
    report = DeliveryReport()
    report.failed += give_up_crashed(db, clock.now(), max_attempts)
    report.unknown += unknown_after_crash(db, clock.now())
    report.paused = _paused(db, clock.now())
    if report.paused:
        return report
    for comm_id in due_ids(db, clock=clock, limit=limit):
        now = clock.now()
        if not _claim(db, comm_id, now, lease):
            continue  # another worker has it
        report.claimed += 1
        if not _send_one(db, comm_id, clock, transport, report, how):
            report.paused = report.errors.get(comm_id)
            break
    return report


@dataclass(frozen=True)
class _How:
    """How this pass sends: sender, reply domain, attempts, lease, last-minute check."""

    from_addr: str
    reply_domain: str | None
    max_attempts: int
    lease: timedelta
    precheck: Precheck | None


def _send_one(
    db: Any, comm_id: int, clock: Clock, transport: Transport, report: DeliveryReport, how: _How
) -> bool:
    """Send one claimed row and record the outcome; False when sending must pause."""
    progress: _Progress | None = None
    try:
        message, attempts = _message(
            db, comm_id, how.from_addr, how.reply_domain, clock.now(), how.precheck
        )
        progress = _Progress(db, comm_id, clock, attempts)
        with _LeaseKeeper(db, comm_id, clock, how.lease):
            receipt = transport.send(message, progress)
    except Exception as exc:  # every failure is recorded on the row
        return _record_failure(db, comm_id, clock, exc, report, how.max_attempts, progress)
    record_success(db, "smtp", clock.now())
    if not progress.accepted_called:  # a transport that does not report progress
        progress.accepted(receipt if isinstance(receipt, Receipt) else Receipt())
    if progress.committed:
        report.sent.append(comm_id)
    else:  # accepted, but `sent` could not be committed: its lease runs out, then unknown
        report.errors[comm_id] = "accepted by the server; recording it failed"
    return True


def _record_failure(
    db: Any,
    comm_id: int,
    clock: Clock,
    exc: Exception,
    report: DeliveryReport,
    max_attempts: int,
    progress: _Progress | None,
) -> bool:
    error = str(exc) or type(exc).__name__
    report.errors[comm_id] = error
    now = clock.now()
    log.warning("outbox: communication %s not delivered: %s", comm_id, error)
    if progress is not None and progress.accepted_called:
        return True  # the server took it; the row's own state says what happened
    if isinstance(exc, LostClaim):
        return True  # the row belongs to the worker that took it over
    if isinstance(exc, DeliveryUnknown):
        record_failure(db, "smtp", now, error)
        mark_unknown(db, comm_id, now, error)
        report.unknown.append(comm_id)
        return True
    if isinstance(exc, ConfigFailure):
        record_failure(db, "smtp", now, error, fatal=True)
        mark_failed(db, comm_id, now, error, 0)
        report.failed.append(comm_id)
        return False
    if isinstance(exc, RefusedForGood):
        record_success(db, "smtp", now)  # the server is there and answering
        mark_failed(db, comm_id, now, error, 0, refused=exc.refused)
        report.failed.append(comm_id)
        return True
    if isinstance(exc, (DeliveryError, OSError)):
        record_failure(db, "smtp", now, error)
    elif not isinstance(exc, ARAgentError):
        log.exception("outbox: unexpected error sending communication %s", comm_id)
    # A message that cannot be built or was cancelled will never go out; anything
    # else (SMTP, network, a bug) is retried with backoff up to max_attempts.
    transient = not isinstance(exc, ARAgentError) or isinstance(exc, DeliveryError)
    final = mark_failed(db, comm_id, now, error, max_attempts if transient else 0)
    if isinstance(exc, Cancelled):
        report.cancelled.append(comm_id)
    else:
        (report.failed if final else report.retrying).append(comm_id)
    return True


class _Progress:
    """The outbox's side of :class:`mail.smtp.SendProgress`: ``submitting``, then ``sent``."""

    def __init__(self, db: Any, comm_id: int, clock: Clock, attempts: int) -> None:
        self.db, self.comm_id, self.clock, self.attempts = db, comm_id, clock, attempts
        self.accepted_called = False
        self.committed = False

    def submitting(self) -> None:
        with self.db.transaction() as session:
            result = session.execute(
                update(Communication)
                .where(Communication.id == self.comm_id, Communication.status == "sending")
                .values(status="submitting")
                .execution_options(synchronize_session=False)
            )
        if not result.rowcount:
            raise LostClaim(f"communication {self.comm_id} is no longer ours to send")

    def accepted(self, receipt: Receipt) -> None:
        self.accepted_called = True
        try:
            mark_sent(self.db, self.comm_id, self.clock.now(), self.attempts, receipt)
            self.committed = True
        except Exception:  # the row stays `submitting`; its lease ends in delivery_unknown
            log.exception("outbox: communication %s accepted but not recorded", self.comm_id)


class _LeaseKeeper:
    """Renews a claimed row's lease while a (slow) send runs, so a crash shows in a minute."""

    def __init__(self, db: Any, comm_id: int, clock: Clock, lease: timedelta) -> None:
        self.db, self.comm_id, self.clock, self.lease = db, comm_id, clock, lease
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="outbox-lease", daemon=True)

    def __enter__(self) -> _LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        interval = max(self.lease.total_seconds() / 3, 0.05)
        while not self.stop.wait(interval):
            try:
                with self.db.transaction() as session:
                    session.execute(
                        update(Communication)
                        .where(
                            Communication.id == self.comm_id,
                            Communication.status.in_(IN_FLIGHT),
                        )
                        .values(next_attempt_at=self.clock.now() + self.lease)
                        .execution_options(synchronize_session=False)
                    )
            except Exception:  # the database is away: the send goes on, the lease may end
                log.warning("outbox: could not renew the lease of %s", self.comm_id)


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
) -> tuple[EmailMessage, int]:
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


def _paused(db: Any, now: datetime) -> str | None:
    """The configuration failure that pauses sending, while ``CONFIG_PAUSE`` runs."""
    smtp = mail_health(db)["smtp"]
    if smtp.fatal and smtp.last_failure_at and now - smtp.last_failure_at < CONFIG_PAUSE:
        return smtp.reason
    return None
