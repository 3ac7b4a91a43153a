"""What every tool receives besides its own arguments, and what every tool returns.

The session, clock and policy are injected by the graph (never chosen by the model);
a tool reads the ledger and returns readable data plus proposals. It never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from core.clock import Clock, today
from policies.actions import ProposedAction


@dataclass
class ToolContext:
    """Per-call dependencies of a tool: the open session, "now" and the policy."""

    session: Session
    clock: Clock
    policy: Any = None
    requester: str = "agent"
    conversation_id: str | None = None
    channel: str = "chat"
    pay_link: str = "https://pay.example.com"
    company_name: str = "Example Co."

    @property
    def today(self) -> date:
        return today(self.clock)

    def action(
        self, type_: str, payload: dict[str, Any], reason: str | None = None, **context: Any
    ) -> ProposedAction:
        """Build a proposal attributed to this conversation."""
        return ProposedAction(
            type=type_,
            payload=payload,
            reason=reason,
            requested_by=self.requester,
            conversation_id=self.conversation_id,
            context=context,
        )


class Refused(BaseModel):
    """A request the policy never lets the agent propose (a write-off, a credit note)."""

    type: str
    payload: dict[str, Any] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list)


class ToolResult(BaseModel):
    """Base of every tool output: a one-line summary, proposals, an optional refusal."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    summary: str = ""
    proposals: list[ProposedAction] = Field(default_factory=list)
    refusal: str | None = None
    refused: list[Refused] = Field(default_factory=list)  # logged as blocked proposals

    def for_model(self) -> dict[str, Any]:
        """JSON-ready view handed back to a language model."""
        data = self.model_dump(mode="json", exclude={"proposals", "refused"})
        data["actions"] = [{"type": p.type, "payload": p.payload} for p in self.proposals]
        return data
