"""Ledger rows the rules of a batch of actions read, loaded with one query per table.

``prefetch(session, actions, ...)`` returns a :class:`Prefetched` that ``check`` hands
to every rule through the :class:`~policies.rules.context.RuleContext`; a rule asks it
first and queries the session only for what it does not hold (a customer or invoice
outside the batch, an execution-time frequency check). The filters are those of the
rules' own queries, so a prefetched check and a plain one give the same verdict.
Only valid while the ledger does not change: build it, check the batch, then write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from ledger.models import (
    Communication,
    Contact,
    Customer,
    Dispute,
    DunningHold,
    Invoice,
    PaymentPlan,
    Promise,
    plan_invoices,
    promise_invoices,
)
from policies.actions import ProposedAction
from policies.schema import Policy

_CHUNK = 500


@dataclass
class Prefetched:
    today: date
    customers: dict[str, Customer | None] = field(default_factory=dict)
    contacts: dict[str, list[Contact]] = field(default_factory=dict)
    invoices: dict[str, Invoice | None] = field(default_factory=dict)  # by number
    disputes: dict[int, list[Dispute]] = field(default_factory=dict)  # open, by invoice id
    promises: dict[int, list[date]] = field(default_factory=dict)  # open promise dates
    plans: dict[int, list[int]] = field(default_factory=dict)  # active plan ids
    holds: dict[str, list[DunningHold]] = field(default_factory=dict)  # live, by customer
    sent: dict[str, list[Communication]] = field(default_factory=dict)  # frequency-counted

    def covers(self, invoice_ids: Iterable[int]) -> bool:
        """Whether the per-invoice rows of every one of ``invoice_ids`` were loaded."""
        return all(i in self.disputes for i in invoice_ids)


def _chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    ordered = sorted(values)
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i : i + _CHUNK]


def _wanted(actions: Iterable[ProposedAction]) -> tuple[set[str], set[str]]:
    customers: set[str] = set()
    numbers: set[str] = set()
    for action in actions:
        payload = action.payload if isinstance(action.payload, dict) else {}
        if isinstance(payload.get("customer"), str):
            customers.add(payload["customer"])
        listed = payload.get("invoices")
        if isinstance(listed, list):
            numbers |= {n for n in listed if isinstance(n, str)}
        if isinstance(payload.get("invoice"), str):
            numbers.add(payload["invoice"])
    return customers, numbers


def prefetch(
    session: Session, actions: Iterable[ProposedAction], *, clock: Clock, policy: Policy
) -> Prefetched:
    """Load what checking ``actions`` reads: customers, contacts, invoices, disputes,
    promises, plans, holds and the emails the frequency caps count."""
    day = today(clock)
    out = Prefetched(today=day)
    customers, numbers = _wanted(actions)
    for chunk in _chunks(list(customers)):
        found = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(chunk)))}
        for cid in chunk:
            out.customers[cid] = found.get(cid)
            out.contacts[cid] = []
            out.holds[cid] = []
            out.sent[cid] = []
        for contact in session.scalars(
            select(Contact).where(Contact.customer_id.in_(chunk)).order_by(Contact.id)
        ):
            out.contacts[contact.customer_id].append(contact)
        holds = select(DunningHold).where(
            DunningHold.customer_id.in_(chunk),
            DunningHold.active.is_(True),
            or_(DunningHold.until.is_(None), DunningHold.until > day),
        )
        for hold in session.scalars(holds.order_by(DunningHold.id)):
            out.holds[hold.customer_id].append(hold)
        for row in session.scalars(_sent_query(policy, Communication.customer_id.in_(chunk))):
            out.sent[row.customer_id].append(row)
    for chunk in _chunks(list(numbers)):
        found_inv = {
            i.number: i for i in session.scalars(select(Invoice).where(Invoice.number.in_(chunk)))
        }
        for n in chunk:
            out.invoices[n] = found_inv.get(n)
    ids = [i.id for i in out.invoices.values() if i is not None]
    for inv_id in ids:
        out.disputes[inv_id], out.promises[inv_id], out.plans[inv_id] = [], [], []
    for chunk in _chunks(ids):
        disputes = select(Dispute).where(Dispute.invoice_id.in_(chunk), Dispute.status == "open")
        for dispute in session.scalars(disputes.order_by(Dispute.id)):
            out.disputes[dispute.invoice_id].append(dispute)
        for inv_id, when in session.execute(
            select(promise_invoices.c.invoice_id, Promise.date)
            .join(Promise, Promise.id == promise_invoices.c.promise_id)
            .where(promise_invoices.c.invoice_id.in_(chunk), Promise.status == "open")
        ):
            out.promises[inv_id].append(when)
        for inv_id, plan_id in session.execute(
            select(plan_invoices.c.invoice_id, PaymentPlan.id)
            .join(PaymentPlan, PaymentPlan.id == plan_invoices.c.plan_id)
            .where(plan_invoices.c.invoice_id.in_(chunk), PaymentPlan.status == "active")
        ):
            out.plans[inv_id].append(plan_id)
    return out


def _sent_query(policy: Policy, *where: Any) -> Any:
    """The emails the frequency caps count (``policies.rules.frequency``), oldest id first."""
    caps = policy.frequency
    query = select(Communication).where(
        *where,
        Communication.direction == "out",
        Communication.channel == "email",
        Communication.status.in_(caps.counted_statuses),
    )
    if caps.replies_exempt:
        query = query.where(Communication.in_reply_to.is_(None))
    return query.order_by(Communication.id)
