"""Tool: state what a customer's reply is (the LLM brain's intent, scored by evals)."""

from __future__ import annotations

from policies.actions import Intent
from tools.context import ToolContext, ToolResult


class Classification(ToolResult):
    intent: str


def classify_reply(ctx: ToolContext, intent: Intent, reason: str = "") -> Classification:
    """Record what the customer's email is, before proposing anything. Call exactly once
    per customer email.

    Args:
        intent: promise_to_pay, claims_paid, dispute, payment_plan_request,
            document_request, contact_change, out_of_office, opt_out, insolvency,
            question, acknowledgement or other.
        reason: A few words of evidence from the email.
    """
    return Classification(intent=intent, summary=f"Reply classified as {intent}. {reason}".strip())
