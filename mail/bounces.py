"""Bouncing contacts: an address the mail system refused for good gets no more mail.

A 5xx to RCPT (``550 5.1.1 User unknown``) or a delivery-status report saying
``Action: failed`` flags every contact with that address (of the customer when known)
with ``bounced_at`` and the reason. Flagged contacts are skipped like opted-out ones:
dunning picks another contact or escalates, naming the address and why.
:func:`apply_bounce` does this for a bounce report that arrived by mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Communication, Contact
from mail.dsn import DeliveryStatusReport


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


@dataclass
class BounceOutcome:
    """What a bounce report did: the customer, the addresses flagged, the email it was about."""

    customer_id: str | None
    bounced: dict[str, str] = field(default_factory=dict)  # address → reason
    known: list[str] = field(default_factory=list)  # of those, addresses of contacts on file
    original_id: int | None = None

    @property
    def escalation(self) -> str:
        parts = []
        for address, reason in self.bounced.items():
            flagged = address in self.known
            parts.append(
                f"Mail to {address} bounced: {reason}."
                + (
                    " The contact is flagged as bouncing and gets no more mail;"
                    " find a working address."
                    if flagged
                    else " It is not a contact on file."
                )
            )
        return " ".join(parts)


def apply_bounce(
    session: Session,
    inbound: Communication,
    report: DeliveryStatusReport,
    now: datetime,
    *,
    thread_communication_id: int | None = None,
) -> BounceOutcome:
    """Flag every failed recipient of ``report`` and note the bounce on the original email."""
    original = _original(session, report, inbound, thread_communication_id)
    customer_id = (original.customer_id if original else None) or inbound.customer_id
    outcome = BounceOutcome(customer_id, original_id=original.id if original else None)
    for recipient in report.failed:
        reason = recipient.reason
        outcome.bounced[recipient.address] = reason
        if flag_bouncing(session, recipient.address, reason, now, customer_id=customer_id):
            outcome.known.append(recipient.address)
    if original is not None:
        original.meta = {**(original.meta or {}), "bounced": outcome.bounced}
    inbound.customer_id = inbound.customer_id or customer_id
    inbound.meta = {**(inbound.meta or {}), "bounce": outcome.bounced}
    return outcome


def _original(
    session: Session,
    report: DeliveryStatusReport,
    inbound: Communication,
    thread_communication_id: int | None,
) -> Communication | None:
    ids = [report.original_message_id, inbound.in_reply_to]
    for message_id in (i for i in ids if i):
        found = session.scalars(
            select(Communication).where(
                Communication.message_id == message_id, Communication.direction == "out"
            )
        ).first()
        if found is not None:
            return found
    if thread_communication_id is not None:
        return session.get(Communication, thread_communication_id)
    return None
