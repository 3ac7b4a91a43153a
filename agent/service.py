"""The agent's one entry point: ``AgentService(db, clock=..., policy=..., model=...)``.

``chat`` answers a controller in a conversation (memory per ``conversation_id`` through
the checkpointer); ``handle_customer_reply`` runs a customer's email through the same
graph. Both return what was queued for approval and what the policy blocked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from agent.context import Brain, Context
from agent.graph import build_graph
from agent.memory import make_checkpointer
from core.clock import Clock
from core.logs import bind
from core.settings import get_settings
from ledger.db import Database


@dataclass
class AgentReply:
    text: str
    proposals: list[dict[str, Any]] = field(default_factory=list)  # queued: {id, type, payload}
    blocked: list[dict[str, Any]] = field(default_factory=list)  # {type, payload, reasons}
    intent: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def make_brain(model: str | None) -> Brain:
    """``None``/``"offline"``: the offline brain; ``"openai:MODEL"``: an OpenAI-compatible LLM."""
    if not model or model == "offline":
        from agent.offline import OfflineBrain

        return OfflineBrain()
    from agent.llm import LLMBrain

    return LLMBrain.from_spec(model)


def _outcomes(values: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    results = values.get("results") or []
    queued = [q for r in results for q in r.get("queued") or []]
    blocked = [b for r in results for b in r.get("blocked") or []]
    return queued, blocked


class AgentService:
    """Chat with controllers and read customer replies; proposals go to the approval queue."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock,
        policy: Any = None,
        model: str | None = None,
        checkpointer: Any = None,
        brain: Brain | None = None,
        requester: str = "agent",
    ) -> None:
        settings = get_settings()
        if policy is None:
            from policies.config import load_policy

            policy = load_policy()
        self.db, self.clock, self.policy = db, clock, policy
        self.brain = brain or make_brain(model if model is not None else settings.model)
        self.requester = requester
        self.pay_link, self.company_name = settings.pay_link, settings.company_name
        if checkpointer is None:
            checkpointer = make_checkpointer(db.url)
        self.checkpointer = checkpointer or None  # False: no memory (one-shot email runs)
        self.chat_graph = build_graph(self.checkpointer)
        self.email_graph = build_graph()

    def _context(self, channel: str, conversation_id: str, requester: str) -> Context:
        return Context(
            db=self.db,
            clock=self.clock,
            policy=self.policy,
            brain=self.brain,
            requester=requester,
            channel=channel,
            conversation_id=conversation_id,
            pay_link=self.pay_link,
            company_name=self.company_name,
            max_steps=6 if self.brain.name == "offline" else 10,
        )

    def chat(self, text: str, *, conversation_id: str, user: str) -> AgentReply:
        """Answer a controller's message; remembers the thread's last customer and invoices."""
        bind(conversation_id=conversation_id)
        ctx = self._context("chat", conversation_id, f"agent:{user}" if user else self.requester)
        values = self.chat_graph.invoke(
            {"turn": {"text": text, "user": user}},
            config={"configurable": {"thread_id": conversation_id}},
            context=ctx,
        )
        queued, blocked = _outcomes(values)
        return AgentReply(
            text=values.get("reply") or "",
            proposals=queued,
            blocked=blocked,
            intent=values.get("intent"),
            data=values.get("data") or {},
        )

    def handle_customer_reply(
        self,
        *,
        sender: str,
        subject: str,
        text: str,
        customer: str | None = None,
        invoices: list[str] | tuple[str, ...] = (),
        auto_reply_kind: str | None = None,
        conversation_id: str | None = None,
        message_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Read a customer's reply (already stripped of quotes) and propose per the policy."""
        conversation_id = conversation_id or f"email:{message_id or uuid.uuid4().hex}"
        bind(conversation_id=conversation_id)
        ctx = self._context("email", conversation_id, "agent")
        turn = {
            "sender": sender,
            "subject": subject or "",
            "text": text or "",
            "customer": customer,
            "invoices": list(invoices or []),
            "auto_reply_kind": auto_reply_kind,
            "message_id": message_id,
            "headers": headers or {},
        }
        values = self.email_graph.invoke({"turn": turn}, context=ctx)
        queued, blocked = _outcomes(values)
        understanding = values.get("understanding") or {}
        linked = understanding.get("customer")
        numbers: list[str] = []
        for q in queued:
            p = q["payload"]
            numbers += p.get("invoices") or ([p["invoice"]] if p.get("invoice") else [])
        reading = understanding.get("reading") or {}
        numbers += [n for n in reading.get("invoices") or [] if linked]
        return {
            "customer": linked,
            "invoices": list(dict.fromkeys(numbers)),
            "intent": values.get("intent") or "other",
            "reply_text": text,
            "proposals": queued,
            "blocked": blocked,
            "summary": values.get("reply") or "",
        }
