"""The graph proposes; nothing is sent and no ledger row changes until a human decides."""

from __future__ import annotations

from sqlalchemy import func, select

from ledger import models as m
from tests.agent.scripted import tool_call

LEDGER_TABLES = [
    m.Promise,
    m.Dispute,
    m.DunningHold,
    m.PaymentPlan,
    m.Payment,
    m.Allocation,
    m.Contact,
]


def _snapshot(db) -> dict:  # noqa: ANN001
    with db.transaction() as s:
        counts = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in LEDGER_TABLES
        }
        balances = dict(s.execute(select(m.Invoice.number, m.Invoice.balance)).all())
        outbound = s.scalar(
            select(func.count())
            .select_from(m.Communication)
            .where(m.Communication.direction == "out")
        )
        contacts = sorted(s.execute(select(m.Contact.email, m.Contact.opt_out)).all())
    return {"counts": counts, "balances": balances, "outbound": outbound, "contacts": contacts}


def test_proposals_only_fill_the_queue(scripted_service, ledger):
    before = _snapshot(ledger)
    service, _ = scripted_service(
        [
            [
                tool_call("draft_reminders", customer="C-001"),
                tool_call("record_promise", customer="C-002", date="2026-11-30"),
                tool_call(
                    "open_dispute", customer="C-001", invoices=["INV-1077"], reason="pricing"
                ),
                tool_call("hold_dunning", customer="C-002", reason="test", until="2026-12-01"),
                tool_call(
                    "update_contact", customer="C-001", email="new@globex.example", opt_out=True
                ),
                tool_call("propose_payment_plan", customer="C-002", installments=2),
            ],
            "All queued for approval.",
        ]
    )
    reply = service.chat("do everything", conversation_id="t", user="U1")
    assert {p["type"] for p in reply.proposals} == {
        "send_email",
        "record_promise",
        "open_dispute",
        "hold_dunning",
        "update_contact",
        "create_payment_plan",
    }
    assert _snapshot(ledger) == before
    with ledger.transaction() as s:
        statuses = set(s.scalars(select(m.Approval.status)))
    assert statuses == {"pending"}
