"""send_email: customer, recipients, never-contact rules and the reply exception."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import (
    Contact,
    Customer,
    Dispute,
    DunningHold,
    Installment,
    Invoice,
    PaymentPlan,
    Promise,
)
from policies.check import check
from policies.schema import Policy
from tests.policies.helpers import GOOD_BODY, email, failed
from tests.support import factories


def test_good_reminder_is_allowed(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    verdict = check(email(), session, clock, policy=policy)
    assert verdict.allowed, verdict.reasons
    assert verdict.reasons == [] and verdict.wait_until is None
    assert {c.rule for c in verdict.checks} >= {
        "customer_exists",
        "not_insolvent",
        "recipients_known",
        "not_opted_out",
        "not_bouncing",
        "invoices_open",
        "not_disputed",
        "not_promised",
        "not_held",
        "not_in_plan",
        "min_days_between_emails",
        "max_emails_in_window",
        "wording_legal",
        "mentions_amounts",
        "send_window",
    }


def test_policy_defaults_to_the_configured_file(
    session: Session, clock: FrozenClock, inv: Invoice
) -> None:
    assert check(email(), session, clock).allowed


def test_unknown_customer_is_refused(session: Session, clock: FrozenClock, policy: Policy) -> None:
    verdict = check(email(customer="C-404"), session, clock, policy=policy)
    assert not verdict.allowed
    assert verdict.reasons == ["customer 'C-404' not found"]


@pytest.mark.parametrize("reply", [False, True])
def test_insolvent_customer_gets_no_email_even_as_reply(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    globex: Customer,
    reply: bool,
) -> None:
    globex.insolvent = True
    session.flush()
    action = email(in_reply_to="<m1@globex.example>") if reply else email()
    assert "insolvent" in failed(check(action, session, clock, policy=policy))["not_insolvent"]


def test_unknown_recipient_is_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    verdict = check(email(to=["Eve <eve@attacker.example>"]), session, clock, policy=policy)
    assert failed(verdict)["recipients_known"].startswith(
        "eve@attacker.example is not a contact of C-001"
    )


def test_unknown_cc_is_refused_and_known_cc_allowed(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    assert check(email(cc=["lee@globex.example"]), session, clock, policy=policy).allowed
    verdict = check(email(cc=["boss@globex.example"]), session, clock, policy=policy)
    assert "recipients_known" in failed(verdict)


def test_contact_of_another_customer_is_unknown(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    factories.customer(session, "C-002", "Initech", email="ap@initech.example")
    verdict = check(email(to=["ap@initech.example"]), session, clock, policy=policy)
    assert "recipients_known" in failed(verdict)


def test_recipient_match_ignores_case_and_display_name(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    action = email(to=["Dana Ruiz <DANA@Globex.Example>"])
    assert check(action, session, clock, policy=policy).allowed


@pytest.mark.parametrize("reply", [False, True])
def test_opted_out_contact_is_refused_even_as_reply(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    globex: Customer,
    reply: bool,
) -> None:
    globex.contacts[0].opt_out = True
    session.flush()
    action = email(in_reply_to="<m1@globex.example>") if reply else email()
    detail = failed(check(action, session, clock, policy=policy))["not_opted_out"]
    assert detail == "dana@globex.example opted out: use another contact of C-001 or escalate"
    assert check(email(to=["lee@globex.example"]), session, clock, policy=policy).allowed


def test_a_bouncing_contact_is_refused_with_the_reason(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    globex.contacts[0].bounced_at = clock.now()
    globex.contacts[0].bounce_reason = "550 5.1.1 User unknown"
    session.flush()
    detail = failed(check(email(), session, clock, policy=policy))["not_bouncing"]
    assert detail == (
        "mail to dana@globex.example (550 5.1.1 User unknown) bounced: "
        "use another contact of C-001 or escalate"
    )
    assert check(email(to=["lee@globex.example"]), session, clock, policy=policy).allowed


def test_paid_invoice_is_not_dunned(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(
        session, globex, "INV-1042", amount="12400.00", balance="0.00", due=date(2026, 10, 1)
    )
    detail = failed(check(email(), session, clock, policy=policy))["invoices_open"]
    assert detail == "invoice INV-1042 is already paid (balance 0.00)"


def test_reply_may_mention_a_paid_invoice(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(
        session, globex, "INV-1042", amount="12400.00", balance="0.00", due=date(2026, 10, 1)
    )
    reply = email(
        stage=None,
        in_reply_to="<m1@globex.example>",
        subject="RE: INV-1042",
        body="Thank you, we received your payment for INV-1042.",
    )
    assert check(reply, session, clock, policy=policy).allowed


def test_invoice_of_another_customer_or_missing(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    other = factories.customer(session, "C-002", "Initech")
    factories.invoice(session, other, "INV-2000")
    detail = failed(
        check(email(invoices=["INV-1042", "INV-2000", "INV-9"]), session, clock, policy=policy)
    )["invoices_open"]
    assert detail == ("invoice INV-2000 belongs to another customer; invoice INV-9 not found")


def test_open_dispute_blocks_reminder_but_not_reply(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    session.add(
        Dispute(customer_id="C-001", invoice_id=inv.id, reason="pricing", opened=date(2026, 11, 2))
    )
    session.flush()
    detail = failed(check(email(), session, clock, policy=policy))["not_disputed"]
    assert detail == "INV-1042 has an open dispute (pricing, opened 2026-11-02)"
    ack = email(
        stage=None,
        in_reply_to="<m1@globex.example>",
        subject="RE: INV-1042",
        body="We have opened a review of INV-1042 and will come back to you.",
    )
    assert check(ack, session, clock, policy=policy).allowed


def test_resolved_dispute_does_not_block(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    session.add(
        Dispute(
            customer_id="C-001",
            invoice_id=inv.id,
            reason="pricing",
            opened=date(2026, 11, 2),
            status="resolved",
        )
    )
    session.flush()
    assert check(email(), session, clock, policy=policy).allowed


def _promise(session: Session, inv: Invoice, on: date, status: str = "open") -> None:
    p = Promise(customer_id="C-001", date=on, status=status)
    p.invoices.append(inv)
    session.add(p)
    session.flush()


@pytest.mark.parametrize(
    ("promised", "blocked"),
    [
        (date(2026, 11, 27), True),  # in the future
        (date(2026, 11, 20), True),  # grace day 3: 20 + 3 = 23 = today, still protected
        (date(2026, 11, 19), False),
    ],  # grace day 4: 19 + 3 = 22 has passed
)
def test_promise_grace_days(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    promised: date,
    blocked: bool,
) -> None:
    _promise(session, inv, promised)
    verdict = check(email(), session, clock, policy=policy)
    assert ("not_promised" in failed(verdict)) is blocked


def test_promise_message_says_when_dunning_resumes(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _promise(session, inv, date(2026, 11, 20))
    assert failed(check(email(), session, clock, policy=policy))["not_promised"] == (
        "INV-1042 is promised for 2026-11-20 (no dunning until 2026-11-24, 3 grace days)"
    )


def test_broken_promise_does_not_protect(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _promise(session, inv, date(2026, 11, 27), status="broken")
    assert check(email(), session, clock, policy=policy).allowed


def test_promise_on_reply_is_allowed(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _promise(session, inv, date(2026, 11, 27))
    thanks = email(
        stage=None,
        in_reply_to="<m1@globex.example>",
        subject="RE: INV-1042",
        body="Thank you for confirming payment of INV-1042 on November 27.",
    )
    assert check(thanks, session, clock, policy=policy).allowed


@pytest.mark.parametrize(
    ("until", "whole_customer", "active", "blocked"),
    [
        (date(2026, 11, 24), False, True, True),
        (date(2026, 11, 24), True, True, True),
        (None, True, True, True),
        (date(2026, 11, 23), False, True, False),  # lifts on its date
        (date(2026, 11, 30), False, False, False),
    ],  # lifted by hand
)
def test_dunning_hold(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    until: date | None,
    whole_customer: bool,
    active: bool,
    blocked: bool,
) -> None:
    session.add(
        DunningHold(
            customer_id="C-001",
            invoice_id=None if whole_customer else inv.id,
            until=until,
            reason="out of office",
            active=active,
        )
    )
    session.flush()
    verdict = check(email(), session, clock, policy=policy)
    assert ("not_held" in failed(verdict)) is blocked


def test_hold_on_another_invoice_does_not_block(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    other = factories.invoice(session, globex, "INV-1043")
    session.add(
        DunningHold(
            customer_id="C-001", invoice_id=other.id, until=date(2026, 12, 1), reason="claims paid"
        )
    )
    session.flush()
    assert check(email(), session, clock, policy=policy).allowed


def _plan(session: Session, inv: Invoice, status: str = "active") -> None:
    plan = PaymentPlan(customer_id="C-001", status=status)
    plan.invoices.append(inv)
    plan.installments.append(Installment(seq=1, due_date=date(2026, 12, 1), amount=inv.balance))
    session.add(plan)
    session.flush()


INSTALMENT_BODY = (
    "Reminder: the instalment of 2,000.00 USD for INV-1042 is due on "
    "December 1, 2026. Pay at https://pay.example.com. Reply if you want "
    "to dispute anything."
)


def test_active_plan_allows_only_instalment_reminders(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _plan(session, inv)
    assert "not_in_plan" in failed(check(email(), session, clock, policy=policy))
    reminder = email(stage="installment", body=INSTALMENT_BODY)
    assert check(reminder, session, clock, policy=policy).allowed


def test_instalment_reminder_needs_an_active_plan(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _plan(session, inv, status="completed")
    reminder = email(stage="installment", body=INSTALMENT_BODY)
    assert "in_active_plan" in failed(check(reminder, session, clock, policy=policy))
    assert check(email(), session, clock, policy=policy).allowed


def test_unknown_stage_and_escalate_stage_are_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    assert failed(check(email(stage="third"), session, clock, policy=policy))["stage"].startswith(
        "unknown stage 'third'"
    )
    assert failed(check(email(stage="escalate"), session, clock, policy=policy))["stage"] == (
        "stage escalate sends no email: escalate instead"
    )


def test_malformed_payload_is_refused_with_the_field(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    action = email()
    action.payload.pop("subject")
    verdict = check(action, session, clock, policy=policy)
    assert verdict.reasons == ["send_email.subject: Field required"]


def test_check_never_writes(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    session.commit()
    check(email(), session, clock, policy=policy)
    assert not session.new and not session.dirty and not session.deleted


def test_recipient_with_contact_added_later_is_known(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, globex: Customer
) -> None:
    session.add(Contact(customer_id=globex.id, email="ap2@globex.example"))
    session.flush()
    assert check(
        email(to=["ap2@globex.example"], body=GOOD_BODY), session, clock, policy=policy
    ).allowed


def test_dunning_email_must_list_invoices(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    verdict = check(email(invoices=[]), session, clock, policy=policy)
    assert failed(verdict)["invoices_listed"] == "send_email names no invoice"


def test_plan_reason_says_only_instalment_reminders(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    _plan(session, inv)
    detail = failed(check(email(), session, clock, policy=policy))["not_in_plan"]
    assert detail.endswith("is in active payment plan #1 (only instalment reminders)")
