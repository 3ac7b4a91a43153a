"""POLICY.md's customer-reply table, with the reading of the email fixed (canned), so only
the playbook, tools, guardrails and queue are under test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from agent.replies import handle_customer_reply
from ledger.models import BankTransaction
from policies.config import load_policy


def reading(intent: str, **fields) -> SimpleNamespace:  # noqa: ANN003
    base = dict(
        intent=intent,
        confidence=0.9,
        language="en",
        invoices=[],
        promised_date=None,
        amount=None,
        paid_date=None,
        payment_reference=None,
        return_date=None,
        dispute_reason=None,
        dispute_invoices=[],
        requested_installments=None,
        requested_months=None,
        requested_frequency=None,
        requests_discount=False,
        new_contact_email=None,
        new_contact_name=None,
        mentions_bank_change=False,
        document_kind=None,
        secondary_intents=[],
        suspicious=False,
        evidence=[],
    )
    u = {**base, **fields}
    # The sender's words behind the reading, as the reader quotes them (agent.grounding):
    # the canned email text is made of these quotes.
    quotes = {name: f"(canned {name} clause)" for name in [intent, *u["secondary_intents"]]}
    for key in ("promised_date", "return_date"):
        if u[key] is not None:
            quotes[key] = f"on {u[key].isoformat()}"
    if u["amount"] is not None:
        quotes["amount"] = f"{u['amount']} USD"
    if u["new_contact_email"]:
        quotes["new_contact_email"] = f"write to {u['new_contact_email']}"
    named = [*u["invoices"], *u["dispute_invoices"]]
    if named:
        quotes["invoices"] = "about " + ", ".join(dict.fromkeys(named))
    return SimpleNamespace(**{**u, "quotes": quotes})


@pytest.fixture
def reply(ledger, clock, monkeypatch):  # noqa: ANN001, ANN201
    def run(
        u: SimpleNamespace, sender: str = "dana@globex.example", customer: str | None = "C-001"
    ):
        monkeypatch.setattr("agent.understanding.replies.understand_reply", lambda *a, **k: u)
        out = handle_customer_reply(
            ledger,
            clock=clock,
            policy=load_policy(),
            sender=sender,
            subject="Re: your reminder",
            text=" ".join(u.quotes.values()),
            customer=customer,
        )
        return out, [(p["type"], p["payload"]) for p in out["proposals"]]

    return run


def test_promise_without_named_invoices_covers_all_overdue(reply):
    out, queued = reply(
        reading("promise_to_pay", promised_date=date(2026, 11, 27), amount=Decimal("500.00"))
    )
    assert queued == [
        (
            "record_promise",
            {
                "customer": "C-001",
                "invoices": ["INV-1042", "INV-1077"],
                "date": "2026-11-27",
                "amount": "500.00",
            },
        )
    ]


def test_claims_paid_without_a_bank_line_holds_seven_days_and_asks_for_remittance(reply):
    out, queued = reply(reading("claims_paid", invoices=["INV-1042"]))
    assert [t for t, _ in queued] == ["hold_dunning", "send_email"]
    assert queued[0][1]["invoices"] == ["INV-1042"] and queued[0][1]["until"] == "2026-11-30"
    assert "remittance" in queued[1][1]["body"].lower()


def test_claims_paid_with_a_matching_bank_line_applies_it(reply, ledger):
    with ledger.transaction() as s:
        s.add(
            BankTransaction(
                bank_id="BT-9",
                booking_date=date(2026, 11, 20),
                amount=Decimal("3100.00"),
                currency="USD",
                direction="credit",
                payer_name="GLOBEX CORP",
                reference="INV 1077",
            )
        )
    out, queued = reply(reading("claims_paid", invoices=["INV-1077"]))
    assert queued == [
        (
            "apply_payment",
            {
                "transaction": "BT-9",
                "customer": "C-001",
                "invoice": "INV-1077",
                "amount": "3100.00",
            },
        )
    ]


def test_dispute_opens_one_per_invoice_and_acknowledges(reply):
    out, queued = reply(
        reading("dispute", dispute_invoices=["INV-1042", "INV-1077"], dispute_reason="pricing")
    )
    assert [t for t, _ in queued] == ["open_dispute", "open_dispute", "send_email"]
    assert {p["invoice"] for t, p in queued if t == "open_dispute"} == {"INV-1042", "INV-1077"}


def test_plan_request_outside_policy_offers_the_closest_plan(reply):
    out, queued = reply(reading("payment_plan_request", requested_installments=12))
    plan = next(p for t, p in queued if t == "create_payment_plan")
    assert len(plan["installments"]) == 6 and out["blocked"] == []
    offer = next(p for t, p in queued if t == "send_email")
    assert "cannot offer the plan exactly as asked" in offer["body"]
    total = Decimal(plan["down_payment"]) + sum(Decimal(i["amount"]) for i in plan["installments"])
    assert total == Decimal("15500.00")


def test_out_of_office_holds_until_return_and_never_emails(reply):
    out, queued = reply(reading("out_of_office", return_date=date(2026, 12, 2)))
    assert queued == [
        (
            "hold_dunning",
            {
                "customer": "C-001",
                "invoices": [],
                "until": "2026-12-02",
                "reason": "contact out of office until 2026-12-02",
            },
        )
    ]


def test_insolvency_holds_everything_escalates_and_never_emails(reply):
    out, queued = reply(reading("insolvency", secondary_intents=["question"]))
    assert [t for t, _ in queued] == ["hold_dunning", "escalate"]
    assert queued[0][1]["invoices"] == []


def test_opt_out_flags_the_sender_and_escalates(reply):
    out, queued = reply(reading("opt_out"))
    assert queued[0] == (
        "update_contact",
        {"customer": "C-001", "email": "dana@globex.example", "opt_out": True},
    )
    assert queued[1][0] == "escalate"


def test_contact_change_to_a_new_domain_is_escalated(reply):
    out, queued = reply(reading("contact_change", new_contact_email="ap@globex-pay.com"))
    assert [t for t, _ in queued] == ["escalate"]


def test_suspicious_text_adds_an_escalation_and_nothing_else(reply):
    out, queued = reply(reading("acknowledgement", suspicious=True))
    assert [t for t, _ in queued] == ["escalate"]


def test_invoices_of_another_customer_are_ignored(reply, ledger):
    out, queued = reply(reading("dispute", dispute_invoices=["INV-2001"]))
    assert [t for t, _ in queued] == ["escalate"]  # INV-2001 is Initech's, not Globex's


def test_acknowledgement_proposes_nothing(reply):
    assert reply(reading("acknowledgement"))[1] == []


def test_contact_change_from_an_address_the_customer_never_used_is_escalated(reply):
    out, queued = reply(
        reading("contact_change", new_contact_email="ap@globex.example"),
        sender="globex.finance@gmail.com",
    )
    assert [t for t, _ in queued] == ["escalate"]


def test_uncertain_reading_escalates_and_drafts_no_email(reply):
    """An unsure "promise" still records nothing on its own say-so beyond the proposal, writes
    no email, and asks a human, naming the doubt."""
    out, props = reply(
        reading(
            "promise_to_pay",
            confidence=0.5,
            uncertain=True,
            rival_intents=["claims_paid"],
            promised_date=date(2026, 11, 30),
            invoices=["INV-1042"],
        )
    )
    kinds = [t for t, _ in props]
    assert "send_email" not in kinds
    escalation = [p for t, p in props if t == "escalate"]
    assert (
        escalation
        and "uncertain" in escalation[0]["reason"]
        and "claims_paid" in escalation[0]["reason"]
    )


def test_certain_promise_is_not_escalated(reply):
    out, props = reply(
        reading("promise_to_pay", promised_date=date(2026, 11, 30), invoices=["INV-1042"])
    )
    assert "escalate" not in [t for t, _ in props]
    assert tuple(t for t, _ in props if t == "record_promise") == ("record_promise",)
