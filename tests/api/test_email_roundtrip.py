"""Issue 4's round trip: drafted → approved → sent over real SMTP (aiosmtpd on 127.0.0.1) → the
customer's reply comes back through the webhook and lands on the same conversation and invoices."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from api.server import build_context
from approvals.executor import execute
from approvals.queue import approve, propose
from ledger.importer import load_ledger_file
from ledger.models import Communication
from mail.outbox import deliver_due
from mail.smtp import SmtpTransport
from policies.actions import ProposedAction
from tests.api.conftest import FIXTURES, make_settings
from tests.support.smtp import SmtpSink

REMINDER = (
    "Dear Dana,\n\nINV-1042 for 12,400.00 USD was due on 2026-10-01 and is still open. "
    "You can pay at https://pay.example.com. If you dispute it, reply to this email.\n\nThanks"
)


@pytest.fixture
def sink():
    with SmtpSink() as s:
        yield s


@pytest.fixture
def app_ctx(db, clock, sink):
    settings = make_settings(
        AR_AGENT_SMTP_URL=sink.url,
        AR_AGENT_REPLY_DOMAIN="ar.example.com",
        AR_AGENT_FROM="Example Co. AR <ar@example.com>",
    )
    ctx = build_context(settings, db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    return ctx


def send_reminder(ctx, sink) -> Communication:
    action = ProposedAction(
        type="send_email",
        reason="first reminder",
        payload={
            "customer": "C-001",
            "to": ["dana@globex.example"],
            "subject": "Invoice INV-1042 is overdue",
            "body": REMINDER,
            "invoices": ["INV-1042"],
            "stage": "first",
        },
    )
    with ctx.db.transaction() as session:
        approval_id = propose(session, action, clock=ctx.clock).approval.id
    approve(ctx.db, approval_id, user="web:Alex", clock=ctx.clock)
    assert execute(ctx.db, approval_id, clock=ctx.clock, settings=ctx.settings).ok
    report = deliver_due(
        ctx.db,
        clock=ctx.clock,
        transport=SmtpTransport.from_url(sink.url),
        from_addr=ctx.settings.from_address,
        reply_domain=ctx.settings.reply_domain,
    )
    assert len(sink.messages) == 1, report
    with ctx.db.session() as session:
        return session.scalars(select(Communication).where(Communication.direction == "out")).one()


def test_reply_comes_back_to_the_same_conversation(app_ctx, sink):
    out = send_reminder(app_ctx, sink)
    sent = sink.messages[0]
    assert sent["Message-ID"] == out.message_id
    reply_to = sent["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("ar+") and reply_to.endswith("@ar.example.com")

    raw = (
        f"From: Dana Ruiz <dana@globex.example>\r\nTo: {reply_to}\r\n"
        f"Subject: RE: {sent['Subject']}\r\nMessage-ID: <reply-1@globex.example>\r\n"
        f"In-Reply-To: {out.message_id}\r\nReferences: {out.message_id}\r\n"
        "Date: Mon, 23 Nov 2026 10:02:00 -0600\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Sorry about this one, we'll pay it this Friday.\r\n\r\nDana\r\n\r\n"
        "On Mon, Nov 23, 2026 at 9:00 AM Example Co. AR <ar@example.com> wrote:\r\n"
        "> Dear Dana,\r\n> INV-1042 for 12,400.00 USD was due on 2026-10-01\r\n"
    ).encode()
    client = TestClient(create_app(app_ctx.settings, ctx=app_ctx))
    response = client.post(
        "/email/inbound",
        content=raw,
        headers={"Content-Type": "message/rfc822", "X-AR-Agent-Secret": "inbound-secret"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["customer"] == "C-001" and "INV-1042" in result["invoices"]
    assert result["intent"] == "promise_to_pay"
    assert (
        result["reply_text"].startswith("Sorry about this one")
        and "wrote:" not in result["reply_text"]
    )
    promise = [p for p in result["proposals"] if p["type"] == "record_promise"]
    assert promise and promise[0]["payload"]["date"] == "2026-11-27"
    with app_ctx.db.session() as session:
        inbound = session.scalars(
            select(Communication).where(Communication.direction == "in")
        ).one()
        assert inbound.meta["link"]["thread_communication_id"] == out.id
        assert [i.number for i in inbound.invoices] == ["INV-1042"]
        assert inbound.intent == "promise_to_pay" and inbound.status == "processed"

    again = client.post(
        "/email/inbound",
        content=raw,
        headers={"Content-Type": "message/rfc822", "X-AR-Agent-Secret": "inbound-secret"},
    )
    assert again.json()["duplicate"] is True
    with app_ctx.db.session() as session:
        assert (
            len(session.scalars(select(Communication).where(Communication.direction == "in")).all())
            == 1
        )


def test_webhook_refuses_a_wrong_secret(app_ctx):
    client = TestClient(create_app(app_ctx.settings, ctx=app_ctx))
    response = client.post(
        "/email/inbound?secret=nope",
        content=b"From: x@y.z\r\n\r\nhi",
        headers={"Content-Type": "message/rfc822"},
    )
    assert response.status_code == 401


def test_webhook_takes_a_postmark_json_shape(app_ctx):
    client = TestClient(create_app(app_ctx.settings, ctx=app_ctx))
    body = {
        "From": "Bill Lumbergh <bill@initech.example>",
        "To": "ar@example.com",
        "Subject": "Invoice INV-2002",
        "MessageID": "pm-1@postmark",
        "TextBody": "Hi, the quantity on INV-2002 is wrong: we ordered 10 units, not 12.\n\nBill",
        "Headers": [{"Name": "Message-ID", "Value": "<pm-1@initech.example>"}],
    }
    response = client.post(
        "/email/inbound",
        content=json.dumps(body),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic "
            + __import__("base64").b64encode(b"postmark:inbound-secret").decode(),
        },
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["customer"] == "C-002" and result["intent"] == "dispute"
    assert any(
        p["type"] == "open_dispute" and p["payload"]["invoice"] == "INV-2002"
        for p in result["proposals"]
    )


def test_garbage_is_stored_and_escalated_never_lost(app_ctx):
    client = TestClient(create_app(app_ctx.settings, ctx=app_ctx))
    response = client.post(
        "/email/inbound",
        content=b"\x00\x01 this is not an email at all \xff",
        headers={"Content-Type": "message/rfc822", "X-AR-Agent-Secret": "inbound-secret"},
    )
    assert response.status_code == 200
    with app_ctx.db.session() as session:
        stored = session.scalars(select(Communication).where(Communication.direction == "in")).one()
        assert stored.raw
