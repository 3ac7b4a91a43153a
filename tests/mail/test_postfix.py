"""The outbox against a real Postfix on 127.0.0.1: refusals at RCPT are final and per recipient."""

from __future__ import annotations

from sqlalchemy import select

from ledger.models import Communication, Contact, Customer
from mail.outbox import deliver_due
from mail.smtp import SmtpTransport
from tests.support import factories as f

DANA, LEE, GONE = "dana@globex.example", "lee@globex.example", "gone@globex.example"


def _queue(db, clock, *, to, cc=()) -> int:
    with db.transaction() as s:
        c = s.get(Customer, "C-001")
        if c is None:
            c = f.customer(s, "C-001", "Globex", email=DANA)
            c.contacts.append(Contact(name="Lee", email=LEE, role="billing"))
            c.contacts.append(Contact(name="Gone", email=GONE, role="ap"))
        n = len(list(s.scalars(select(Communication.id))))
        comm = Communication(
            customer_id="C-001",
            direction="out",
            status="outbox",
            message_id=f"<postfix-{n}-{clock.now().timestamp():.0f}@ar.example>",
            thread_token="tok",
            from_addr="AR <ar@example.com>",
            to_addrs=list(to),
            cc_addrs=list(cc),
            subject="Invoice INV-1042",
            body_text="Please pay INV-1042.",
            next_attempt_at=clock.now(),
        )
        s.add(comm)
        s.flush()
        return comm.id


def _row(db, comm_id) -> Communication:
    with db.session() as s:
        return s.get(Communication, comm_id)


def _bounced(db) -> dict[str, str]:
    with db.session() as s:
        return {
            c.email: c.bounce_reason
            for c in s.scalars(select(Contact).where(Contact.bounced_at.is_not(None)))
        }


def test_a_550_at_rcpt_fails_the_email_at_once_and_flags_the_contact(db, clock, postfix):
    cid = _queue(db, clock, to=[GONE])
    report = deliver_due(db, clock=clock, transport=SmtpTransport.from_url(postfix.url))
    assert report.failed == [cid] and report.retrying == []
    row = _row(db, cid)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550 5.1.1" in row.error and "User unknown" in row.error
    assert list(_bounced(db)) == [GONE] and "User unknown" in _bounced(db)[GONE]
    clock.advance(days=1)  # nothing retried: it was final
    again = deliver_due(db, clock=clock, transport=SmtpTransport.from_url(postfix.url))
    assert again.claimed == 0


def test_a_refused_cc_is_recorded_per_recipient_and_the_rest_is_delivered(db, clock, postfix):
    cid = _queue(db, clock, to=[LEE], cc=[GONE])
    report = deliver_due(db, clock=clock, transport=SmtpTransport.from_url(postfix.url))
    assert report.sent == [cid]
    row = _row(db, cid)
    assert row.status == "sent"
    assert row.meta["recipients"][LEE] == "250 accepted"
    assert row.meta["recipients"][GONE].startswith("550 5.1.1")
    delivered = postfix.delivered(LEE)
    assert any(row.message_id.encode() in m for m in delivered)
    assert GONE in _bounced(db)
