"""The read-only view of the ledger a rule sees: the action, its payload, lookups, today.

Rules never write: every helper here is a SELECT. "Today" is the clock's calendar date
(the company's view); only the send window uses the customer's own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from ledger.models import Contact, Customer, Invoice
from policies.actions import ProposedAction
from policies.schema import Policy

if TYPE_CHECKING:
    from policies.rules.prefetch import Prefetched


@dataclass
class RuleContext:
    action: ProposedAction
    payload: Any  # the typed payload model of action.type
    session: Session
    clock: Clock
    policy: Policy
    approver: str | None = None
    prefetched: Prefetched | None = None  # rows loaded for a whole batch (rules.prefetch)
    _invoices: dict[str, Invoice | None] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return today(self.clock)

    @cached_property
    def customer(self) -> Customer | None:
        customer_id = getattr(self.payload, "customer", None)
        if self.prefetched is not None and customer_id in self.prefetched.customers:
            return self.prefetched.customers[customer_id]
        return self.session.get(Customer, customer_id) if customer_id else None

    @property
    def customer_id(self) -> str:
        return str(getattr(self.payload, "customer", None) or "")

    def invoice(self, number: str) -> Invoice | None:
        """The invoice numbered ``number`` (any customer), or None."""
        if self.prefetched is not None and number in self.prefetched.invoices:
            return self.prefetched.invoices[number]
        if number not in self._invoices:
            wanted = {number, *self._payload_numbers()} - self._invoices.keys()
            found = {
                inv.number: inv
                for inv in self.session.scalars(
                    select(Invoice).where(Invoice.number.in_(sorted(wanted)))
                )
            }  # numbers are unique: one query for every invoice the payload names
            for n in wanted:
                self._invoices[n] = found.get(n)
        return self._invoices[number]

    def _payload_numbers(self) -> list[str]:
        numbers = getattr(self.payload, "invoices", None) or []
        one = getattr(self.payload, "invoice", None)
        candidates = [*numbers, one] if one else list(numbers)
        return [n for n in candidates if isinstance(n, str)][:500]

    @cached_property
    def contacts(self) -> list[Contact]:
        if self.customer is None:
            return []
        if self.prefetched is not None and self.customer.id in self.prefetched.contacts:
            return list(self.prefetched.contacts[self.customer.id])
        return list(
            self.session.scalars(select(Contact).where(Contact.customer_id == self.customer.id))
        )

    def batch(self, invoice_ids: list[int]) -> Prefetched | None:
        """The prefetched rows when they hold these invoices and this customer, else None."""
        pf = self.prefetched
        if pf is None or pf.today != self.today or not pf.covers(invoice_ids):
            return None
        return pf if self.customer_id in pf.customers else None

    @cached_property
    def timezone(self) -> ZoneInfo:
        """The customer's time zone (the policy's default when unknown or invalid)."""
        name = self.customer.timezone if self.customer is not None else None
        try:
            return ZoneInfo(name or self.policy.send_window.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(self.policy.send_window.default_timezone)
