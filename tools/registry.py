"""Every agent tool, with the JSON schema a language model sees.

A tool is a plain function ``fn(ctx: ToolContext, **args) -> ToolResult``. The schema is
built from its signature (pydantic) and its Google-style docstring (``Args:``); the
``ctx`` parameter is injected by the graph and never shown to the model.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model
from pydantic import ValidationError as PydanticValidationError

from core.errors import ValidationError
from tools.aging import aging_report
from tools.approvals_pending import pending_approvals
from tools.balances import customer_balance
from tools.bank_search import find_bank_payment
from tools.classify import classify_reply
from tools.contacts import update_contact
from tools.context import ToolContext, ToolResult
from tools.customers import find_customer
from tools.disputes import open_dispute
from tools.disputes_open import open_disputes
from tools.escalation import escalate
from tools.holds import hold_dunning
from tools.invoices_list import list_invoices
from tools.oldest_invoice import oldest_invoice
from tools.payment_plan import propose_payment_plan
from tools.promises import record_promise
from tools.promises_due import promises_due
from tools.reminders import draft_reminders
from tools.reply_email import compose_email, draft_reply
from tools.timeline import customer_timeline
from tools.top_debtors import top_debtors
from tools.write_off import request_write_off


def _doc_parts(fn: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    doc = inspect.getdoc(fn) or ""
    head, _, args = doc.partition("Args:")
    described: dict[str, str] = {}
    current = None
    for raw in args.splitlines():
        m = re.match(r"^\s{0,8}(\w+):\s*(.*)$", raw)
        if m and raw.startswith(" " * 4) and not raw.startswith(" " * 8):
            current = m.group(1)
            described[current] = m.group(2).strip()
        elif current and raw.strip():
            described[current] += " " + raw.strip()
    return " ".join(head.split()), described


@dataclass(frozen=True)
class Tool:
    name: str
    fn: Callable[..., ToolResult]

    @cached_property
    def description(self) -> str:
        return _doc_parts(self.fn)[0]

    @cached_property
    def args_model(self) -> type[BaseModel]:
        hints = get_type_hints(self.fn)
        fields: dict[str, Any] = {}
        for name, param in inspect.signature(self.fn).parameters.items():
            if name == "ctx":
                continue
            default = ... if param.default is inspect.Parameter.empty else param.default
            fields[name] = (hints[name], default)
        return create_model(f"{self.name}_args", __config__=ConfigDict(extra="forbid"), **fields)

    @cached_property
    def parameters(self) -> dict[str, Any]:
        schema = self.args_model.model_json_schema()
        schema.pop("title", None)
        docs = _doc_parts(self.fn)[1]
        for name, prop in schema.get("properties", {}).items():
            prop.pop("title", None)
            if name in docs:
                prop["description"] = docs[name]
        return schema

    @property
    def grounded(self) -> bool:
        """Does a call of this tool propose something from a customer's words?"""
        return self.name in GROUNDED

    def openai_schema(self) -> dict[str, Any]:
        parameters = self.parameters
        if self.grounded:
            parameters = {
                **parameters,
                "properties": {**parameters.get("properties", {}), "evidence": EVIDENCE_SCHEMA},
            }
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": parameters,
            },
        }

    def call(self, ctx: ToolContext, arguments: dict[str, Any]) -> ToolResult:
        """Validate the model's arguments and run the tool."""
        try:
            args = self.args_model.model_validate(arguments or {})
        except PydanticValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or self.name
            raise ValidationError(f"{self.name}: {where}: {first['msg']}") from exc
        return self.fn(ctx, **{k: getattr(args, k) for k in type(args).model_fields})


GROUNDED = frozenset(
    {
        "record_promise",
        "open_dispute",
        "propose_payment_plan",
        "hold_dunning",
        "update_contact",
        "find_bank_payment",
        "draft_reply",
        "compose_email",
    }
)
EVIDENCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "For a customer email: the customer's exact words (verbatim quotes from the email's "
        "own new text) behind this call: intent, and where used date, amount, invoices, "
        "email, until. Calls without it, or with words not in the email, are refused."
    ),
    "properties": {
        key: {"type": "string"}
        for key in ("intent", "date", "amount", "invoices", "email", "until")
    },
    "required": ["intent"],
}

TOOLS: dict[str, Tool] = {
    t.name: t
    for t in [
        Tool("find_customer", find_customer),
        Tool("customer_balance", customer_balance),
        Tool("aging_report", aging_report),
        Tool("top_debtors", top_debtors),
        Tool("promises_due", promises_due),
        Tool("open_disputes", open_disputes),
        Tool("list_invoices", list_invoices),
        Tool("customer_timeline", customer_timeline),
        Tool("oldest_invoice", oldest_invoice),
        Tool("pending_approvals", pending_approvals),
        Tool("draft_reminders", draft_reminders),
        Tool("propose_payment_plan", propose_payment_plan),
        Tool("record_promise", record_promise),
        Tool("open_dispute", open_dispute),
        Tool("hold_dunning", hold_dunning),
        Tool("update_contact", update_contact),
        Tool("find_bank_payment", find_bank_payment),
        Tool("draft_reply", draft_reply),
        Tool("compose_email", compose_email),
        Tool("escalate", escalate),
        Tool("classify_reply", classify_reply),
        Tool("request_write_off", request_write_off),
    ]
}


def _optional_tools() -> None:
    """Tools from modules owned elsewhere, registered when they import cleanly."""
    try:
        from tools.remittance import match_bank_statement
    except ImportError:  # cash application not installed in this build
        return
    TOOLS["match_bank_statement"] = Tool("match_bank_statement", match_bank_statement)


_optional_tools()


def get(name: str) -> Tool:
    try:
        return TOOLS[name]
    except KeyError:
        raise ValidationError(f"unknown tool {name!r}") from None


def openai_tools() -> list[dict[str, Any]]:
    """Every tool in the OpenAI ``tools=[...]`` format."""
    return [t.openai_schema() for t in TOOLS.values()]
