"""Long-lived services shared by the API's parts (built lazily, once per app)."""

from __future__ import annotations

import threading
from typing import Any

from api.deps import AppContext

_lock = threading.Lock()


def agent_service(ctx: AppContext) -> Any:
    """The agent (same instance for web chat, Slack and the email webhook)."""
    with _lock:
        if "agent" not in ctx.extras:
            from agent.service import AgentService

            ctx.extras["agent"] = AgentService(ctx.db, clock=ctx.clock, model=ctx.settings.model)
        return ctx.extras["agent"]


def poll_imap_forever(ctx: AppContext, stop: threading.Event, *, interval: float = 60.0) -> None:
    """Fetch unseen mail every ``interval`` seconds; a message is marked seen only once stored."""
    import logging

    from agent.inbox import process_inbound
    from mail.imap import poll_imap

    log = logging.getLogger("ar_agent.imap")
    url = ctx.settings.imap_url
    assert url
    while not stop.is_set():
        try:
            poll_imap(url, lambda raw: process_inbound(ctx.db, raw, clock=ctx.clock, service=agent_service(ctx),
                                                       source="imap"))
            hook = ctx.extras.get("after_proposals")
            if hook:
                hook()
        except Exception as exc:  # a mail server hiccup must not stop the poller
            log.warning("IMAP poll failed: %s", exc)
        stop.wait(interval)
