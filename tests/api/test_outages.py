"""Outside services down: ``serve`` starts anyway, says so on /readyz, and reconnects.

A real ``ar-agent serve`` process with Slack configured while Slack's API cannot be reached
(nothing listens on its port): the page and the email webhook are served, Slack-signed
requests are answered (forged ones refused), /readyz reports Slack degraded with the
reason; when the (fake) Slack API comes up on that port the backoff finds it. Socket Mode's
connection is retried the same way without holding anything up.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.server import build_context
from api.slack import start_socket_mode
from core import health
from ledger.db import Database
from mail.sink import free_port
from tests.api.conftest import make_settings, sign
from tests.api.test_slack import mention
from tests.scale.cluster import Server, server_env
from tests.support.accounts import add_account
from tests.support.fake_slack import FakeSlack

pytestmark = pytest.mark.xdist_group("outages")
SECRET = "outage-signing-secret"


@pytest.fixture
def slack_port() -> int:
    return free_port()


@pytest.fixture
def server(tmp_path: Path, slack_port: int) -> Iterator[Server]:
    env = server_env(
        f"sqlite:///{tmp_path / 'ledger.db'}",
        "",
        "slack-down",
        SLACK_BOT_TOKEN="xoxb-outage",
        SLACK_SIGNING_SECRET=SECRET,
        AR_AGENT_SLACK_CHANNEL="C0APPROVALS",
        AR_AGENT_APPROVERS="UAPPROVER1",
        AR_AGENT_SLACK_API_URL=f"http://127.0.0.1:{slack_port}/api/",
        AR_AGENT_RETRY_MAX_SECONDS="1",
        AR_AGENT_INBOUND_SECRET="inbound-secret",
    )
    running = Server("slack-down", env, tmp_path).start()
    try:
        running.wait_ready(time.monotonic() + 90)
        db = Database(f"sqlite:///{tmp_path / 'ledger.db'}")
        add_account(db, "cora", "controller", slack="UCONTROLLER")  # who mentions the bot
        db.dispose()
        yield running
    finally:
        running.stop()


def _slack_state(server: Server) -> dict:
    return server.client.get("/readyz").json()["checks"]["slack"]


def _wait_for(predicate, seconds: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_serve_starts_and_answers_while_slack_is_unreachable(server, slack_port, corpora):
    assert server.proc is not None and server.proc.poll() is None
    page = server.client.get("/login")
    assert page.status_code == 200 and "<form" in page.text

    state = _wait_for(lambda: (s := _slack_state(server))["state"] == "degraded" and s)
    assert "Connection refused" in state["reason"] or "URLError" in state["reason"], state
    ready = server.client.get("/readyz")
    assert ready.status_code == 200 and "slack" in ready.json()["degraded"]

    body = json.dumps(mention(corpora, "how much does globex owe us?"))
    signed = server.client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **sign(body, secret=SECRET)},
    )
    assert signed.status_code == 200, signed.text
    forged = server.client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **sign(body, secret="wrong")},
    )
    assert forged.status_code == 401

    inbound = server.client.post(
        "/email/inbound",
        content=b"From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n",
        headers={"X-AR-Agent-Secret": "inbound-secret", "Content-Type": "message/rfc822"},
    )
    assert inbound.status_code < 300, inbound.text

    fake = FakeSlack(port=slack_port).start()  # Slack is back
    try:
        _wait_for(lambda: _slack_state(server)["state"] == "ok", seconds=40)
        assert fake.called("auth.test")
        again = json.dumps(mention(corpora, "how much does globex owe us?"))
        answered = server.client.post(
            "/slack/events",
            content=again,
            headers={"Content-Type": "application/json", **sign(again, secret=SECRET)},
        )
        assert answered.status_code == 200
        fake.wait_for("chat.update")
    finally:
        fake.stop()


def test_socket_mode_keeps_trying_while_slack_is_unreachable(db, clock, slack_port):
    health.reset()
    settings = make_settings(
        SLACK_BOT_TOKEN="xoxb-outage",
        SLACK_APP_TOKEN="xapp-outage",
        AR_AGENT_SLACK_API_URL=f"http://127.0.0.1:{slack_port}/api/",
        AR_AGENT_RETRY_MAX_SECONDS="1",
    )
    ctx = build_context(settings, db=db, clock=clock)
    stop = threading.Event()
    connecting = threading.Thread(target=start_socket_mode, args=(ctx, stop), daemon=True)
    connecting.start()
    try:
        state = _wait_for(lambda: (s := health.snapshot()["slack"])["state"] == "degraded" and s)
        assert "Connection refused" in state["reason"] or "URLError" in state["reason"], state
        assert connecting.is_alive()  # still trying, the process goes on
    finally:
        stop.set()
        connecting.join(10)
    assert not connecting.is_alive()
