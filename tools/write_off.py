"""Tool: a write-off or credit-note request, which the agent always refuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from tools.context import Refused, ToolContext, ToolResult

REFUSAL = (
    "I cannot write off invoices, issue credit notes or grant discounts or waivers: the "
    "collections policy does not let the agent propose them. A controller with that "
    "authority has to book it in the accounting system."
)


class WriteOffResult(ToolResult):
    invoices: list[str] = []


Kind = Literal["write_off", "credit_note", "discount", "waiver"]


def request_write_off(
    ctx: ToolContext,
    invoices: list[str] | None = None,
    customer: str | None = None,
    kind: Kind = "write_off",
    amount: Decimal | None = None,
) -> WriteOffResult:
    """Call when asked to write off an invoice, issue a credit note or grant a discount or
    waiver: the agent may not; this explains who can, and the refusal is logged.

    Args:
        invoices: The invoice numbers mentioned.
        customer: Customer id or name, if mentioned.
        kind: What was asked: write_off, credit_note, discount or waiver.
        amount: The amount asked for, if any.
    """
    text = REFUSAL
    if invoices:
        text = f"About {', '.join(invoices)}: " + text[0].lower() + text[1:]
    policy_words = getattr(getattr(ctx.policy, "ledger_changes", None), "refusal", None)
    if policy_words:
        text += f" (Policy: {policy_words}.)"
    asked = {"customer": customer, "invoices": list(invoices or []), "amount": amount}
    return WriteOffResult(
        invoices=list(invoices or []),
        refusal=text,
        summary=text,
        refused=[
            Refused(
                type=kind,
                payload={k: v for k, v in asked.items() if v not in (None, [])},
                reasons=[policy_words or REFUSAL],
            )
        ],
    )
