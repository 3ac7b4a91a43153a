"""Build the bolt App for our settings (the Web API base URL can point at a fake in tests)."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from api.deps import AppContext
from api.slack.identity import BotIdentity
from api.slack.listeners import register_listeners


def web_client(ctx: AppContext, *, token: str | None = None) -> WebClient:
    kwargs = {"token": token}
    if ctx.settings.slack_api_url:
        kwargs["base_url"] = ctx.settings.slack_api_url.rstrip("/") + "/"
    return WebClient(**kwargs)  # type: ignore[arg-type]


def build_bolt_app(ctx: AppContext) -> App:
    """The bolt app; building it calls no Slack API (see :mod:`api.slack.identity`)."""
    token = ctx.settings.slack_bot_token or ""
    identity = BotIdentity(token)
    app = App(
        client=web_client(ctx),  # no token here: bolt would call auth.test right now
        authorize=identity,
        signing_secret=ctx.settings.slack_signing_secret or "socket-mode-only",
        request_verification_enabled=bool(ctx.settings.slack_signing_secret),
        process_before_response=False,
        name="ar-agent",
    )
    ctx.extras["slack_client"] = web_client(ctx, token=token)
    ctx.extras["slack_identity"] = identity
    register_listeners(app, ctx)
    return app
