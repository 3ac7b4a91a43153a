"""The real bolt app against a fake Slack Web API, fed signed requests shaped like Slack's."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.slack.cards import post_pending_cards
from approvals.queue import propose
from ledger.models import Approval, AuditEvent, Communication
from policies.actions import ProposedAction
from tests.api.conftest import post_event, post_interaction, sign

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "slack"


def corpus(name: str, corpora: Path) -> dict:
    return json.loads((corpora / "slack" / name).read_text())


def mention(
    corpora: Path, text: str, *, ts: str | None = None, thread_ts: str | None = None
) -> dict:
    body = corpus("event_app_mention.json", corpora)
    body["event_id"] = f"Ev{uuid.uuid4().hex[:10]}"
    body["event"]["text"] = f"<@W111> {text}"
    body["event"]["user"] = "UCONTROLLER"
    body["event"]["ts"] = body["event"]["event_ts"] = ts or f"{time.time():.6f}"
    if thread_ts:
        body["event"]["thread_ts"] = thread_ts
    return body


def button(corpora: Path, action_id: str, value: str, user: str) -> dict:
    body = corpus("interactive_block_actions_button.json", corpora)
    body["user"]["id"] = user
    body["container"]["is_ephemeral"] = False
    body["actions"][0].update(action_id=action_id, value=value, block_id=f"approval:{value}")
    return body


def post_cards(ctx, fake) -> None:
    from slack_sdk import WebClient

    post_pending_cards(ctx, WebClient(token="x", base_url=fake.base_url))


def queue_email(ctx, *, requested_by: str = "agent") -> int:
    action = ProposedAction(
        type="send_email",
        requested_by=requested_by,
        reason="first reminder",
        payload={
            "customer": "C-002",
            "to": ["bill@initech.example"],
            "subject": "Invoice INV-2001 is overdue",
            "body": "Dear Bill,\n\nINV-2001 for 3,200.00 USD was due on 2026-09-14. Please pay at "
            "https://pay.example.com, or reply to this email if you dispute any of it.\n\nThanks",
            "invoices": ["INV-2001"],
            "stage": "first",
        },
    )
    with ctx.db.transaction() as session:
        result = propose(session, action, clock=ctx.clock)
        assert result.approval is not None, result.verdict
        return result.approval.id


def test_mention_gets_a_threaded_answer(slack_client, fake_slack, corpora):
    response = post_event(
        slack_client, mention(corpora, "how much does globex owe us?", ts="1700000001.000100")
    )
    assert response.status_code == 200
    update = fake_slack.wait_for("chat.update")[0]
    assert "20,000.00" in update.args["text"]
    placeholder = fake_slack.called("chat.postMessage")[0]
    assert placeholder.args["thread_ts"] == "1700000001.000100"
    assert placeholder.args["channel"] == "C111"


def test_follow_up_in_the_thread_uses_memory(slack_client, fake_slack, corpora):
    post_event(slack_client, mention(corpora, "what does Initech owe?", ts="1700000002.000100"))
    fake_slack.wait_for("chat.update")
    post_event(
        slack_client,
        mention(
            corpora,
            "and what about their oldest invoice?",
            ts="1700000003.000100",
            thread_ts="1700000002.000100",
        ),
    )
    second = fake_slack.wait_for("chat.update", 2)[1]
    assert "INV-2001" in second.args["text"]


def test_slack_retry_of_an_event_is_processed_once(slack_client, fake_slack, corpora):
    body = mention(corpora, "aging", ts="1700000004.000100")
    post_event(slack_client, body)
    fake_slack.wait_for("chat.update")
    post_event(
        slack_client, body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    time.sleep(0.5)
    assert len(fake_slack.called("chat.update")) == 1


def test_forged_signature_and_replays_get_401(slack_client, corpora):
    body = json.dumps(mention(corpora, "hi"))
    forged = sign(body, secret="not-the-secret")
    assert (
        slack_client.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json", **forged}
        ).status_code
        == 401
    )
    stale = sign(body, timestamp=int(time.time()) - 600)
    assert (
        slack_client.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json", **stale}
        ).status_code
        == 401
    )
    assert (
        slack_client.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json"}
        ).status_code
        == 401
    )


def test_signature_vectors_from_the_corpus(corpora):
    from slack_sdk.signature import SignatureVerifier

    vectors = json.loads((corpora / "slack" / "signature_vectors.json").read_text())
    for case in vectors["cases"]:
        verifier = SignatureVerifier(
            vectors["signing_secret"], clock=type("C", (), {"now": lambda self, c=case: c["now"]})()
        )
        try:
            ok = verifier.is_valid(
                case["body"], case.get("timestamp") or "", case.get("x_slack_signature") or ""
            )
        except ValueError:  # a missing timestamp header is no valid signature either
            ok = False
        assert ok == case["expect_valid"], case["name"]


def test_pending_approval_is_posted_as_a_card(slack_ctx, fake_slack):
    approval_id = queue_email(slack_ctx)
    from slack_sdk import WebClient

    assert post_pending_cards(slack_ctx, WebClient(token="x", base_url=fake_slack.base_url)) == 1
    card = fake_slack.called("chat.postMessage")[0]
    assert card.args["channel"] == "C0APPROVALS"
    text = json.dumps(card.args["blocks"])
    assert "approval_approve" in text and "approval_edit" in text and "approval_reject" in text
    assert "INV-2001 for 3,200.00 USD" in text
    # posting again does not duplicate the card
    assert post_pending_cards(slack_ctx, WebClient(token="x", base_url=fake_slack.base_url)) == 0
    with slack_ctx.db.session() as session:
        assert session.get(Approval, approval_id).slack_channel == "C0APPROVALS"


def test_a_superseded_cards_says_by_which_newer_proposal(slack_ctx, fake_slack):
    def promise(when: str, conversation: str) -> int:
        action = ProposedAction(
            type="record_promise",
            requested_by="agent",
            conversation_id=conversation,
            payload={"customer": "C-002", "invoices": ["INV-2001"], "date": when},
        )
        with slack_ctx.db.transaction() as session:
            result = propose(session, action, clock=slack_ctx.clock)
            assert result.approval is not None, result.verdict
            return result.approval.id

    older = promise("2026-11-27", "email:1")
    post_cards(slack_ctx, fake_slack)
    newer = promise("2026-12-04", "email:2")
    post_cards(slack_ctx, fake_slack)
    posted = json.dumps(fake_slack.called("chat.postMessage")[-1].args["blocks"])
    assert f"Replaces #{older}" in posted
    (update,) = fake_slack.called("chat.update")
    assert f"Superseded by #{newer}" in json.dumps(update.args["blocks"])
    assert "approval_approve" not in json.dumps(update.args["blocks"])  # no buttons left


def _outbound_count(ctx) -> int:
    with ctx.db.session() as session:
        return session.scalar(
            select(func.count()).select_from(Communication).where(Communication.direction == "out")
        )


def test_double_click_by_an_approver_executes_once(slack_client, slack_ctx, fake_slack, corpora):
    approval_id = queue_email(slack_ctx)
    post_cards(slack_ctx, fake_slack)
    body = button(corpora, "approval_approve", str(approval_id), "UAPPROVER1")
    threads = [
        threading.Thread(target=post_interaction, args=(slack_client, body)) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with slack_ctx.db.session() as session:
            if session.get(Approval, approval_id).status == "executed":
                break
        time.sleep(0.05)
    time.sleep(0.5)
    with slack_ctx.db.session() as session:
        assert session.get(Approval, approval_id).status == "executed"
        executed = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.approval_id == approval_id, AuditEvent.event == "executed")
        )
    assert executed == 1
    assert _outbound_count(slack_ctx) == 1
    card = fake_slack.wait_for("chat.update")[0]  # the card shows the outcome
    assert "Approved and executed" in json.dumps(card.args["blocks"])


def test_stranger_is_refused_ephemerally(slack_client, slack_ctx, fake_slack, corpora):
    approval_id = queue_email(slack_ctx)
    post_interaction(
        slack_client, button(corpora, "approval_approve", str(approval_id), "USTRANGER")
    )
    refusal = fake_slack.wait_for("chat.postEphemeral")[0]
    assert refusal.args["user"] == "USTRANGER" and "approver role" in refusal.args["text"]
    with slack_ctx.db.session() as session:
        assert session.get(Approval, approval_id).status == "pending"


def test_user_group_member_may_approve(slack_client, slack_ctx, fake_slack, corpora):
    approval_id = queue_email(slack_ctx)
    post_cards(slack_ctx, fake_slack)
    post_interaction(
        slack_client, button(corpora, "approval_approve", str(approval_id), "UGROUPMEMBER")
    )
    fake_slack.wait_for("chat.update")
    with slack_ctx.db.session() as session:
        assert session.get(Approval, approval_id).status == "executed"


@pytest.mark.parametrize("requested_by", ["ann", "agent:ann"])
def test_requester_cannot_approve_their_own_request(
    slack_client, slack_ctx, fake_slack, corpora, requested_by
):
    """Asking the agent in Slack (``agent:<user>``) counts as requesting."""
    approval_id = queue_email(slack_ctx, requested_by=requested_by)
    post_interaction(
        slack_client, button(corpora, "approval_approve", str(approval_id), "UAPPROVER1")
    )
    refusal = fake_slack.wait_for("chat.postEphemeral")[0]
    assert "someone else" in refusal.args["text"]
    with slack_ctx.db.session() as session:
        assert session.get(Approval, approval_id).status == "pending"


def _edit_submission(corpora: Path, approval_id: int, user: str, subject: str, body: str) -> dict:
    payload = corpus("interactive_view_submission.json", corpora)
    payload["user"]["id"] = user
    view = payload["view"]
    view.update(callback_id="approval_edit_submit", private_metadata=str(approval_id))
    view["blocks"] = [
        {"type": "input", "block_id": "subject"},
        {"type": "input", "block_id": "body"},
    ]
    view["state"] = {
        "values": {
            "subject": {"value": {"type": "plain_text_input", "value": subject}},
            "body": {"value": {"type": "plain_text_input", "value": body}},
        }
    }
    return payload


def test_edit_opens_a_modal_and_saving_revalidates(slack_client, slack_ctx, fake_slack, corpora):
    approval_id = queue_email(slack_ctx)
    post_interaction(slack_client, button(corpora, "approval_edit", str(approval_id), "UAPPROVER2"))
    modal = fake_slack.wait_for("views.open")[0]
    assert modal.args["view"]["callback_id"] == "approval_edit_submit"

    threat = _edit_submission(
        corpora,
        approval_id,
        "UAPPROVER2",
        "Overdue",
        "Pay INV-2001 now or we will take legal action and report you to the credit bureau.",
    )
    refused = post_interaction(slack_client, threat)
    assert refused.status_code == 200 and refused.json()["response_action"] == "errors"
    with slack_ctx.db.session() as session:
        assert "legal action" not in session.get(Approval, approval_id).payload["body"]

    fine = _edit_submission(
        corpora,
        approval_id,
        "UAPPROVER2",
        "INV-2001: a friendly reminder",
        "Dear Bill,\n\nINV-2001 for 3,200.00 USD was due on 2026-09-14. You can pay at "
        "https://pay.example.com; to dispute it, reply to this email.\n\nThanks",
    )
    saved = post_interaction(slack_client, fine)
    assert saved.status_code == 200 and not saved.content
    with slack_ctx.db.session() as session:
        assert (
            session.get(Approval, approval_id).payload["subject"] == "INV-2001: a friendly reminder"
        )


def test_reject_needs_a_reason_and_updates_the_card(slack_client, slack_ctx, fake_slack, corpora):
    approval_id = queue_email(slack_ctx)
    payload = corpus("interactive_view_submission.json", corpora)
    payload["user"]["id"] = "UAPPROVER1"
    payload["view"].update(
        callback_id="approval_reject_submit",
        private_metadata=str(approval_id),
        blocks=[{"type": "input", "block_id": "reason"}],
        state={
            "values": {"reason": {"value": {"type": "plain_text_input", "value": "paid by cheque"}}}
        },
    )
    assert post_interaction(slack_client, payload).status_code == 200
    with slack_ctx.db.session() as session:
        approval = session.get(Approval, approval_id)
        assert approval.status == "rejected" and approval.decision_note == "paid by cheque"


def test_app_home_shows_the_queue(slack_client, slack_ctx, fake_slack, corpora):
    queue_email(slack_ctx)
    body = mention(corpora, "x")
    body["event"] = {
        "type": "app_home_opened",
        "user": "UAPPROVER1",
        "channel": "D1",
        "tab": "home",
        "event_ts": "1700000009.000100",
    }
    post_event(slack_client, body)
    view = fake_slack.wait_for("views.publish")[0].args["view"]
    text = json.dumps(view)
    assert "1 proposals wait for approval" in text and "Aging" in text


def test_statement_uploaded_in_a_dm_is_matched_and_queued(
    slack_client, slack_ctx, fake_slack, corpora
):
    fake_slack.files["stmt.csv"] = (
        b"Date,Amount,Currency,Counterparty,Reference,Transaction ID\n"
        b"2026-11-20,12400.00,USD,GLOBEX CORP,INV1042,TX-1\n"
    )
    body = corpus("event_message_file_share.json", corpora)
    body["event_id"] = "EvFILE1"
    event = body["event"]
    event.update(channel="D0DM", channel_type="im", user="UCONTROLLER")
    event["files"][0].update(
        id="F0STMT", name="stmt.csv", url_private_download=fake_slack.file_url("stmt.csv")
    )
    post_event(slack_client, body)
    summary = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "stmt.csv" in c.args.get("text", "")
    )[0]
    assert "1" in summary.args["text"]
    with slack_ctx.db.session() as session:
        applied = session.scalars(select(Approval).where(Approval.type == "apply_payment")).all()
    assert [a.payload["invoice"] for a in applied] == ["INV-1042"]


def test_final_notice_gives_the_owner_a_heads_up(slack_ctx, fake_slack):
    from ledger.models import Customer

    with slack_ctx.db.transaction() as session:
        session.get(Customer, "C-002").owner = "UOWNER"
        action = ProposedAction(
            type="escalate",
            payload={"customer": "C-002", "reason": "final notice drafted"},
            context={"notify_owner": True},
        )
        propose(session, action, clock=slack_ctx.clock)
    post_cards(slack_ctx, fake_slack)
    heads_up = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == "UOWNER"
    )[0]
    assert (
        "final notice to Initech LLC" in heads_up.args["text"]
        and "archives/C0APPROVALS" in heads_up.args["text"]
    )


def test_app_home_filters_like_the_web_inbox(slack_client, slack_ctx, fake_slack, corpora):
    queue_email(slack_ctx)
    with slack_ctx.db.transaction() as session:
        propose(
            session,
            ProposedAction(
                type="escalate",
                reason="controller asked",
                payload={"customer": "C-001", "reason": "call the CFO"},
            ),
            clock=slack_ctx.clock,
        )
    body = mention(corpora, "x")
    body["event"] = {
        "type": "app_home_opened",
        "user": "UAPPROVER1",
        "channel": "D1",
        "tab": "home",
        "event_ts": "1700000019.000100",
    }
    post_event(slack_client, body)
    view = fake_slack.wait_for("views.publish")[0].args["view"]
    selects = [
        e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert selects == [
        "home_filter:type",
        "home_filter:stage",
        "home_filter:customer",
        "home_filter:owner",
        "home_filter:requested_by",
        "home_filter:run",
        "home_filter:language",
        "home_filter:sort",
    ]
    shown = json.dumps(view)
    assert "send email (1)" in shown and "Escalations: 1 open" in shown

    click = corpus("interactive_block_actions_button.json", corpora)
    click["user"]["id"] = "UAPPROVER1"
    click.pop("container", None)
    click["view"] = {"type": "home", "id": "V1"}
    click["actions"] = [
        {
            "type": "static_select",
            "action_id": "home_filter:type",
            "block_id": "home_filters_1",
            "selected_option": {"value": "hold_dunning"},
            "action_ts": "1700000020.1",
        }
    ]
    assert post_interaction(slack_client, click).status_code == 200
    views = fake_slack.wait_for("views.publish", n=2)
    filtered = json.dumps(views[-1].args["view"])
    assert "0 match your filters" in filtered and "send email (1)" in filtered
    with slack_ctx.db.session() as session:
        from api.slack.listeners.home import saved_filter

        assert saved_filter(session, "UAPPROVER1").type == "hold_dunning"


def test_app_home_assigns_an_escalation(slack_client, slack_ctx, fake_slack, corpora):
    from ledger.models import EscalationTask

    with slack_ctx.db.transaction() as session:
        task_id = propose(
            session,
            ProposedAction(
                type="escalate", payload={"customer": "C-001", "reason": "call the CFO"}
            ),
            clock=slack_ctx.clock,
        ).approval.id
    click = corpus("interactive_block_actions_button.json", corpora)
    click["user"]["id"] = "UAPPROVER2"
    click.pop("container", None)
    click["view"] = {"type": "home", "id": "V1"}
    click["actions"] = [
        {
            "type": "button",
            "action_id": "escalation_assign",
            "block_id": "b1",
            "value": str(task_id),
            "action_ts": "1700000030.1",
        }
    ]
    assert post_interaction(slack_client, click).status_code == 200
    view = json.dumps(fake_slack.wait_for("views.publish")[0].args["view"], ensure_ascii=False)
    assert f"#{task_id} *Globex Corporation* — with ben" in view
    with slack_ctx.db.session() as session:
        assert session.get(EscalationTask, task_id).assignee == "ben"


def test_slack_asks_which_customer_and_remembers_the_answer(
    slack_client, slack_ctx, fake_slack, corpora
):
    from ledger.models import Customer

    with slack_ctx.db.transaction() as session:
        session.add(Customer(id="C-003", name="Globex Labs Ltd", aliases=["Globex Labs", "GLOBEX"]))
        session.get(Customer, "C-001").aliases = [
            *session.get(Customer, "C-001").aliases,
            "GLOBEX",
        ]
        before = session.scalar(select(func.count()).select_from(Approval))
    post_event(
        slack_client,
        mention(corpora, "show me GLOBEX's open invoices", ts="1700000041.000100"),
    )
    asked = fake_slack.wait_for("chat.update")[0].args["text"]
    assert asked.startswith("Which customer do you mean? 2 match")
    assert "Globex Corporation (C-001), owes 20,000.00 USD" in asked and "(C-003)" in asked
    with slack_ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Approval)) == before
    post_event(
        slack_client,
        mention(corpora, "C-001", ts="1700000042.000100", thread_ts="1700000041.000100"),
    )
    answer = fake_slack.wait_for("chat.update", 2)[1].args["text"]
    assert "INV-1042" in answer and "Globex Corporation" in answer and "C-003" not in answer
