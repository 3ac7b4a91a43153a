"""update_contact: add a contact, update one (``replaces`` an old address) or opt it out.

A replaced address starts with a clean slate: the bounce flag was about the old one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from approvals.executors.base import ExecContext, Refused, customer, result
from ledger.models import Contact


def _find(ctx: ExecContext, customer_id: str, email: str) -> Contact | None:
    return ctx.session.scalars(
        select(Contact).where(
            Contact.customer_id == customer_id, func.lower(Contact.email) == email.strip().lower()
        )
    ).first()


def run(ctx: ExecContext) -> dict[str, Any]:
    p = ctx.payload
    if "@" not in p.email:
        raise Refused(f"{p.email!r} is not an email address")
    customer(ctx.session, p.customer, lock=True)
    contact = _find(ctx, p.customer, p.email)
    action = "updated"
    if contact is None and p.replaces:
        contact = _find(ctx, p.customer, p.replaces)
        if contact is None:
            raise Refused(f"{p.customer} has no contact {p.replaces} to replace")
        contact.email = p.email.strip()
        contact.bounced_at = contact.bounce_reason = None  # the old address bounced, not this
        action = "replaced"
    if contact is None:
        contact = Contact(
            customer_id=p.customer,
            email=p.email.strip(),
            name=p.name,
            role=p.role,
            opt_out=bool(p.opt_out),
        )
        ctx.session.add(contact)
        action = "added"
    else:
        if p.name is not None:
            contact.name = p.name
        if p.role is not None:
            contact.role = p.role
        if p.opt_out is not None:
            contact.opt_out = p.opt_out
    if p.opt_out:
        action = "opted_out" if action == "updated" else action
    ctx.session.flush()
    return result(
        contact_id=contact.id, email=contact.email, action=action, opt_out=contact.opt_out
    )
