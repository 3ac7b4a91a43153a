"""The pydantic models of the policy YAML (one class per section) and its accessors.

Every model refuses unknown keys (``extra="forbid"``) and is frozen: the loaded policy
is shared and cached, nobody edits it in place (use :meth:`Policy.with_changes`).
Amounts are ``Decimal``; times are quoted ``"HH:MM"`` strings in the YAML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from policies.actions import ACTION_TYPES, INTENTS
from policies.phrases import compile_phrases

Language = Literal["en", "de", "fr", "es"]
PlanFrequency = Literal["weekly", "fortnightly", "monthly"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _decimal(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a decimal number")
    if isinstance(value, float):
        return Decimal(str(value))  # the YAML text was decimal; str() gives it back
    return value


def _clock_time(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError('write times in quotes, like "18:00"')
    return value


Amount = Annotated[Decimal, BeforeValidator(_decimal)]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(_Section):
    """A cadence stage: on ``day`` (relative to the due date) send in ``tone``."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    day: int
    tone: str
    channel: Literal["email", "slack"]
    cc_secondary_contact: bool = False
    slack_heads_up_to_owner: bool = False
    attach_invoice_copies: bool = False

    @property
    def sends_email(self) -> bool:
        return self.channel == "email"


class DunningRun(_Section):
    one_message_per_customer: bool
    message_stage: Literal["most_advanced"]
    installment_reminder_stage: str = Field(pattern=r"^[a-z][a-z0-9_]*$")


class NeverContact(_Section):
    promise_grace_days: int = Field(ge=0)


class Promises(_Section):
    max_days_ahead: int = Field(ge=0)


class FrequencyCaps(_Section):
    min_days_between_emails: int = Field(ge=0)
    max_emails: int = Field(ge=1)
    window_days: int = Field(ge=1)
    counted_statuses: list[str] = Field(min_length=1)
    replies_exempt: bool


class SendWindow(_Section):
    start: ClockTime
    end: ClockTime
    days: list[Weekday] = Field(min_length=1)
    default_timezone: str

    @property
    def weekdays(self) -> set[int]:
        """The allowed days as ``date.weekday()`` numbers (Monday is 0)."""
        return {WEEKDAYS.index(d) for d in self.days}


class PaymentPlans(_Section):
    max_installments: int = Field(ge=1)
    max_span_days: int = Field(ge=1)
    frequencies: list[PlanFrequency] = Field(min_length=1)
    default_frequency: PlanFrequency
    down_payment_required_over: Amount = Field(ge=0)
    min_down_payment_percent: Amount = Field(ge=0, le=100)


class ClaimsPaid(_Section):
    hold_days: int = Field(ge=1)


class Deductions(_Section):
    """What a customer may take off a payment and still have it applied in full.

    A shortfall equal to the terms' early-payment discount (paid within its days of the
    invoice date), to a withholding-tax rate, or up to the bank-fee maximum is applied
    with a typed deduction line; any other shortfall is a deduction to resolve, owned
    by ``owner``, proposed as a dispute.
    """

    early_payment_discount_percent: Amount = Field(default=Decimal("2"), ge=0, lt=100)
    early_payment_discount_days: int = Field(default=10, ge=0)
    bank_fee_max: Amount = Field(default=Decimal("50.00"), ge=0)
    withholding_tax_percents: list[Amount] = Field(
        default_factory=lambda: [Decimal(x) for x in ("5", "10", "15", "20", "25", "30")]
    )
    owner: str = "accounts-receivable"


class Fx(_Section):
    """Payments in another currency than their invoices.

    A payment whose reference names invoices in another currency is matched at the rate
    it implies; when the statement gives the rate (camt ``CcyXchg``) or a reference rate
    is listed here (``rates``: ``EURUSD: "1.0850"``, units of the second currency per
    one of the first), the implied rate must be within ``tolerance_percent`` of it and
    the difference is proposed as an FX gain or loss line.
    """

    tolerance_percent: Amount = Field(default=Decimal("2"), ge=0)
    rates: dict[str, Amount] = Field(default_factory=dict)


class CashApplication(_Section):
    auto_match_confidence: float = Field(ge=0, le=1)
    amount_tolerance_percent: Amount = Field(ge=0)
    amount_tolerance_absolute: Amount = Field(ge=0)
    amount_tolerance_rule: Literal["smaller", "larger"]
    deductions: Deductions = Field(default_factory=Deductions)
    fx: Fx = Field(default_factory=Fx)

    def tolerance(self, amount: Decimal) -> Decimal:
        """How far from ``amount`` a payment still counts as an amount match."""
        pct = abs(amount) * self.amount_tolerance_percent / 100
        pick = min if self.amount_tolerance_rule == "smaller" else max
        return pick(pct, self.amount_tolerance_absolute)


class Approvals(_Section):
    four_eyes_approvals: int = Field(ge=2)
    apply_payment_over: Amount = Field(ge=0)
    credit_limit_increase_four_eyes: bool
    always_four_eyes: list[str]


class Contacts(_Section):
    unknown_domain: Literal["escalate"]
    free_mail_domains: list[str]


class LedgerChanges(_Section):
    forbidden_actions: list[str] = Field(min_length=1)
    forbidden_payload_keys: list[str]
    refusal: str = Field(min_length=1)


class WordCategory(_Section):
    description: str
    allowed_from_stage: str | None = None
    phrases: dict[Language, list[str]]

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        return compile_phrases(p for words in self.phrases.values() for p in words)


class RequiredElements(_Section):
    invoice_numbers: bool
    amounts_with_currency: bool
    due_dates: bool
    how_to_pay: dict[Language, list[str]]
    how_to_dispute: dict[Language, list[str]]

    @cached_property
    def pay_pattern(self) -> re.Pattern[str] | None:
        return compile_phrases(p for words in self.how_to_pay.values() for p in words)

    @cached_property
    def dispute_pattern(self) -> re.Pattern[str] | None:
        return compile_phrases(p for words in self.how_to_dispute.values() for p in words)


class Wording(_Section):
    forbidden: dict[str, WordCategory] = Field(min_length=1)
    required_in_dunning_emails: RequiredElements


ActionName = Literal[ACTION_TYPES]  # type: ignore[valid-type]


class IntentProposal(_Section):
    action: ActionName
    when: str | None = None
    scope: str | None = None
    purpose: str | None = None
    optional: bool = False


class IntentPlan(_Section):
    proposals: list[IntentProposal]
    never: list[ActionName] = Field(default_factory=list)
    note: str | None = None


class Policy(_Section):
    """The whole collections policy. Sections mirror POLICY.md; see default.yaml."""

    version: Literal[1]
    name: str
    cadence: list[Stage] = Field(min_length=1)
    dunning_run: DunningRun
    never_contact: NeverContact
    promises: Promises
    frequency: FrequencyCaps
    send_window: SendWindow
    payment_plans: PaymentPlans
    claims_paid: ClaimsPaid
    cash_application: CashApplication
    approvals: Approvals
    contacts: Contacts
    ledger_changes: LedgerChanges
    wording: Wording
    reply_intents: dict[str, IntentPlan]

    # --- accessors -------------------------------------------------------------------

    def stage(self, name: str | None) -> Stage | None:
        """The cadence stage called ``name``, or None."""
        return next((s for s in self.cadence if s.name == name), None)

    def stage_for(self, days_past_due: int) -> Stage | None:
        """The most advanced stage whose day has been reached (None: before courtesy)."""
        reached = None
        for stage in self.cadence:
            if days_past_due >= stage.day:
                reached = stage
        return reached

    def stage_rank(self, name: str | None) -> int:
        """Position of a stage in the cadence (-1 for None or an unknown name)."""
        return next((i for i, s in enumerate(self.cadence) if s.name == name), -1)

    def wording_allowed(self, category: str, stage: str | None) -> bool:
        """Whether ``category`` words may appear in an email of ``stage``."""
        allowed_from = self.wording.forbidden[category].allowed_from_stage
        if allowed_from is None or stage is None:
            return False
        rank = self.stage_rank(stage)
        return rank >= 0 and rank >= self.stage_rank(allowed_from)

    @property
    def legal_language_from(self) -> str | None:
        """The stage from which legal / credit-bureau language is allowed."""
        legal = self.wording.forbidden.get("legal")
        return legal.allowed_from_stage if legal else None

    @property
    def claims_paid_hold_days(self) -> int:
        return self.claims_paid.hold_days

    def intent(self, name: str) -> IntentPlan:
        """What a customer reply of intent ``name`` proposes (KeyError if unknown)."""
        return self.reply_intents[name]

    def with_changes(self, changes: dict[str, Any]) -> Policy:
        """A re-validated copy with ``changes`` deep-merged in (tests, what-if runs)."""
        from policies.config import parse_policy

        return parse_policy(_merge(self.model_dump(mode="json"), changes), source="policy")

    # --- checks across keys ------------------------------------------------------------

    def cross_check(self) -> tuple[str, str] | None:
        """The first rule spanning several keys that the file breaks, as (key path, problem)."""
        names = [s.name for s in self.cadence]
        for i, stage in enumerate(self.cadence):
            if stage.name in names[:i]:
                return f"cadence[{i}].name", f"duplicate stage {stage.name!r}"
            if i and stage.day <= self.cadence[i - 1].day:
                return f"cadence[{i}].day", "stage days must increase along the cadence"
        if self.dunning_run.installment_reminder_stage in names:
            return (
                "dunning_run.installment_reminder_stage",
                "must differ from the cadence stage names",
            )
        if self.send_window.start >= self.send_window.end:
            return "send_window.end", "must be later than send_window.start"
        try:
            ZoneInfo(self.send_window.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return (
                "send_window.default_timezone",
                f"unknown time zone {self.send_window.default_timezone!r}",
            )
        if self.payment_plans.default_frequency not in self.payment_plans.frequencies:
            return "payment_plans.default_frequency", "must be one of payment_plans.frequencies"
        for action in self.approvals.always_four_eyes:
            if action not in ACTION_TYPES:
                return "approvals.always_four_eyes", f"unknown action type {action!r}"
        for cat, words in self.wording.forbidden.items():
            if words.allowed_from_stage is not None and words.allowed_from_stage not in names:
                return (
                    f"wording.forbidden.{cat}.allowed_from_stage",
                    f"unknown stage {words.allowed_from_stage!r}",
                )
            problem = _phrase_problem(words.phrases, f"wording.forbidden.{cat}.phrases")
            if problem:
                return problem
        required = self.wording.required_in_dunning_emails
        for key in ("how_to_pay", "how_to_dispute"):
            problem = _phrase_problem(
                getattr(required, key), f"wording.required_in_dunning_emails.{key}"
            )
            if problem:
                return problem
        for intent in self.reply_intents:
            if intent not in INTENTS:
                return f"reply_intents.{intent}", f"unknown intent (known: {', '.join(INTENTS)})"
        missing = [i for i in INTENTS if i not in self.reply_intents]
        if missing:
            return "reply_intents", f"missing intents: {', '.join(missing)}"
        return None


def _phrase_problem(phrases: Mapping[Any, list[str]], where: str) -> tuple[str, str] | None:
    for lang, words in phrases.items():
        for i, phrase in enumerate(words):
            if not str(phrase).strip() or str(phrase).strip() == "*":
                return f"{where}.{lang}[{i}]", "a phrase must not be empty"
    return None


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
