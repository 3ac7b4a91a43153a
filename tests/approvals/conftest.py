"""Fixtures for the queue tests: a small ledger, the real policy, proposal helpers."""

from __future__ import annotations

from typing import Any

import pytest

from approvals import guard
from policies.actions import ProposedAction
from tests.support import factories as f


@pytest.fixture
def policy() -> Any:
    """The default collections policy (policies/default.yaml), loaded by the real engine."""
    return guard.load_policy()


@pytest.fixture
def ledger(any_db):
    """Globex (Chicago) with two overdue invoices, on SQLite and on PostgreSQL."""
    db = any_db
    with db.transaction() as s:
        c = f.customer(
            s, "C-001", "Globex", email="dana@globex.example", timezone="America/Chicago"
        )
        f.invoice(s, c, "INV-1042", amount="12400.00")
        f.invoice(s, c, "INV-1077", amount="800.00")
    return db


def email(**over: Any) -> ProposedAction:
    payload = {
        "customer": "C-001",
        "to": ["dana@globex.example"],
        "subject": "Invoice INV-1042 is overdue",
        "body": "Hi Dana, INV-1042 (12,400.00 USD) was due on 2026-10-01. "
        "Please pay at https://pay.example.com/C-001. If anything is incorrect, "
        "reply to dispute it.",
        "invoices": ["INV-1042"],
        "stage": "first",
    }
    payload.update(over.pop("payload", {}))
    return ProposedAction(
        type="send_email",
        payload=payload,
        requested_by=over.pop("requested_by", "agent"),
        conversation_id=over.pop("conversation_id", "conv-1"),
        **over,
    )


def approved(db, action: ProposedAction, clock, policy, *, users=("ann",)) -> int:
    """Queue ``action`` and approve it; return the approval id."""
    from approvals import queue

    with db.transaction() as s:
        res = queue.propose(s, action, clock=clock, policy=policy)
    assert res.approval is not None, res.verdict
    for user in users:
        queue.approve(db, res.approval.id, user=user, clock=clock, policy=policy)
    return res.approval.id


def action(type_: str, **payload: Any) -> ProposedAction:
    return ProposedAction(
        type=type_,
        payload={"customer": "C-001", **payload},
        requested_by="agent",
        conversation_id="conv-1",
    )
