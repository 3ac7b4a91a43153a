"""Bouncing contacts: an address the mail system refused for good gets no more mail.

A 5xx to RCPT (``550 5.1.1 User unknown``) or a delivery-status report saying
``Action: failed`` flags every contact with that address (of the customer when known)
with ``bounced_at`` and the reason. Flagged contacts are skipped like opted-out ones:
dunning picks another contact or escalates, naming the address and why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Contact


def flag_bouncing(
    session: Session, address: str, reason: str, now: datetime, *, customer_id: str | None = None
) -> list[Contact]:
    """Flag the contacts with ``address`` as bouncing; returns them (already flagged included)."""
    query = select(Contact).where(func.lower(Contact.email) == address.strip().lower())
    if customer_id is not None:
        query = query.where(Contact.customer_id == customer_id)
    contacts = list(session.scalars(query))
    for contact in contacts:
        if contact.bounced_at is None:
            contact.bounced_at = now
            contact.bounce_reason = reason[:2000]
    return contacts


def bounce_note(contacts: list[Contact]) -> str:
    """``"a@x (550 5.1.1 User unknown), b@y (...)"`` for an escalation's reason."""
    return ", ".join(f"{c.email} ({c.bounce_reason or 'bounced'})" for c in contacts)
