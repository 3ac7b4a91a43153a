"""THE concurrency test: many approvers click "approve" on one email at the same moment.

20 threads (SQLite and PostgreSQL) and 4 processes with their own engines (PostgreSQL)
each approve-and-execute the same pending email and run the outbox; exactly one
message reaches the SMTP server, one outbox row exists, one ``executed`` event.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from approvals import queue
from approvals.executor import approve_and_execute
from core.errors import ConflictError
from ledger.db import Database
from ledger.models import Approval, AuditEvent, Communication
from mail.outbox import deliver_due
from mail.smtp import SmtpTransport
from tests.approvals.conftest import email
from tests.support import factories as f
from tests.support.smtp import SmtpSink


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _pending_email(db, clock, policy) -> int:
    with db.transaction() as s:
        c = f.customer(
            s, "C-001", "Globex", email="dana@globex.example", timezone="America/Chicago"
        )
        f.invoice(s, c, "INV-1042", amount="12400.00")
    with db.transaction() as s:
        return queue.propose(s, email(), clock=clock, policy=policy).approval.id


def _click(db, approval_id, user, clock, policy, smtp_url) -> str:
    try:
        outcome = approve_and_execute(db, approval_id, user=user, clock=clock, policy=policy)
        result = "executed" if outcome.ok and not outcome.already else "already"
    except ConflictError:
        result = "conflict"
    deliver_due(db, clock=clock, transport=SmtpTransport.from_url(smtp_url))
    return result


def _assert_exactly_once(db, sink, approval_id):
    assert len(sink.messages) == 1, f"{len(sink.messages)} messages reached the SMTP server"
    with db.session() as s:
        comm = s.scalars(select(Communication)).one()
        assert comm.status == "sent" and comm.attempts == 1
        assert sink.messages[0]["Message-ID"] == comm.message_id
        assert s.get(Approval, approval_id).status == "executed"
        events = s.scalars(
            select(AuditEvent.event).where(AuditEvent.approval_id == approval_id)
        ).all()
    assert events.count("approved") == 1 and events.count("executed") == 1
    assert events.count("email_sent") == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_twenty_threads_approve_the_same_email_one_message_is_sent(
    request, backend, clock, policy, sink
):
    db = request.getfixturevalue("db" if backend == "sqlite" else "pg_db")
    approval_id = _pending_email(db, clock, policy)
    barrier = threading.Barrier(20)
    results: list[str] = []
    errors: list[BaseException] = []

    def click(i: int) -> None:
        barrier.wait()
        try:
            results.append(_click(db, approval_id, f"approver-{i}", clock, policy, sink.url))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=click, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    elapsed = time.perf_counter() - started
    assert not errors, errors
    assert results.count("executed") == 1, results
    assert len(results) == 20
    _assert_exactly_once(db, sink, approval_id)
    print(f"\n{backend}: 20 threads, {elapsed * 1000:.0f} ms, outcomes {sorted(set(results))}")


def _process(
    url: str, approval_id: int, user: str, clock, smtp_url: str, start: Any, out: Any
) -> None:
    """One OS process with its own engine: 5 threads click, after all processes are ready."""
    from approvals.guard import load_policy

    policy = load_policy()
    db = Database(url, migrate_schema=False)
    try:
        with db.engine.connect():
            pass  # connected and warm before the race starts
        results: list[str] = []
        threads_ready = threading.Barrier(5)

        def click(i: int) -> None:
            threads_ready.wait()
            results.append(_click(db, approval_id, f"{user}-{i}", clock, policy, smtp_url))

        threads = [threading.Thread(target=click, args=(i,)) for i in range(5)]
        start.wait(60)  # every process is ready
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        out.put((results, time.perf_counter() - began))
    finally:
        db.dispose()


def test_four_processes_approve_the_same_email_one_message_is_sent(pg_db, clock, policy, sink):
    approval_id = _pending_email(pg_db, clock, policy)
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(4), ctx.Queue()
    procs = [
        ctx.Process(
            target=_process,
            args=(pg_db.url, approval_id, f"proc{i}", clock, sink.url, start, out),
        )
        for i in range(4)
    ]
    for p in procs:
        p.start()
    reports = [out.get(timeout=120) for _ in procs]
    outcomes = [r for results, _ in reports for r in results]
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert len(outcomes) == 20
    assert outcomes.count("executed") == 1, outcomes
    _assert_exactly_once(pg_db, sink, approval_id)
    with pg_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Communication)) == 1
    slowest = max(elapsed for _, elapsed in reports)
    print(
        f"\npostgres: 4 processes x 5 threads, race {slowest * 1000:.0f} ms, "
        f"outcomes {sorted(set(outcomes))}"
    )


def test_two_reminders_to_one_customer_executed_at_once_respect_the_frequency_cap(
    any_db, clock, policy
):
    from approvals.executor import execute
    from tests.approvals.conftest import approved

    _pending_email(any_db, clock, policy)  # customer and invoice (this one stays pending)
    first = approved(any_db, email(conversation_id="a"), clock, policy)
    second = approved(any_db, email(conversation_id="b"), clock, policy)
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(approval_id: int) -> None:
        barrier.wait()
        outcomes[approval_id] = execute(any_db, approval_id, clock=clock, policy=policy)

    threads = [threading.Thread(target=run, args=(i,)) for i in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    statuses = sorted(o.status for o in outcomes.values())
    assert statuses == ["executed", "failed"], outcomes
    failed = next(o for o in outcomes.values() if o.status == "failed")
    assert "every 5 days" in failed.error
