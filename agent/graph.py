"""The agent graph, wired: input → brain → tools → guardrails → brain … → reply.

The brain (offline or LLM), clock, policy and database arrive in the run's context
(:class:`agent.context.Context`); conversation memory is the checkpointer's job.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agent import nodes
from agent.context import Context
from agent.state import State

builder = StateGraph(State, context_schema=Context)
builder.add_node("input", nodes.receive)
builder.add_node("brain", nodes.think)
builder.add_node("tools", nodes.act)
builder.add_node("guardrails", nodes.guard)
builder.add_node("reply", nodes.respond)
builder.add_edge(START, "input")
builder.add_edge("input", "brain")
builder.add_conditional_edges("brain", nodes.after_think, ["tools", "reply"])
builder.add_edge("tools", "guardrails")
builder.add_edge("guardrails", "brain")
builder.add_edge("reply", END)


def build_graph(checkpointer: Any = None) -> Any:
    """Compile the graph, with a checkpointer for conversation memory (optional)."""
    return builder.compile(checkpointer=checkpointer, name="ar-agent")
