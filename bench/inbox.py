"""``python -m bench inbox [--customers N]``: the approvals inbox on a demo company.

Seeds the demo company (240 customers by default: about 170 pending approvals) into a
throw-away SQLite file and times the approvals page through the real app (TestClient, no
network): the first view, a filtered view, sorting by risk, a search, and the App Home view.
Prints bytes, cards and median / worst wall time of 20 loads each.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from api.demo import prepare_demo
from api.main import create_app
from api.server import build_context
from api.slack.listeners.home import home_view
from core.clock import FrozenClock
from core.settings import Settings
from ledger.db import Database

VIEWS = {
    "first view": "/approvals",
    "emails by amount": "/approvals?type=send_email&sort=amount",
    "by risk": "/approvals?sort=risk",
    "search": "/approvals?q=globex",
}
RUNS = 20


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench inbox")
    parser.add_argument("--customers", type=int, default=240)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(AR_AGENT_WEB_TOKEN="bench")  # type: ignore[call-arg]
        db = Database(f"sqlite:///{Path(tmp) / 'inbox.db'}")
        clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago")))
        ctx = build_context(settings, db=db, clock=clock)
        summary = prepare_demo(ctx, customers=args.customers, say=lambda _: None)
        client = TestClient(create_app(settings, ctx=ctx))
        client.get("/login?token=bench&name=bench")
        print(f"demo company: {summary.customers} customers, {summary.pending} pending approvals")
        print(f"{'view':<18} {'bytes':>8} {'cards':>6} {'median ms':>10} {'max ms':>8}")
        for name, url in VIEWS.items():
            times, body = [], b""
            for _ in range(RUNS):
                started = time.perf_counter()
                body = client.get(url).content
                times.append((time.perf_counter() - started) * 1000)
            cards = len(re.findall(rb'<article class="card approval"', body))
            print(
                f"{name:<18} {len(body):>8,} {cards:>6} {statistics.median(times):>10.1f} "
                f"{max(times):>8.1f}"
            )
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            home_view(ctx, "UBENCH")
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{'Slack App Home':<18} {'':>8} {'':>6} {statistics.median(times):>10.1f} {max(times):>8.1f}"
        )


if __name__ == "__main__":
    main()
