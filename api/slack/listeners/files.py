"""A bank statement uploaded to the agent (DM or a thread with it) is parsed and matched."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from slack_bolt import App
from slack_sdk import WebClient

from api.deps import AppContext
from api.services import match_statement
from api.slack.authz import slack_identity
from api.slack.cards import post_pending_cards
from api.slack.dedupe import first_time
from core.errors import ARAgentError

log = logging.getLogger("ar_agent.slack")
MAX_BYTES = 20 * 1024 * 1024


def download(ctx: AppContext, file: dict[str, Any]) -> bytes:
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        raise ARAgentError(f"{file.get('name', 'the file')}: Slack gave no download link")
    response = httpx.get(
        url,
        headers={"Authorization": f"Bearer {ctx.settings.slack_bot_token}"},
        timeout=30,
        follow_redirects=True,
    )
    if response.status_code != 200:
        raise ARAgentError(
            f"{file.get('name', 'the file')}: download failed (HTTP {response.status_code})"
        )
    if len(response.content) > MAX_BYTES:
        raise ARAgentError(f"{file.get('name', 'the file')} is over 20 MB")
    return response.content


def handle_file(
    ctx: AppContext,
    client: WebClient,
    file: dict[str, Any],
    *,
    channel: str,
    thread_ts: str | None,
    user: str,
) -> None:
    identity = slack_identity(ctx, user)
    if identity is None or not identity.can("propose"):
        return  # only a linked controller, approver or admin may hand the agent a statement
    if not first_time(ctx, f"file:{file.get('id')}"):
        return
    name = file.get("name") or file.get("title") or "statement"
    try:
        result = match_statement(ctx, download(ctx, file), filename=name)
        message = f":bank: *{name}*: {result.summary}"
    except ARAgentError as exc:
        message = f":warning: {exc}"
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=message)
    post_pending_cards(ctx, client)


def register(app: App, ctx: AppContext) -> None:
    @app.event({"type": "message", "subtype": "file_share"})
    def on_file_share(event: dict[str, Any], client: WebClient) -> None:
        direct = event.get("channel_type") == "im"
        if not direct and not event.get("thread_ts"):
            return  # only statements shared with the agent, not every file in a channel
        for file in event.get("files") or []:
            handle_file(
                ctx,
                client,
                file,
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event["ts"],
                user=event.get("user", ""),
            )

    @app.event("file_shared")
    def on_file_shared(event: dict[str, Any], client: WebClient) -> None:
        """Files shared in a DM with the agent arrive here too; the file-id dedupe avoids doing it twice."""
        channel = event.get("channel_id")
        if not channel or not channel.startswith("D"):
            return
        info = client.files_info(file=event.get("file_id") or event.get("file", {}).get("id"))
        handle_file(
            ctx,
            client,
            info["file"],
            channel=channel,
            thread_ts=None,
            user=event.get("user_id", ""),
        )
