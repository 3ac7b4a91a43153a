"""The Outbox page: delivery-unknown and failed emails are resent or closed by a person."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.auth import CSRF_COOKIE
from api.main import create_app
from api.server import build_context
from ledger.models import AuditEvent, Communication
from tests.api.conftest import make_settings
from tests.support.accounts import add_account


@pytest.fixture
def client(db, clock):
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as s:
        for n, (status, meta) in enumerate(
            [
                ("delivery_unknown", {}),
                (
                    "sent",
                    {
                        "recipients": {
                            "dana@globex.example": "250 accepted",
                            "gone@globex.example": "550 5.1.1 User unknown",
                        }
                    },
                ),
                ("delivery_unknown", {}),
            ],
            start=1,
        ):
            s.add(
                Communication(
                    direction="out",
                    status=status,
                    message_id=f"<page-{n}@ar.example>",
                    to_addrs=["dana@globex.example"],
                    cc_addrs=["gone@globex.example"] if n == 2 else [],
                    subject=f"Reminder {n}",
                    body_text="Please pay.",
                    meta=meta,
                )
            )
    c = TestClient(create_app(ctx.settings, ctx=ctx))
    add_account(ctx.db, "dana", "approver", password="dana-password")
    c.post("/login", data={"username": "dana", "password": "dana-password"})
    return c


def test_the_outbox_shows_unknown_deliveries_with_resend_and_close_and_refused_recipients(
    client,
):
    html = client.get("/outbox").text
    assert html.count("delivery unknown") == 2
    assert len(re.findall(r'action="/outbox/\d+/resend"', html)) == 2
    assert len(re.findall(r'action="/outbox/\d+/close"', html)) == 2
    assert "Refused: gone@globex.example (550 5.1.1 User unknown)" in html
    assert "never resent automatically" in html


def test_resend_and_close_are_recorded_with_who_did_it(client, db):
    client.get("/outbox")
    csrf = client.cookies.get(CSRF_COOKIE)
    resent = client.post("/outbox/1/resend", data={"csrf": csrf})
    assert resent.status_code == 200 and "queued" in resent.text  # the message, shown once
    client.post("/outbox/3/close", data={"csrf": csrf})
    refused = client.post("/outbox/2/close", data={"csrf": csrf})
    assert 'class="flash error"' in refused.text or "flash error" in refused.text  # sent
    with db.session() as s:
        assert [c.status for c in s.scalars(select(Communication).order_by(Communication.id))] == [
            "outbox",
            "sent",
            "closed",
        ]
        events = {e.event: e.actor for e in s.scalars(select(AuditEvent))}
    assert events == {"email_resend": "dana", "email_closed": "dana"}


def test_resend_needs_the_csrf_token(client):
    assert client.post("/outbox/1/resend", data={}).status_code == 403
