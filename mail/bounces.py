"""Bouncing contacts: an address the mail system refused for good gets no more mail.

A refusal that says the address itself is bad (:func:`is_address_refusal`: a 5xx to
RCPT such as ``550 5.1.1 User unknown``, or a delivery-status report saying
``Action: failed`` with such a status) flags every contact with that address (of the
customer when known) with ``bounced_at`` and the reason; a policy refusal (``5.7.1``
relay denied, spam) flags nobody. Flagged contacts are skipped like opted-out ones:
dunning picks another contact or escalates, naming the address and why.
:func:`apply_bounce` does this for a bounce report that arrived by mail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Communication, Contact
from mail.dsn import DeliveryStatusReport

_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
ADDRESS_CODES = {550, 551, 553}  # without an enhanced code: no such mailbox / not local / bad name


def is_address_refusal(answer: str) -> bool:
    """True when an SMTP answer says the address itself is bad (``5.1.x``, ``5.2.1``).

    Policy refusals (``5.7.1`` relay denied, spam) and content refusals are not the
    address's fault and flag nobody; without an enhanced status code, 550/551/553 do.
    """
    code = answer.strip()[:3]
    if not code.startswith("5"):
        return False
    enhanced = _ENHANCED.search(answer)
    if enhanced:
        _, subject, detail = enhanced.groups()
        return subject == "1" or (subject, detail) == ("2", "1")
    return code.isdigit() and int(code) in ADDRESS_CODES


def flag_bouncing(
    session: Session, address: str, reason: str, now: datetime, *, customer_id: str | None = None
) -> list[Contact]:
    """Flag the contacts with ``address`` as bouncing; returns them (already flagged included)."""
    contacts = _contacts(session, address, customer_id)
    for contact in contacts:
        if contact.bounced_at is None:
            contact.bounced_at = now
            contact.bounce_reason = reason[:2000]
    return contacts


def _contacts(session: Session, address: str, customer_id: str | None) -> list[Contact]:
    query = select(Contact).where(func.lower(Contact.email) == address.strip().lower())
    if customer_id is not None:
        query = query.where(Contact.customer_id == customer_id)
    return list(session.scalars(query))


@dataclass
class BounceOutcome:
    """What a bounce report did: the customer, the addresses flagged, the email it was about."""

    customer_id: str | None
    bounced: dict[str, str] = field(default_factory=dict)  # address → reason
    flagged: list[str] = field(default_factory=list)  # contacts now flagged as bouncing
    on_file: list[str] = field(default_factory=list)  # addresses of contacts on file
    original_id: int | None = None

    @property
    def escalation(self) -> str:
        parts = []
        for address, reason in self.bounced.items():
            if address in self.flagged:
                then = (
                    "The contact is flagged as bouncing and gets no more mail; "
                    "find a working address."
                )
            elif address in self.on_file:
                then = (
                    "The refusal is not about the address itself (policy, content or a full "
                    "mailbox), so the contact is not flagged; look at why."
                )
            else:
                then = "It is not a contact on file."
            parts.append(f"Mail to {address} bounced: {reason}. {then}")
        return " ".join(parts)


def apply_bounce(
    session: Session,
    inbound: Communication,
    report: DeliveryStatusReport,
    now: datetime,
    *,
    thread_communication_id: int | None = None,
) -> BounceOutcome:
    """Flag the failed recipients whose address is bad; note the bounce on the original email."""
    original = _original(session, report, inbound, thread_communication_id)
    customer_id = (original.customer_id if original else None) or inbound.customer_id
    outcome = BounceOutcome(customer_id, original_id=original.id if original else None)
    for recipient in report.failed:
        reason = recipient.reason
        outcome.bounced[recipient.address] = reason
        if is_address_refusal(f"{recipient.status or ''} {reason}"):
            contacts = flag_bouncing(
                session, recipient.address, reason, now, customer_id=customer_id
            )
            if contacts:
                outcome.flagged.append(recipient.address)
        else:
            contacts = _contacts(session, recipient.address, customer_id)
        if contacts:
            outcome.on_file.append(recipient.address)
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
