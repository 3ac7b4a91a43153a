"""The offline brain (the default): deterministic understanding, the same tools, templates.

Controllers' messages go to :mod:`agent.controller`, customer emails to
:mod:`agent.replies`. No model, no network; the same graph, guardrails and queue as the
LLM brain.
"""

from __future__ import annotations

from typing import Any

from agent import controller, replies
from agent.context import Context


class OfflineBrain:
    name = "offline"

    def step(self, state: dict[str, Any], ctx: Context) -> dict[str, Any]:
        if ctx.channel == "email":
            return replies.step(state, ctx)
        return controller.step(state, ctx)
