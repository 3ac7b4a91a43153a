"""The graph's state: the conversation log, what the agent focuses on, and this turn's work.

Everything here is plain JSON data so any checkpointer can store it. ``messages`` and
``focus`` survive between turns (conversation memory per thread); the other keys are
reset by the input node at the start of every turn.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict


class Focus(TypedDict, total=False):
    """What the conversation is about, for follow-ups ("and their oldest invoice?")."""

    customer: str
    customer_name: str
    invoices: list[str]


class ToolCall(TypedDict):
    id: str
    name: str
    args: dict[str, Any]


class ToolOutcome(TypedDict, total=False):
    id: str
    name: str
    args: dict[str, Any]
    ok: bool
    result: dict[str, Any]
    error: str
    proposals: list[dict[str, Any]]  # ProposedAction dumps, before the guardrails
    queued: list[dict[str, Any]]  # {id, type, payload, duplicate}
    blocked: list[dict[str, Any]]  # {type, payload, reasons}


class State(TypedDict, total=False):
    messages: Annotated[list[dict[str, Any]], operator.add]
    focus: Focus
    turn: dict[str, Any]  # this turn's input: text/user, or the customer email
    understanding: dict[str, Any]  # the offline brain's reading of the input
    pending: list[ToolCall]
    results: list[ToolOutcome]
    steps: int
    intent: str | None
    reply: str | None
    data: dict[str, Any]
