from datetime import date

import pytest

from tests.support import factories as f
from tools.aging import aging_report, bucket_of


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
    ],
)
def test_bucket_boundaries(days, bucket):
    assert bucket_of(days) == bucket


def test_report_per_customer_and_total(ctx, session, globex):
    other = f.customer(session, "C-2", "Initech")
    f.invoice(session, other, "INV-2", amount="100.00", due=date(2026, 7, 1))
    report = aging_report(ctx)
    assert report.totals["31-60"] == "12400.00"
    assert report.totals["1-30"] == "3100.00"
    assert report.totals["90+"] == "100.00"
    assert report.total == "15600.00"
    assert aging_report(ctx, customer="Initech").total == "100.00"
