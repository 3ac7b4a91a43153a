"""default.yaml says what POLICY.md says, number for number."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from policies.actions import ACTION_TYPES
from policies.schema import INTENTS, Policy

POLICY_MD = Path(__file__).resolve().parents[3] / "shared" / "POLICY.md"


def test_cadence_stages(policy: Policy) -> None:
    assert [(s.name, s.day, s.channel) for s in policy.cadence] == [
        ("courtesy", -3, "email"),
        ("due", 1, "email"),
        ("first", 7, "email"),
        ("second", 14, "email"),
        ("final", 30, "email"),
        ("escalate", 60, "slack"),
    ]
    final = policy.stage("final")
    assert final is not None and final.cc_secondary_contact and final.slack_heads_up_to_owner
    assert "payment plan" in final.tone
    assert policy.dunning_run.one_message_per_customer
    assert policy.dunning_run.message_stage == "most_advanced"


def test_cadence_matches_the_policy_document(policy: Policy) -> None:
    if not POLICY_MD.is_file():
        pytest.skip(f"{POLICY_MD} is absent (the shared docs sit beside the repo)")
    rows = re.findall(r"^\| (\w+) \| ([+-]?\d+) \|", POLICY_MD.read_text(), re.MULTILINE)
    assert [(name, int(day)) for name, day in rows] == [(s.name, s.day) for s in policy.cadence]


@pytest.mark.parametrize(
    ("days", "stage"),
    [
        (-4, None),
        (-3, "courtesy"),
        (0, "courtesy"),
        (1, "due"),
        (6, "due"),
        (7, "first"),
        (13, "first"),
        (14, "second"),
        (29, "second"),
        (30, "final"),
        (59, "final"),
        (60, "escalate"),
        (400, "escalate"),
    ],
)
def test_stage_for_days_past_due(policy: Policy, days: int, stage: str | None) -> None:
    found = policy.stage_for(days)
    assert (found.name if found else None) == stage


def test_never_contact_frequency_and_window(policy: Policy) -> None:
    assert policy.never_contact.promise_grace_days == 3
    assert policy.frequency.min_days_between_emails == 5
    assert policy.frequency.max_emails == 4
    assert policy.frequency.window_days == 30
    assert policy.send_window.start == time(8, 0)
    assert policy.send_window.end == time(18, 0)
    assert policy.send_window.days == ["mon", "tue", "wed", "thu", "fri"]
    assert policy.send_window.weekdays == {0, 1, 2, 3, 4}


def test_payment_plans(policy: Policy) -> None:
    plans = policy.payment_plans
    assert plans.max_installments == 6
    assert plans.max_span_days == 180
    assert plans.frequencies == ["weekly", "fortnightly", "monthly"]
    assert plans.down_payment_required_over == Decimal("10000.00")
    assert plans.min_down_payment_percent == Decimal("20")


def test_ledger_change_numbers(policy: Policy) -> None:
    assert policy.approvals.apply_payment_over == Decimal("50000.00")
    assert policy.approvals.four_eyes_approvals == 2
    assert policy.cash_application.auto_match_confidence == 0.95
    assert policy.cash_application.amount_tolerance_percent == Decimal("1")
    assert policy.cash_application.amount_tolerance_absolute == Decimal("50.00")
    assert policy.claims_paid_hold_days == 7
    assert policy.contacts.unknown_domain == "escalate"
    assert {"write_off", "credit_note"} <= set(policy.ledger_changes.forbidden_actions)
    assert policy.ledger_changes.refusal == (
        "only a controller can write off or issue a credit note in the accounting system"
    )


@pytest.mark.parametrize(
    ("amount", "tolerance"),
    [("12400.00", "50.00"), ("5000.00", "50.00"), ("4999.00", "49.99"), ("100.00", "1.00")],
)
def test_amount_tolerance_is_the_smaller_of_1_percent_and_50(
    policy: Policy, amount: str, tolerance: str
) -> None:
    assert policy.cash_application.tolerance(Decimal(amount)) == Decimal(tolerance)


def test_words(policy: Policy) -> None:
    forbidden = policy.wording.forbidden
    assert {"threats", "legal", "fees_interest", "customer_finances"} <= set(forbidden)
    assert policy.legal_language_from == "final"
    assert not policy.wording_allowed("legal", "second")
    assert policy.wording_allowed("legal", "final")
    assert not policy.wording_allowed("legal", None)
    assert not policy.wording_allowed("threats", "final")
    for category in forbidden.values():
        assert set(category.phrases) == {"en", "de", "fr", "es"}
    required = policy.wording.required_in_dunning_emails
    assert required.invoice_numbers and required.amounts_with_currency and required.due_dates
    assert set(required.how_to_pay) == set(required.how_to_dispute) == {"en", "de", "fr", "es"}


def test_reply_intent_table(policy: Policy) -> None:
    assert set(policy.reply_intents) == set(INTENTS)
    table = {i: [p.action for p in policy.intent(i).proposals] for i in INTENTS}
    assert table["promise_to_pay"] == ["record_promise", "send_email"]
    assert table["claims_paid"] == ["apply_payment", "hold_dunning", "send_email"]
    assert table["dispute"] == ["open_dispute", "send_email"]
    assert table["payment_plan_request"] == ["create_payment_plan", "send_email"]
    assert table["contact_change"] == ["update_contact", "escalate"]
    assert table["out_of_office"] == ["hold_dunning"]
    assert table["opt_out"] == ["update_contact", "escalate"]
    assert table["insolvency"] == ["hold_dunning", "escalate"]
    assert table["acknowledgement"] == []
    assert table["other"] == ["escalate"]
    assert policy.intent("insolvency").never == ["send_email"]
    assert policy.intent("out_of_office").never == ["send_email"]
    assert all(p.action in ACTION_TYPES for i in INTENTS for p in policy.intent(i).proposals)
