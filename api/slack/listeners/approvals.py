"""Approval cards: Approve, Edit (modal, re-validated), Reject (modal with a reason), approve all.

Only a Slack user linked to an account with the approver role may decide
(:mod:`api.slack.authz`), as that account; nobody approves what they requested;
four-eyes where the policy says so. Double clicks, retries and two approvers at once
decide and execute once: the queue's compare-and-set does that, and the loser is told.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import select

from accounts.roles import Identity
from api.deps import AppContext
from api.slack.authz import decider
from api.slack.blocks import edit_modal, reject_modal
from api.slack.cards import refresh_card
from application import decisions
from approvals import queue
from core.errors import ARAgentError
from ledger.models import Approval

NOT_APPROVER = (
    "you cannot decide on this: your Slack user is not linked to an ar-agent account with "
    "the approver role (or is not on AR_AGENT_APPROVERS)."
)


def _tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """An ephemeral note to the clicking user, where the click happened."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    user = body["user"]["id"]
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, text=message)


def decide(
    ctx: AppContext,
    client: WebClient,
    approval_id: int,
    actor: Identity,
    *,
    approve: bool = True,
    reason: str | None = None,
) -> decisions.DecisionResult:
    """The application layer decides (and executes); the card is redrawn."""
    return decisions.decide_approval(
        ctx.db,
        decisions.Decision(approval_id, approve=approve, reason=reason),
        actor=actor,
        clock=ctx.clock,
        settings=ctx.settings,
        on_decided=lambda number: refresh_card(ctx, client, number),
    )


def _field_edits(a: Approval, values: dict[str, Any]) -> dict[str, Any]:
    import json

    edits: dict[str, Any] = {}
    for block_id, inputs in values.items():
        raw = (inputs.get("value") or {}).get("value") or ""
        if block_id == "installments":
            edits[block_id] = json.loads(raw)
        elif isinstance(a.payload.get(block_id), list):
            edits[block_id] = [v.strip() for v in raw.split(",") if v.strip()]
        elif isinstance(a.payload.get(block_id), bool):
            edits[block_id] = raw.strip().lower() in {"true", "yes", "1"}
        else:
            edits[block_id] = raw
    return {k: v for k, v in edits.items() if v != a.payload.get(k)}


def register(app: App, ctx: AppContext) -> None:
    @app.action("approval_approve")
    def on_approve(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        actor = decider(ctx, client, body["user"]["id"])
        if actor is None:
            _tell(client, body, NOT_APPROVER)
            return
        try:
            result = decide(ctx, client, int(body["actions"][0]["value"]), actor)
        except ARAgentError as exc:
            _tell(client, body, str(exc))
            return
        if not result.ok:
            _tell(client, body, result.message)

    @app.action("approval_approve_all")
    def on_approve_all(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        actor = decider(ctx, client, body["user"]["id"])
        if actor is None:
            _tell(client, body, NOT_APPROVER)
            return
        run_id = body["actions"][0]["value"]
        with ctx.db.session() as session:
            ids = list(
                session.scalars(
                    select(Approval.id).where(
                        Approval.run_id == run_id, Approval.status == "pending"
                    )
                )
            )
        done, problems = 0, []
        for approval_id in ids:
            try:
                result = decide(ctx, client, approval_id, actor)
                done += result.status == "executed"
                if not result.ok:
                    problems.append(result.message)
            except ARAgentError as exc:
                problems.append(f"#{approval_id}: {exc}")
        summary = f"Approved {len(ids) - len(problems)} of {len(ids)}; {done} executed."
        _tell(client, body, summary + ("\n" + "\n".join(problems[:10]) if problems else ""))

    @app.action("approval_edit")
    def on_edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if decider(ctx, client, body["user"]["id"]) is None:
            _tell(client, body, NOT_APPROVER)
            return
        with ctx.db.session() as session:
            approval = queue.get_approval(session, int(body["actions"][0]["value"]))
            if approval.status != "pending":
                _tell(client, body, f"#{approval.id} is already {approval.status}.")
                return
            view = edit_modal(approval)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("approval_reject")
    def on_reject(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if decider(ctx, client, body["user"]["id"]) is None:
            _tell(client, body, NOT_APPROVER)
            return
        with ctx.db.session() as session:
            view = reject_modal(queue.get_approval(session, int(body["actions"][0]["value"])))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view("approval_edit_submit")
    def on_edit_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        approval_id = int(view["private_metadata"])
        actor = decider(ctx, client, body["user"]["id"])
        if actor is None:
            ack(response_action="errors", errors={_first_block(view): NOT_APPROVER})
            return
        with ctx.db.session() as session:
            approval = queue.get_approval(session, approval_id)
        try:
            edits = _field_edits(approval, view["state"]["values"])
            decisions.save_edits(ctx.db, approval_id, edits, actor=actor, clock=ctx.clock)
        except (ARAgentError, ValueError) as exc:  # re-validation failed: say so inside the modal
            ack(response_action="errors", errors={_first_block(view): str(exc)[:150]})
            return
        ack()
        refresh_card(ctx, client, approval_id)

    @app.view("approval_reject_submit")
    def on_reject_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        approval_id = int(view["private_metadata"])
        reason = (view["state"]["values"].get("reason", {}).get("value") or {}).get("value") or ""
        actor = decider(ctx, client, body["user"]["id"])
        if actor is None:
            ack(response_action="errors", errors={"reason": NOT_APPROVER})
            return
        try:
            decide(ctx, client, approval_id, actor, approve=False, reason=reason)
        except ARAgentError as exc:
            ack(response_action="errors", errors={"reason": str(exc)[:150]})
            return
        ack()


def _first_block(view: dict[str, Any]) -> str:
    blocks = view.get("blocks") or []
    return str(blocks[0].get("block_id")) if blocks else "value"
