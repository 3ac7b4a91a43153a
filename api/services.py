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
