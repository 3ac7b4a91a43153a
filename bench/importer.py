"""Benchmark: import a generated ledger of 100,000 invoices into a fresh SQLite database."""

from __future__ import annotations

import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from ledger.db import Database
from ledger.importer import load_ledger_file


def generate(path: Path, *, customers: int, invoices: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    doc = {"currency": "USD", "customers": [], "invoices": []}
    for c in range(customers):
        doc["customers"].append(
            {
                "id": f"C-{c:05d}",
                "name": f"Customer {c} Inc",
                "terms_days": rng.choice([15, 30, 45, 60]),
                "contacts": [{"email": f"ap@customer{c}.example", "primary": True}],
            }
        )
    start = date(2025, 11, 1)
    for i in range(invoices):
        issued = start + timedelta(days=rng.randrange(365))
        cents = rng.randrange(5_000, 5_000_000)
        amount = f"{cents // 100}.{cents % 100:02d}"
        doc["invoices"].append(
            {
                "number": f"INV-{i:07d}",
                "customer": f"C-{rng.randrange(customers):05d}",
                "issue_date": issued.isoformat(),
                "due_date": (issued + timedelta(days=30)).isoformat(),
                "amount": amount,
                "balance": amount if rng.random() < 0.3 else "0",
            }
        )
    path.write_text(json.dumps(doc))


def main() -> list[str]:
    rows = ["| import | customers | invoices | seconds | invoices/s |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for customers, invoices in ((1_000, 10_000), (10_000, 100_000)):
            path = Path(tmp) / f"ledger-{invoices}.json"
            generate(path, customers=customers, invoices=invoices)
            db = Database(f"sqlite:///{tmp}/bench-{invoices}.db")
            started = time.perf_counter()
            with db.transaction() as session:
                load_ledger_file(session, path)
            took = time.perf_counter() - started
            db.dispose()
            rows.append(
                f"| JSON → SQLite | {customers:,} | {invoices:,} | {took:.1f} | {invoices / took:,.0f} |"
            )
    print("\n".join(rows))
    return rows


if __name__ == "__main__":
    main()
