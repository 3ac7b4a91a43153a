"""Forbidden wording and the required elements of dunning emails."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import Customer, Invoice
from policies.check import check
from policies.rules.elements import date_variants, money_pattern
from policies.schema import Policy
from tests.policies.helpers import GOOD_BODY, email, failed
from tests.support import factories


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Pay now or else.", "wording_threats"),
        ("Sie werden es bereuen.", "wording_threats"),
        ("Vous le regretterez.", "wording_threats"),
        ("Se arrepentirá.", "wording_threats"),
        ("We will pass this to our lawyers.", "wording_legal"),
        ("We will report you to a credit bureau.", "wording_legal"),
        ("We may take legal action.", "wording_legal"),
        ("Wir übergeben die Forderung an ein Inkassobüro.", "wording_legal"),
        ("Nous saisirons le tribunal.", "wording_legal"),
        ("Iniciaremos acciones legales.", "wording_legal"),
        ("A late fee of 50.00 USD applies.", "wording_fees_interest"),
        ("Interest will be charged; interest charges apply.", "wording_fees_interest"),
        ("Es fallen Verzugszinsen an.", "wording_fees_interest"),
        ("Des pénalités de retard s'appliquent.", "wording_fees_interest"),
        ("Se aplicarán intereses de demora.", "wording_fees_interest"),
        ("We understand you have cash flow problems.", "wording_customer_finances"),
        ("Ihre finanziellen Schwierigkeiten sind uns bekannt.", "wording_customer_finances"),
        ("Vu vos difficultés financières.", "wording_customer_finances"),
        ("Dadas sus dificultades financieras.", "wording_customer_finances"),
        ("We can offer a 10% discount.", "wording_concessions"),
        ("We will write-off the rest.", "wording_concessions"),
    ],
)
def test_forbidden_wording_is_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, sentence: str, rule: str
) -> None:
    verdict = check(email(body=f"{GOOD_BODY}\n{sentence}"), session, clock, policy=policy)
    assert rule in failed(verdict), verdict.reasons


def test_wording_in_the_subject_counts(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    verdict = check(
        email(subject="INV-1042: final warning before court"), session, clock, policy=policy
    )
    assert failed(verdict)["wording_legal"] == (
        "forbidden wording (legal or credit-bureau language before the final stage): 'court'"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Thank you for your courtesy.",
        "We hope this does not cause an issue.",
        "Our terms are lawful and fair.",
        "Please pay in full.",
        "It is in our mutual interest to settle this.",
    ],
)
def test_whole_words_only(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, sentence: str
) -> None:
    assert check(email(body=f"{GOOD_BODY}\n{sentence}"), session, clock, policy=policy).allowed


@pytest.mark.parametrize(("stage", "allowed"), [("second", False), ("final", True)])
def test_legal_language_only_from_the_final_stage(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, stage: str, allowed: bool
) -> None:
    body = f"{GOOD_BODY}\nWithout payment we will refer the account to a collection agency."
    verdict = check(email(stage=stage, body=body), session, clock, policy=policy)
    assert ("wording_legal" not in failed(verdict)) is allowed


def test_legal_language_is_refused_in_a_reply(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    reply = email(
        stage=None, in_reply_to="<m1@globex.example>", body="Our attorney will be in touch."
    )
    assert "wording_legal" in failed(check(reply, session, clock, policy=policy))


def test_threats_are_refused_even_at_the_final_stage(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    verdict = check(
        email(stage="final", body=f"{GOOD_BODY}\nYou will regret this."),
        session,
        clock,
        policy=policy,
    )
    assert "wording_threats" in failed(verdict)


# --- required elements ---------------------------------------------------------------


def test_missing_invoice_number(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    body = GOOD_BODY.replace("INV-1042", "your invoice")
    verdict = check(email(subject="Overdue invoice", body=body), session, clock, policy=policy)
    assert failed(verdict)["mentions_invoice_numbers"] == (
        "the email does not name invoice INV-1042"
    )


def test_invoice_number_prefix_does_not_count(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-104", amount="12400.00", due=date(2026, 10, 1))
    action = email(invoices=["INV-104"], subject="Overdue")
    assert "mentions_invoice_numbers" in failed(check(action, session, clock, policy=policy))


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("12,400.00 USD", True),
        ("$12,400.00", True),
        ("USD 12400.00", True),
        ("US$ 12,400.00", True),
        ("12,400 USD", True),
        ("12,400.00", False),
        ("12,400.50 USD", False),
        ("112,400.00 USD", False),
        ("12,400.00 EUR", False),
    ],
)
def test_amount_with_currency(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, text: str, ok: bool
) -> None:
    body = GOOD_BODY.replace("12,400.00 USD", text)
    verdict = check(email(body=body), session, clock, policy=policy)
    assert ("mentions_amounts" not in failed(verdict)) is ok


def test_amount_is_the_open_balance_or_the_invoice_amount(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(
        session, globex, "INV-1042", amount="12400.00", balance="2400.00", due=date(2026, 10, 1)
    )
    assert check(email(), session, clock, policy=policy).allowed
    body = GOOD_BODY.replace("12,400.00 USD", "2,400.00 USD")
    assert check(email(body=body), session, clock, policy=policy).allowed
    body = GOOD_BODY.replace("12,400.00 USD", "2,000.00 USD")
    assert failed(check(email(body=body), session, clock, policy=policy))["mentions_amounts"] == (
        "the email does not state the amount with currency of INV-1042 (2400.00 USD)"
    )


@pytest.mark.parametrize(
    "amount", ["12.400,00 €", "€12.400,00", "EUR 12 400,00", "12\u00a0400,00 EUR"]
)
def test_european_amounts(amount: str) -> None:
    assert money_pattern(Decimal("12400.00"), "EUR").search(f"Betrag: {amount}.")


def test_zero_decimal_currency() -> None:
    assert money_pattern(Decimal("125000"), "JPY").search("合計 ¥125,000")
    assert not money_pattern(Decimal("125000"), "JPY").search("合計 ¥125,001")


@pytest.mark.parametrize(
    "written",
    [
        "2026-10-01",
        "10/01/2026",
        "01.10.2026",
        "October 1, 2026",
        "Oct. 1, 2026",
        "1 October 2026",
        "1st October 2026",
        "1. Oktober 2026",
        "1er octobre 2026",
        "1 de octubre de 2026",
    ],
)
def test_due_date_spellings(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, written: str
) -> None:
    body = GOOD_BODY.replace("October 1, 2026", written)
    assert check(email(body=body), session, clock, policy=policy).allowed


@pytest.mark.parametrize("written", ["October 11, 2026", "2026-10-11", "October 2026", ""])
def test_wrong_or_missing_due_date(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, written: str
) -> None:
    body = GOOD_BODY.replace("October 1, 2026", written)
    assert (
        failed(check(email(body=body), session, clock, policy=policy))["mentions_due_dates"]
        == "the email does not state the due date of INV-1042 (2026-10-01)"
    )


def test_date_variants_cover_the_ordinal_suffixes() -> None:
    assert "november 22nd, 2026" in date_variants(date(2026, 11, 22))
    assert "november 13th, 2026" in date_variants(date(2026, 11, 13))


def test_how_to_pay_and_how_to_dispute_are_required(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    body = (
        "Invoice INV-1042 for 12,400.00 USD was due on October 1, 2026 and is still "
        "open. Thank you."
    )
    assert set(failed(check(email(body=body), session, clock, policy=policy))) == {
        "mentions_how_to_pay",
        "mentions_how_to_dispute",
    }


def test_german_reminder_passes(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    body = (
        "Sehr geehrte Damen und Herren, die Rechnung INV-1042 über 12.400,00 USD war am "
        "1. Oktober 2026 fällig. Bitte überweisen Sie den Betrag. Ist die Rechnung nicht "
        "korrekt, teilen Sie uns Ihre Einwände mit."
    )
    action = email(body=body, subject="Zahlungserinnerung INV-1042", language="de")
    assert check(action, session, clock, policy=policy).allowed


def test_each_listed_invoice_needs_its_elements(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-1077", amount="500.00", due=date(2026, 10, 15))
    verdict = check(email(invoices=["INV-1042", "INV-1077"]), session, clock, policy=policy)
    assert set(failed(verdict)) == {
        "mentions_invoice_numbers",
        "mentions_amounts",
        "mentions_due_dates",
    }


def test_email_without_stage_needs_no_elements(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    action = email(stage=None, body="Hello Dana, here is the copy of the invoice you asked for.")
    assert check(action, session, clock, policy=policy).allowed


def test_required_elements_can_be_switched_off(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    relaxed = policy.with_changes(
        {
            "wording": {
                "required_in_dunning_emails": {"due_dates": False, "amounts_with_currency": False}
            }
        }
    )
    body = GOOD_BODY.replace("12,400.00 USD", "the full amount").replace(
        "October 1, 2026", "the due date"
    )
    assert check(email(body=body), session, clock, policy=relaxed).allowed
    assert not check(email(body=body), session, clock, policy=policy).allowed


def test_instalment_reminder_needs_an_amount_in_the_invoice_currency(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    from ledger.models import Installment, PaymentPlan

    plan = PaymentPlan(customer_id="C-001")
    plan.invoices.append(inv)
    plan.installments.append(Installment(seq=1, due_date=date(2026, 12, 1), amount=inv.balance))
    session.add(plan)
    session.flush()
    body = (
        "Your instalment for INV-1042 is due on December 1, 2026: {}. Pay at "
        "https://pay.example.com; reply to dispute."
    )
    ok = email(stage="installment", body=body.format("2,066.67 USD"))
    assert check(ok, session, clock, policy=policy).allowed
    for wrong in ("2,066.67 EUR", "2,066.67", "see INV 1042"):
        bad = email(stage="installment", body=body.format(wrong))
        assert "mentions_amounts" in failed(check(bad, session, clock, policy=policy)), wrong
