"""The background worker: execute approved actions, deliver the due outbox, escalate bounces.

The API server starts it with :func:`start_worker`; ``ar-agent`` commands may call
:func:`run_once`. Several workers (threads or processes) may run against one database:
every step claims its row with a compare-and-set, so nothing runs twice. An action
whose executor keeps crashing is marked ``failed`` after ``MAX_CRASHES`` tries.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from approvals import guard
from approvals._db import transaction
from approvals.bounces import escalate_refusals
from approvals.executor import execute, give_up
from approvals.executors.send_email import still_sendable
from core import health
from core.clock import Clock
from core.logs import bound, log_scope
from core.metrics import EMAILS_SENT, SEND_FAILURES, WORKER_PASS
from ledger.models import Approval
from mail.outbox import DeliveryReport, deliver_due
from mail.smtp import Transport

log = logging.getLogger(__name__)
MAX_CRASHES = 3


@dataclass
class WorkerReport:
    executed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    crashed: list[int] = field(default_factory=list)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    escalated: list[int] = field(default_factory=list)  # approvals: addresses refused for good


def approved_ids(db: Any, *, limit: int = 100) -> list[int]:
    with transaction(db) as session:
        return list(
            session.scalars(
                select(Approval.id)
                .where(Approval.status == "approved")
                .order_by(Approval.decided_at, Approval.id)
                .limit(limit)
            )
        )


def run_once(
    db: Any,
    clock: Clock,
    transport: Transport | None,
    *,
    policy: Any = None,
    limit: int = 100,
    crashes: Counter[int] | None = None,
) -> WorkerReport:
    """One pass: execute every approved action, then deliver what is due."""
    report = WorkerReport()
    policy = guard.load_policy(policy)
    crashes = crashes if crashes is not None else Counter()
    for approval_id in approved_ids(db, limit=limit):
        try:
            with log_scope(**(bound() | {"approval_id": approval_id})):  # its lines name it
                outcome = execute(db, approval_id, clock=clock, policy=policy, actor="worker")
        except Exception as exc:  # rolled back; the approval stays approved for a retry
            crashes[approval_id] += 1
            report.crashed.append(approval_id)
            log.exception("worker: approval %s crashed during execution", approval_id)
            if crashes[approval_id] >= MAX_CRASHES:
                give_up(
                    db,
                    approval_id,
                    clock=clock,
                    error=f"execution crashed {MAX_CRASHES} times: {exc}",
                )
            continue
        if not outcome.already:
            (report.executed if outcome.ok else report.failed).append(approval_id)
    if transport is not None:  # without one, emails wait in the outbox
        report.delivery = deliver_due(
            db, clock=clock, transport=transport, limit=limit, precheck=still_sendable
        )
        delivered = report.delivery.sent + report.delivery.failed
        report.escalated = escalate_refusals(db, delivered, clock=clock, policy=policy)
    return report


def run_worker(
    db: Any,
    clock: Clock,
    transport: Transport | None,
    stop_event: threading.Event,
    interval: float = 5.0,
    *,
    policy: Any = None,
    after_pass: Callable[[WorkerReport | None, float], None] | None = None,
) -> None:
    """Loop :func:`run_once` every ``interval`` seconds until ``stop_event`` is set.

    Without a transport, approved actions still execute; emails wait in the outbox.
    ``after_pass(report, seconds)`` follows every pass (``report`` None when it failed).
    """
    crashes: Counter[int] = Counter()
    policy = guard.load_policy(policy)  # once: a policy change needs a restart
    while not stop_event.is_set():
        started = time.perf_counter()
        report: WorkerReport | None = None
        with log_scope(task="worker"):
            try:
                report = run_once(db, clock, transport, policy=policy, crashes=crashes)
            except Exception:  # a database hiccup must not kill the worker
                log.exception("worker: pass failed; retrying in %ss", interval)
        seconds = time.perf_counter() - started
        WORKER_PASS.observe(seconds)
        if report is not None:
            record_delivery(report.delivery)
        if after_pass is not None:
            try:
                after_pass(report, seconds)
            except Exception:
                log.exception("worker: after-pass hook failed")
        stop_event.wait(interval)


def record_delivery(delivery: DeliveryReport) -> None:
    """Metrics and the SMTP state of one outbox pass."""
    EMAILS_SENT.inc(len(delivery.sent))
    SEND_FAILURES.labels(final="false").inc(len(delivery.retrying))
    SEND_FAILURES.labels(final="true").inc(len(delivery.failed))
    failed = [i for i in delivery.retrying + delivery.failed if i in delivery.errors]
    if delivery.sent:
        health.report_ok("smtp")
    elif failed:
        health.report_failure("smtp", delivery.errors[failed[-1]])


def start_worker(
    db: Any,
    clock: Clock,
    transport: Transport | None,
    *,
    interval: float = 5.0,
    policy: Any = None,
) -> tuple[threading.Thread, threading.Event]:
    """Run the worker in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        args=(db, clock, transport, stop, interval),
        kwargs={"policy": policy},
        name="ar-agent-worker",
        daemon=True,
    )
    thread.start()
    return thread, stop
