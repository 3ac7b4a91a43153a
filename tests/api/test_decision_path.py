"""Every front end decides through ``application.decisions.decide_approval`` (issue 17 item 1),
passing the identity its credential proved."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from application import decisions
from approvals.queue import propose
from cli.main import main
from core.settings import get_settings
from ledger.models import Approval
from policies.actions import ProposedAction
from tests.api.conftest import post_interaction
from tests.api.test_slack import button
from tests.support.accounts import add_account, bearer


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str, bool]]:
    """(username, via, approve) of every decide_approval call, which still does its work."""
    seen: list[tuple[str, str, bool]] = []
    real = decisions.decide_approval

    def spy(db, decision, *, actor, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((actor.username, actor.via, decision.approve))
        return real(db, decision, actor=actor, **kwargs)

    monkeypatch.setattr(decisions, "decide_approval", spy)
    return seen


def escalation(ctx) -> int:
    with ctx.db.transaction() as session:
        return propose(
            session,
            ProposedAction(type="escalate", payload={"customer": "C-001", "reason": "look"}),
            clock=ctx.clock,
        ).approval.id


def status(ctx, approval_id: int) -> str:
    with ctx.db.session() as session:
        return session.get(Approval, approval_id).status


def test_web(slack_ctx, calls):
    add_account(slack_ctx.db, "wendy", "approver", password="wendy-password")
    client = TestClient(create_app(slack_ctx.settings, ctx=slack_ctx))
    client.post("/login", data={"username": "wendy", "password": "wendy-password"})
    client.get("/approvals")
    csrf = client.cookies.get("ar_csrf")
    first, second = escalation(slack_ctx), None
    client.post(f"/approvals/{first}/approve", data={"csrf": csrf})
    with slack_ctx.db.transaction() as session:
        second = propose(
            session,
            ProposedAction(type="escalate", payload={"customer": "C-002", "reason": "x"}),
            clock=slack_ctx.clock,
        ).approval.id
    client.post(f"/approvals/{second}/reject", data={"csrf": csrf, "reason": "no"})
    assert calls == [("wendy", "password", True), ("wendy", "password", False)]
    assert (status(slack_ctx, first), status(slack_ctx, second)) == ("executed", "rejected")


def test_rest(slack_ctx, calls):
    token = add_account(slack_ctx.db, "rita", "approver")
    client = TestClient(create_app(slack_ctx.settings, ctx=slack_ctx))
    number = escalation(slack_ctx)
    client.post(f"/api/approvals/{number}/approve", json={}, headers=bearer(token))
    assert calls == [("rita", "api_token", True)] and status(slack_ctx, number) == "executed"


def test_slack(slack_client, slack_ctx, corpora, calls):
    number = escalation(slack_ctx)
    post_interaction(slack_client, button(corpora, "approval_approve", str(number), "UAPPROVER1"))
    deadline = time.monotonic() + 10
    while status(slack_ctx, number) != "executed" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert calls == [("ann", "slack", True)] and status(slack_ctx, number) == "executed"


def test_cli(slack_ctx, calls, monkeypatch, tmp_path):
    url = str(slack_ctx.db.engine.url)
    token = add_account(slack_ctx.db, "cleo", "approver")
    number = escalation(slack_ctx)
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", url)
    monkeypatch.setenv("AR_AGENT_TOKEN", token)
    monkeypatch.delenv("AR_AGENT_SMTP_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["approvals", "approve", str(number)]) == 0
    finally:
        get_settings.cache_clear()
    assert calls == [("cleo", "api_token", True)] and status(slack_ctx, number) == "executed"
