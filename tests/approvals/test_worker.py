"""The worker end to end: approved actions execute, the outbox delivers over real SMTP."""

from __future__ import annotations

import threading
from email.utils import parseaddr

from sqlalchemy import select

from approvals import queue
from approvals.executors import EXECUTORS
from approvals.worker import MAX_CRASHES, run_once, start_worker
from ledger.models import Approval, Communication
from mail.smtp import SmtpTransport
from tests.approvals.conftest import action, approved, email
from tests.support.smtp import SmtpSink


def test_drafted_approved_sent_and_the_follow_up_threads(ledger, clock, policy, monkeypatch):
    monkeypatch.setenv("AR_AGENT_REPLY_DOMAIN", "reply.example")
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        with SmtpSink() as sink:
            first = approved(ledger, email(), clock, policy)
            report = run_once(ledger, clock, SmtpTransport.from_url(sink.url), policy=policy)
            assert report.executed == [first] and len(report.delivery.sent) == 1
            clock.advance(days=7)
            second = approved(
                ledger, email(payload={"subject": "Following up", "stage": "second"}), clock, policy
            )
            run_once(ledger, clock, SmtpTransport.from_url(sink.url), policy=policy)
            assert (
                run_once(
                    ledger, clock, SmtpTransport.from_url(sink.url), policy=policy
                ).delivery.claimed
                == 0
            )
    finally:
        get_settings.cache_clear()
    with ledger.session() as s:
        a, b = s.scalars(select(Communication).order_by(Communication.id)).all()
        assert (a.approval_id, b.approval_id) == (first, second)
    m1, m2 = sink.messages
    assert m1["Message-ID"] == a.message_id and m2["Message-ID"] == b.message_id
    assert m1["Message-ID"].endswith("@reply.example>")
    assert parseaddr(m1["Reply-To"])[1] == f"ar+{a.thread_token}@reply.example"
    assert m2["Reply-To"] == m1["Reply-To"]
    assert m2["In-Reply-To"] == a.message_id and m2["References"] == a.message_id
    assert m1["In-Reply-To"] is None
    assert "12,400.00 USD" in m1.get_body(("plain",)).get_content()


def test_an_executor_that_keeps_crashing_is_failed_after_three_tries(
    ledger, clock, policy, monkeypatch
):
    def boom(ctx):
        raise RuntimeError("bug in executor")

    monkeypatch.setitem(EXECUTORS, "escalate", boom)
    a = approved(ledger, action("escalate", reason="needs a human"), clock, policy)
    transport = SmtpTransport("127.0.0.1", 9)  # never used: nothing to deliver
    from collections import Counter

    crashes: Counter[int] = Counter()
    for _ in range(MAX_CRASHES):
        report = run_once(ledger, clock, transport, policy=policy, crashes=crashes)
        assert report.crashed == [a]
    with ledger.session() as s:
        row = s.get(Approval, a)
    assert row.status == "failed" and "crashed 3 times: bug in executor" in row.error


def test_started_worker_executes_and_stops(ledger, clock, policy):
    with SmtpSink() as sink:
        with ledger.transaction() as s:
            pending = queue.propose(s, email(), clock=clock, policy=policy).approval.id
        queue.approve(ledger, pending, user="ann", clock=clock, policy=policy)
        done = threading.Event()
        thread, stop = start_worker(
            ledger, clock, SmtpTransport.from_url(sink.url), interval=0.05, policy=policy
        )
        for _ in range(200):
            if sink.messages:
                break
            done.wait(0.05)
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert len(sink.messages) == 1


def test_without_a_transport_actions_execute_and_emails_wait(ledger, clock, policy):
    a = approved(ledger, email(), clock, policy)
    report = run_once(ledger, clock, None, policy=policy)
    assert report.executed == [a] and report.delivery.claimed == 0
    with ledger.session() as s:
        assert s.scalars(select(Communication.status)).all() == ["outbox"]


def test_reminder_waiting_for_the_window_is_cancelled_when_paid_meanwhile(ledger, clock, policy):
    from ledger.models import AuditEvent, Invoice

    clock.advance(hours=12)  # Monday 21:00 in Chicago: it waits for Tuesday 08:00
    a = approved(ledger, email(), clock, policy)
    with SmtpSink() as sink:
        transport = SmtpTransport.from_url(sink.url)
        assert run_once(ledger, clock, transport, policy=policy).executed == [a]
        with ledger.transaction() as s:
            s.scalars(select(Invoice).where(Invoice.number == "INV-1042")).one().balance = 0
        clock.advance(hours=11)
        report = run_once(ledger, clock, transport, policy=policy)
    assert sink.messages == []
    assert len(report.delivery.cancelled) == 1
    with ledger.session() as s:
        comm = s.scalars(select(Communication)).one()
        events = s.scalars(select(AuditEvent.event).where(AuditEvent.approval_id == a)).all()
    assert comm.status == "failed" and "INV-1042 has been paid" in comm.error
    assert events[-1] == "email_cancelled"


def test_waiting_reminder_goes_out_when_the_window_opens(ledger, clock, policy):
    clock.advance(hours=12)
    approved(ledger, email(), clock, policy)
    with SmtpSink() as sink:
        transport = SmtpTransport.from_url(sink.url)
        assert run_once(ledger, clock, transport, policy=policy).delivery.claimed == 0
        clock.advance(hours=10, minutes=59)  # Tuesday 07:59
        assert run_once(ledger, clock, transport, policy=policy).delivery.claimed == 0
        clock.advance(minutes=1)
        assert len(run_once(ledger, clock, transport, policy=policy).delivery.sent) == 1
    assert len(sink.messages) == 1


def test_a_recipient_refused_for_good_is_escalated_once_naming_the_address(ledger, clock, policy):
    with SmtpSink() as sink:
        sink.refuse_rcpt["dana@globex.example"] = "550 5.1.1 User unknown"
        sent = approved(ledger, email(), clock, policy)
        report = run_once(ledger, clock, SmtpTransport.from_url(sink.url), policy=policy)
        assert report.executed == [sent] and len(report.delivery.failed) == 1
        (escalation,) = report.escalated
        again = run_once(ledger, clock, SmtpTransport.from_url(sink.url), policy=policy)
        assert again.escalated == []
    with ledger.session() as s:
        row = s.get(Approval, escalation)
        assert (row.type, row.status, row.requested_by) == ("escalate", "pending", "outbox")
        reason = row.payload["reason"]
    assert reason.startswith("Mail to dana@globex.example bounced: 550 5.1.1 User unknown.")
    assert "flagged as bouncing" in reason
