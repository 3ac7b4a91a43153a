"""The outbox at the SMTP edge, against a real SMTP server on 127.0.0.1 (aiosmtpd).

Sent at the server's 250 (before QUIT); no answer after the end of DATA is
``delivery_unknown`` and never goes out again by itself; a 5xx fails at once and flags
the refused recipients' contacts as bouncing; a crash while handing over shows in a minute.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import ConflictError
from ledger.models import AuditEvent, Communication, Contact, Customer
from mail.bounces import is_address_refusal
from mail.outbox import deliver_due
from mail.outbox_rows import close, resend
from mail.smtp import SmtpTransport
from tests.support import factories as f
from tests.support.smtp import SmtpSink

DANA, LEE = "dana@globex.example", "lee@globex.example"


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _queue(db, clock, *, to=(DANA,), cc=()) -> int:
    with db.transaction() as s:
        c = s.get(Customer, "C-001")
        if c is None:
            c = f.customer(s, "C-001", "Globex", email=DANA)
            c.contacts.append(Contact(name="Lee", email=LEE, role="billing"))
        comm = Communication(
            customer_id=c.id,
            direction="out",
            status="outbox",
            message_id=f"<edge-{len(list(s.scalars(select(Communication.id))))}@ar.example>",
            thread_token="tok",
            from_addr="AR <ar@example.com>",
            to_addrs=list(to),
            cc_addrs=list(cc),
            subject="Reminder",
            body_text="Please pay INV-1042.",
            next_attempt_at=clock.now(),
        )
        s.add(comm)
        s.flush()
        return comm.id


def _deliver(db, clock, url: str):
    return deliver_due(db, clock=clock, transport=SmtpTransport.from_url(url))


def _row(db, comm_id) -> Communication:
    with db.session() as s:
        return s.get(Communication, comm_id)


def _contact(db, email) -> Contact:
    with db.session() as s:
        return s.scalars(select(Contact).where(Contact.email == email)).one()


def _events(db) -> list[str]:
    with db.session() as s:
        return [e.event for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_sent_is_committed_at_the_250_before_quit(db, clock, sink):
    cid = _queue(db, clock)
    seen_at_quit = []
    sink.on_quit = lambda: seen_at_quit.append(_row(db, cid).status)
    assert _deliver(db, clock, sink.url).sent == [cid]
    assert seen_at_quit == ["sent"]


@pytest.mark.parametrize("mode", ["accept_drop", "drop"])
def test_a_drop_after_the_end_of_data_is_delivery_unknown_and_never_resent_by_itself(
    any_db, clock, sink, mode
):
    db = any_db
    cid = _queue(db, clock)
    sink.fail_next(mode)
    report = _deliver(db, clock, sink.url)
    assert report.unknown == [cid] and report.sent == report.retrying == []
    row = _row(db, cid)
    assert row.status == "delivery_unknown" and "may have accepted" in row.error
    for _ in range(3):  # later passes, hours later: nothing goes out again
        clock.advance(hours=7)
        assert _deliver(db, clock, sink.url).claimed == 0
    assert len(sink.messages) == (1 if mode == "accept_drop" else 0)
    assert "email_delivery_unknown" in _events(db)


def test_a_person_resends_or_closes_a_delivery_unknown_email_and_both_are_audited(db, clock, sink):
    first, second = _queue(db, clock), _queue(db, clock)
    sink.fail_next("drop", "drop")
    assert sorted(_deliver(db, clock, sink.url).unknown) == [first, second]
    resend(db, first, clock=clock, actor="web:alice")
    close(db, second, clock=clock, actor="web:bob")
    assert _deliver(db, clock, sink.url).sent == [first]
    assert [m["Message-ID"] for m in sink.messages] == [_row(db, first).message_id]
    assert _row(db, second).status == "closed"
    with db.session() as s:
        decisions = select(AuditEvent).where(AuditEvent.event.in_(["email_resend", "email_closed"]))
        decided = {e.event: e.actor for e in s.scalars(decisions)}
    assert decided == {"email_resend": "web:alice", "email_closed": "web:bob"}
    with pytest.raises(ConflictError):
        close(db, first, clock=clock, actor="web:bob")  # sent: nothing to close


def test_the_reply_to_the_end_of_data_is_awaited_longer_than_a_command(db, clock, sink):
    cid = _queue(db, clock)
    sink.slow_seconds = 1.5
    sink.fail_next("slow")  # a content filter: longer than a command's timeout
    url = sink.url.replace("timeout=10", "timeout=0.5&data_timeout=10")
    assert _deliver(db, clock, url).sent == [cid]
    assert len(sink.messages) == 1


def test_no_reply_to_the_end_of_data_within_its_timeout_is_delivery_unknown(db, clock, sink):
    cid = _queue(db, clock)
    sink.slow_seconds = 2
    sink.fail_next("slow")
    url = sink.url.replace("timeout=10", "timeout=10&data_timeout=0.3")
    report = _deliver(db, clock, url)
    assert report.unknown == [cid]
    clock.advance(hours=1)
    assert _deliver(db, clock, sink.url).claimed == 0
    assert len(sink.messages) == 1  # the server kept it; nobody sent it twice


def test_a_crash_while_handing_over_becomes_delivery_unknown_within_a_minute(db, clock, sink):
    cid = _queue(db, clock)
    with db.transaction() as s:  # a worker sent the content and died before recording
        row = s.get(Communication, cid)
        row.status, row.attempts = "submitting", 1
        row.next_attempt_at = clock.now() + timedelta(minutes=1)
    assert _deliver(db, clock, sink.url).unknown == []
    clock.advance(minutes=1)
    assert _deliver(db, clock, sink.url).unknown == [cid]
    assert _row(db, cid).status == "delivery_unknown" and sink.messages == []


def test_a_550_at_rcpt_fails_at_once_and_flags_the_contact(db, clock, sink):
    cid = _queue(db, clock)
    sink.refuse_rcpt[DANA] = "550 5.1.1 <dana@globex.example>: User unknown"
    report = _deliver(db, clock, sink.url)
    assert report.failed == [cid] and report.retrying == []
    row = _row(db, cid)
    assert (row.status, row.attempts) == ("failed", 1) and "User unknown" in row.error
    assert row.meta["recipients"] == {DANA: "550 5.1.1 <dana@globex.example>: User unknown"}
    dana = _contact(db, DANA)
    assert dana.bounced_at == clock.now() and "550 5.1.1" in dana.bounce_reason
    clock.advance(days=1)
    assert _deliver(db, clock, sink.url).claimed == 0 and sink.messages == []


def test_a_cc_refused_among_accepted_recipients_is_recorded_per_recipient(db, clock, sink):
    cid = _queue(db, clock, to=[DANA], cc=[LEE])
    sink.refuse_rcpt[LEE] = "550 5.1.1 User unknown"
    assert _deliver(db, clock, sink.url).sent == [cid]
    row = _row(db, cid)
    assert row.meta["recipients"] == {DANA: "250 accepted", LEE: "550 5.1.1 User unknown"}
    assert "lee@globex.example: 550" in row.error
    assert sink.envelopes == [("ar@example.com", [DANA])]
    assert _contact(db, LEE).bounced_at is not None and _contact(db, DANA).bounced_at is None


def test_a_temporary_rcpt_refusal_is_retried_like_an_outage(db, clock, sink):
    cid = _queue(db, clock)
    sink.refuse_rcpt[DANA] = "450 4.2.1 mailbox busy"
    assert _deliver(db, clock, sink.url).retrying == [cid]
    assert _contact(db, DANA).bounced_at is None
    sink.refuse_rcpt.clear()
    clock.advance(minutes=1)
    assert _deliver(db, clock, sink.url).sent == [cid]


def test_a_5xx_to_the_end_of_data_fails_at_once(db, clock, sink):
    cid = _queue(db, clock)
    sink.fail_next("554")
    assert _deliver(db, clock, sink.url).failed == [cid]
    row = _row(db, cid)
    assert row.status == "failed" and "554" in row.error and row.attempts == 1
    assert _contact(db, DANA).bounced_at is None  # the content, not the address


def test_a_sender_whose_claim_was_taken_over_stops_before_the_content(db, clock, sink):
    cid = _queue(db, clock)

    class TakenOver(SmtpTransport):
        def send(self, message, progress=None):
            with db.transaction() as s:  # another worker re-claimed the row meanwhile
                s.get(Communication, cid).attempts = 5
                s.get(Communication, cid).status = "outbox"
            return super().send(message, progress)

    plain = SmtpTransport.from_url(sink.url)
    transport = TakenOver(**{k: getattr(plain, k) for k in plain.__dataclass_fields__})
    report = deliver_due(db, clock=clock, transport=transport)
    assert report.sent == [] and "no longer ours" in report.errors[cid]
    assert sink.messages == [] and _row(db, cid).attempts == 5  # untouched


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_server_that_wants_a_login_we_did_not_give_is_a_configuration_failure(db, clock):
    with SmtpSink(auth=("ar", "s3cret")) as server:
        cid = _queue(db, clock)
        anonymous = server.url.replace("ar:s3cret@", "")
        report = _deliver(db, clock, anonymous)
    assert report.failed == [cid] and "530" in report.errors[cid]
    assert report.paused and _row(db, cid).status == "failed"


def test_a_policy_refusal_at_rcpt_fails_at_once_but_flags_nobody(db, clock, sink):
    cid = _queue(db, clock)
    sink.refuse_rcpt[DANA] = "554 5.7.1 <dana@globex.example>: Relay access denied"
    assert _deliver(db, clock, sink.url).failed == [cid]
    assert "Relay access denied" in _row(db, cid).error
    assert _contact(db, DANA).bounced_at is None


@pytest.mark.parametrize(
    ("answer", "bad_address"),
    [
        ("550 5.1.1 <a@b>: User unknown", True),
        ("550 5.1.10 RESOLVER.ADR.RecipientNotFound", True),
        ("550 5.2.1 mailbox disabled", True),
        ("550 No such user here", True),
        ("554 5.7.1 Relay access denied", False),
        ("550 5.7.1 message rejected as spam", False),
        ("552 5.2.2 mailbox full", False),
        ("450 4.1.1 try later", False),
        ("554 transaction failed", False),
    ],
)
def test_which_refusals_say_the_address_is_bad(answer, bad_address):
    assert is_address_refusal(answer) is bad_address
