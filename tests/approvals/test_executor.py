"""Executors: each type's ledger effect, at most once, all or nothing, re-checked now."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from approvals import executor, hooks, queue
from approvals.executors import EXECUTORS
from core.errors import ConflictError
from ledger.models import (
    Allocation,
    Approval,
    BankTransaction,
    Communication,
    Contact,
    Customer,
    Dispute,
    DunningHold,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
)
from mail.outbox import deliver_due
from mail.smtp import MemoryTransport
from tests.approvals.conftest import action, approved, email


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _status(db, approval_id) -> Approval:
    with db.session() as s:
        return s.get(Approval, approval_id)


def _run_twice(db, approval_id, clock, policy):
    first = executor.execute(db, approval_id, clock=clock, policy=policy)
    second = executor.execute(db, approval_id, clock=clock, policy=policy)
    assert first.status == "executed", first.error
    assert second.already and second.status == "executed" and second.result == first.result
    return first


def _bank(db, bank_id="T-1", amount="12400.00", direction="credit"):
    with db.transaction() as s:
        s.add(
            BankTransaction(
                bank_id=bank_id,
                booking_date=date(2026, 11, 20),
                amount=Decimal(amount),
                currency="USD",
                direction=direction,
                payer_name="GLOBEX CORP",
                reference="INV1042",
            )
        )


def test_record_promise_once(ledger, clock, policy):
    a = approved(
        ledger,
        action(
            "record_promise",
            invoices=["INV-1042", "INV-1077"],
            date="2026-11-27",
            amount="13200.00",
        ),
        clock,
        policy,
    )
    out = _run_twice(ledger, a, clock, policy)
    with ledger.session() as s:
        (promise,) = s.scalars(select(Promise)).all()
        assert promise.date == date(2026, 11, 27) and promise.amount == Decimal("13200.00")
        assert sorted(i.number for i in promise.invoices) == ["INV-1042", "INV-1077"]
    assert out.result["promise_id"] == promise.id


def test_open_dispute_once_and_a_second_one_drafted_meanwhile_fails(ledger, clock, policy):
    a = approved(
        ledger, action("open_dispute", invoice="INV-1042", reason="pricing"), clock, policy
    )
    b = approved(
        ledger, action("open_dispute", invoice="INV-1042", reason="quantity"), clock, policy
    )
    _run_twice(ledger, a, clock, policy)
    assert _count(ledger, Dispute) == 1
    again = executor.execute(ledger, b, clock=clock, policy=policy)
    assert again.status == "failed" and "already has an open dispute" in again.error
    assert _count(ledger, Dispute) == 1


def test_create_payment_plan_once(ledger, clock, policy):
    a = approved(
        ledger,
        action(
            "create_payment_plan",
            invoices=["INV-1042"],
            down_payment="2480.00",
            installments=[
                {"date": "2026-12-23", "amount": "4960.00"},
                {"date": "2027-01-23", "amount": "4960.00"},
            ],
        ),
        clock,
        policy,
    )
    _run_twice(ledger, a, clock, policy)
    with ledger.session() as s:
        (plan,) = s.scalars(select(PaymentPlan)).all()
        assert plan.down_payment == Decimal("2480.00")
        assert [(i.seq, i.amount) for i in plan.installments] == [
            (1, Decimal("4960.00")),
            (2, Decimal("4960.00")),
        ]
        assert [i.number for i in plan.invoices] == ["INV-1042"]


def test_apply_payment_allocates_and_marks_the_transaction(ledger, clock, policy):
    _bank(ledger, amount="13000.00")
    a = approved(
        ledger,
        action("apply_payment", transaction="T-1", invoice="INV-1042", amount="12400.00"),
        clock,
        policy,
    )
    out = _run_twice(ledger, a, clock, policy)
    with ledger.session() as s:
        assert s.scalar(select(Invoice.balance).where(Invoice.number == "INV-1042")) == 0
        bt = s.scalars(select(BankTransaction)).one()
        assert bt.status == "partially"
        assert s.scalars(select(Payment)).one().amount == Decimal("13000.00")
    assert out.result["unapplied"] == "600.00"
    assert _count(ledger, Allocation) == 1


def test_apply_payment_never_overallocates_the_transaction_or_the_invoice(ledger, clock, policy):
    """Both drafted while the money was there; executed one after the other."""
    _bank(ledger, amount="1000.00")
    _bank(ledger, "T-2", amount="5000.00")
    a = approved(
        ledger,
        action("apply_payment", transaction="T-1", invoice="INV-1077", amount="800.00"),
        clock,
        policy,
    )
    b = approved(
        ledger,
        action("apply_payment", transaction="T-1", invoice="INV-1042", amount="300.00"),
        clock,
        policy,
    )
    c = approved(
        ledger,
        action("apply_payment", transaction="T-2", invoice="INV-1077", amount="100.00"),
        clock,
        policy,
    )
    assert executor.execute(ledger, a, clock=clock, policy=policy).ok
    over_bank = executor.execute(ledger, b, clock=clock, policy=policy)
    assert over_bank.status == "failed" and "200.00" in over_bank.error
    over_invoice = executor.execute(ledger, c, clock=clock, policy=policy)
    assert over_invoice.status == "failed" and "INV-1077" in over_invoice.error
    with ledger.session() as s:
        balances = dict(s.execute(select(Invoice.number, Invoice.balance)).all())
    assert balances == {"INV-1042": Decimal("12400.00"), "INV-1077": Decimal("0.00")}
    assert _count(ledger, Allocation) == 1


def test_apply_payment_split_allocations_fully_apply(ledger, clock, policy):
    _bank(ledger, amount="13200.00")
    a = approved(
        ledger,
        action(
            "apply_payment",
            transaction="T-1",
            invoice="INV-1042",
            amount="13200.00",
            allocations=[
                {"invoice": "INV-1042", "amount": "12400.00"},
                {"invoice": "INV-1077", "amount": "800.00"},
            ],
        ),
        clock,
        policy,
    )
    out = _run_twice(ledger, a, clock, policy)
    assert out.result["transaction_status"] == "applied"
    with ledger.session() as s:
        assert s.scalar(select(func.sum(Invoice.balance))) == 0


def test_update_contact_adds_then_opts_out(ledger, clock, policy):
    a = approved(
        ledger, action("update_contact", email="lee@globex.example", name="Lee"), clock, policy
    )
    assert _run_twice(ledger, a, clock, policy).result["action"] == "added"
    b = approved(
        ledger, action("update_contact", email="LEE@globex.example", opt_out=True), clock, policy
    )
    assert executor.execute(ledger, b, clock=clock, policy=policy).result["action"] == "opted_out"
    with ledger.session() as s:
        lee = s.scalars(select(Contact).where(Contact.name == "Lee")).one()
        assert lee.opt_out is True
    assert _count(ledger, Contact) == 2


def test_a_replaced_bouncing_address_starts_clean(ledger, clock, policy):
    with ledger.transaction() as s:
        dana = s.scalars(select(Contact).where(Contact.email == "dana@globex.example")).one()
        dana.bounced_at, dana.bounce_reason = clock.now(), "550 5.1.1 User unknown"
    a = approved(
        ledger,
        action("update_contact", email="dana.ruiz@globex.example", replaces="dana@globex.example"),
        clock,
        policy,
    )
    assert executor.execute(ledger, a, clock=clock, policy=policy).result["action"] == "replaced"
    with ledger.session() as s:
        dana = s.scalars(select(Contact).where(Contact.email == "dana.ruiz@globex.example")).one()
        assert (dana.bounced_at, dana.bounce_reason) == (None, None)


def test_hold_dunning_per_invoice_and_whole_customer(ledger, clock, policy):
    a = approved(
        ledger,
        action(
            "hold_dunning",
            invoices=["INV-1042", "INV-1077"],
            until="2026-12-01",
            reason="out of office",
        ),
        clock,
        policy,
    )
    _run_twice(ledger, a, clock, policy)
    b = approved(ledger, action("hold_dunning", reason="insolvency"), clock, policy)
    executor.execute(ledger, b, clock=clock, policy=policy)
    with ledger.session() as s:
        holds = s.scalars(select(DunningHold).order_by(DunningHold.id)).all()
    assert [(h.invoice_id is None, h.until) for h in holds] == [
        (False, date(2026, 12, 1)),
        (False, date(2026, 12, 1)),
        (True, None),
    ]


def test_change_credit(ledger, clock, policy):
    a = approved(
        ledger,
        action("change_credit", credit_limit="20000.00", credit_hold=True, reason="risk score"),
        clock,
        policy,
        users=("ann", "bob"),
    )
    _run_twice(ledger, a, clock, policy)
    with ledger.session() as s:
        c = s.get(Customer, "C-001")
        assert (c.credit_limit, c.credit_hold) == (Decimal("20000.00"), True)


def test_escalate_notifies_the_hooks_once(ledger, clock, policy):
    seen = []
    hook = hooks.subscribe(lambda event, snap: seen.append((event, snap["id"])))
    try:
        a = approved(ledger, action("escalate", reason="customer threatens to sue"), clock, policy)
        _run_twice(ledger, a, clock, policy)
    finally:
        hooks.unsubscribe(hook)
    assert seen == [("executed", a), ("escalated", a)]


def test_send_email_writes_one_outbox_row(ledger, clock, policy):
    a = approved(ledger, email(), clock, policy)
    out = _run_twice(ledger, a, clock, policy)
    with ledger.session() as s:
        (comm,) = s.scalars(select(Communication)).all()
        assert comm.status == "outbox" and comm.direction == "out"
        assert comm.message_id == out.result["message_id"]
        assert comm.message_id.startswith("<") and comm.message_id.endswith(">")
        assert comm.approval_id == a and comm.thread_token
        assert comm.next_attempt_at == clock.now()  # 09:00 Monday in Chicago: inside the window
        assert [i.number for i in comm.invoices] == ["INV-1042"]


def test_send_email_outside_the_window_waits_for_it(ledger, clock, policy):
    clock.advance(hours=12)  # Monday 21:00 in Chicago
    a = approved(ledger, email(), clock, policy)
    executor.execute(ledger, a, clock=clock, policy=policy)
    with ledger.session() as s:
        comm = s.scalars(select(Communication)).one()
    assert comm.next_attempt_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # Tue 08:00 CST


def test_follow_up_in_the_conversation_threads_on_the_first(ledger, clock, policy):
    first = approved(ledger, email(), clock, policy)
    executor.execute(ledger, first, clock=clock, policy=policy)
    assert len(deliver_due(ledger, clock=clock, transport=MemoryTransport()).sent) == 1
    clock.advance(days=7)  # at most one email every 5 days
    second = approved(
        ledger, email(payload={"subject": "Following up", "stage": "second"}), clock, policy
    )
    executor.execute(ledger, second, clock=clock, policy=policy)
    with ledger.session() as s:
        a, b = s.scalars(select(Communication).order_by(Communication.id)).all()
    assert b.thread_token == a.thread_token
    assert b.in_reply_to == a.message_id and b.references == a.message_id


def test_reminder_for_an_invoice_paid_since_drafting_fails_with_the_reason(ledger, clock, policy):
    a = approved(ledger, email(), clock, policy)
    with ledger.transaction() as s:
        s.scalars(select(Invoice).where(Invoice.number == "INV-1042")).one().balance = 0
    out = executor.execute(ledger, a, clock=clock, policy=policy)
    assert out.status == "failed" and "INV-1042" in out.error
    row = _status(ledger, a)
    assert row.status == "failed" and row.error == out.error
    assert _count(ledger, Communication) == 0


def test_reminder_for_an_invoice_disputed_since_drafting_fails(ledger, clock, policy):
    a = approved(ledger, email(), clock, policy)
    with ledger.transaction() as s:
        inv = s.scalars(select(Invoice).where(Invoice.number == "INV-1042")).one()
        s.add(
            Dispute(
                customer_id="C-001", invoice_id=inv.id, reason="pricing", opened=date(2026, 11, 22)
            )
        )
    out = executor.execute(ledger, a, clock=clock, policy=policy)
    assert out.status == "failed" and "disput" in out.error
    assert _count(ledger, Communication) == 0


def test_email_to_a_contact_who_opted_out_since_drafting_fails(ledger, clock, policy):
    a = approved(ledger, email(), clock, policy)
    with ledger.transaction() as s:
        s.scalars(select(Contact)).one().opt_out = True
    out = executor.execute(ledger, a, clock=clock, policy=policy)
    assert out.status == "failed" and "opted out" in out.error


@pytest.mark.parametrize("kind", ["record_promise", "send_email"])
def test_crash_after_the_ledger_write_leaves_nothing_and_retry_works(
    ledger, clock, policy, monkeypatch, kind
):
    if kind == "send_email":
        a, model = approved(ledger, email(), clock, policy), Communication
    else:
        a, model = (
            approved(
                ledger,
                action("record_promise", invoices=["INV-1042"], date="2026-11-27"),
                clock,
                policy,
            ),
            Promise,
        )
    real = EXECUTORS[kind]

    def crash(ctx):
        real(ctx)
        assert ctx.session.scalar(select(func.count()).select_from(model)) == 1  # written
        raise RuntimeError("power cut")

    monkeypatch.setitem(EXECUTORS, kind, crash)
    with pytest.raises(RuntimeError, match="power cut"):
        executor.execute(ledger, a, clock=clock, policy=policy)
    assert _count(ledger, model) == 0
    assert _status(ledger, a).status == "approved"
    monkeypatch.setitem(EXECUTORS, kind, real)
    assert executor.execute(ledger, a, clock=clock, policy=policy).ok
    assert executor.execute(ledger, a, clock=clock, policy=policy).already
    assert _count(ledger, model) == 1


def test_execute_pending_or_rejected_is_a_conflict(ledger, clock, policy):
    with ledger.transaction() as s:
        a = queue.propose(s, email(), clock=clock, policy=policy).approval.id
    with pytest.raises(ConflictError, match="is pending; approve it first"):
        executor.execute(ledger, a, clock=clock, policy=policy)
    queue.reject(ledger, a, user="ann", clock=clock, reason="no")
    with pytest.raises(ConflictError, match="is rejected"):
        executor.execute(ledger, a, clock=clock, policy=policy)


def test_approve_and_execute_double_click_executes_once(ledger, clock, policy):
    with ledger.transaction() as s:
        a = queue.propose(s, email(), clock=clock, policy=policy).approval.id
    first = executor.approve_and_execute(ledger, a, user="ann", clock=clock, policy=policy)
    second = executor.approve_and_execute(ledger, a, user="ann", clock=clock, policy=policy)
    assert first.ok and not first.already
    assert second.ok and second.already
    assert _count(ledger, Communication) == 1


def test_approve_and_execute_waits_for_the_second_approver(ledger, clock, policy):
    _bank(ledger, amount="60000.00")
    with ledger.transaction() as s:
        s.scalars(select(Invoice).where(Invoice.number == "INV-1042")).one().balance = Decimal(
            "60000.00"
        )
    with ledger.transaction() as s:
        a = queue.propose(
            s,
            action("apply_payment", transaction="T-1", invoice="INV-1042", amount="60000.00"),
            clock=clock,
            policy=policy,
        ).approval.id
    first = executor.approve_and_execute(ledger, a, user="ann", clock=clock, policy=policy)
    assert first.status == "pending" and _count(ledger, Payment) == 0
    second = executor.approve_and_execute(ledger, a, user="bob", clock=clock, policy=policy)
    assert second.ok and _count(ledger, Payment) == 1


class _Allow:
    allowed, reasons, checks, wait_until = True, [], [], None


@pytest.fixture
def policy_allows_all(monkeypatch):
    """Stub the policy re-check so the executors' own ledger checks are what refuses."""
    monkeypatch.setattr("approvals.guard.check", lambda *a, **k: _Allow())


def test_executors_refuse_by_themselves_when_the_ledger_forbids_it(
    ledger, clock, policy, policy_allows_all
):
    _bank(ledger, amount="500.00")
    with ledger.transaction() as s:
        inv = s.scalars(select(Invoice).where(Invoice.number == "INV-1077")).one()
        inv.balance = Decimal("0")
        s.add(
            Dispute(
                customer_id="C-001", invoice_id=inv.id, reason="pricing", opened=date(2026, 11, 2)
            )
        )
        s.scalars(select(Contact)).one().opt_out = True
    cases = {
        "apply more than the transaction brought in": (
            action("apply_payment", transaction="T-1", invoice="INV-1042", amount="600.00"),
            "only 500.00 USD unapplied",
        ),
        "apply to a paid invoice": (
            action("apply_payment", transaction="T-1", invoice="INV-1077", amount="100.00"),
            "INV-1077 has 0.00 open",
        ),
        "a debit is no payment": (
            action("apply_payment", transaction="NOPE", invoice="INV-1042", amount="1.00"),
            "bank transaction NOPE does not exist",
        ),
        "a second open dispute": (
            action("open_dispute", invoice="INV-1077", reason="quantity"),
            "already has an open dispute",
        ),
        "a promise on a paid invoice": (
            action("record_promise", invoices=["INV-1077"], date="2026-11-27"),
            "INV-1077 has been paid",
        ),
        "an invoice of someone else": (
            action("hold_dunning", invoices=["INV-404"], reason="x"),
            "INV-404 does not exist",
        ),
        "email to an opted-out contact": (email(), "opted out"),
    }
    for name, (proposed, expected) in cases.items():
        a = approved(ledger, proposed, clock, policy)
        out = executor.execute(ledger, a, clock=clock, policy=policy)
        assert out.status == "failed" and expected in out.error, (name, out.error)
    assert _count(ledger, Payment) == 0 and _count(ledger, Promise) == 0
    assert _count(ledger, DunningHold) == 0 and _count(ledger, Communication) == 0
    assert _count(ledger, Dispute) == 1


def test_a_refusal_after_a_partial_write_keeps_nothing_but_the_failure(
    ledger, clock, policy, monkeypatch
):
    from approvals.executors import Refused

    real = EXECUTORS["record_promise"]

    def half(ctx):
        real(ctx)
        raise Refused("changed my mind halfway")

    monkeypatch.setitem(EXECUTORS, "record_promise", half)
    a = approved(
        ledger, action("record_promise", invoices=["INV-1042"], date="2026-11-27"), clock, policy
    )
    out = executor.execute(ledger, a, clock=clock, policy=policy)
    assert out.status == "failed" and out.error == "changed my mind halfway"
    assert _count(ledger, Promise) == 0
    row = _status(ledger, a)
    assert row.status == "failed" and row.executed_at is None


def test_follow_up_answers_the_customers_latest_reply_in_the_thread(ledger, clock, policy):
    first = approved(ledger, email(), clock, policy)
    executor.execute(ledger, first, clock=clock, policy=policy)
    with ledger.transaction() as s:
        ours = s.scalars(select(Communication)).one()
        ours.status, ours.sent_at = "sent", clock.now()
        s.add(
            Communication(
                customer_id="C-001",
                direction="in",
                status="processed",
                message_id="<reply-1@globex.example>",
                in_reply_to=ours.message_id,
                references=ours.message_id,
                thread_token=ours.thread_token,
                subject="RE: Invoice INV-1042 is overdue",
            )
        )
    clock.advance(days=7)
    second = approved(
        ledger, email(payload={"subject": "RE: Invoice INV-1042 is overdue"}), clock, policy
    )
    executor.execute(ledger, second, clock=clock, policy=policy)
    with ledger.session() as s:
        a, _reply, b = s.scalars(select(Communication).order_by(Communication.id)).all()
    assert b.thread_token == a.thread_token
    assert b.in_reply_to == "<reply-1@globex.example>"
    assert b.references == f"{a.message_id} <reply-1@globex.example>"
