"""Every Slack listener registers itself here, one module per kind."""

from __future__ import annotations

from slack_bolt import App

from api.deps import AppContext


def register_listeners(app: App, ctx: AppContext) -> None:
    from api.slack.listeners import approvals, files, home, messages

    for module in (messages, approvals, home, files):
        module.register(app, ctx)
