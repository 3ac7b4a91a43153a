"""Charts carry their numbers as rows, a legend with swatches, and a partial period as such."""

from __future__ import annotations

from decimal import Decimal

from api.web.charts import bar_chart, line_chart


def test_line_chart_marks_the_running_month_partial():
    chart = line_chart(
        "Collected vs promised (USD)",
        ["Sep", "Oct", "Nov"],
        {
            "collected": [Decimal("500000"), Decimal("520000"), Decimal("12000")],
            "promised": [0, 0, 5],
        },
        partial_last="to Nov 23, 2026",
    )
    assert 'stroke-dasharray="5 4"' in chart.svg and "Nov*" in chart.svg
    assert chart.rows[-1] == ["Nov (to Nov 23, 2026, partial)", "12,000.00", "5.00"]
    assert chart.note == "* Nov is partial: to Nov 23, 2026."
    assert [name for name, _ in chart.legend] == ["collected", "promised"]


def test_bar_chart_rows_are_its_numbers():
    chart = bar_chart("Aging (USD)", ["current", "1-30"], [Decimal("456100.5"), Decimal("0")])
    assert chart.rows == [["current", "456,100.50"], ["1-30", "0.00"]]
    assert "456.1K" in chart.svg
