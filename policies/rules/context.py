"""The read-only view of the ledger a rule sees: the action, its payload, lookups, today.

Rules never write: every helper here is a SELECT. "Today" is the clock's calendar date
(the company's view); only the send window uses the customer's own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from ledger.models import Contact, Customer, Invoice
from policies.actions import ProposedAction
from policies.schema import Policy


@dataclass
class RuleContext:
    action: ProposedAction
    payload: Any  # the typed payload model of action.type
    session: Session
    clock: Clock
    policy: Policy
    approver: str | None = None
    _invoices: dict[str, Invoice | None] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return today(self.clock)

    @cached_property
    def customer(self) -> Customer | None:
        customer_id = getattr(self.payload, "customer", None)
        return self.session.get(Customer, customer_id) if customer_id else None

    @property
    def customer_id(self) -> str:
        return str(getattr(self.payload, "customer", None) or "")

    def invoice(self, number: str) -> Invoice | None:
        """The invoice numbered ``number`` (any customer), or None."""
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
        return list(
            self.session.scalars(select(Contact).where(Contact.customer_id == self.customer.id))
        )

    @cached_property
    def timezone(self) -> ZoneInfo:
        """The customer's time zone (the policy's default when unknown or invalid)."""
        name = self.customer.timezone if self.customer is not None else None
        try:
            return ZoneInfo(name or self.policy.send_window.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(self.policy.send_window.default_timezone)
