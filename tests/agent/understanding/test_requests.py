"""Controller requests: intents and slots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agent.understanding.requests import REQUEST_INTENTS, CustomerName, understand_request

TODAY = date(2026, 11, 23)
CUSTOMERS = [
    CustomerName("C-001", "Globex Corporation", ("Globex Corp", "GLOBEX")),
    CustomerName("C-002", "Initech LLC", ("Initech",)),
    CustomerName("C-003", "Umbrella Industries GmbH", ()),
    CustomerName("C-006", "Acme Anvils Ltd", ()),
    CustomerName("C-007", "Acme Rockets Ltd", ()),
]


def ask(text: str, **kwargs):
    return understand_request(text, today=TODAY, customers=CUSTOMERS, **kwargs)


def test_intents_are_the_agreed_set():
    assert set(REQUEST_INTENTS) == {
        "balance",
        "open_items",
        "aging",
        "top_debtors",
        "promises_due",
        "disputes",
        "apply_payment",
        "send_documents",
        "timeline",
        "oldest_invoice",
        "draft_reminders",
        "payment_plan",
        "record_promise",
        "open_dispute",
        "hold_dunning",
        "update_contact",
        "escalate",
        "match_bank_file",
        "dunning_run",
        "approvals_pending",
        "write_off",
        "help",
        "greeting",
        "unknown",
    }


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("draft reminders for everything 30+ days late", 30),
        ("remind everyone over 60 days", 60),
        ("chase invoices more than two weeks overdue", 14),
        ("anything older than 90 days", 90),
        ("invoices 45 days past due", 45),
        ("alles über 30 Tage", 30),
        ("plus de 60 jours de retard", 60),
        ("más de 90 días", 90),
    ],
)
def test_min_days_overdue(text, days):
    assert ask(text).min_days_overdue == days


@pytest.mark.parametrize(
    ("text", "installments", "months", "frequency"),
    [
        ("propose a 4-month plan for Initech", None, 4, None),
        ("payment plan for Globex: 6 monthly payments", 6, None, "monthly"),
        ("plan for Initech, weekly over 8 weeks", None, None, "weekly"),
        ("Initech in vier Raten", 4, None, None),
        ("plan de pago para Globex en cuatro cuotas", 4, None, None),
        ("échéancier pour Globex en quatre fois", 4, None, None),
    ],
)
def test_plan_slots(text, installments, months, frequency):
    result = ask(text)
    assert result.intent == "payment_plan"
    assert (result.installments, result.months, result.frequency) == (
        installments,
        months,
        frequency,
    )


def test_plan_down_payment_and_weeks():
    result = ask("payment plan for Initech with $5,000 down, weekly over 8 weeks")
    assert result.down_payment == Decimal("5000")
    assert result.weeks == 8


def test_record_promise_slots():
    result = ask("Globex promised to pay $12,400 for INV-1042 on Friday")
    assert result.intent == "record_promise"
    assert result.customer_candidates[0][0] == "C-001"
    assert result.invoices == ["INV-1042"]
    assert result.amount == Decimal("12400")
    assert result.date == date(2026, 11, 27)


def test_known_invoices_are_canonicalised():
    result = ask("open a dispute on inv 1042", known_invoices=["INV-1042"])
    assert result.invoices == ["INV-1042"]


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("hold dunning for Globex until December 15", date(2026, 12, 15)),
        ("pause reminders for Initech for two weeks", date(2026, 12, 7)),
        ("put Umbrella on hold for 10 days", date(2026, 12, 3)),
    ],
)
def test_hold_dunning_until(text, until):
    result = ask(text)
    assert result.intent == "hold_dunning"
    assert result.date == until


def test_update_contact_extracts_email():
    result = ask("update the AP contact for Initech to jane@initech.example")
    assert result.intent == "update_contact"
    assert result.email == "jane@initech.example"
    assert result.customer_candidates[0][0] == "C-002"


@pytest.mark.parametrize(
    ("text", "limit"),
    [("top 5 debtors", 5), ("top ten customers", 10), ("the 3 biggest debtors", 3)],
)
def test_top_debtors_limit(text, limit):
    result = ask(text)
    assert result.intent == "top_debtors"
    assert result.limit == limit


@pytest.mark.parametrize(
    ("text", "bucket"),
    [("show the 61-90 bucket", "61-90"), ("aging 90+", "90+"), ("aging 1-30 bucket", "1-30")],
)
def test_aging_bucket(text, bucket):
    result = ask(text)
    assert result.intent == "aging"
    assert result.bucket == bucket


@pytest.mark.parametrize(
    "text",
    [
        "how much do they owe?",
        "and their oldest invoice?",
        "what about that customer's aging",
        "draft a reminder for them",
    ],
)
def test_follow_up_without_a_customer(text):
    result = ask(text)
    assert result.is_follow_up
    assert result.customer_candidates == []


def test_named_customer_is_not_a_follow_up():
    result = ask("how much does Globex owe us? and their oldest invoice?")
    assert not result.is_follow_up
    assert result.customer_query is not None


def test_ambiguous_customer_gives_several_candidates():
    result = ask("balance for acme")
    assert result.intent == "balance"
    assert {cid for cid, _ in result.customer_candidates} == {"C-006", "C-007"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("open a dispute on INV-1043, pricing issue", "pricing"),
        ("Umbrella disputes INV-1044, goods damaged", "quality"),
        ("Globex says INV-1042 is a duplicate, log a dispute", "duplicate"),
    ],
)
def test_dispute_reason(text, reason):
    result = ask(text)
    assert result.intent == "open_dispute"
    assert result.dispute_reason == reason


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("write off Initech's balance", "write_off"),
        ("issue a credit note for INV-1042", "write_off"),
        ("help", "help"),
        ("hello", "greeting"),
        ("hello, what does Globex owe?", "balance"),
        ("the weather is nice", "unknown"),
        ("", "unknown"),
    ],
)
def test_refusals_help_greeting_unknown(text, intent):
    assert ask(text).intent == intent


def test_request_confidence_is_low_for_unknown_and_evidence_is_given():
    assert ask("the weather is nice").confidence < 0.5
    result = ask("show me the aging report")
    assert result.confidence > 0.6
    assert any("aging" in e for e in result.evidence)


@pytest.mark.parametrize("text", ["same for Initech", "and Globex?", "what about Umbrella?"])
def test_same_again_repeats_the_previous_intent(text):
    result = ask(text)
    assert result.intent == "unknown"
    assert result.repeats_previous_intent
    assert result.customer_candidates


def test_a_new_request_does_not_repeat_the_previous_intent():
    assert not ask("and what is Globex's balance?").repeats_previous_intent


def test_chat_shorthand_and_one_typo_keywords_are_understood():
    assert ask("ar agng by cust").intent == "aging"
    assert ask("can u set up 3 monthly payments for globex").intent == "payment_plan"


def test_typo_correction_leaves_ordinary_words_alone():
    from agent.understanding._text import correct_typos

    assert correct_typos("the contract price, sending them") == "the contract price, sending them"
    assert correct_typos("overdeu invocies") == "overdue invoices"
