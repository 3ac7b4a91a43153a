"""``ar-agent worker``: the background services without a web server.

Executes approved actions, delivers the outbox, runs the daily dunning run and the credit
review, expires stale approvals, posts Slack cards and polls IMAP: everything
``ar-agent serve`` runs beside HTTP, for a deployment that runs ``serve --no-worker``.
Any number of workers may share one PostgreSQL (every claim is atomic). Its metrics are
served on ``--metrics-port`` (0: off). SIGTERM or SIGINT stop it after the current pass.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

from prometheus_client import start_http_server

from api.server import build_context, run_worker_process
from core.logs import configure_logging

log = logging.getLogger("ar_agent.worker")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worker",
        help="run the background services (outbox, IMAP, scheduler) without a web server",
        description="Execute approved actions, deliver the outbox, run the daily dunning run "
        "and the credit review, expire stale approvals, post Slack cards and poll IMAP: what "
        "`ar-agent serve` runs beside HTTP, for a deployment that runs `serve --no-worker`. "
        "Any number of workers may share one PostgreSQL. SIGTERM stops it after the current "
        "pass.",
    )
    p.add_argument(
        "--interval", type=float, default=2.0, help="seconds between worker passes (default 2)"
    )
    p.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        help="serve this process's Prometheus metrics on HOST:PORT/metrics (default 0: off)",
    )
    p.add_argument("--metrics-host", default="127.0.0.1", metavar="HOST")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    configure_logging()
    ctx = build_context()
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("worker: %s received, stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if args.metrics_port:
        start_http_server(args.metrics_port, addr=args.metrics_host)
    where = ctx.db.engine.url.render_as_string(hide_password=True)
    print(f"ar-agent worker against {where}", flush=True)
    log.info("worker started", extra={"metrics_port": args.metrics_port or None})
    run_worker_process(ctx, stop, interval=args.interval)
    log.info("worker stopped")
    return 0
