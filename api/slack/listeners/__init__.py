"""Every Slack listener registers itself here, one module per kind."""

from __future__ import annotations

from slack_bolt import App

from api.deps import AppContext


def register_listeners(app: App, ctx: AppContext) -> None:
    from api.slack.listeners import approvals, files, home, messages

    # bolt runs the first listener that matches: the file_share one must precede plain messages
    for module in (files, messages, approvals, home):
        module.register(app, ctx)
