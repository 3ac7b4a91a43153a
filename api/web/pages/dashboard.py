"""The dashboard: aging, DSO trend, collected vs promised, forecast, top debtors, promises due."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.web.charts import bar_chart, line_chart
from api.web.render import page, user_or_login, viewer_locale
from core import formatting
from core.clock import Clock, today
from core.money import format_money
from ledger import models as m
from tools.aging import BUCKETS, aging_report
from tools.context import ToolContext
from tools.promises_due import promises_due
from tools.top_debtors import top_debtors

router = APIRouter(include_in_schema=False)


def month_starts(day: date, months: int) -> list[date]:
    out, y, mo = [], day.year, day.month
    for _ in range(months):
        out.append(date(y, mo, 1))
        y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
    return list(reversed(out))


def collected_vs_promised(
    session: Session, day: date, months: int = 6
) -> tuple[list[str], dict[str, list[Decimal]]]:
    starts = month_starts(day, months)
    first = starts[0]
    collected: dict[date, Decimal] = defaultdict(Decimal)
    promised: dict[date, Decimal] = defaultdict(Decimal)
    for when, amount in session.execute(
        select(m.Payment.date, m.Payment.amount).where(m.Payment.date >= first)
    ):
        collected[when.replace(day=1)] += amount
    for p in session.scalars(select(m.Promise).where(m.Promise.date >= first)):
        value = (
            p.amount if p.amount is not None else sum((i.balance for i in p.invoices), Decimal(0))
        )
        promised[p.date.replace(day=1)] += value
    labels = [s.strftime("%b") for s in starts]
    return labels, {
        "collected": [collected[s] for s in starts],
        "promised": [promised[s] for s in starts],
    }


def _days(value: Decimal | None) -> str:
    return f"{value:.0f} days" if value is not None else "—"


def dashboard_data(session: Session, clock: Clock, locale: str = "en") -> dict[str, Any]:
    """Everything the dashboard shows; amounts in the viewer's ``locale``."""
    from dunning import analytics
    from dunning.book import load_book
    from dunning.forecast import forecast_cash_in

    ctx = ToolContext(session=session, clock=clock)
    day = today(clock)
    aging = aging_report(ctx)
    currency = aging.currency
    total = Decimal(aging.total)
    overdue = total - Decimal(aging.totals["current"])
    book = load_book(session)
    quarter = analytics.kpis(start=day - timedelta(days=89), end=day, book=book)
    trend = analytics.monthly_series(session, clock=clock, months=12)
    forecast = forecast_cash_in(session, clock=clock, weeks=4)
    promises_stats = analytics.promise_kept_rate(session, clock=clock, book=book)
    labels, cvp = collected_vs_promised(session, day)
    kpis = [
        {"label": "Open receivables", "value": format_money(total, currency, locale=locale)},
        {
            "label": "Overdue",
            "value": format_money(overdue, currency, locale=locale),
            "note": f"{(overdue / total * 100 if total else 0):.0f}% of open",
        },
        {
            "label": "DSO (countback, 90 days)",
            "value": _days(quarter.dso_countback),
            "note": f"best possible {_days(quarter.best_possible_dso)} · simple {_days(quarter.dso_simple)}",
        },
        {"label": "Avg days delinquent", "value": _days(quarter.avg_days_delinquent)},
        {
            "label": "Collection effectiveness",
            "value": f"{quarter.cei:.0f}%" if quarter.cei is not None else "—",
            "note": "last 90 days",
        },
        {
            "label": "Promises kept",
            "value": f"{promises_stats.rate:.0f}%" if promises_stats.rate is not None else "—",
            "note": f"{promises_stats.kept} kept, {promises_stats.broken} broken, {promises_stats.pending} pending",
        },
        {
            "label": "Cash-in next 4 weeks",
            "value": format_money(forecast.total, currency, locale=locale),
            "note": "forecast",
        },
    ]
    charts = [
        bar_chart(
            f"Aging ({currency})", list(BUCKETS), [Decimal(aging.totals[b]) for b in BUCKETS]
        ),
        line_chart(
            "DSO trend (days, countback)",
            [r.month[2:] for r in trend],
            {"DSO": [r.kpis.dso_countback for r in trend]},
        ),
        line_chart(
            f"Collected vs promised ({currency})",
            labels,
            cvp,
            partial_last=f"to {formatting.day(day)}",
        ),
        bar_chart(
            f"Cash-in forecast, next 4 weeks ({currency})",
            [w.start.strftime("%d %b") for w in forecast.weeks],
            [w.expected for w in forecast.weeks],
        ),
    ]
    debtors = [
        {
            "id": d.customer,
            "name": d.customer_name,
            "balance": format_money(Decimal(d.total), d.currency, locale=locale),
            "overdue": format_money(Decimal(d.overdue), d.currency, locale=locale),
            "oldest": d.oldest_days_overdue if d.oldest_days_overdue > 0 else "not due",
        }
        for d in top_debtors(ctx, limit=10).debtors
    ]
    week = promises_due(ctx, within_days=7).promises
    promises = [
        {
            "date": p.date.isoformat(),
            "customer": p.customer_name,
            "customer_id": p.customer,
            "invoices": ", ".join(p.invoices),
            "amount": format_money(Decimal(p.amount), p.currency, locale=locale)
            if p.amount
            else "",
        }
        for p in week
    ]
    return {"kpis": kpis, "charts": charts, "debtors": debtors, "promises": promises}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        return page(
            request,
            "dashboard.html",
            active="Dashboard",
            session=session,
            **dashboard_data(session, ctx.clock, viewer_locale(request)),
        )
