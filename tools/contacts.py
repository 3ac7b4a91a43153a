"""Tool: propose a contact change; a new email domain is escalated instead (BEC risk)."""

from __future__ import annotations

import re

from core.errors import ValidationError
from tools.context import ToolContext, ToolResult
from tools.customers import resolve

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ContactResult(ToolResult):
    customer: str
    email: str
    escalated: bool = False


def known_domains(cust) -> set[str]:
    return {c.email.rsplit("@", 1)[-1].lower() for c in cust.contacts if "@" in c.email}


def update_contact(
    ctx: ToolContext,
    customer: str,
    email: str,
    name: str | None = None,
    opt_out: bool | None = None,
    replaces: str | None = None,
) -> ContactResult:
    """Propose adding or changing a customer contact, or flag a contact as opted out.

    A new address on a domain the customer has never used is escalated to a human, never
    proposed (business email compromise).

    Args:
        customer: Customer id or name.
        email: The contact's email address.
        name: The contact's name, if known.
        opt_out: True when the contact asked not to be emailed any more.
        replaces: The old email address this one replaces, if any.
    """
    cust = resolve(ctx, customer)
    email = email.strip().strip("<>").lower()
    if not _EMAIL.match(email):
        raise ValidationError(f"{email!r} is not an email address")
    domain = email.rsplit("@", 1)[-1]
    if domain not in known_domains(cust):
        reason = (
            f"Contact change for {cust.name} to {email}: the domain {domain} is not one "
            f"of the customer's known domains; verify by phone before changing anything."
        )
        action = ctx.action("escalate", {"customer": cust.id, "reason": reason}, reason=reason)
        return ContactResult(
            customer=cust.id,
            email=email,
            escalated=True,
            proposals=[action],
            summary=f"Escalated instead of changing the contact: {reason}",
        )
    payload: dict = {"customer": cust.id, "email": email}
    if name:
        payload["name"] = name
    if opt_out is not None:
        payload["opt_out"] = opt_out
    if replaces:
        payload["replaces"] = replaces.lower()
    what = "opt out" if opt_out else "update contact"
    summary = f"{what.capitalize()} for {cust.name}: {name + ' ' if name else ''}<{email}>."
    return ContactResult(
        customer=cust.id,
        email=email,
        summary=summary,
        proposals=[ctx.action("update_contact", payload, reason=summary)],
    )
