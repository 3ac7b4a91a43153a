"""Slack: chat with the agent and approve every action there (slack-bolt).

HTTP mode: Slack posts events, interactivity and slash commands to ``/slack/events``,
verified with ``SLACK_SIGNING_SECRET`` (stale timestamps are refused as replays).
Socket Mode: with ``SLACK_APP_TOKEN`` the same listeners run over a websocket.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from api.deps import AppContext


def install(app: FastAPI, ctx: AppContext) -> None:
    if not ctx.settings.slack_enabled:
        return
    from slack_bolt.adapter.starlette.handler import SlackRequestHandler

    from api.slack.bolt_app import build_bolt_app
    from api.slack.cards import post_pending_cards, refresh_card

    bolt = ctx.extras.get("slack_app") or build_bolt_app(ctx)
    ctx.extras["slack_app"] = bolt
    client = ctx.extras["slack_client"]
    # decisions taken on the web page redraw the Slack card; new proposals get cards at once
    ctx.extras["after_execute"] = lambda approval_id: refresh_card(ctx, client, approval_id)
    ctx.extras["after_proposals"] = lambda: post_pending_cards(ctx, client)
    handler = SlackRequestHandler(bolt)

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)


def start_socket_mode(ctx: AppContext, stop: threading.Event) -> Any:
    """Connect over Socket Mode (no public URL needed), retrying with backoff while Slack
    cannot be reached; returns the handler (None when stopped first)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from api.monitors import retrying
    from api.slack.bolt_app import build_bolt_app

    bolt = ctx.extras.get("slack_app") or build_bolt_app(ctx)
    ctx.extras["slack_app"] = bolt
    handler = SocketModeHandler(bolt, ctx.settings.slack_app_token)
    try:
        retrying("slack", stop)(handler.connect)
    except Exception:  # stopped while Slack was away
        return None
    return handler


def card_poster(ctx: AppContext) -> Callable[[], None]:
    """Post cards for pending approvals that have none (the worker process's Slack part)."""
    from api.slack.bolt_app import web_client
    from api.slack.cards import post_pending_cards

    client = web_client(ctx, token=ctx.settings.slack_bot_token)
    return lambda: post_pending_cards(ctx, client)
