"""Analytics figures against values computed by hand on a five-invoice ledger.

The ledger (one customer, USD), today = 2026-11-23:

| invoice | issued | due   | amount | payments             | balance now |
|---------|--------|-------|--------|----------------------|-------------|
| INV-1   | 08-15  | 09-14 | 1000   | 1000 on 10-10        | 0           |
| INV-2   | 09-10  | 10-10 | 2000   | 500 on 10-20         | 1500        |
| INV-3   | 10-05  | 11-04 | 3000   | -                    | 3000        |
| INV-4   | 10-20  | 11-19 | 1000   | 1000 on 11-10        | 0           |
| INV-5   | 11-02  | 12-02 | 4000   | -                    | 4000        |
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dunning.analytics import (
    aging,
    approval_edit_rate,
    backtest_forecast,
    forecast_cash_in,
    kpis,
    monthly_series,
    promise_kept_rate,
    reminder_effectiveness,
)
from ledger.models import Approval, Invoice
from tests.dunning import _ledger as L

D = Decimal


def inv(s, cust, number, issued, due, amount, payments=()):
    i = Invoice(
        number=number,
        customer_id=cust.id,
        issue_date=issued,
        due_date=due,
        amount=D(amount),
        balance=D(amount),
    )
    s.add(i)
    s.flush()
    for n, (paid, value) in enumerate(payments):
        L.pay(s, i, value, paid, pid=f"P-{number}-{n}")
    return i


@pytest.fixture
def book(db):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        i1 = inv(
            s,
            c,
            "INV-1",
            date(2026, 8, 15),
            date(2026, 9, 14),
            "1000",
            [(date(2026, 10, 10), "1000")],
        )
        i2 = inv(
            s,
            c,
            "INV-2",
            date(2026, 9, 10),
            date(2026, 10, 10),
            "2000",
            [(date(2026, 10, 20), "500")],
        )
        i3 = inv(s, c, "INV-3", date(2026, 10, 5), date(2026, 11, 4), "3000")
        i4 = inv(
            s,
            c,
            "INV-4",
            date(2026, 10, 20),
            date(2026, 11, 19),
            "1000",
            [(date(2026, 11, 10), "1000")],
        )
        i5 = inv(s, c, "INV-5", date(2026, 11, 2), date(2026, 12, 2), "4000")
        L.promise(s, [i1], date(2026, 9, 20), made=date(2026, 9, 15), status="kept")
        L.promise(s, [i1], date(2026, 9, 25), made=date(2026, 9, 15), status="broken")
        L.promise(s, [i4], date(2026, 11, 12), made=date(2026, 11, 1))  # paid 11-10: kept
        L.promise(s, [i3], date(2026, 11, 15), made=date(2026, 11, 1))  # nothing paid: broken
        L.promise(s, [i5], date(2026, 11, 25), made=date(2026, 11, 20))  # pending
        L.promise(s, [i5], date(2026, 11, 1), made=date(2026, 10, 20), status="cancelled")
        L.sent_email(s, c, date(2026, 10, 14), stage="first", invoices=[i2])
        L.sent_email(s, c, date(2026, 10, 25), stage="second", invoices=[i2])
        late = L.sent_email(s, c, date(2026, 11, 1), stage="courtesy", invoices=[i4])
        late.meta = {"tone": "friendly-b"}
        L.sent_email(s, c, date(2026, 11, 5), stage="courtesy", invoices=[i4])
        for n, (status, edits) in enumerate(
            [
                ("executed", {"before": {}, "after": {}}),
                ("executed", None),
                ("approved", {"x": 1}),
                ("rejected", None),
                ("pending", None),
            ]
        ):
            s.add(
                Approval(
                    type="send_email",
                    payload={"customer": "C-1"},
                    status=status,
                    requested_by="dunning",
                    idempotency_key=f"k{n}",
                    edits=edits,
                    decided_at=None if status == "pending" else datetime(2026, 11, 20, tzinfo=UTC),
                )
            )
    return db


def test_october_kpis(book):
    with book.session() as s:
        k = kpis(s, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert k.credit_sales == D("4000")  # INV-3 3000 + INV-4 1000 issued in October
    assert k.ar_start == D("3000")  # at 09-30: INV-1 1000 + INV-2 2000
    assert k.ar_end == D("5500")  # at 10-31: INV-2 1500 + INV-3 3000 + INV-4 1000
    assert k.current_end == D("4000")  # INV-3 and INV-4 not yet due on 10-31
    assert k.dso_simple == D("42.6")  # 5500 / 4000 * 31 = 42.625
    assert k.best_possible_dso == D("31.0")  # 4000 / 4000 * 31
    assert k.avg_days_delinquent == D("11.6")  # 42.625 - 31 = 11.625
    assert k.cei == D("50.0")  # (3000 + 4000 - 5500) / (3000 + 4000 - 4000) = 1500 / 3000
    # countback: October's 4000 of sales = 31 days, 1500 left of September's 2000 = 22.5 days
    assert k.dso_countback == D("53.5")


def test_aging_today_and_at_a_past_month_end(book):
    with book.session() as s:
        now = aging(s, day=date(2026, 11, 23))
        then = aging(s, day=date(2026, 10, 31))
    # INV-5 not due; INV-3 19 days late; INV-2 44 days late
    assert now == {
        "current": D("4000"),
        "1-30": D("3000"),
        "31-60": D("1500"),
        "61-90": D(0),
        "91+": D(0),
    }
    # on 10-31: INV-3 and INV-4 not due, INV-2 (1500 after the 10-20 payment) 21 days late
    assert then == {
        "current": D("4000"),
        "1-30": D("1500"),
        "31-60": D(0),
        "61-90": D(0),
        "91+": D(0),
    }


def test_promise_kept_rate(book, clock):
    with book.session() as s:
        stats = promise_kept_rate(s, clock=clock)
    # kept: the "kept" one and INV-4's (paid before its date); broken: the "broken" one and
    # INV-3's (deadline 11-18 passed unpaid); pending: INV-5's (deadline 11-28); cancelled out
    assert (stats.kept, stats.broken, stats.pending) == (2, 2, 1)
    assert stats.rate == D("50.0")


def test_reminder_effectiveness_by_stage_and_tone(book):
    with book.session() as s:
        rows = reminder_effectiveness(s)
    got = {(r.stage, r.tone): (r.sent, r.paid_within, r.rate) for r in rows}
    assert got == {
        ("courtesy", "friendly-b"): (1, 0, D("0.0")),  # 11-01 -> paid 11-10: 9 days, too late
        ("courtesy", "friendly heads-up"): (1, 1, D("100.0")),  # 11-05 -> 11-10: 5 days
        ("first", "clear, asks for a date"): (1, 1, D("100.0")),  # 10-14 -> 10-20: 6 days
        ("second", "firm, asks for a date or a reason"): (1, 0, D("0.0")),  # no pay after 10-25
    }
    assert [r.stage for r in rows] == ["courtesy", "courtesy", "first", "second"]


def test_approval_edit_rate(book):
    with book.session() as s:
        stats = approval_edit_rate(s)
    assert (stats.decided, stats.edited, stats.rejected) == (4, 2, 1)  # pending is undecided
    assert stats.edit_rate == D("50.0") and stats.rejection_rate == D("25.0")


def test_forecast_next_four_weeks(book, clock):
    with book.session() as s:
        f = forecast_cash_in(s, clock=clock, weeks=4)
    # days late, amount-weighted: INV-1 26 x 1000, INV-2 10 x 500, INV-4 -9 x 1000
    #   = 22000 / 2500 = 8.8 -> 9 days; promise-kept rate (deadlines before today) = 2/4
    # week 1 (11-23..11-29): INV-5 promised 4000 on 11-25 x 0.5 = 2000
    #                        INV-3 due 11-04 + 9 = 11-13, past -> today, 19 days late x 1.0 = 3000
    #                        INV-2 due 10-10 + 9 = 10-19, past -> today, 44 days late x 0.75 = 1125
    # week 3 (12-07..12-13): INV-5 unpromised rest 2000, due 12-02 + 9 = 12-11
    assert f.promise_kept_rate == D("0.5")
    assert [w.start for w in f.weeks] == [
        date(2026, 11, 23),
        date(2026, 11, 30),
        date(2026, 12, 7),
        date(2026, 12, 14),
    ]
    assert [w.expected for w in f.weeks] == [D("6125.00"), D(0), D("2000.00"), D(0)]
    assert f.weeks[0].from_promises == D("2000.00")
    assert f.total == D("8125.00")


def test_backtest_reports_error_against_actual_cash(book, clock):
    with book.session() as s:
        bt = backtest_forecast(s, clock=clock, weeks=2, cutoffs=[date(2026, 10, 5)])
    # at 10-05 open (end of 10-04): INV-1 1000 (due 09-14, 21 days late), INV-2 2000 (not due)
    # no payment history before 10-05 -> 0 days late; no decided promise -> rate 1
    # forecast week 1 (10-05..10-11): INV-1 1000 (past due -> today); INV-2 due 10-10: 2000
    # actual week 1: INV-1 paid 1000 on 10-10; week 2 (10-12..10-18): nothing (INV-2 paid 10-20)
    (point,) = bt.points
    assert point.forecast == [D("3000.00"), D("0.00")]
    assert point.actual == [D("1000.00"), D("0.00")]
    assert bt.wape() == D("200.0")  # |3000 - 1000| / 1000
    assert bt.mape == D("200.0")
    assert bt.wape(weekly=True) == D("200.0")


def test_default_backtest_cutoffs_lie_in_the_past(book, clock):
    with book.session() as s:
        bt = backtest_forecast(s, clock=clock, weeks=4, count=3)
    assert [p.cutoff for p in bt.points] == [
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
    ]
    assert all(len(p.forecast) == len(p.actual) == 4 for p in bt.points)


def test_monthly_series_runs_to_today(book, clock):
    with book.session() as s:
        rows = monthly_series(s, clock=clock, months=3)
    assert [r.month for r in rows] == ["2026-09", "2026-10", "2026-11"]
    october = rows[1]
    assert october.kpis.dso_simple == D("42.6") and october.kpis.cei == D("50.0")
    assert october.reminders_sent == 2 and october.reminders_paid_within_7_days == 1
    assert rows[2].kpis.end == date(2026, 11, 23)
    assert rows[2].edits.decided == 4


def test_text_tables(book, clock):
    from dunning.report import aging_table, forecast_table, monthly_table

    with book.session() as s:
        rows = monthly_series(s, clock=clock, months=2)
        forecast = forecast_cash_in(s, clock=clock)
        bt = backtest_forecast(s, clock=clock, weeks=2, cutoffs=[date(2026, 10, 5)])
        buckets = aging(s, day=date(2026, 11, 23))
    october = monthly_table(rows).splitlines()[1].split()
    assert october[:6] == ["2026-10", "42.6", "53.5", "31.0", "11.6", "50.0%"]
    table = aging_table(buckets, "USD")
    assert table.splitlines()[-1].split() == ["total", "8,500.00", "USD"]
    assert table.splitlines()[1].split() == ["current", "4,000.00", "47%"]
    text = forecast_table(forecast, bt)
    assert "2026-11-23 .. 2026-11-29       6,125.00       2,000.00" in text
    assert text.endswith("WAPE 200.0% (weekly 200.0%), MAPE 200.0%")
