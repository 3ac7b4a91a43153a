"""Benchmark: HTTP latency of a real ``ar-agent serve`` on the demo company on PostgreSQL.

Seeds the demo company (``--customers``, default 240) into a fresh PostgreSQL database,
starts one ``serve`` process on 127.0.0.1 and, for each endpoint and each concurrency
(1, 8, 32, 64 clients, each sending its next request as soon as the last one answered), loads
it for ``--seconds`` (default 8) after a short warm-up: the approvals page (``GET /approvals``,
logged in), the REST approvals list (``GET /api/approvals``) and a chat turn (``POST
/api/chat``, a balance question in a new conversation). Prints p50/p95/p99, throughput and
errors (any status but 200, or no answer within 60 s), then the server's count of requests
that held two pool connections at once (must be 0). Traffic goes to 127.0.0.1 only and
every loop is bounded in time.

PostgreSQL: ``AR_AGENT_TEST_POSTGRES_URL``, else a throw-away server from Debian's binaries.
Run ``python -m bench http [--seconds S] [--concurrency 1 8 32 64] [--customers N]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from api.demo import prepare_demo
from api.server import build_context
from core.clock import parse_clock
from core.settings import Settings
from ledger.db import Database
from ledger.models import Customer
from tests.scale.cluster import CLOCK, TOKEN, Cluster
from tests.support.postgres import TestPostgres
from tests.support.smtp import SmtpSink

AUTH = {"Authorization": f"Bearer {TOKEN}"}

WARMUP_SECONDS = 1.0
REQUEST_TIMEOUT = 60.0
QUESTIONS = ("how much does {name} owe us?", "aging", "who owes us the most?")


@dataclass
class Cell:
    endpoint: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered))) - 1))]


Request = Callable[[httpx.Client, int], httpx.Response]


def endpoints(names: list[str]) -> dict[str, Request]:
    def page(c: httpx.Client, _: int) -> httpx.Response:
        return c.get("/approvals", headers=AUTH)

    def rest(c: httpx.Client, _: int) -> httpx.Response:
        return c.get("/api/approvals", headers=AUTH)

    def chat(c: httpx.Client, i: int) -> httpx.Response:
        text = QUESTIONS[i % len(QUESTIONS)].format(name=names[i % len(names)])
        return c.post(
            "/api/chat",
            json={"text": text, "conversation_id": f"bench-{uuid.uuid4().hex}"},
            headers=AUTH,
        )

    return {"approvals page": page, "REST approvals list": rest, "chat turn": chat}


def load(base: str, cookies: dict[str, str], request: Request, cell: Cell, seconds: float) -> None:
    """``cell.concurrency`` clients in a closed loop for ``seconds`` (after a warm-up)."""
    lock = threading.Lock()
    start = time.monotonic() + WARMUP_SECONDS
    stop = start + seconds

    def client(number: int) -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=REQUEST_TIMEOUT) as c:
            i = number
            while time.monotonic() < stop:
                t0 = time.monotonic()
                try:
                    status = str(request(c, i).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                took = time.monotonic() - t0
                i += cell.concurrency
                if t0 < start:
                    continue  # warm-up: connections, caches
                with lock:
                    if status == "200":
                        cell.latencies.append(took)
                    else:
                        cell.errors[status] = cell.errors.get(status, 0) + 1

    threads = [
        threading.Thread(target=client, args=(n,), daemon=True) for n in range(cell.concurrency)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WARMUP_SECONDS + seconds + REQUEST_TIMEOUT + 5)
    cell.seconds = time.monotonic() - start


def seed(url: str, customers: int) -> tuple[int, list[str]]:
    db = Database(url)
    try:
        ctx = build_context(Settings(AR_AGENT_WEB_TOKEN=TOKEN), db=db, clock=parse_clock(CLOCK))
        summary = prepare_demo(ctx, customers=customers, say=lambda _: None)
        with db.session() as session:
            names = [n.split()[0] for n in session.scalars(select(Customer.name).limit(50))]
        return summary.pending, names
    finally:
        db.dispose()


def nested_checkouts(client: httpx.Client) -> float:
    text = client.get("/metrics").text
    return sum(
        s.value
        for f in text_string_to_metric_families(text)
        if f.name == "ar_agent_http_nested_db_checkouts"
        for s in f.samples
        if s.name.endswith("_total")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0, help="load per cell (default 8)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32, 64])
    parser.add_argument("--customers", type=int, default=240, help="size of the demo company")
    args = parser.parse_args(argv)
    pg = TestPostgres()
    if not pg.url:
        print(f"bench.http: skipped, PostgreSQL unavailable: {pg.reason}")
        return
    cells: list[Cell] = []
    try:
        url = pg.new_database(f"bench_http_{uuid.uuid4().hex[:8]}")
        t0 = time.monotonic()
        pending, names = seed(url, args.customers)
        print(
            f"demo company: {args.customers} customers, {pending} pending approvals "
            f"(seeded in {time.monotonic() - t0:.1f} s)"
        )
        with (
            tempfile.TemporaryDirectory(prefix="ar-agent-bench-http-") as tmp,
            SmtpSink() as sink,
            Cluster(url, smtp_url=sink.url, workdir=Path(tmp), size=1) as cluster,
        ):
            server = cluster.servers[0]
            cookies: dict[str, str] = {}  # every request carries the bearer credential
            page = httpx.get(f"{server.base_url}/approvals", headers=AUTH, timeout=60)
            print(f"approvals page: {len(page.content) / 1024:.0f} KB\n")
            for name, request in endpoints(names).items():
                for concurrency in args.concurrency:
                    cell = Cell(name, concurrency)
                    load(server.base_url, cookies, request, cell, args.seconds)
                    cells.append(cell)
                    print(
                        f"  {name} x{concurrency}: {len(cell.latencies)} ok, "
                        f"{sum(cell.errors.values())} errors",
                        flush=True,
                    )
            nested = nested_checkouts(server.client)
    finally:
        pg.stop()
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\n{os.cpu_count()} CPUs, load {load_avg:.1f}; one serve process (with its worker), "
        f"{args.seconds:.0f} s per row\n"
    )
    print("| endpoint | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for c in cells:
        errors = sum(c.errors.values())
        detail = f" {c.errors}" if errors else ""
        print(
            f"| {c.endpoint} | {c.concurrency} | {len(c.latencies) + errors} "
            f"| {len(c.latencies) / c.seconds:.1f} | {c.percentile(0.5) * 1000:.0f} "
            f"| {c.percentile(0.95) * 1000:.0f} | {c.percentile(0.99) * 1000:.0f} "
            f"| {errors}{detail} |"
        )
    print(f"\nrequests that held two pool connections at once: {nested:.0f}")
    if any(c.errors for c in cells) or nested:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
