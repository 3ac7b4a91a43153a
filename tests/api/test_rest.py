"""The REST API: token auth, OpenAPI schema, approvals, customers, invoices, chat; CSRF on forms."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.server import build_context
from approvals.queue import propose
from ledger.importer import load_ledger_file
from policies.actions import ProposedAction
from tests.api.conftest import FIXTURES, make_settings
from tests.support.accounts import add_account, bearer

AUTH: dict[str, str] = {}


@pytest.fixture
def client(db, clock):
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    AUTH.clear()
    AUTH.update(bearer(add_account(db, "alex", "approver")))
    return TestClient(create_app(ctx.settings, ctx=ctx)), ctx


def test_api_needs_the_token(client):
    c, _ = client
    assert c.get("/api/customers").status_code == 401
    assert c.get("/api/customers", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/customers", headers=AUTH).status_code == 200


def test_openapi_schema_lists_the_api(client):
    c, _ = client
    paths = c.get("/openapi.json").json()["paths"]
    assert {
        "/api/approvals",
        "/api/approvals/{approval_id}/approve",
        "/api/customers",
        "/api/invoices",
        "/api/chat",
        "/email/inbound",
    } <= set(paths)


def test_customers_and_invoices(client):
    c, _ = client
    globex = c.get("/api/customers/C-001", headers=AUTH).json()
    assert globex["name"] == "Globex Corporation"
    assert [i["number"] for i in globex["open_invoices"]] == ["INV-1042", "INV-1077"]
    found = c.get("/api/customers", params={"q": "initech"}, headers=AUTH).json()
    assert found[0]["id"] == "C-002" and found[0]["open_balance"] == "5000.50"
    late = c.get("/api/invoices", params={"min_days_overdue": 60}, headers=AUTH).json()
    assert [i["number"] for i in late] == ["INV-2001"]
    assert c.get("/api/invoices/NOPE", headers=AUTH).status_code == 404


def test_approve_and_reject_through_the_api(client):
    c, ctx = client
    with ctx.db.transaction() as session:
        hold = propose(
            session,
            ProposedAction(
                type="hold_dunning",
                payload={
                    "customer": "C-002",
                    "invoices": ["INV-2002"],
                    "until": "2026-12-01",
                    "reason": "customer on leave",
                },
            ),
            clock=ctx.clock,
        ).approval.id
        escalate = propose(
            session,
            ProposedAction(
                type="escalate", payload={"customer": "C-001", "reason": "asks for a discount"}
            ),
            clock=ctx.clock,
        ).approval.id
    pending = c.get("/api/approvals", headers=AUTH).json()
    assert {a["id"] for a in pending} == {hold, escalate}
    done = c.post(f"/api/approvals/{hold}/approve", json={}, headers=AUTH).json()
    assert done["status"] == "executed" and done["decided_by"] == "alex"
    again = c.post(f"/api/approvals/{hold}/approve", json={}, headers=AUTH)
    assert again.status_code == 409
    rejected = c.post(
        f"/api/approvals/{escalate}/reject", json={"reason": "handled by phone"}, headers=AUTH
    )
    assert rejected.json()["status"] == "rejected"


def test_chat_over_the_api(client):
    c, _ = client
    reply = c.post(
        "/api/chat",
        json={"text": "how much does globex owe us?", "conversation_id": "api-1"},
        headers=AUTH,
    ).json()
    assert "20,000.00" in reply["text"]


def test_forms_need_a_csrf_token(client):
    c, ctx = client
    add_account(ctx.db, "dana", "approver", password="dana-password")
    c.post("/login", data={"username": "dana", "password": "dana-password"})
    response = c.post("/approvals/1/reject", data={"reason": "x"})
    assert response.status_code == 403
    assert "reload the page" in response.json()["detail"]


def test_pages_redirect_to_login(client):
    c, _ = client
    response = c.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
