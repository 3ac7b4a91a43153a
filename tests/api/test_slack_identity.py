"""Slack clicks act as the account linked to the Slack user (F2 in Slack).

An unknown Slack user can neither decide nor chat; an approver account must also be on
``AR_AGENT_APPROVERS`` when that is set; one Slack user is one person for four-eyes.
"""

from __future__ import annotations

import time

from approvals.queue import propose
from ledger.models import Approval
from policies.actions import ProposedAction
from tests.api.conftest import post_event, post_interaction
from tests.api.test_slack import button, mention


def credit_raise(ctx) -> int:
    with ctx.db.transaction() as session:
        return propose(
            session,
            ProposedAction(
                type="change_credit",
                payload={"customer": "C-001", "credit_limit": "5000000.00", "reason": "100x"},
                requested_by="agent",
            ),
            clock=ctx.clock,
        ).approval.id


def approvals_by(ctx, approval_id: int) -> tuple[str, list[str]]:
    with ctx.db.session() as session:
        a = session.get(Approval, approval_id)
        return a.status, list(a.approvals_by)


def wait_ephemeral(fake, n: int) -> list:
    return fake.wait_for("chat.postEphemeral", n=n)


def test_one_slack_user_is_one_person_for_four_eyes(slack_client, slack_ctx, fake_slack, corpora):
    credit = credit_raise(slack_ctx)
    click = button(corpora, "approval_approve", str(credit), "UAPPROVER1")
    post_interaction(slack_client, click)
    deadline = time.monotonic() + 10
    while approvals_by(slack_ctx, credit)[1] != ["ann"] and time.monotonic() < deadline:
        time.sleep(0.05)
    post_interaction(slack_client, click)
    told = wait_ephemeral(fake_slack, 1)
    assert "ann already approved" in told[-1].args["text"]
    assert approvals_by(slack_ctx, credit) == ("pending", ["ann"])
    post_interaction(slack_client, button(corpora, "approval_approve", str(credit), "UAPPROVER2"))
    deadline = time.monotonic() + 10
    while approvals_by(slack_ctx, credit)[0] != "executed" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert approvals_by(slack_ctx, credit) == ("executed", ["ann", "ben"])


def test_viewers_and_accounts_off_the_approvers_list_cannot_decide(
    slack_client, slack_ctx, fake_slack, corpora
):
    credit = credit_raise(slack_ctx)
    for n, user in enumerate(("UVIEWER", "UOUTSIDER", "UCONTROLLER"), start=1):
        post_interaction(slack_client, button(corpora, "approval_approve", str(credit), user))
        assert "cannot decide" in wait_ephemeral(fake_slack, n)[-1].args["text"]
    assert approvals_by(slack_ctx, credit) == ("pending", [])


def test_an_unknown_slack_user_cannot_ask_the_agent(slack_client, slack_ctx, fake_slack, corpora):
    body = mention(corpora, "propose a hold on globex", ts="1700000009.000100")
    body["event"]["user"] = "USTRANGER"
    assert post_event(slack_client, body).status_code == 200
    told = wait_ephemeral(fake_slack, 1)[0]
    assert told.args["user"] == "USTRANGER" and "not linked" in told.args["text"]
    assert not fake_slack.called("chat.update")
