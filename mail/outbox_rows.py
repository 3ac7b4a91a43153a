"""What happens to an outbox row, each change one transaction with its audit event.

``sent`` at the server's 250, ``failed`` (for good, or back to ``outbox`` after a
backoff), ``delivery_unknown`` when nobody knows whether the server kept the message,
and the two decisions a person takes on the Outbox page about a ``delivery_unknown`` or
``failed`` email: :func:`resend` (same Message-ID, a fresh series of attempts) and
:func:`close`. Refused recipients' answers are kept in ``meta["recipients"]`` and a 5xx
flags their contacts as bouncing (:mod:`mail.bounces`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import ConflictError, NotFound
from ledger.models import AuditEvent, Communication
from mail.bounces import flag_bouncing, is_address_refusal
from mail.smtp import Receipt

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
IN_FLIGHT = ("sending", "submitting")
UNKNOWN = "delivery_unknown"


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def give_up_crashed(db: Any, now: datetime, max_attempts: int) -> list[int]:
    """Fail rows whose sender crashed mid-send on every one of their attempts."""
    with db.transaction() as session:
        ids = list(
            session.scalars(
                select(Communication.id).where(
                    Communication.direction == "out",
                    Communication.status == "sending",
                    Communication.next_attempt_at <= now,  # its lease ran out
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


def mark_sent(db: Any, comm_id: int, now: datetime, attempts: int, receipt: Receipt) -> None:
    """``sent`` at the server's 250 (also from ``delivery_unknown``: the answer came late)."""
    with db.transaction() as session:
        comm = session.get(Communication, comm_id, populate_existing=True)
        if comm is None or comm.status not in (*IN_FLIGHT, UNKNOWN):
            return
        comm.status, comm.sent_at, comm.next_attempt_at = "sent", now, None
        comm.error = _refusal_note(receipt.refused) if receipt.refused else None
        detail: dict[str, Any] = {"attempts": attempts, "reply": receipt.reply}
        if receipt.refused:
            comm.meta = {**(comm.meta or {}), "recipients": _recipients(comm, receipt.refused)}
            detail["refused"] = receipt.refused
            detail["bouncing"] = _flag(session, comm, receipt.refused, now)
        _audit(session, comm_id, now, "email_sent", detail)


def mark_failed(
    db: Any,
    comm_id: int,
    now: datetime,
    error: str,
    max_attempts: int,
    *,
    refused: dict[str, str] | None = None,
) -> bool:
    """Back to the outbox after a backoff, or ``failed`` for good; True when final."""
    with db.transaction() as session:
        comm = session.get(Communication, comm_id, populate_existing=True)
        if comm is None or comm.status not in IN_FLIGHT:
            return False
        final = comm.attempts >= max_attempts
        comm.status = "failed" if final else "outbox"
        comm.error = error
        comm.next_attempt_at = None if final else now + backoff(comm.attempts)
        detail: dict[str, Any] = {
            "attempts": comm.attempts,
            "error": error,
            "next_attempt_at": comm.next_attempt_at.isoformat() if comm.next_attempt_at else None,
        }
        if refused:
            comm.meta = {**(comm.meta or {}), "recipients": _recipients(comm, refused)}
            detail["refused"] = refused
            detail["bouncing"] = _flag(session, comm, refused, now)
        event = "email_failed" if final else "email_retry"
        if final and error.startswith("not sent: "):
            event = "email_cancelled"
        _audit(session, comm_id, now, event, detail)
        return final


def mark_unknown(db: Any, comm_id: int, now: datetime, error: str) -> None:
    with db.transaction() as session:
        comm = session.get(Communication, comm_id, populate_existing=True)
        if comm is None or comm.status not in IN_FLIGHT:
            return
        comm.status, comm.error, comm.next_attempt_at = UNKNOWN, error, None
        _audit(session, comm_id, now, "email_delivery_unknown", {"error": error})


def unknown_after_crash(db: Any, now: datetime) -> list[int]:
    """Rows whose sender stopped while handing the message over: outcome unknown."""
    error = (
        "the sender stopped while handing the message to the server: "
        "it may or may not have been delivered"
    )
    with db.transaction() as session:
        ids = list(
            session.scalars(
                select(Communication.id).where(
                    Communication.direction == "out",
                    Communication.status == "submitting",
                    Communication.next_attempt_at <= now,
                )
            )
        )
    for comm_id in ids:
        mark_unknown(db, comm_id, now, error)
    return ids


def resend(db: Any, comm_id: int, *, clock: Clock, actor: str) -> None:
    """A person decided a ``delivery_unknown`` (or ``failed``) email goes out again."""
    _decide(db, comm_id, clock.now(), actor, "outbox", "email_resend")


def close(db: Any, comm_id: int, *, clock: Clock, actor: str) -> None:
    """A person decided a ``delivery_unknown`` (or ``failed``) email is done with."""
    _decide(db, comm_id, clock.now(), actor, "closed", "email_closed")


def _decide(db: Any, comm_id: int, now: datetime, actor: str, status: str, event: str) -> None:
    with db.transaction() as session:
        comm = session.get(Communication, comm_id, populate_existing=True)
        if comm is None or comm.direction != "out":
            raise NotFound(f"no outbound email {comm_id}")
        if comm.status not in (UNKNOWN, "failed"):
            raise ConflictError(f"email {comm_id} is {comm.status}, not delivery_unknown or failed")
        before = comm.status
        comm.status = status
        comm.next_attempt_at = now if status == "outbox" else None
        if status == "outbox":
            comm.attempts = 0  # a fresh series of attempts, same Message-ID
        _audit(session, comm_id, now, event, {"by": actor, "from_status": before}, actor=actor)


def _recipients(comm: Communication, refused: dict[str, str]) -> dict[str, str]:
    everyone = [*comm.to_addrs, *comm.cc_addrs]
    lowered = {a.lower(): r for a, r in refused.items()}
    answers = {a: lowered.get(a.lower(), "250 accepted") for a in everyone}
    return answers | {a: r for a, r in refused.items() if a not in answers}


def _refusal_note(refused: dict[str, str]) -> str:
    return "refused: " + "; ".join(f"{a}: {r}" for a, r in refused.items())


def _flag(
    session: Session, comm: Communication, refused: dict[str, str], now: datetime
) -> list[str]:
    """Flag the contacts whose address was refused as bad; the addresses flagged."""
    flagged = []
    for address, answer in refused.items():
        bad_address = is_address_refusal(answer)
        if bad_address and flag_bouncing(
            session, address, answer, now, customer_id=comm.customer_id
        ):
            flagged.append(address)
    return flagged


def _audit(
    session: Any,
    comm_id: int,
    now: datetime,
    event: str,
    detail: dict[str, Any],
    *,
    actor: str = "outbox",
) -> None:
    approval_id = session.scalar(
        select(Communication.approval_id).where(Communication.id == comm_id)
    )
    session.add(
        AuditEvent(
            at=now,
            approval_id=approval_id,
            actor=actor,
            event=event,
            detail={"communication_id": comm_id, **detail},
        )
    )
