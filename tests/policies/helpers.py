"""Builders shared by the policy tests."""

from __future__ import annotations

from typing import Any

from policies.actions import ProposedAction

GOOD_BODY = (
    "Dear Dana,\n\nInvoice INV-1042 for 12,400.00 USD was due on October 1, 2026 and is "
    "still open. You can pay by bank transfer or at https://pay.example.com/INV-1042.\n"
    "If you believe the invoice is not correct, reply to dispute it.\n\nThank you"
)


def email(**overrides: Any) -> ProposedAction:
    """A first-stage reminder for INV-1042 that passes every rule on 2026-11-23 09:00."""
    payload = {
        "customer": "C-001",
        "to": ["dana@globex.example"],
        "subject": "Invoice INV-1042 is overdue",
        "body": GOOD_BODY,
        "invoices": ["INV-1042"],
        "stage": "first",
    }
    payload.update(overrides)
    return ProposedAction(type="send_email", payload=payload)


def failed(verdict: Any) -> dict[str, str]:
    """{rule: detail} of the failed checks."""
    return {c.rule: c.detail for c in verdict.checks if not c.passed}
