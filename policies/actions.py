"""Proposed actions: the approval types of CONTRACTS.md §3 and their payloads.

Every proposal the agent, the dunning run or the matcher makes is a
:class:`ProposedAction`. Its ``payload`` is validated by the model of its type, so a
malformed proposal never reaches the queue.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.addresses import split_recipients
from core.errors import ValidationError as ARValidationError

ActionType = Literal[
    "send_email",
    "record_promise",
    "open_dispute",
    "create_payment_plan",
    "apply_payment",
    "update_contact",
    "hold_dunning",
    "escalate",
    "change_credit",
    "change_template",
    "reverse_payment",
]
ACTION_TYPES: tuple[str, ...] = ActionType.__args__  # type: ignore[attr-defined]

Intent = Literal[  # what a customer's reply is about (CONTRACTS.md §3)
    "promise_to_pay",
    "claims_paid",
    "dispute",
    "payment_plan_request",
    "document_request",
    "contact_change",
    "out_of_office",
    "opt_out",
    "insolvency",
    "question",
    "acknowledgement",
    "other",
]
INTENTS: tuple[str, ...] = Intent.__args__  # type: ignore[attr-defined]
LEDGER_CHANGES = {
    "record_promise",
    "open_dispute",
    "create_payment_plan",
    "apply_payment",
    "update_contact",
    "hold_dunning",
    "change_credit",
    "reverse_payment",
}


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow")

    customer: str


class SendEmail(_Payload):
    to: list[str]
    subject: str
    body: str
    invoices: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    stage: str | None = None
    in_reply_to: str | None = None
    language: str | None = None

    @field_validator("to", "cc", "bcc", mode="before")
    @classmethod
    def _every_address(cls, v: Any) -> Any:
        """One entry per address: ``"a@x, b@y"`` is two recipients, each checked (F1)."""
        return split_recipients(v)


class RecordPromise(_Payload):
    invoices: list[str]
    date: date
    amount: Decimal | None = None


class OpenDispute(_Payload):
    invoice: str
    reason: str
    detail: str | None = None


class Installment(BaseModel):
    date: date
    amount: Decimal


class CreatePaymentPlan(_Payload):
    invoices: list[str]
    down_payment: Decimal = Decimal("0")
    installments: list[Installment]
    frequency: str | None = None


class DeductionLine(BaseModel):
    """A deduction the policy allows, closed with the payment (typed, never a write-off
    by the agent: the approver sees and approves it)."""

    type: Literal["early_payment_discount", "withholding_tax", "bank_fee"]
    invoice: str
    amount: Decimal = Field(gt=0)
    reason: str | None = None


class ApplyPayment(_Payload):
    transaction: str
    invoice: str
    amount: Decimal
    allocations: list[dict[str, Any]] | None = None
    deductions: list[DeductionLine] | None = None


class ReversePayment(_Payload):
    """A payment the bank sent back (a return, reversal or reject): undo its application.

    ``transaction`` is the return's bank id, ``original`` the returned credit's; the
    invoices it paid are re-opened by what was applied to them.
    """

    transaction: str
    original: str
    amount: Decimal
    invoices: list[str] = Field(default_factory=list)
    reason: str


class UpdateContact(_Payload):
    email: str
    name: str | None = None
    opt_out: bool | None = None
    role: str | None = None
    replaces: str | None = None


class HoldDunning(_Payload):
    invoices: list[str] = Field(default_factory=list)  # empty: the whole customer
    until: date | None = None
    reason: str


class Escalate(_Payload):
    customer: str | None = None  # type: ignore[assignment]
    reason: str


class ChangeCredit(_Payload):
    """Credit-risk action (extension): lower the limit or put the account on hold."""

    credit_limit: Decimal | None = None
    credit_hold: bool | None = None
    reason: str


class ChangeTemplate(_Payload):
    """A phrase change to drafts learnt from approvers' edits (extension): applying a
    suggestion is itself an approval."""

    customer: str | None = None  # type: ignore[assignment]
    suggestion: str
    template: str
    field: Literal["subject", "body"]
    stage: str | None = None
    language: str | None = None
    removed: str = Field(min_length=1)
    added: str = ""


PAYLOAD_MODELS: dict[str, type[BaseModel]] = {
    "send_email": SendEmail,
    "record_promise": RecordPromise,
    "open_dispute": OpenDispute,
    "create_payment_plan": CreatePaymentPlan,
    "apply_payment": ApplyPayment,
    "update_contact": UpdateContact,
    "hold_dunning": HoldDunning,
    "escalate": Escalate,
    "change_credit": ChangeCredit,
    "change_template": ChangeTemplate,
    "reverse_payment": ReversePayment,
}


EDITABLE_FILE = Path(__file__).with_name("editable_fields.yaml")


def _load_editable(path: Path) -> dict[str, frozenset[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - set(PAYLOAD_MODELS)
    missing = set(PAYLOAD_MODELS) - set(data)
    if unknown or missing:
        raise ARValidationError(
            f"{path.name}: unknown types {sorted(unknown)}, missing types {sorted(missing)}"
        )
    return {kind: frozenset(fields or []) for kind, fields in data.items()}


EDITABLE_FIELDS: dict[str, frozenset[str]] = _load_editable(EDITABLE_FILE)


def locked_changes(action_type: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Fields outside the type's editable list whose value an edit changed (or removed)."""
    editable = EDITABLE_FIELDS.get(action_type, frozenset())
    return sorted(
        key
        for key in set(before) | set(after)
        if key not in editable and before.get(key) != after.get(key)
    )


def validate_payload(action_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise a payload; return it JSON-ready (dates ISO, amounts strings)."""
    model = PAYLOAD_MODELS.get(action_type)
    if model is None:
        raise ARValidationError(f"unknown action type {action_type!r}")
    try:
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or action_type
        raise ARValidationError(f"{action_type}.{where}: {first['msg']}") from exc
    return parsed.model_dump(mode="json", exclude_none=True)


class ProposedAction(BaseModel):
    """An action proposed for approval. Nothing happens until a human approves it."""

    type: ActionType
    payload: dict[str, Any]
    requested_by: str = "agent"
    reason: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    conversation_id: str | None = None
    run_id: str | None = None

    @property
    def customer(self) -> str | None:
        return self.payload.get("customer")

    def parsed(self) -> BaseModel:
        """The payload as its typed model."""
        return PAYLOAD_MODELS[self.type].model_validate(self.payload)

    def normalised(self) -> ProposedAction:
        return self.model_copy(update={"payload": validate_payload(self.type, self.payload)})
