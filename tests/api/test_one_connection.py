"""No request holds two pool connections at once: every page and API route, on PostgreSQL.

The middleware counts the connections each request checks out; a page whose layout opened a
second session for the pending badge while the page's own was open (the approvals page once
did) would count here, as would a route whose dependency session and body session differ.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from api.main import create_app
from api.server import build_context
from approvals.queue import propose
from ledger.importer import load_ledger_file
from policies.actions import ProposedAction
from tests.api.conftest import FIXTURES, make_settings

pytestmark = pytest.mark.postgres
AUTH = {"Authorization": "Bearer test-token"}
PAGES = [
    "/approvals",
    "/approvals?view=decided",
    "/approvals?view=blocked",
    "/chat",
    "/dashboard",
    "/customers",
    "/customers/C-001",
    "/outbox",
    "/bank",
]
API = [
    "/api/approvals",
    "/api/customers",
    "/api/customers/C-001",
    "/api/invoices",
    "/api/invoices/INV-1042",
    "/healthz",
    "/readyz",
    "/metrics",
]


def _nested() -> float:
    total = 0.0
    for metric in REGISTRY.collect():
        if metric.name == "ar_agent_http_nested_db_checkouts":
            total += sum(s.value for s in metric.samples if s.name.endswith("_total"))
    return total


def _hold(ctx) -> int:
    with ctx.db.transaction() as session:
        outcome = propose(
            session,
            ProposedAction(
                type="hold_dunning",
                payload={
                    "customer": "C-001",
                    "invoices": ["INV-1042"],
                    "until": "2026-12-10",
                    "reason": "out of office",
                },
                requested_by="someone-else",
            ),
            clock=ctx.clock,
        )
        return outcome.approval.id


def test_every_route_uses_one_connection_at_a_time(pg_db, clock):
    ctx = build_context(make_settings(), db=pg_db, clock=clock)
    with pg_db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    first, second = _hold(ctx), _hold(ctx)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    before = _nested()
    for path in PAGES:  # pages answer the bearer credential as they answer a session
        assert client.get(path, headers=AUTH).status_code == 200, path
    for path in API:
        assert client.get(path, headers=AUTH).status_code == 200, path
    decided = client.post(f"/api/approvals/{first}/approve", json={}, headers=AUTH)
    assert decided.status_code == 200, decided.text
    chat = client.post(
        "/api/chat",
        json={"text": "how much does globex owe us?", "conversation_id": "one-conn"},
        headers=AUTH,
    )
    assert chat.status_code == 200
    form = client.post(f"/approvals/{second}/reject", data={"reason": "not needed"}, headers=AUTH)
    assert form.status_code in (200, 303), form.text
    assert _nested() == before
