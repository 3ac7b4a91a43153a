"""Post approval cards to the approvals channel and keep them up to date.

Any process may post: a card is claimed by a compare-and-set on ``slack_ts`` first, so
several API processes sharing one database never post the same card twice. Cards of
one dunning run go in the thread of one summary message that offers "approve all".
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from api.deps import AppContext
from api.slack.blocks import approval_card, decided_card, run_summary
from ledger.models import Approval, Customer, KeyValue

log = logging.getLogger("ar_agent.slack")
CLAIMED = "posting"


def _customer_name(session: Any, customer_id: str | None) -> str | None:
    if not customer_id:
        return None
    return session.scalar(select(Customer.name).where(Customer.id == customer_id))


def _claim(ctx: AppContext, approval_id: int) -> bool:
    with ctx.db.transaction() as session:
        result = session.execute(
            update(Approval)
            .where(Approval.id == approval_id, Approval.slack_ts.is_(None))
            .values(slack_ts=CLAIMED)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _release(ctx: AppContext, approval_id: int) -> None:
    with ctx.db.transaction() as session:
        session.execute(
            update(Approval)
            .where(Approval.id == approval_id, Approval.slack_ts == CLAIMED)
            .values(slack_ts=None)
        )


def _run_thread(ctx: AppContext, client: WebClient, channel: str, run_id: str) -> str:
    """The ts of the run's summary message, posting it once."""
    key = f"slack-run:{run_id}"
    with ctx.db.session() as session:
        row = session.scalar(select(KeyValue).where(KeyValue.key == key))
        if row is not None and row.value.get("ts"):
            return str(row.value["ts"])
        pending = list(
            session.execute(
                select(Approval.customer_id).where(
                    Approval.run_id == run_id, Approval.status == "pending"
                )
            ).scalars()
        )
    try:
        with ctx.db.transaction() as session:
            session.add(KeyValue(key=key, value={}))
    except IntegrityError:  # another process is posting the summary: use theirs
        for _ in range(50):
            with ctx.db.session() as session:
                row = session.scalar(select(KeyValue).where(KeyValue.key == key))
                if row is not None and row.value.get("ts"):
                    return str(row.value["ts"])
            import time

            time.sleep(0.1)
        raise
    customers = len(Counter(pending))
    response = client.chat_postMessage(
        channel=channel,
        blocks=run_summary(run_id, len(pending), customers),
        text=f"Dunning run {run_id}: {len(pending)} proposals",
    )
    with ctx.db.transaction() as session:
        session.execute(
            update(KeyValue)
            .where(KeyValue.key == key)
            .values(value={"ts": response["ts"], "channel": response["channel"]})
        )
    return str(response["ts"])


def post_pending_cards(ctx: AppContext, client: WebClient, *, limit: int = 50) -> int:
    """Post a card for every pending approval that has none yet; return how many were posted."""
    channel = ctx.settings.slack_channel
    if not channel:
        return 0
    with ctx.db.session() as session:
        ids = list(
            session.scalars(
                select(Approval.id)
                .where(Approval.status == "pending", Approval.slack_ts.is_(None))
                .order_by(Approval.id)
                .limit(limit)
            )
        )
    posted = 0
    for approval_id in ids:
        if not _claim(ctx, approval_id):
            continue
        try:
            with ctx.db.session() as session:
                approval = session.get(Approval, approval_id)
                assert approval is not None
                blocks = approval_card(approval, _customer_name(session, approval.customer_id))
                run_id = approval.run_id
                replaced = list((approval.context or {}).get("supersedes") or [])
            thread = _run_thread(ctx, client, channel, run_id) if run_id else None
            response = client.chat_postMessage(
                channel=channel,
                blocks=blocks,
                thread_ts=thread,
                text=f"Approval #{approval_id} waiting: {approval.type}",
            )
        except (SlackApiError, OSError) as exc:
            log.warning("could not post card #%s: %s", approval_id, exc)
            _release(ctx, approval_id)
            continue
        with ctx.db.transaction() as session:
            session.execute(
                update(Approval)
                .where(Approval.id == approval_id)
                .values(slack_ts=response["ts"], slack_channel=response["channel"])
            )
        posted += 1
        _owner_heads_up(ctx, client, approval_id, response)
        for older in replaced:  # their cards now say which proposal replaced them
            refresh_card(ctx, client, older)
    return posted


def _owner_heads_up(ctx: AppContext, client: WebClient, approval_id: int, card: Any) -> None:
    """A final notice tells the account owner (``Customer.owner``, a Slack user id) in a DM."""
    with ctx.db.session() as session:
        approval = session.get(Approval, approval_id)
        if approval is None or not (approval.context or {}).get("notify_owner"):
            return
        customer = session.get(Customer, approval.customer_id) if approval.customer_id else None
        owner = customer.owner if customer else None
        name = customer.name if customer else approval.customer_id
    if not owner:
        return
    try:
        link = client.chat_getPermalink(channel=card["channel"], message_ts=card["ts"]).get(
            "permalink", ""
        )
    except SlackApiError:
        link = ""
    client.chat_postMessage(
        channel=owner,
        text=f":bell: Heads-up: a final notice to {name} waits for approval "
        f"(#{approval_id}). {link}".strip(),
    )


def refresh_card(ctx: AppContext, client: WebClient, approval_id: int) -> None:
    """Redraw a card in place after a decision (who, when, outcome or the execution error)."""
    with ctx.db.session() as session:
        approval = session.get(Approval, approval_id)
        if (
            approval is None
            or not approval.slack_ts
            or approval.slack_ts == CLAIMED
            or not approval.slack_channel
        ):
            return
        name = _customer_name(session, approval.customer_id)
        blocks = (
            approval_card(approval, name)
            if approval.status == "pending"
            else decided_card(approval, name)
        )
        channel, ts = approval.slack_channel, approval.slack_ts
        fallback = f"Approval #{approval_id}: {approval.status}"
    try:
        client.chat_update(channel=channel, ts=ts, blocks=blocks, text=fallback)
    except SlackApiError as exc:
        log.warning("could not update card #%s: %s", approval_id, exc)
