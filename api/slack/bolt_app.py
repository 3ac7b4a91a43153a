"""Build the bolt App for our settings (the Web API base URL can point at a fake in tests)."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from api.deps import AppContext
from api.slack.listeners import register_listeners


def web_client(ctx: AppContext) -> WebClient:
    kwargs = {"token": ctx.settings.slack_bot_token}
    if ctx.settings.slack_api_url:
        kwargs["base_url"] = ctx.settings.slack_api_url.rstrip("/") + "/"
    return WebClient(**kwargs)  # type: ignore[arg-type]


def build_bolt_app(ctx: AppContext) -> App:
    client = web_client(ctx)
    app = App(
        client=client,
        # Socket Mode only needs no secret: no HTTP route is mounted without one (api.slack)
        signing_secret=ctx.settings.slack_signing_secret or "socket-mode-only",
        process_before_response=False,
        name="ar-agent",
    )
    ctx.extras["slack_client"] = client
    register_listeners(app, ctx)
    return app
