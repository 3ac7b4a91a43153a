"""Fixtures for the queue tests: a small ledger and the policy engine.

Until ``policies.check`` exists, a tiny local fake stands in for it (threat words,
send window, four-eyes over 50,000.00, nobody approves their own request).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from approvals import guard
from ledger.models import Customer
from policies.actions import ProposedAction
from tests.support import factories as f


def _real_engine() -> bool:
    if os.environ.get("AR_AGENT_TEST_FAKE_POLICY") == "1":
        return False
    try:
        importlib.import_module("policies.check")
        importlib.import_module("policies.config")
    except ImportError:
        return False
    return True


REAL_ENGINE = _real_engine()


@dataclass
class FakeCheck:
    rule: str
    passed: bool
    detail: str = ""


@dataclass
class FakeVerdict:
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    checks: list[FakeCheck] = field(default_factory=list)
    wait_until: datetime | None = None


class FakePolicy:
    threats = ("lawsuit", "legal action", "collection agency")


def _window(session: Any, action: ProposedAction, now: datetime) -> datetime | None:
    cust = session.get(Customer, action.payload["customer"])
    local = now.astimezone(ZoneInfo(cust.timezone if cust else "UTC"))
    day = local
    for _ in range(8):
        if day.weekday() < 5:
            start = day.replace(hour=8, minute=0, second=0, microsecond=0)
            end = day.replace(hour=18, minute=0, second=0, microsecond=0)
            if day.date() == local.date() and start <= local < end:
                return None
            if local < start:
                return start
        day = datetime.combine(day.date() + timedelta(days=1), time(0), day.tzinfo)
    return None


def fake_check(action, session, clock, *, policy=None, approver=None):
    checks, reasons = [], []
    text = " ".join(str(v) for v in action.payload.values()).lower()
    bad = [w for w in FakePolicy.threats if w in text]
    checks.append(FakeCheck("wording", not bad, f"threat: {bad}" if bad else ""))
    if bad:
        reasons.append(f"the draft uses forbidden wording: {', '.join(bad)}")
    wait = _window(session, action, clock.now()) if action.type == "send_email" else None
    return FakeVerdict(not reasons, reasons, checks, wait)


def fake_required(action, policy, ledger=None):
    big = action.type == "apply_payment" and Decimal(action.payload["amount"]) > 50000
    raises = action.type == "change_credit" and "credit_limit" in action.payload
    return 2 if big or raises else 1


def fake_check_approver(requested_by, approver, previous, action, policy):
    if approver == requested_by:
        return FakeCheck("four_eyes", False, f"{approver} cannot approve their own request")
    if approver in previous:
        return FakeCheck("four_eyes", False, f"{approver} already approved")
    return FakeCheck("four_eyes", True)


@pytest.fixture
def policy(monkeypatch: pytest.MonkeyPatch) -> Any:
    if REAL_ENGINE:
        return guard.load_policy()
    import approvals.guard as g

    monkeypatch.setattr(g, "check", fake_check)
    monkeypatch.setattr(g, "approvals_required", fake_required)
    monkeypatch.setattr(g, "check_approver", fake_check_approver)
    return FakePolicy()


@pytest.fixture
def ledger(any_db):
    db = any_db
    """Globex (Chicago) with two overdue invoices."""
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
