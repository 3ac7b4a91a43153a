"""Per-run context handed to every node by LangGraph (``context_schema``): no globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from core.clock import Clock
from ledger.db import Database


class Brain(Protocol):
    """Decides the next tool calls, or the final reply, from the state."""

    name: str

    def step(self, state: dict[str, Any], ctx: Context) -> dict[str, Any]:
        """Return a partial state update: ``pending`` tool calls, or ``reply``/``intent``."""
        ...


@dataclass
class Context:
    db: Database
    clock: Clock
    policy: Any
    brain: Brain
    requester: str = "agent"
    channel: str = "chat"  # chat | email
    conversation_id: str | None = None
    pay_link: str = "https://pay.example.com"
    company_name: str = "Example Co."
    max_steps: int = 6
    # merged into every proposal's context (an email turn: who wrote it, for the card)
    proposal_context: dict[str, Any] = field(default_factory=dict)
    # set for a stranger's message: every proposal but an escalation is blocked, with this reason
    escalate_only: str | None = None
