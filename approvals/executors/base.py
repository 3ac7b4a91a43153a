"""What every executor gets and may raise.

An executor applies one approved action to the ledger inside the caller's transaction
and returns a small JSON result. It never commits: :func:`approvals.executor.execute`
commits the ledger change together with the approval's move to ``executed``. When the
ledger *now* forbids the action, it raises :class:`Refused` before writing anything;
the approval then becomes ``failed`` with that reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import PolicyViolation
from core.settings import Settings
from ledger.models import Approval, Customer, Dispute, Invoice


class Refused(PolicyViolation):
    """The ledger as it is now forbids the approved action."""


@dataclass
class ExecContext:
    session: Session
    clock: Clock
    approval: Approval
    payload: Any  # the typed payload model of policies.actions
    verdict: Any
    settings: Settings


def customer(session: Session, customer_id: str | None, *, lock: bool = False) -> Customer:
    query = select(Customer).where(Customer.id == customer_id)
    found = session.scalars(query.with_for_update() if lock else query).first()
    if found is None:
        raise Refused(f"customer {customer_id} does not exist")
    return found


def invoices(
    session: Session, customer_id: str, numbers: Iterable[str], *, lock: bool = False
) -> list[Invoice]:
    """The named invoices of ``customer_id``, in the given order (row-locked on PostgreSQL)."""
    wanted = list(dict.fromkeys(numbers))
    if not wanted:
        return []
    query = select(Invoice).where(Invoice.number.in_(wanted)).order_by(Invoice.id)
    found = {i.number: i for i in session.scalars(query.with_for_update() if lock else query)}
    for number in wanted:
        inv = found.get(number)
        if inv is None:
            raise Refused(f"invoice {number} does not exist")
        if inv.customer_id != customer_id:
            raise Refused(f"invoice {number} belongs to {inv.customer_id}, not {customer_id}")
    return [found[n] for n in wanted]


def require_open(invs: Iterable[Invoice]) -> None:
    for inv in invs:
        if inv.balance <= 0:
            raise Refused(f"invoice {inv.number} has been paid since this was drafted")


def open_dispute_on(session: Session, invoice: Invoice) -> Dispute | None:
    return session.scalars(
        select(Dispute).where(Dispute.invoice_id == invoice.id, Dispute.status == "open")
    ).first()


def result(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
