"""The approvals page says which proposal superseded which, with a link to the newer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from api.server import build_context
from approvals.queue import propose
from ledger.importer import load_ledger_file
from policies.actions import ProposedAction
from tests.api.conftest import FIXTURES, make_settings
from tests.support.accounts import add_account


def test_decided_view_links_a_superseded_proposal_to_the_newer_one(db, clock):
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    ids = []
    for when, conversation in (("2026-11-27", "email:1"), ("2026-12-04", "email:2")):
        action = ProposedAction(
            type="record_promise",
            requested_by="agent",
            conversation_id=conversation,
            payload={"customer": "C-002", "invoices": ["INV-2001"], "date": when},
        )
        with db.transaction() as session:
            ids.append(propose(session, action, clock=clock).approval.id)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    add_account(ctx.db, "dana", "approver", password="dana-password")
    client.post("/login", data={"username": "dana", "password": "dana-password"})
    older, newer = ids
    decided = client.get("/approvals", params={"view": "decided"}).text
    assert f'superseded by <a href="/approvals#approval-{newer}">#{newer}</a>' in decided
    pending = client.get("/approvals").text
    assert f"Replaces #{older}" in pending and f'id="approval-{newer}"' in pending
