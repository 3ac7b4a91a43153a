"""Fixtures for the API: an app context on a small ledger, a fake Slack, signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.deps import AppContext
from api.main import create_app
from api.server import build_context
from core.settings import Settings
from ledger.importer import load_ledger_file
from tests.support.accounts import add_account
from tests.support.fake_slack import FakeSlack

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIGNING_SECRET = "secret"
# the Slack users of the tests and the accounts they are linked to
SLACK_ACCOUNTS = {
    "UCONTROLLER": ("carl", "controller"),
    "UAPPROVER1": ("ann", "approver"),
    "UAPPROVER2": ("ben", "approver"),
    "UGROUPMEMBER": ("gina", "approver"),
    "UVIEWER": ("vic", "viewer"),
    "UOUTSIDER": ("olga", "approver"),  # an approver account, but not on AR_AGENT_APPROVERS
}


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def make_settings(**overrides: Any) -> Settings:
    values = {
        "AR_AGENT_WEB_TOKEN": "test-token",
        "AR_AGENT_INBOUND_SECRET": "inbound-secret",
    } | overrides
    return Settings(**values)


@pytest.fixture
def slack_ctx(db, clock, fake_slack) -> AppContext:
    settings = make_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        AR_AGENT_SLACK_CHANNEL="C0APPROVALS",
        AR_AGENT_SLACK_API_URL=fake_slack.base_url,
        AR_AGENT_APPROVERS="UAPPROVER1,UAPPROVER2,UVIEWER,S0FINANCE",
    )
    fake_slack.usergroups["S0FINANCE"] = ["UGROUPMEMBER"]
    ctx = build_context(settings, db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    for slack_id, (username, role) in SLACK_ACCOUNTS.items():
        add_account(db, username, role, slack=slack_id)
    return ctx


@pytest.fixture
def slack_client(slack_ctx) -> TestClient:
    return TestClient(create_app(slack_ctx.settings, ctx=slack_ctx))


def sign(
    body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def post_event(client: TestClient, payload: dict[str, Any], **headers: str):  # type: ignore[no-untyped-def]
    body = json.dumps(payload)
    return client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **sign(body), **headers},
    )


def post_interaction(client: TestClient, payload: dict[str, Any]):  # type: ignore[no-untyped-def]
    body = "payload=" + quote(json.dumps(payload))
    return client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)},
    )
