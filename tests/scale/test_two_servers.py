"""Where users outgrow one machine: two ``ar-agent serve`` processes on one PostgreSQL.

Both start together on an empty database (racing the migration), share one SMTP sink and a
frozen clock inside the send window. Every one of N queued emails is approved at the same
moment through both processes by two different users: each executes once and reaches the
SMTP server once. A chat's memory follows the conversation from one process to the other
(the LangGraph Postgres checkpointer). Stopping them leaves no process, port or connection.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text

from approvals.queue import propose
from core.clock import parse_clock
from ledger.importer import load_ledger, load_ledger_file
from ledger.models import Approval, AuditEvent, Communication
from tests.scale.cluster import APP_NAME, CLOCK, hammer, port_open, reminder, scale_ledger

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("scale")]

N = 30
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DELIVERY_SECONDS = 30.0
# Older than Initech's INV-2001, so "their oldest invoice" is only INV-2001 with memory.
OLDEST_IN_THE_BOOK = {
    "customers": [{"id": "C-900", "name": "Oldbooks Ltd", "timezone": "America/Chicago"}],
    "invoices": [
        {
            "number": "INV-0001",
            "customer": "C-900",
            "issue_date": "2026-04-01",
            "due_date": "2026-05-01",
            "amount": "10.00",
            "currency": "USD",
        }
    ],
}


@pytest.fixture(scope="module")
def queued(scale_db) -> list[int]:
    """The scale ledger, the Globex fixture and an older invoice loaded; N reminders pending."""
    clock = parse_clock(CLOCK)
    with scale_db.transaction() as session:
        load_ledger(session, scale_ledger(N), source="scale")
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
        load_ledger(session, OLDEST_IN_THE_BOOK, source="oldest")
    ids = []
    with scale_db.transaction() as session:
        for i in range(1, N + 1):
            result = propose(session, reminder(i), clock=clock)
            assert not result.blocked, result.verdict
            ids.append(result.approval.id)
    return ids


def _wait_delivered(db, n: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < DELIVERY_SECONDS:
        with db.session() as s:
            statuses = Counter(
                s.scalars(
                    select(Communication.status).where(Communication.direction == "out")
                ).all()
            )
        if statuses["sent"] >= n or (
            sum(statuses.values()) >= n and not (statuses["outbox"] or statuses["sending"])
        ):
            return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"outbox not delivered within {DELIVERY_SECONDS}s: {dict(statuses)}")


def test_concurrent_approvals_on_two_processes_execute_and_send_each_email_once(
    cluster, scale_db, scale_sink, queued
):
    started = time.perf_counter()
    clickers = [(server, f"approver-{server.name}") for server in cluster.servers]
    clicks = hammer(clickers, queued)
    hammer_seconds = time.perf_counter() - started
    assert len(clicks) == 2 * N

    statuses = Counter(c.status for c in clicks)
    bad = [c for c in clicks if c.status not in (200, 409)]
    assert not bad, f"unexpected responses: {[(c.status, c.detail[:200]) for c in bad[:5]]}"
    for c in clicks:
        if c.status == 409:
            assert f"cannot approve approval {c.approval_id}: it is already" in c.detail, c.detail
    per_approval = Counter(c.approval_id for c in clicks if c.status == 200)
    assert per_approval == Counter({aid: 1 for aid in queued}), "each approval: exactly one 200"
    winners = Counter(c.server for c in clicks if c.status == 200)  # which process won: chance

    delivery_seconds = _wait_delivered(scale_db, N)
    with scale_db.session() as s:
        approvals = s.scalars(select(Approval).where(Approval.id.in_(queued))).all()
        assert {a.status for a in approvals} == {"executed"}
        assert {a.decided_by for a in approvals} <= {"approver-a", "approver-b"}
        events = Counter(
            s.execute(
                select(AuditEvent.approval_id, AuditEvent.event).where(
                    AuditEvent.approval_id.in_(queued)
                )
            ).all()
        )
        comms = s.scalars(select(Communication).where(Communication.direction == "out")).all()
    for aid in queued:
        assert events[(aid, "approved")] == 1, f"approval {aid}: {events}"
        assert events[(aid, "executed")] == 1, f"approval {aid}: {events}"
        assert events[(aid, "email_sent")] == 1, f"approval {aid}: {events}"
        assert events[(aid, "failed")] == 0
    assert len(comms) == N and {c.status for c in comms} == {"sent"}
    assert all(c.attempts == 1 for c in comms)

    sent_ids = [m["Message-ID"] for m in scale_sink.messages]
    assert len(sent_ids) == N, f"{len(sent_ids)} messages reached the SMTP server, expected {N}"
    assert len(set(sent_ids)) == N, "a Message-ID reached the SMTP server twice"
    assert set(sent_ids) == {c.message_id for c in comms}
    recipients = sorted(rcpt for _, rcpts in scale_sink.envelopes for rcpt in rcpts)
    assert recipients == sorted(f"ap{i:04d}@scale{i:04d}.example" for i in range(1, N + 1))

    latencies = sorted(c.seconds for c in clicks)
    print(
        f"\nscale: {N} approvals x 2 processes: startup {cluster.startup_seconds:.2f}s, "
        f"hammer {hammer_seconds:.2f}s ({N / hammer_seconds:.1f} approvals/s), "
        f"responses {dict(statuses)}, winners {dict(winners)}, "
        f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms, "
        f"outbox drained {delivery_seconds:.2f}s later"
    )


def test_a_conversation_continues_on_the_other_process(cluster, scale_db, queued):
    a, b = cluster.servers
    conversation = f"scale-{uuid.uuid4().hex[:8]}"
    first = a.client.post(
        "/api/chat", json={"text": "how much does Initech owe?", "conversation_id": conversation}
    )
    assert first.status_code == 200, first.text
    assert "Initech" in first.json()["text"] and "5,000.50" in first.json()["text"]

    follow_up = {"text": "and what about their oldest invoice?"}
    second = b.client.post("/api/chat", json={**follow_up, "conversation_id": conversation})
    assert second.status_code == 200, second.text
    assert "INV-2001" in second.json()["text"], second.json()["text"]

    # The other way round (B, then A), about another customer: its own answer.
    other = conversation + "-globex"
    assert (
        b.client.post(
            "/api/chat", json={"text": "how much does Globex owe?", "conversation_id": other}
        ).status_code
        == 200
    )
    theirs = a.client.post("/api/chat", json={**follow_up, "conversation_id": other})
    assert theirs.status_code == 200, theirs.text
    assert "INV-1042" in theirs.json()["text"] and "INV-2001" not in theirs.json()["text"]

    with scale_db.session() as s:
        rows = s.execute(
            text("SELECT count(*) FROM checkpoints WHERE thread_id = :t"), {"t": conversation}
        ).scalar_one()
    assert rows >= 2, "the conversation's checkpoints are not in PostgreSQL"


def _server_connections(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE %s", (f"{APP_NAME}-%",)
    ).fetchone()[0]


def test_stopping_the_processes_leaves_no_server_port_or_connection(cluster, scale_db_url):
    ports = [s.port for s in cluster.servers]
    dsn = scale_db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert _server_connections(conn) > 0, "PGAPPNAME does not tag the servers' connections"
    assert all(port_open(p) for p in ports)

    started = time.monotonic()
    codes = cluster.stop()
    stop_seconds = time.monotonic() - started
    assert not any(s.killed for s in cluster.servers), "SIGTERM did not stop a server in time"
    assert all(s.proc.poll() is not None for s in cluster.servers)
    assert set(codes) <= {0, -15}, codes
    assert not [p for p in ports if port_open(p)], "a server port still accepts connections"

    deadline = time.monotonic() + 10
    with psycopg.connect(dsn, autocommit=True) as conn:
        while True:
            left = _server_connections(conn)
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    assert left == 0, f"{left} PostgreSQL connections of the stopped servers remain"
    for server in cluster.servers:  # nothing went wrong quietly (worker, outbox, requests)
        assert "Traceback" not in server.log_path.read_text(errors="replace"), server.log_tail()
    print(f"\nscale: both servers stopped in {stop_seconds:.2f}s (exit codes {codes})")
