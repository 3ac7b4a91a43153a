"""Benchmark: offline-brain latency for controller messages (target: median < 100 ms).

Runs typical controller messages through the real graph (understanding, tools,
guardrails, queue, SQLite checkpointer) on the eval ledger plus 300 generated customers.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from agent.memory import sqlite_checkpointer
from agent.service import AgentService
from core.clock import FrozenClock
from ledger.db import in_memory
from ledger.importer import load_ledger

LEDGER = Path(__file__).resolve().parent.parent / "evals" / "suites" / "ledger.json"
TARGET_MS = 100.0
MESSAGES = [
    "how much does globex owe us?",
    "and what about their oldest invoice?",
    "show me Hooli's open invoices",
    "give me the aging report",
    "who are our top 5 debtors?",
    "which promises to pay are due this week?",
    "propose a 4-month plan for Initech",
    "set up a 12 month payment plan for Globex",
    "Globex promised to pay INV-1077 on Friday",
    "put Initech on hold until 1 December",
    "write off INV-3101",
    "help",
]


def ledger_doc(extra_customers: int = 300, seed: int = 11) -> dict:
    doc = json.loads(LEDGER.read_text())
    rng = random.Random(seed)
    for c in range(extra_customers):
        doc["customers"].append(
            {
                "id": f"B-{c:04d}",
                "name": f"Bench Customer {c} Ltd",
                "contacts": [{"email": f"ap@bench{c}.example", "primary": True}],
            }
        )
        for n in range(5):
            due = date(2026, 6, 1) + timedelta(days=rng.randrange(200))
            cents = rng.randrange(10_000, 2_000_000)
            doc["invoices"].append(
                {
                    "number": f"B-{c:04d}-{n}",
                    "customer": f"B-{c:04d}",
                    "issue_date": (due - timedelta(days=30)).isoformat(),
                    "due_date": due.isoformat(),
                    "amount": f"{cents // 100}.{cents % 100:02d}",
                }
            )
    return doc


def main(rounds: int = 5) -> float:
    db = in_memory()
    with db.transaction() as session:
        load_ledger(session, ledger_doc(), source="bench")
    clock = FrozenClock(datetime.fromisoformat("2026-11-23T09:00:00-06:00"))
    service = AgentService(
        db, clock=clock, model="offline", checkpointer=sqlite_checkpointer(":memory:")
    )
    service.chat("help", conversation_id="warm-up", user="bench")
    timings: dict[str, list[float]] = {m: [] for m in MESSAGES}
    for r in range(rounds):
        for m in MESSAGES:
            started = time.perf_counter()
            service.chat(m, conversation_id=f"bench-{r}", user="bench")
            timings[m].append((time.perf_counter() - started) * 1000)
    print("| controller message | median ms |\n|---|---|")
    for m, values in timings.items():
        print(f"| {m} | {statistics.median(values):.1f} |")
    overall = statistics.median([v for values in timings.values() for v in values])
    verdict = "OK" if overall < TARGET_MS else "SLOW"
    print(
        f"\nmedian offline-brain latency: {overall:.1f} ms (target < {TARGET_MS:.0f} ms) {verdict}"
    )
    db.dispose()
    return overall


if __name__ == "__main__":
    main()
