"""mail.outbox with a real SMTP server on 127.0.0.1: delivery, retries, exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import ConfigError
from ledger.models import AuditEvent, Communication, Customer
from mail.health import mail_health
from mail.outbox import SENDING_LEASE, deliver_due
from mail.outbox_rows import BACKOFF, MAX_ATTEMPTS, resend
from mail.smtp import SmtpTransport
from tests.support import factories as f
from tests.support.smtp import SmtpSink


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _queue(db, clock, *, n=1, **over) -> list[int]:
    with db.transaction() as s:
        c = s.get(Customer, "C-001") or f.customer(
            s, "C-001", "Globex", email="dana@globex.example"
        )
        ids = []
        for i in range(n):
            comm = Communication(
                customer_id=c.id,
                direction="out",
                status="outbox",
                message_id=f"<m{i}-{clock.now().timestamp():.0f}@ar.example>",
                thread_token=f"tok{i}",
                from_addr="AR <ar@example.com>",
                to_addrs=["dana@globex.example"],
                subject=f"Reminder {i}",
                body_text="Please pay INV-1042.",
                next_attempt_at=clock.now(),
                **over,
            )
            s.add(comm)
            s.flush()
            ids.append(comm.id)
    return ids


def _row(db, comm_id) -> Communication:
    with db.session() as s:
        return s.get(Communication, comm_id)


def _deliver(db, clock, sink, **kw):
    return _deliver_with(db, clock, SmtpTransport.from_url(sink.url), **kw)


def _deliver_with(db, clock, transport, **kw):
    return deliver_due(db, clock=clock, transport=transport, reply_domain="reply.example", **kw)


def test_due_message_is_delivered_with_recorded_headers(db, clock, sink):
    (cid,) = _queue(db, clock)
    report = _deliver(db, clock, sink)
    assert report.sent == [cid]
    row = _row(db, cid)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, clock.now())
    (msg,) = sink.messages
    assert msg["Message-ID"] == row.message_id
    assert msg["Reply-To"] == "ar+tok0@reply.example"
    assert sink.envelopes == [("ar@example.com", ["dana@globex.example"])]
    assert _deliver(db, clock, sink).claimed == 0  # nothing sent twice


def test_message_waiting_for_the_send_window_is_not_sent_early(db, clock, sink):
    (cid,) = _queue(db, clock)
    with db.transaction() as s:
        s.get(Communication, cid).next_attempt_at = clock.now() + timedelta(hours=3)
    assert _deliver(db, clock, sink).claimed == 0
    clock.advance(hours=3)
    assert _deliver(db, clock, sink).sent == [cid]


def test_a_temporary_refusal_is_retried_later_and_delivered_once(db, clock, sink):
    (cid,) = _queue(db, clock)
    sink.fail_next("451")
    first = _deliver(db, clock, sink)
    assert first.retrying == [cid] and sink.messages == []
    row = _row(db, cid)
    assert row.status == "outbox" and row.attempts == 1
    assert row.next_attempt_at == clock.now() + BACKOFF[0]
    assert "451" in row.error
    assert _deliver(db, clock, sink).claimed == 0  # not before the backoff
    clock.advance(minutes=1)
    assert _deliver(db, clock, sink).sent == [cid]
    assert len(sink.by_message_id(row.message_id)) == 1
    assert _row(db, cid).status == "sent"


def test_backoff_grows_and_gives_up_after_the_last_attempt(db, clock, sink):
    (cid,) = _queue(db, clock)
    sink.fail_next(*["451"] * MAX_ATTEMPTS)
    waits = []
    for _ in range(MAX_ATTEMPTS):
        report = _deliver(db, clock, sink)
        assert report.claimed == 1
        row = _row(db, cid)
        if row.next_attempt_at:
            waits.append(row.next_attempt_at - clock.now())
            clock.advance(seconds=(row.next_attempt_at - clock.now()).total_seconds())
    assert waits == list(BACKOFF)
    row = _row(db, cid)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert "451" in row.error and sink.messages == []
    with db.session() as s:
        events = [e.event for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert events.count("email_retry") == MAX_ATTEMPTS - 1 and events[-1] == "email_failed"


def test_a_row_stuck_in_sending_after_a_crash_goes_out_with_the_same_message_id(db, clock, sink):
    (cid,) = _queue(db, clock)
    with db.transaction() as s:  # a worker claimed it and died before sending
        row = s.get(Communication, cid)
        row.status, row.attempts = "sending", 1
        row.next_attempt_at = clock.now() + SENDING_LEASE
        message_id = row.message_id
    assert timedelta(minutes=1) == SENDING_LEASE
    assert _deliver(db, clock, sink).claimed == 0  # its lease still runs
    clock.advance(minutes=1)
    assert _deliver(db, clock, sink).sent == [cid]
    assert [m["Message-ID"] for m in sink.messages] == [message_id]
    assert _row(db, cid).attempts == 2


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_wrong_password_fails_at_once_pauses_sending_and_is_reported(db, clock):
    with SmtpSink(auth=("ar", "s3cret")) as sink:
        first, second = _queue(db, clock, n=2)
        wrong = SmtpTransport.from_url(sink.url.replace("s3cret", "wrong"))
        report = deliver_due(db, clock=clock, transport=wrong)
        assert report.failed == [first] and "535" in report.errors[first]
        assert "check the user and password" in _row(db, first).error
        assert _row(db, second).status == "outbox"  # not failed along with it
        smtp = mail_health(db)["smtp"]
        assert (smtp.ok, smtp.fatal) == (False, True) and "535" in smtp.reason
        assert deliver_due(db, clock=clock, transport=wrong).paused  # no more tries for now
        assert _row(db, second).status == "outbox"
        clock.advance(minutes=5)
        assert _deliver(db, clock, sink).sent == [second]
        assert mail_health(db)["smtp"].ok is True
        resend(db, first, clock=clock, actor="web:alice")
        assert _deliver(db, clock, sink).sent == [first]
    assert len(sink.messages) == 2


def test_smtp_url_parsing():
    t = SmtpTransport.from_url("smtps://u%40x:p%3Aw@mail.example?timeout=5")
    assert (t.host, t.port, t.username, t.password, t.tls, t.timeout) == (
        "mail.example",
        465,
        "u@x",
        "p:w",
        True,
        5.0,
    )
    t = SmtpTransport.from_url("smtp://mail.example:587?starttls=1")
    assert (t.port, t.starttls, t.tls, t.username) == (587, True, False, None)
    with pytest.raises(ConfigError, match="AR_AGENT_SMTP_URL"):
        SmtpTransport.from_url("http://mail.example")


def test_parallel_workers_deliver_each_message_exactly_once(db, clock, sink):
    ids = _queue(db, clock, n=10)
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        _deliver(db, clock, sink)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(m["Message-ID"] for m in sink.messages) == sorted(
        _row(db, i).message_id for i in ids
    )


@pytest.mark.parametrize("tls", ["starttls", "smtps"])
def test_delivery_over_tls(db, clock, tls):
    with SmtpSink(tls=tls) as server:
        (cid,) = _queue(db, clock)
        assert _deliver(db, clock, server).sent == [cid]
    assert len(server.messages) == 1


def test_an_unverifiable_certificate_fails_at_once_and_is_reported(db, clock):
    with SmtpSink(tls="smtps") as server:
        (cid,) = _queue(db, clock)
        strict = SmtpTransport.from_url(server.url.replace("&verify=0", ""))
        report = deliver_due(db, clock=clock, transport=strict)
    assert report.failed == [cid] and "CERTIFICATE_VERIFY_FAILED" in report.errors[cid]
    assert _row(db, cid).status == "failed"
    assert mail_health(db)["smtp"].fatal and server.messages == []


def test_a_private_ca_file_is_trusted(db, clock, tmp_path):
    with SmtpSink(tls="smtps") as server:
        (cid,) = _queue(db, clock)
        url = server.url.replace("&verify=0", f"&cafile={server.certificate}")
        assert _deliver_with(db, clock, SmtpTransport.from_url(url)).sent == [cid]
    assert len(server.messages) == 1


def test_a_sender_that_crashes_mid_send_every_time_is_given_up(db, clock, sink):
    (cid,) = _queue(db, clock)
    with db.transaction() as s:
        row = s.get(Communication, cid)
        row.status, row.attempts, row.next_attempt_at = "sending", MAX_ATTEMPTS, clock.now()
    report = _deliver(db, clock, sink)
    assert report.failed == [cid] and report.claimed == 0
    row = _row(db, cid)
    assert row.status == "failed" and "stopped mid-send" in row.error
    assert sink.messages == []


def test_an_unexpected_error_is_retried_not_stuck(db, clock, sink):
    (cid,) = _queue(db, clock)

    class Broken:
        def send(self, message, progress=None):
            raise RuntimeError("bug in transport")

    report = deliver_due(db, clock=clock, transport=Broken())
    assert report.retrying == [cid] and "bug in transport" in report.errors[cid]
    assert _row(db, cid).status == "outbox"
    clock.advance(minutes=1)
    assert _deliver(db, clock, sink).sent == [cid]
