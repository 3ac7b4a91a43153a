"""Worklist ordering and scores on a small hand-checked ledger; payment-behaviour trend."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from dunning.behaviour import behaviour_from_rows, payment_behaviour
from dunning.worklist import build_worklist
from ledger.models import Invoice
from tests.dunning import _ledger as L


def paid_invoice(s, cust, number, issued: date, paid: date, amount: str = "1000.00"):
    inv = Invoice(
        number=number,
        customer_id=cust.id,
        issue_date=issued,
        due_date=date.fromordinal(issued.toordinal() + 30),
        amount=Decimal(amount),
        balance=Decimal(amount),
    )
    s.add(inv)
    s.flush()
    L.pay(s, inv, amount, paid)
    return inv


@pytest.fixture
def ledger(db):
    with db.transaction() as s:
        a = L.customer(s, "C-A", "Acme")
        inv = L.invoice(s, a, "A-1", 60, amount="30000.00")
        L.invoice(s, a, "A-2", 30, amount="20000.00")
        L.promise(s, [inv], date(2026, 10, 1), made=date(2026, 9, 25))  # open, lapsed: broken
        L.promise(s, [inv], date(2026, 10, 20), made=date(2026, 10, 10), status="broken")
        b = L.customer(s, "C-B", "Bolt")
        L.invoice(s, b, "B-1", 5, amount="500.00")
        c = L.customer(s, "C-C", "Cobalt")
        L.invoice(s, c, "C-1", 10, amount="10000.00")
        L.dispute(s, L.invoice(s, c, "C-2", -5, amount="100.00"))
        # baseline (90-365 days ago): paid in 30 days; recent (last 90): in 45 days
        paid_invoice(s, c, "C-OLD1", date(2026, 3, 1), date(2026, 3, 31))
        paid_invoice(s, c, "C-OLD2", date(2026, 4, 1), date(2026, 5, 1))
        paid_invoice(s, c, "C-NEW1", date(2026, 9, 1), date(2026, 10, 16))
        paid_invoice(s, c, "C-NEW2", date(2026, 9, 10), date(2026, 10, 25))
        L.invoice(s, L.customer(s, "C-D", "Dune"), "D-1", -10)  # nothing overdue
    return db


def test_worklist_orders_by_score_and_explains(ledger, clock):
    with ledger.session() as s:
        entries = build_worklist(s, clock=clock)
    assert [e.customer for e in entries] == ["C-A", "C-C", "C-B"]
    a, c, b = entries
    assert a.overdue == Decimal("50000.00") and a.broken_promises == 2
    # avg days overdue = (60*30000 + 30*20000) / 50000 = 48.0
    assert a.avg_days_overdue == Decimal("48.0") and a.oldest_days == 60
    assert "2 broken promises" in a.reasons
    assert c.flagged and c.disputes_12m == 1 and c.open_disputes == 1
    assert "days-to-pay up 50% (30.0 → 45.0 days)" in c.reasons
    # B: 40 * log10(501)/6 = 17.999 (amount) + 25 * 5/90 = 1.389 (days) = 19.4
    assert b.score == pytest.approx(19.4)
    assert b.reasons == ["500.00 USD overdue", "5.0 days overdue on average (oldest 5)"]


def test_worklist_limit(ledger, clock):
    with ledger.session() as s:
        assert [e.customer for e in build_worklist(s, clock=clock, limit=1)] == ["C-A"]


def test_behaviour_trend_flags_rise_over_15_percent(ledger, clock):
    with ledger.session() as s:
        behaviour = payment_behaviour(s, today=date(2026, 11, 23))
    c = behaviour["C-C"]
    assert (c.baseline_days_to_pay, c.recent_days_to_pay) == (Decimal("30.0"), Decimal("45.0"))
    assert c.trend == Decimal("0.500") and c.flagged
    # days late: 0 days on the two old invoices, 15 on the two new ones, equal amounts
    assert c.days_late == Decimal("7.5")


def test_behaviour_is_amount_weighted_and_needs_two_payments_per_window():
    rows = [
        ("X", date(2026, 11, 1), date(2026, 10, 12), date(2026, 11, 11), Decimal("3000")),
        ("X", date(2026, 11, 2), date(2026, 9, 3), date(2026, 10, 3), Decimal("1000")),
        ("X", date(2026, 5, 1), date(2026, 4, 1), date(2026, 5, 1), Decimal("1000")),
    ]
    x = behaviour_from_rows(rows, recent_from=date(2026, 8, 25))["X"]
    # recent: (3000*20 + 1000*60) / 4000 = 30.0; all: (60000 + 60000 + 30000) / 5000 = 30.0
    assert x.recent_days_to_pay == Decimal("30.0") and x.days_to_pay == Decimal("30.0")
    assert x.baseline_days_to_pay is None and x.trend is None and not x.flagged


def test_a_rise_of_exactly_15_percent_is_not_flagged():
    rows = [
        ("Y", date(2026, 3, 31), date(2026, 3, 1), date(2026, 3, 31), Decimal(1)),
        ("Y", date(2026, 4, 30), date(2026, 3, 31), date(2026, 4, 30), Decimal(1)),
        ("Y", date(2026, 10, 1), date(2026, 8, 27), date(2026, 9, 26), Decimal(1)),
        ("Y", date(2026, 10, 2), date(2026, 8, 28), date(2026, 9, 27), Decimal(1)),
    ]
    y = behaviour_from_rows(rows, recent_from=date(2026, 8, 25))["Y"]
    assert (y.baseline_days_to_pay, y.recent_days_to_pay) == (Decimal("30.0"), Decimal("35.0"))
    assert y.trend == Decimal("0.167") and y.flagged  # 16.7% > 15%
    rows[2:] = [
        ("Y", date(2026, 10, 1), date(2026, 8, 27), date(2026, 9, 26), Decimal(1)),
        ("Y", date(2026, 10, 1), date(2026, 8, 28), date(2026, 9, 27), Decimal(1)),
    ]
    y = behaviour_from_rows(rows, recent_from=date(2026, 8, 25))["Y"]
    # (35 + 34) / 2 = 34.5 days; (34.5 - 30) / 30 = 0.15 exactly: not more than 15%
    assert y.recent_days_to_pay == Decimal("34.5") and y.trend == Decimal("0.150")
    assert not y.flagged


def test_worklist_cli_json(ledger, clock, monkeypatch, capsys):
    from cli.main import main
    from core.settings import get_settings

    monkeypatch.setenv("AR_AGENT_DATABASE_URL", ledger.url)
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    get_settings.cache_clear()
    try:
        assert main(["worklist", "--json", "--limit", "2"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert [e["customer"] for e in out] == ["C-A", "C-C"]
        assert out[1]["flagged"] is True and out[0]["overdue"] == "50000.00"
        assert main(["worklist"]) == 0
        text = capsys.readouterr().out
        first = text.splitlines()[1].split()
        assert first[0] == "1" and first[2] == "Acme" and "2 broken promises" in text
        with pytest.raises(SystemExit):
            main(["worklist", "--limit", "0"])
        assert "not a positive whole number" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_worklist_links_open_escalations(ledger, db, clock):
    from approvals.queue import propose
    from policies.actions import ProposedAction

    with db.transaction() as s:
        propose(
            s,
            ProposedAction(type="escalate", payload={"customer": "C-A", "reason": "call the CFO"}),
            clock=clock,
        )
    with db.session() as s:
        entries = {e.customer: e.as_dict() for e in build_worklist(s, clock=clock)}
    assert entries["C-A"]["open_escalations"] == 1
    assert entries["C-A"]["escalations_page"] == "/escalations?customer=C-A"
    assert entries["C-B"]["escalations_page"] is None
