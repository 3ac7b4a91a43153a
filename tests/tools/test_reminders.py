from datetime import date
from decimal import Decimal

from ledger.models import Dispute
from tests.support import factories as f
from tools.reminders import draft_reminders


def test_one_email_per_customer_in_the_most_advanced_stage(ctx, globex):
    result = draft_reminders(ctx, customer="Globex")
    assert len(result.proposals) == 1
    p = result.proposals[0].payload
    assert p["invoices"] == ["INV-1042", "INV-1077"]
    assert p["stage"] == "final"  # INV-1042 is 53 days late
    assert p["to"] == ["dana@globex.example"]
    for must in ("INV-1042", "12,400.00 USD", "2026-10-01", "https://", "dispute"):
        assert must in p["body"]


def test_customer_language_template(ctx, session):
    c = f.customer(session, "C-3", "Müller GmbH", language="de")
    f.invoice(session, c, "RE-1", amount="4200.00", due=date(2026, 11, 16), currency="EUR")
    p = draft_reminders(ctx, customer="C-3").proposals[0].payload
    assert p["language"] == "de" and "überfällig" in p["body"] and "4,200.00 EUR" in p["body"]
    assert "Rechtsanwalt" not in p["body"]


def test_disputed_invoice_is_skipped(ctx, session, globex):
    inv = next(i for i in globex.invoices if i.number == "INV-1042")
    session.add(
        Dispute(customer_id="C-001", invoice_id=inv.id, reason="pricing", opened=date(2026, 11, 1))
    )
    session.flush()
    result = draft_reminders(ctx, customer="C-001")
    assert result.proposals[0].payload["invoices"] == ["INV-1077"]
    assert result.skipped == {"INV-1042": "open dispute"}


def test_sixty_days_late_is_escalated_not_emailed(ctx, session):
    c = f.customer(session, "C-7", "Old Debt Inc")
    f.invoice(session, c, "INV-7", amount="500.00", due=date(2026, 8, 1))
    result = draft_reminders(ctx, min_days_overdue=30)
    assert [p.type for p in result.proposals] == ["escalate"]


def test_min_days_filter(ctx, globex):
    result = draft_reminders(ctx, min_days_overdue=30)
    assert result.proposals[0].payload["invoices"] == ["INV-1042"]
    assert Decimal(result.drafts[0].total) == Decimal("12400.00")
