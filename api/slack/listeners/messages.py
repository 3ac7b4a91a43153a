"""Chat: mentions in channels, direct messages, thread follow-ups and the /ar command.

The thread is the conversation (agent memory is keyed by channel and thread). Slack
gets its 200 at once; the answer replaces a "thinking" message when ready.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy import select

from accounts.roles import Identity
from api.deps import AppContext
from api.services import agent_service
from api.slack.authz import NO_ACCOUNT, slack_identity
from api.slack.cards import post_pending_cards
from api.slack.dedupe import first_time
from core.errors import ARAgentError
from ledger.models import KeyValue

log = logging.getLogger("ar_agent.slack")
MENTION = re.compile(r"<@[A-Z0-9]+>")
THINKING = ":hourglass_flowing_sand: _thinking…_"


def clean(text: str) -> str:
    return MENTION.sub("", text or "").strip()


def conversation_id(channel: str, thread_ts: str) -> str:
    return f"slack:{channel}:{thread_ts}"


def _known_thread(ctx: AppContext, channel: str, thread_ts: str) -> bool:
    with ctx.db.session() as session:
        return (
            session.scalar(
                select(KeyValue.id).where(
                    KeyValue.key == f"slack-thread:{conversation_id(channel, thread_ts)}"
                )
            )
            is not None
        )


def _remember_thread(ctx: AppContext, channel: str, thread_ts: str) -> None:
    if _known_thread(ctx, channel, thread_ts):
        return
    from sqlalchemy.exc import IntegrityError

    try:
        with ctx.db.transaction() as session:
            session.add(
                KeyValue(key=f"slack-thread:{conversation_id(channel, thread_ts)}", value={})
            )
    except IntegrityError:
        pass


def answer(
    ctx: AppContext, client: WebClient, *, channel: str, thread_ts: str, user: str, text: str
) -> None:
    """Ask the agent, as the account linked to the Slack user, and answer in the thread."""
    identity = slack_identity(ctx, user)
    if identity is None or not identity.can("propose"):
        client.chat_postEphemeral(channel=channel, user=user, text=_not_allowed(user, identity))
        return
    placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=THINKING)
    try:
        reply = agent_service(ctx).chat(
            text, conversation_id=conversation_id(channel, thread_ts), user=identity.username
        )
        message = reply.text
    except ARAgentError as exc:
        message = f"Sorry, I could not do that: {exc}"
    except Exception:  # the user gets one sentence, the log gets the traceback
        log.exception("agent failed on a Slack message")
        message = "Sorry, something went wrong on my side; the error is in the server log."
    client.chat_update(channel=channel, ts=placeholder["ts"], text=message)
    _remember_thread(ctx, channel, thread_ts)
    post_pending_cards(ctx, client)


def _not_allowed(user: str, identity: Identity | None) -> str:
    if identity is None:
        return NO_ACCOUNT.format(user=user)
    return f"{identity.username} is a {identity.role}: only controllers, approvers and admins can ask the agent."


def register(app: App, ctx: AppContext) -> None:
    @app.event("app_mention")
    def on_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if not first_time(ctx, body.get("event_id")):
            return
        thread = event.get("thread_ts") or event["ts"]
        answer(
            ctx,
            client,
            channel=event["channel"],
            thread_ts=thread,
            user=event.get("user", ""),
            text=clean(event.get("text", "")),
        )

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return  # edits, deletions, bots (ourselves included) and file shares go elsewhere
        text = event.get("text", "")
        if MENTION.search(text) and event.get("channel_type") != "im":
            return  # a mention: on_mention answers it
        thread = event.get("thread_ts")
        direct = event.get("channel_type") == "im"
        if not direct and not (thread and _known_thread(ctx, event["channel"], thread)):
            return
        if not first_time(ctx, body.get("event_id")):
            return
        answer(
            ctx,
            client,
            channel=event["channel"],
            thread_ts=thread or event["ts"],
            user=event["user"],
            text=clean(text),
        )

    @app.command("/ar")
    def on_command(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        user = command.get("user_id", "")
        identity = slack_identity(ctx, user)
        if identity is None or not identity.can("propose"):
            ack(response_type="ephemeral", text=_not_allowed(user, identity))
            return
        ack(response_type="ephemeral", text=THINKING)
        conversation = f"slack-command:{command.get('channel_id')}:{user}"
        try:
            reply = agent_service(ctx).chat(
                command.get("text", ""),
                conversation_id=conversation,
                user=identity.username,
            )
            respond(text=reply.text, response_type="ephemeral")
        except ARAgentError as exc:
            respond(text=f"Sorry, I could not do that: {exc}", response_type="ephemeral")
        post_pending_cards(ctx, client)
