"""Issue 13 F3 and F4: no unsigned Slack endpoint, the bot token only for Slack, escaped cards."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.server import build_context
from api.slack.blocks import approval_card, decided_card
from api.slack.listeners.files import download, is_slack_url
from api.slack.listeners.home import home_view
from core.errors import ARAgentError
from ledger.importer import load_ledger_file
from ledger.models import Approval, Customer
from tests.api.conftest import FIXTURES, make_settings, post_event
from tests.api.test_slack import button, corpus, queue_email


class Recorder:
    """An HTTP server on loopback that records the Authorization header of every request."""

    def __init__(self) -> None:
        self.seen: list[str | None] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                recorder.seen.append(self.headers.get("Authorization"))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"Date,Amount\n")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/steal.csv"


@pytest.fixture
def attacker() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.server.shutdown()


def test_socket_mode_setup_serves_no_http_endpoint(db, clock, fake_slack, corpora):
    settings = make_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-test",
        AR_AGENT_SLACK_CHANNEL="C0APPROVALS",
        AR_AGENT_SLACK_API_URL=fake_slack.base_url,
        AR_AGENT_APPROVERS="UAPPROVER1",
    )
    ctx = build_context(settings, db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    approval_id = queue_email(ctx)
    client = TestClient(create_app(settings, ctx=ctx))
    unsigned = button(corpora, "approval_approve", str(approval_id), "UAPPROVER1")
    response = client.post(
        "/slack/events",
        content="payload=" + quote(json.dumps(unsigned)),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 404
    with db.session() as session:
        assert session.get(Approval, approval_id).status == "pending"  # type: ignore[union-attr]
    assert not fake_slack.called("chat.update")


def test_the_bot_token_is_never_sent_to_a_url_that_is_not_slacks(slack_ctx, attacker):
    assert not is_slack_url(slack_ctx, attacker.url)
    assert not is_slack_url(slack_ctx, "https://files.slack.com.evil.example/x")
    assert not is_slack_url(slack_ctx, "http://files.slack.com/x")  # never in clear text
    assert is_slack_url(slack_ctx, "https://files.slack.com/files-pri/T1-F1/download/s.csv")
    with pytest.raises(ARAgentError, match="not a Slack address"):
        download(slack_ctx, {"name": "s.csv", "url_private_download": attacker.url})
    assert attacker.seen == []


def test_a_signed_file_share_with_a_foreign_url_fetches_nothing(
    slack_client, slack_ctx, fake_slack, corpora, attacker
):
    body = corpus("event_message_file_share.json", corpora)
    body["event_id"] = "EvFILEEVIL"
    event = body["event"]
    event.update(channel="D0DM", channel_type="im", user="UCONTROLLER")
    event["files"][0].update(id="F0EVIL", name="evil.csv", url_private_download=attacker.url)
    post_event(slack_client, body)
    warning = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "evil.csv" in c.args.get("text", "")
    )[0]
    assert "not a Slack address" in warning.args["text"]
    assert attacker.seen == []


HOSTILE = "<!channel> ping <@U0BOSS> and <http://evil.example|Click to approve> & more"


def _mrkdwn_texts(blocks: object) -> list[str]:
    """Every mrkdwn text in a Block Kit structure."""
    found: list[str] = []
    if isinstance(blocks, dict):
        if blocks.get("type") == "mrkdwn":
            found.append(str(blocks["text"]))
        for value in blocks.values():
            found += _mrkdwn_texts(value)
    elif isinstance(blocks, list):
        for value in blocks:
            found += _mrkdwn_texts(value)
    return found


def _assert_inert(texts: list[str]) -> None:
    joined = "\n".join(texts)
    assert "&lt;!channel&gt;" in joined
    for control in ("<!channel>", "<@U0BOSS>", "<http://evil"):
        assert control not in joined


def test_customer_text_in_a_card_renders_as_text(slack_ctx):
    approval = Approval(
        id=7,
        type="send_email",
        status="pending",
        requested_by="agent",
        reason=f"customer wrote {HOSTILE}",
        customer_id="C-001",
        payload={
            "customer": "C-001",
            "to": ["dana@globex.example"],
            "subject": HOSTILE,
            "body": HOSTILE * 200,
            "invoices": ["INV-1042"],
        },
        context={"customer_words": HOSTILE, "sender": {"summary": HOSTILE}},
        checks=[],
    )
    blocks = approval_card(approval, HOSTILE)
    texts = _mrkdwn_texts(blocks)
    _assert_inert(texts)
    assert all(len(t) <= 3000 for t in texts)
    assert all(b["text"].get("verbatim") for b in blocks if b.get("type") == "section")
    hold = Approval(
        id=8,
        type="hold_dunning",
        status="rejected",
        requested_by="<!here>",
        decided_by="web:<@U0BOSS>",
        decision_note=HOSTILE,
        customer_id="C-001",
        payload={"customer": "C-001", "reason": HOSTILE, "invoices": [HOSTILE]},
        checks=[],
    )
    decided = _mrkdwn_texts(decided_card(hold, "Globex"))
    _assert_inert(decided)
    assert "<!here>" not in "\n".join(decided)


def test_customer_names_on_app_home_render_as_text(slack_ctx):
    with slack_ctx.db.transaction() as session:
        session.get(Customer, "C-001").name = HOSTILE  # type: ignore[union-attr]
    queue_email(slack_ctx)
    with slack_ctx.db.transaction() as session:
        session.get(Approval, 1).customer_id = HOSTILE[:40]  # type: ignore[union-attr]
    texts = _mrkdwn_texts(home_view(slack_ctx)["blocks"])
    assert not any("<!channel>" in t for t in texts)
