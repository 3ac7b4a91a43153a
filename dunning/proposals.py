"""Building the dunning run's proposals: recipients, ``send_email`` and ``escalate`` actions.

Payloads carry the CONTRACTS.md §3 fields plus a few extras the run reads back to stay
idempotent: ``stage`` (a cadence stage or the instalment-reminder stage),
``installments`` and ``reminder`` ("upcoming" | "overdue") for plan reminders,
``kind: "thank_you"`` and ``promise`` for thank-you emails.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dunning.drafts import Draft, LineItem
from dunning.snapshot import ContactRow, CustomerRow, InvoiceRow, Snapshot
from policies.actions import ProposedAction

REQUESTED_BY = "dunning"
_AP_ROLES = ("ap", "billing", "accounts payable", "finance")


def recipients(snap: Snapshot, customer: CustomerRow) -> tuple[list[str], list[str]]:
    """The main recipient (primary unless opted out or bouncing) and a secondary one (cc)."""
    usable = [c for c in snap.contacts.get(customer.id, []) if c.mailable]

    def rank(c: ContactRow) -> tuple[int, int, int]:
        return (0 if c.primary else 1, 0 if (c.role or "").lower() in _AP_ROLES else 1, c.id)

    usable.sort(key=rank)
    if not usable:
        return [], []
    return [usable[0].email], [c.email for c in usable[1:2]]


def no_contact_reason(snap: Snapshot, customer: CustomerRow) -> str:
    """Why nobody of ``customer`` may be emailed, naming bouncing addresses and their reason."""
    contacts = snap.contacts.get(customer.id, [])
    bouncing = [f"{c.email} ({c.bounce_reason})" for c in contacts if c.bounce_reason]
    if not bouncing:
        return "every contact opted out of email; reach the customer another way"
    opted = [c.email for c in contacts if c.opt_out and not c.bounce_reason]
    said = f"mail to {', '.join(bouncing)} bounced"
    if opted:
        said += f" and {', '.join(opted)} opted out"
    return f"{said}: no contact left to email; find a working address"


def line_item(inv: InvoiceRow, day: date) -> LineItem:
    return LineItem(
        inv.number, inv.due_date, inv.amount, inv.balance, inv.currency, (day - inv.due_date).days
    )


def email_action(
    run_id: str,
    customer: CustomerRow,
    to: list[str],
    draft: Draft,
    *,
    stage: str | None,
    invoices: list[str],
    why: str,
    cc: list[str] | None = None,
    extra: dict[str, Any] | None = None,
    notify_owner: bool = False,
) -> ProposedAction:
    """A ``send_email`` proposal from a rendered draft."""
    payload: dict[str, Any] = {
        "customer": customer.id,
        "to": to,
        "cc": cc or [],
        "subject": draft.subject,
        "body": draft.body,
        "invoices": invoices,
        "language": draft.language,
    }
    if stage is not None:
        payload["stage"] = stage
    payload.update(extra or {})
    context = {
        "source": "dunning",
        "stage": stage or (extra or {}).get("kind"),
        "tone": draft.tone,
        "notify_owner": notify_owner,
    }
    return ProposedAction(
        type="send_email",
        payload=payload,
        requested_by=REQUESTED_BY,
        reason=f"dunning: {why}",
        context=context,
        run_id=run_id,
    )


def escalate_action(
    run_id: str, customer: CustomerRow, kind: str, invoices: list[InvoiceRow], why: str
) -> ProposedAction:
    """An ``escalate`` proposal; ``kind`` is the escalate stage name, "insolvent" or "no_contact"."""
    numbers = [i.number for i in invoices]
    listed = f" ({', '.join(numbers)})" if numbers else ""
    payload = {
        "customer": customer.id,
        "reason": f"{customer.name}: {why}{listed}",
        "invoices": numbers,
        "stage": kind,
    }
    return ProposedAction(
        type="escalate",
        payload=payload,
        requested_by=REQUESTED_BY,
        reason=f"dunning: {kind}",
        context={"source": "dunning", "kind": kind},
        run_id=run_id,
    )
