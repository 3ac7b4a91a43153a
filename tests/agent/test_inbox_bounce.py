"""A bounce report arriving by mail flags the contact and escalates naming the address."""

from __future__ import annotations

from sqlalchemy import select

from agent.inbox import process_inbound
from ledger.models import Approval, Communication, Contact
from mail.dsn import parse_dsn
from tests.support import factories as f

ORIGINAL_ID = "<reminder-1@ar.example>"


def dsn(address: str, *, action: str = "failed", status: str = "5.1.1") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\n"
        "To: ar+tok1@reply.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.example>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\n"
        f"Action: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} <{address}>: Recipient address rejected:\r\n"
        "    User unknown in virtual mailbox table\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: AR <ar@example.com>\r\nTo: {address}\r\nMessage-ID: {ORIGINAL_ID}\r\n"
        "Subject: Invoice INV-1042\r\n\r\n"
        "--B--\r\n"
    ).encode()


def _setup(db) -> None:
    with db.transaction() as s:
        c = f.customer(s, "C-001", "Globex", email="dana@globex.example")
        c.contacts.append(Contact(name="Lee", email="lee@globex.example", role="billing"))
        s.add(
            Communication(
                customer_id="C-001",
                direction="out",
                status="sent",
                message_id=ORIGINAL_ID,
                thread_token="tok1",
                to_addrs=["dana@globex.example"],
                subject="Invoice INV-1042",
            )
        )


def test_a_bounce_report_flags_the_contact_and_escalates_saying_which_address_and_why(db, clock):
    _setup(db)
    result = process_inbound(db, dsn("Dana@Globex.example"), clock=clock)
    assert result["customer"] == "C-001"
    assert result["bounced"] == {
        "dana@globex.example": "550 5.1.1 <Dana@Globex.example>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    }
    (proposal,) = result["proposals"]
    assert proposal["type"] == "escalate"
    reason = proposal["payload"]["reason"]
    assert reason.startswith("Mail to dana@globex.example bounced: 550 5.1.1")
    assert "flagged as bouncing" in reason and "unclear intent" not in reason
    with db.session() as s:
        dana = s.scalars(select(Contact).where(Contact.email == "dana@globex.example")).one()
        lee = s.scalars(select(Contact).where(Contact.email == "lee@globex.example")).one()
        assert dana.bounced_at == clock.now() and "User unknown" in dana.bounce_reason
        assert lee.bounced_at is None
        original = s.scalars(
            select(Communication).where(Communication.message_id == ORIGINAL_ID)
        ).one()
        assert "dana@globex.example" in original.meta["bounced"]
        assert [a.type for a in s.scalars(select(Approval))] == ["escalate"]


def test_a_delay_notice_flags_nobody(db, clock):
    _setup(db)
    process_inbound(db, dsn("dana@globex.example", action="delayed", status="4.4.1"), clock=clock)
    with db.session() as s:
        assert s.scalars(select(Contact).where(Contact.bounced_at.is_not(None))).all() == []


def test_the_report_names_each_recipient_and_the_original_message():
    report = parse_dsn(dsn("dana@globex.example"))
    assert report is not None and report.original_message_id == ORIGINAL_ID
    (failed,) = report.failed
    assert (failed.address, failed.status) == ("dana@globex.example", "5.1.1")
    assert parse_dsn(b"From: a@b\r\nSubject: hi\r\n\r\nhello\r\n") is None


def test_a_policy_bounce_is_escalated_without_flagging_the_contact(db, clock):
    _setup(db)
    result = process_inbound(db, dsn("dana@globex.example", status="5.7.1"), clock=clock)
    (proposal,) = result["proposals"]
    assert "not about the address itself" in proposal["payload"]["reason"]
    with db.session() as s:
        assert s.scalars(select(Contact).where(Contact.bounced_at.is_not(None))).all() == []
