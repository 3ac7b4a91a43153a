"""Tool: a write-off or credit-note request, which the agent always refuses."""

from __future__ import annotations

from tools.context import ToolContext, ToolResult

REFUSAL = (
    "I can't write off invoices, issue credit notes or grant discounts or waivers: the "
    "collections policy does not let the agent propose them. A controller with that "
    "authority has to book it in the accounting system."
)


class WriteOffResult(ToolResult):
    invoices: list[str] = []


def request_write_off(
    ctx: ToolContext, invoices: list[str] | None = None, customer: str | None = None
) -> WriteOffResult:
    """Call when asked to write off an invoice, issue a credit note or grant a discount or
    waiver: the agent may not; this explains who can.

    Args:
        invoices: The invoice numbers mentioned.
        customer: Customer id or name, if mentioned.
    """
    text = REFUSAL
    policy_words = getattr(getattr(ctx.policy, "ledger_changes", None), "refusal", None)
    if policy_words:
        text += f" (Policy: {policy_words}.)"
    return WriteOffResult(invoices=list(invoices or []), refusal=text, summary=text)
