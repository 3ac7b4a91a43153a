"""Benchmark: a dunning run (plan + queue) on 20,000 customers and 200,000 invoices.

The ledger is generated straight into a SQLite file with SQLAlchemy Core bulk inserts:
open and paid invoices spread from 120 days late to 10 days ahead, plus disputes,
promises, holds, payment plans, insolvent customers, opted-out contacts and a month of
sent reminders, so every rule of the run is exercised. Then it times ``plan_dunning``
alone and ``run_dunning`` (plan, policy check and queueing of every proposal) and a
second, idempotent run. Run ``python -m bench.dunning [--customers N --invoices M]``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from core.clock import FrozenClock
from dunning.run import plan_dunning, run_dunning
from ledger.db import Database
from ledger.models import (
    Allocation,
    Approval,
    Communication,
    Contact,
    Customer,
    Dispute,
    DunningHold,
    Installment,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
    communication_invoices,
    plan_invoices,
    promise_invoices,
)
from policies.config import load_policy

TODAY = date(2026, 11, 23)
CLOCK_AT = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
ZONES = ["America/Chicago", "America/New_York", "Europe/Berlin", "Europe/Paris", "Europe/Madrid"]
LANGS = {"Europe/Berlin": "de", "Europe/Paris": "fr", "Europe/Madrid": "es"}
CHUNK = 20_000


def _chunks(rows: list[dict], size: int = CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def generate(db: Database, *, customers: int, invoices: int, seed: int = 11) -> dict[str, int]:
    """Fill ``db`` with a realistic ledger; return row counts per table."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    cust_rows, contact_rows = [], []
    for c in range(customers):
        tz = rng.choice(ZONES)
        cid = f"C-{c:06d}"
        cust_rows.append(
            {
                "id": cid,
                "name": f"Customer {c} Ltd",
                "aliases": [],
                "terms_days": 30,
                "credit_limit": Decimal(rng.choice([10_000, 50_000, 250_000])),
                "currency": "USD",
                "timezone": tz,
                "language": LANGS.get(tz, "en"),
                "insolvent": rng.random() < 0.002,
                "credit_hold": False,
                "extra": {},
                "created_at": now,
                "updated_at": now,
            }
        )
        opted = rng.random() < 0.02
        contact_rows.append(
            {
                "customer_id": cid,
                "name": "AP",
                "email": f"ap@c{c}.example",
                "role": "ap",
                "primary": True,
                "opt_out": opted,
                "created_at": now,
                "updated_at": now,
            }
        )
        if rng.random() < 0.5:
            contact_rows.append(
                {
                    "customer_id": cid,
                    "name": "Controller",
                    "email": f"controller@c{c}.example",
                    "role": "controller",
                    "primary": False,
                    "opt_out": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    inv_rows = []
    for i in range(invoices):
        # issued over the last five months; most invoices get paid, old ones mostly were
        due = TODAY - timedelta(days=rng.randrange(-10, 121))
        cents = rng.randrange(5_000, 5_000_000)
        amount = Decimal(cents).scaleb(-2)
        age = (TODAY - due).days
        is_open = rng.random() < (
            0.9 if age < 0 else 0.5 if age < 30 else 0.15 if age < 60 else 0.03
        )
        inv_rows.append(
            {
                "id": i + 1,
                "number": f"INV-{i:07d}",
                "customer_id": f"C-{rng.randrange(customers):06d}",
                "issue_date": due - timedelta(days=30),
                "due_date": due,
                "amount": amount,
                "balance": amount if is_open else Decimal(0),
                "currency": "USD",
                "extra": {},
                "created_at": now,
                "updated_at": now,
            }
        )
    # every paid invoice was paid by one payment, late by the customer's habit +- a week
    habit = {c["id"]: rng.gauss(6, 8) for c in cust_rows}
    pay_rows, alloc_rows = [], []
    yesterday = TODAY - timedelta(days=1)
    for r in inv_rows:
        if r["balance"] > 0:
            continue
        late = round(habit[r["customer_id"]] + rng.uniform(-7, 7))
        paid = min(max(r["due_date"] + timedelta(days=late), r["issue_date"]), yesterday)
        pid = f"P-{r['id']:07d}"
        pay_rows.append(
            {
                "id": pid,
                "customer_id": r["customer_id"],
                "date": paid,
                "amount": r["amount"],
                "currency": "USD",
                "created_at": now,
                "updated_at": now,
            }
        )
        alloc_rows.append(
            {
                "payment_id": pid,
                "invoice_id": r["id"],
                "amount": r["amount"],
                "created_at": now,
                "updated_at": now,
            }
        )
    open_rows = [r for r in inv_rows if r["balance"] > 0 and r["due_date"] <= TODAY]
    pick = rng.sample(open_rows, k=min(len(open_rows), len(open_rows) // 10))
    n = len(pick) // 5
    disputes, promised, held, planned, mailed = (
        pick[:n],
        pick[n : 2 * n],
        pick[2 * n : 3 * n],
        pick[3 * n : 3 * n + n // 4],
        pick[4 * n :],
    )
    with db.engine.begin() as conn:
        for table, rows in (
            (Customer, cust_rows),
            (Contact, contact_rows),
            (Invoice, inv_rows),
            (Payment, pay_rows),
            (Allocation, alloc_rows),
        ):
            for chunk in _chunks(rows):
                conn.execute(insert(table.__table__), chunk)
        conn.execute(
            insert(Dispute.__table__),
            [
                {
                    "customer_id": r["customer_id"],
                    "invoice_id": r["id"],
                    "reason": "pricing",
                    "opened": TODAY - timedelta(days=5),
                    "status": "open",
                    "created_at": now,
                    "updated_at": now,
                }
                for r in disputes
            ],
        )
        for k, r in enumerate(promised, 1):
            r["promise_id"] = k
        conn.execute(
            insert(Promise.__table__),
            [
                {
                    "id": r["promise_id"],
                    "customer_id": r["customer_id"],
                    "date": TODAY + timedelta(days=rng.randrange(-8, 8)),
                    "status": "open",
                    "created_at": now,
                    "updated_at": now,
                }
                for r in promised
            ],
        )
        conn.execute(
            insert(promise_invoices),
            [{"promise_id": r["promise_id"], "invoice_id": r["id"]} for r in promised],
        )
        conn.execute(
            insert(DunningHold.__table__),
            [
                {
                    "customer_id": r["customer_id"],
                    "invoice_id": r["id"],
                    "active": True,
                    "until": TODAY + timedelta(days=rng.randrange(-3, 10)),
                    "reason": "out of office",
                    "created_at": now,
                    "updated_at": now,
                }
                for r in held
            ],
        )
        conn.execute(
            insert(PaymentPlan.__table__),
            [
                {
                    "id": k,
                    "customer_id": r["customer_id"],
                    "status": "active",
                    "down_payment": Decimal(0),
                    "currency": "USD",
                    "created_at": now,
                    "updated_at": now,
                }
                for k, r in enumerate(planned, 1)
            ],
        )
        conn.execute(
            insert(plan_invoices),
            [{"plan_id": k, "invoice_id": r["id"]} for k, r in enumerate(planned, 1)],
        )
        conn.execute(
            insert(Installment.__table__),
            [
                {
                    "plan_id": k,
                    "seq": s,
                    "due_date": TODAY + timedelta(days=30 * s - 40),
                    "amount": (r["balance"] / 3).quantize(Decimal("0.01")),
                    "paid_amount": Decimal(0),
                    "created_at": now,
                    "updated_at": now,
                }
                for k, r in enumerate(planned, 1)
                for s in (1, 2, 3)
            ],
        )
        comm_rows = []
        for k, r in enumerate(mailed, 1):
            sent = datetime.combine(
                TODAY - timedelta(days=rng.randrange(1, 25)), dtime(15), tzinfo=UTC
            )
            r["comm_id"] = k
            comm_rows.append(
                {
                    "id": k,
                    "customer_id": r["customer_id"],
                    "direction": "out",
                    "channel": "email",
                    "status": "sent",
                    "to_addrs": [],
                    "cc_addrs": [],
                    "subject": "reminder",
                    "stage": rng.choice(["due", "first", "second"]),
                    "sent_at": sent,
                    "attempts": 1,
                    "meta": {},
                    "created_at": sent,
                    "updated_at": sent,
                }
            )
        conn.execute(insert(Communication.__table__), comm_rows)
        conn.execute(
            insert(communication_invoices),
            [{"communication_id": r["comm_id"], "invoice_id": r["id"]} for r in mailed],
        )
    return {
        "payments": len(pay_rows),
        "customers": len(cust_rows),
        "invoices": len(inv_rows),
        "disputes": len(disputes),
        "promises": len(promised),
        "holds": len(held),
        "plans": len(planned),
        "communications": len(comm_rows),
    }


def seed_history(db: Database, *, policy: object) -> int:
    """Make the ledger look like the cadence has been running daily until yesterday.

    Every open invoice gets the message of the stage it had reached yesterday, sent on
    the day it reached it, one message per customer and day (the escalate stage as a
    Slack note). Today's run then only has what a real day has: invoices crossing a
    stage boundary today, plus those held back by a frequency cap.
    """
    from dunning.rules import rules_from_policy

    rules = rules_from_policy(policy)
    yesterday = TODAY - timedelta(days=1)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(Invoice.id, Invoice.customer_id, Invoice.due_date).where(Invoice.balance > 0)
        ).all()
    groups: dict[tuple[str, date], list[tuple[int, int]]] = {}
    for inv_id, cust, due in rows:
        stage = rules.stage_for((yesterday - due).days)
        if stage is None:
            continue
        sent_on = due + timedelta(days=stage.day)
        groups.setdefault((cust, sent_on), []).append((inv_id, stage.rank))
    comms, links = [], []
    for n, ((cust, sent_on), items) in enumerate(sorted(groups.items()), start=1_000_000):
        stage = rules.stages[max(rank for _, rank in items)]
        sent = datetime.combine(sent_on, dtime(14), tzinfo=UTC)
        comms.append(
            {
                "id": n,
                "customer_id": cust,
                "direction": "out",
                "channel": "email" if stage.sends_email else "slack",
                "status": "sent",
                "to_addrs": [],
                "cc_addrs": [],
                "subject": "reminder",
                "stage": stage.name,
                "sent_at": sent,
                "attempts": 1,
                "meta": {},
                "created_at": sent,
                "updated_at": sent,
            }
        )
        links += [{"communication_id": n, "invoice_id": inv_id} for inv_id, _ in items]
    with db.engine.begin() as conn:
        for chunk in _chunks(comms):
            conn.execute(insert(Communication.__table__), chunk)
        for chunk in _chunks(links):
            conn.execute(insert(communication_invoices), chunk)
    return len(comms)


def _timed_run(db: Database, policy: object, label: str, size: str) -> str:
    started, cpu = time.perf_counter(), time.process_time()
    result = run_dunning(db, clock=FrozenClock(CLOCK_AT), policy=policy)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    per = cpu / len(result.proposals) * 1000 if result.proposals else 0.0
    return (
        f"| {label} {size} | {len(result.proposals):,} ({len(result.queued):,} queued, "
        f"{len(result.blocked):,} blocked) | {len(result.skipped):,} | {took:.1f} "
        f"(CPU {cpu:.1f}; {per:.0f} ms CPU per proposal) |"
    )


def _analytics_rows(session: object) -> list[str]:
    """Time the worklist, 12 months of KPIs and the forecast with its backtest error."""
    from dunning.analytics import backtest_forecast, forecast_cash_in, monthly_series
    from dunning.worklist import build_worklist

    clock = FrozenClock(CLOCK_AT)

    def kpis() -> str:
        october = monthly_series(session, clock=clock, months=12)[-2].kpis
        return (
            f"October: DSO {october.dso_simple} (countback {october.dso_countback}), "
            f"best {october.best_possible_dso}, ADD {october.avg_days_delinquent}, "
            f"CEI {october.cei}%"
        )

    jobs = (
        (
            "worklist (all customers)",
            lambda: f"{len(build_worklist(session, clock=clock)):,} entries",
        ),
        ("12 months of KPIs", kpis),
        (
            "4-week cash-in forecast",
            lambda: f"{forecast_cash_in(session, clock=clock).total:,} USD",
        ),
        ("backtest, 8 weekly cutoffs", lambda: _backtest(backtest_forecast(session, clock=clock))),
    )
    out = ["", "| analytics on the same ledger | result | seconds |", "|---|---|---|"]
    for label, work in jobs:
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        out.append(f"| {label} | {result} | {took:.1f} (CPU {cpu:.1f}) |")
    return out


def _backtest(bt: object) -> str:
    return f"WAPE {bt.wape()}% of horizon totals, {bt.wape(weekly=True)}% weekly; MAPE {bt.mape}%"


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m bench.dunning", description=__doc__)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="also queue the cold-start run (every customer due; slow)",
    )
    args = parser.parse_args(argv or [])
    policy = load_policy()
    rows = [
        "| dunning run | customers | invoices | proposals | skipped | seconds |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/dunning.db")
        started = time.perf_counter()
        counts = generate(db, customers=args.customers, invoices=args.invoices)
        setup = time.perf_counter() - started
        size = f"| {counts['customers']:,} | {counts['invoices']:,}"

        started, cpu = time.perf_counter(), time.process_time()
        with db.session() as session:
            plan = plan_dunning(session, clock=FrozenClock(CLOCK_AT), policy=policy)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows.append(
            f"| cold start, plan only (read) {size} | {len(plan.proposals):,} | "
            f"{len(plan.skipped):,} | {took:.1f} (CPU {cpu:.1f}) |"
        )
        if args.cold:
            rows.append(_timed_run(db, policy, "cold start, plan + check + queue", size))
        else:
            history = seed_history(db, policy=policy)
            counts["history_messages"] = history
            rows.append(_timed_run(db, policy, "daily run, plan + check + queue", size))
        rows.append(_timed_run(db, policy, "second run, same day", size))
        with db.session() as session:
            queued = session.scalar(select(func.count()).select_from(Approval))
            rows += _analytics_rows(session)
        db.dispose()
    print("\n".join(rows))
    print(f"(ledger generated in {setup:.1f}s: {counts}; approvals in the queue: {queued:,})")
    return rows


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
