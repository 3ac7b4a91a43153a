"""Tool: a write-off or credit-note request, which the agent always refuses."""

from __future__ import annotations

from tools.context import ToolContext, ToolResult

REFUSAL = (
    "I can't write off invoices or issue credit notes: the collections policy does not let "
    "the agent propose them. A controller with write-off authority has to book it in the "
    "accounting system."
)


class WriteOffResult(ToolResult):
    invoices: list[str] = []


def request_write_off(ctx: ToolContext, invoices: list[str] | None = None,
                      customer: str | None = None) -> WriteOffResult:
    """Call when asked to write off an invoice or issue a credit note: explains who can.

    Args:
        invoices: The invoice numbers mentioned.
        customer: Customer id or name, if mentioned.
    """
    return WriteOffResult(invoices=list(invoices or []), refusal=REFUSAL, summary=REFUSAL)
