"""Benchmark: approvals per second through real ``ar-agent serve`` processes on one PostgreSQL.

For 1, 2 and 4 web processes (``serve --no-worker``) beside ``--workers`` ``ar-agent worker``
processes (default 1), each setting on a fresh database sharing nothing but the server:
queue N reminder emails, then approve every one of them at the same moment by two users
(with several processes: one user per process) over the REST API, ``--concurrency``
approvals in flight. Reports approvals/second, request latency, the 409 conflicts of the
losing clicks, and how long the workers took to drain the outbox into a local SMTP sink.
Checks that every approval executed once and every email arrived once. ``--workers 0``:
each ``serve`` runs its own worker instead (the single-process default).

PostgreSQL: ``AR_AGENT_TEST_POSTGRES_URL``, else a throw-away server from Debian's binaries
(as the tests do). Run ``python -m bench.scale [--approvals N] [--processes 1 2 4]
[--workers W]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from approvals.queue import propose
from core.clock import parse_clock
from ledger.db import Database
from ledger.importer import load_ledger
from ledger.models import Approval, Communication
from tests.scale.cluster import CLOCK, Cluster, hammer, reminder, scale_ledger
from tests.support.postgres import TestPostgres
from tests.support.smtp import SmtpSink

DRAIN_SECONDS = 120.0


def _queue(db: Database, n: int) -> list[int]:
    clock = parse_clock(CLOCK)
    with db.transaction() as session:
        load_ledger(session, scale_ledger(n), source="bench")
    ids = []
    with db.transaction() as session:
        for i in range(1, n + 1):
            result = propose(session, reminder(i), clock=clock)
            if result.blocked or result.approval is None:
                raise SystemExit(f"bench.scale: reminder {i} was blocked: {result.verdict}")
            ids.append(result.approval.id)
    return ids


def _drain(db: Database, n: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_SECONDS:
        with db.session() as s:
            sent = s.scalar(
                select(func.count())
                .select_from(Communication)
                .where(Communication.direction == "out", Communication.status == "sent")
            )
        if sent >= n:
            return time.monotonic() - started
        time.sleep(0.1)
    raise SystemExit(f"bench.scale: outbox not drained within {DRAIN_SECONDS:.0f}s")


def run(
    pg: TestPostgres, *, processes: int, workers: int, n: int, concurrency: int, workdir: Path
) -> dict:
    assert pg.url
    url = pg.new_database(f"bench_scale_{processes}_{uuid.uuid4().hex[:8]}")
    with (
        SmtpSink() as sink,
        Cluster(url, smtp_url=sink.url, workdir=workdir, size=processes, workers=workers) as c,
    ):
        db = Database(url)
        try:
            ids = _queue(db, n)
            if processes == 1:
                clickers = [(c.servers[0], "approver-1"), (c.servers[0], "approver-2")]
            else:
                clickers = [(s, f"approver-{s.name}") for s in c.servers]
            started = time.perf_counter()
            clicks = hammer(clickers, ids, concurrency=concurrency)
            seconds = time.perf_counter() - started
            drain = _drain(db, n)
            with db.session() as s:
                executed = s.scalar(
                    select(func.count()).select_from(Approval).where(Approval.status == "executed")
                )
        finally:
            db.dispose()
        message_ids = [m["Message-ID"] for m in sink.messages]
    statuses = Counter(click.status for click in clicks)
    latencies = sorted(click.seconds for click in clicks)
    ok = executed == n and len(message_ids) == n == len(set(message_ids))
    ok = ok and statuses[200] == n and set(statuses) <= {200, 409}
    return {
        "processes": processes,
        "workers": workers,
        "startup": c.startup_seconds,
        "seconds": seconds,
        "rate": n / seconds,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "statuses": dict(statuses),
        "drain": drain,
        "ok": ok,
        "executed": executed,
        "emails": len(message_ids),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--approvals", type=int, default=200)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--workers", type=int, default=1, help="ar-agent worker processes (0: inside serve)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="approvals in flight")
    args = parser.parse_args(argv)
    pg = TestPostgres()
    if not pg.url:
        print(f"bench.scale: skipped, PostgreSQL unavailable: {pg.reason}")
        return
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="ar-agent-bench-scale-") as tmp:
            for processes in args.processes:
                rows.append(
                    run(
                        pg,
                        processes=processes,
                        workers=args.workers,
                        n=args.approvals,
                        concurrency=args.concurrency,
                        workdir=Path(tmp) / f"p{processes}",
                    )
                )
    finally:
        pg.stop()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.approvals} send_email approvals, each approved at once by 2 users (1 process) or "
        "one user per process, "
        f"{args.concurrency} in flight; {os.cpu_count()} CPUs, load {load:.1f}\n"
    )
    print(
        "| serve processes | workers | startup | approvals/s | p50 ms | p95 ms | 200 / 409 "
        "| outbox drained | check |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        s = r["statuses"]
        other = {k: v for k, v in s.items() if k not in (200, 409)}
        check = "ok" if r["ok"] else f"FAILED executed={r['executed']} emails={r['emails']} {other}"
        print(
            f"| {r['processes']} | {r['workers'] or 'in serve'} | {r['startup']:.1f} s "
            f"| {r['rate']:.1f} | {r['p50'] * 1000:.0f} "
            f"| {r['p95'] * 1000:.0f} | {s.get(200, 0)} / {s.get(409, 0)} | +{r['drain']:.1f} s "
            f"| {check} |"
        )
    if not all(r["ok"] for r in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
