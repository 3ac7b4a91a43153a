"""``check(..., prefetched=prefetch(session, batch, ...))`` gives the verdict ``check``
gives on its own, whatever the batch holds: disputes, promises, holds, plans, capped
customers, unknown customers and invoices, other action types."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ledger.models import (
    Communication,
    Dispute,
    DunningHold,
    Installment,
    PaymentPlan,
    Promise,
)
from policies.actions import ProposedAction
from policies.check import check, prefetch
from tests.policies.helpers import email
from tests.support import factories

CHICAGO = ZoneInfo("America/Chicago")


def _ledger(session, globex):
    invs = {
        n: factories.invoice(session, globex, n, amount="500.00", due=date(2026, 10, 1))
        for n in ("INV-2001", "INV-2002", "INV-2003", "INV-2004", "INV-2005")
    }
    factories.invoice(session, globex, "INV-2006", amount="90.00", balance="0")
    initech = factories.customer(session, "C-002", "Initech", email="bill@initech.example")
    factories.invoice(session, initech, "INV-3001", amount="700.00")
    broke = factories.customer(session, "C-003", "Broke Ltd", email="x@broke.example")
    broke.insolvent = True
    factories.invoice(session, broke, "INV-4001", amount="300.00")
    for reason in ("quantity", "pricing"):  # two open disputes on one invoice, one closed
        session.add(
            Dispute(
                customer_id="C-001",
                invoice_id=invs["INV-2001"].id,
                reason=reason,
                opened=date(2026, 11, 2),
            )
        )
    session.add(
        Dispute(
            customer_id="C-001",
            invoice_id=invs["INV-2002"].id,
            reason="old",
            opened=date(2026, 9, 2),
            status="resolved",
        )
    )
    promise = Promise(customer_id="C-001", date=date(2026, 11, 25), status="open")
    promise.invoices.append(invs["INV-2002"])
    session.add(promise)
    session.add_all(
        [
            DunningHold(
                customer_id="C-001",
                invoice_id=invs["INV-2003"].id,
                until=date(2026, 12, 1),
                reason="claims paid",
            ),
            DunningHold(
                customer_id="C-001",
                invoice_id=invs["INV-2005"].id,
                until=date(2026, 11, 1),
                reason="lifted already",
            ),
            DunningHold(customer_id="C-002", invoice_id=None, until=None, reason="lawyer"),
        ]
    )
    plan = PaymentPlan(customer_id="C-001", status="active")
    plan.invoices.append(invs["INV-2004"])
    plan.installments.append(
        Installment(seq=1, due_date=date(2026, 12, 1), amount=invs["INV-2004"].balance)
    )
    session.add(plan)
    for day, status, reply in ((20, "sent", None), (10, "sent", None), (21, "sent", "<m@x>")):
        at = datetime.combine(date(2026, 11, day), time(10), tzinfo=CHICAGO)
        session.add(
            Communication(
                customer_id="C-002",
                direction="out",
                status=status,
                sent_at=at,
                created_at=at,
                in_reply_to=reply,
                to_addrs=["bill@initech.example"],
                subject="reminder",
            )
        )
    session.flush()


def _actions() -> list[ProposedAction]:
    out = [email()]
    for numbers in (
        ["INV-2001"],
        ["INV-2002", "INV-2001"],
        ["INV-2003"],
        ["INV-2004"],
        ["INV-2005"],
        ["INV-2006"],
        ["INV-9999"],
        ["INV-3001"],
        [],
        ["INV-1042", "INV-2005"],
    ):
        out.append(email(invoices=numbers))
        out.append(email(invoices=numbers, stage="installment"))
        out.append(email(invoices=numbers, in_reply_to="<m@globex.example>", stage=None))
    out += [
        email(customer="C-002", to=["bill@initech.example"], invoices=["INV-3001"]),
        email(customer="C-003", to=["x@broke.example"], invoices=["INV-4001"]),
        email(customer="C-404", invoices=["INV-1042"]),
        ProposedAction(type="escalate", payload={"customer": "C-002", "reason": "call"}),
        ProposedAction(
            type="open_dispute", payload={"customer": "C-001", "invoice": "INV-2001", "reason": "x"}
        ),
        ProposedAction(
            type="record_promise",
            payload={
                "customer": "C-001",
                "invoices": ["INV-2002"],
                "date": "2026-11-30",
                "amount": "500.00",
            },
        ),
        ProposedAction(
            type="hold_dunning",
            payload={
                "customer": "C-001",
                "invoices": ["INV-2003"],
                "until": "2026-12-10",
                "reason": "ooo",
            },
        ),
    ]
    return [a.normalised() for a in out]


def test_a_prefetched_check_gives_the_plain_verdict(session, globex, inv, clock, policy):
    _ledger(session, globex)
    actions = _actions()
    rows = prefetch(session, actions, clock=clock, policy=policy)
    assert rows.disputes and rows.holds["C-002"] and rows.sent["C-002"]
    for action in actions:
        plain = check(action, session, clock, policy=policy)
        batched = check(action, session, clock, policy=policy, prefetched=rows)
        assert batched == plain, action.payload
    assert any(not check(a, session, clock, policy=policy).allowed for a in actions)


def test_a_prefetch_of_other_actions_falls_back_to_queries(session, globex, inv, clock, policy):
    _ledger(session, globex)
    rows = prefetch(session, [email(invoices=["INV-2005"])], clock=clock, policy=policy)
    for action in _actions():
        plain = check(action, session, clock, policy=policy)
        assert check(action, session, clock, policy=policy, prefetched=rows) == plain


def test_a_prefetched_email_check_reads_nothing_more(session, globex, inv, clock, policy):
    from sqlalchemy import event

    _ledger(session, globex)
    actions = [email(), email(customer="C-002", to=["bill@initech.example"], invoices=["INV-3001"])]
    actions = [a.normalised() for a in actions]
    rows = prefetch(session, actions, clock=clock, policy=policy)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for action in actions:
            check(action, session, clock, policy=policy, prefetched=rows)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements == []
