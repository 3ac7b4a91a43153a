"""``ar-agent analytics``: DSO, CEI, promises and reminders by month; aging; cash-in forecast."""

from __future__ import annotations

import argparse

from cli.common import clock, open_database, settings
from core.clock import today


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analytics",
        help="collections analytics: DSO, CEI, aging, forecast",
        description="Monthly DSO (simple and countback), best possible DSO, average days "
        "delinquent, CEI, promise-kept rate, reminder effectiveness and approval edit rate; "
        "the aging buckets; and the 4-week cash-in forecast with its backtest error.",
    )
    p.add_argument("--months", type=int, default=12, help="months of history (default 12)")
    p.add_argument("--currency", help="restrict to one currency (default: the ledger's main one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dunning import analytics
    from dunning.forecast import backtest_forecast, forecast_cash_in
    from dunning.report import aging_table, forecast_table, monthly_table
    from policies.config import load_policy

    now = clock()
    db = open_database()
    with db.session() as session:
        rows = analytics.monthly_series(
            session,
            clock=now,
            months=args.months,
            policy=load_policy(settings().policy_path),
            currency=args.currency,
        )
        buckets = analytics.aging(session, day=today(now), currency=args.currency)
        forecast = forecast_cash_in(session, clock=now, currency=args.currency)
        backtest = backtest_forecast(session, clock=now, currency=args.currency)
    print("By month\n" + monthly_table(rows))
    print("\nAging today\n" + aging_table(buckets, args.currency or ""))
    print("\nCash-in forecast\n" + forecast_table(forecast, backtest))
    return 0
