"""Conversation memory: the thread's customer survives across turns and processes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.memory import make_checkpointer, sqlite_checkpointer
from agent.service import AgentService
from policies.config import load_policy


class RecordingBrain:
    """Turn 1 looks a customer up; turn 2 answers with what the state remembers."""

    name = "recording"

    def step(self, state: dict[str, Any], ctx: Any) -> dict[str, Any]:
        text = state["turn"]["text"]
        if "owe" in text and not state.get("results"):
            return {
                "pending": [
                    {"id": "c1", "name": "customer_balance", "args": {"customer": "Globex"}}
                ]
            }
        if "oldest" in text and not state.get("results"):
            focus = state.get("focus") or {}
            return {
                "pending": [
                    {"id": "c2", "name": "oldest_invoice", "args": {"customer": focus["customer"]}}
                ]
            }
        return {"reply": state["results"][-1]["result"]["summary"]}


def test_follow_up_uses_the_remembered_customer_after_a_restart(ledger, clock, tmp_path):
    path = tmp_path / "memory.sqlite"
    first = AgentService(
        ledger,
        clock=clock,
        policy=load_policy(),
        brain=RecordingBrain(),
        checkpointer=sqlite_checkpointer(path),
    )
    assert (
        "15,500.00" in first.chat("how much does globex owe?", conversation_id="T1", user="U").text
    )
    second = AgentService(
        ledger,
        clock=clock,
        policy=load_policy(),
        brain=RecordingBrain(),
        checkpointer=sqlite_checkpointer(path),
    )
    reply = second.chat("and what about their oldest invoice?", conversation_id="T1", user="U")
    assert "INV-1042" in reply.text
    state = second.chat_graph.get_state({"configurable": {"thread_id": "T1"}}).values
    assert state["focus"]["customer"] == "C-001"
    assert [m["role"] for m in state["messages"]] == ["user", "assistant", "user", "assistant"]


def test_threads_do_not_share_memory(ledger, clock):
    service = AgentService(
        ledger,
        clock=clock,
        policy=load_policy(),
        brain=RecordingBrain(),
        checkpointer=sqlite_checkpointer(":memory:"),
    )
    service.chat("how much does globex owe?", conversation_id="A", user="U")
    state = service.chat_graph.get_state({"configurable": {"thread_id": "B"}}).values
    assert not state.get("focus")


def test_checkpointer_choice_follows_the_database_url(tmp_path):
    saver = make_checkpointer(f"sqlite:///{tmp_path / 'ar.db'}")
    assert type(saver).__name__ == "SqliteSaver"
    assert (tmp_path / "ar.checkpoints.sqlite").exists()


@pytest.mark.postgres
def test_postgres_database_gets_a_postgres_checkpointer_that_remembers(pg_db, clock):
    from tests.support import factories as f

    with pg_db.transaction() as s:
        g = f.customer(s, "C-001", "Globex Corporation")
        f.invoice(s, g, "INV-1042", amount="12400.00", due=date(2026, 10, 1))
    saver = make_checkpointer(pg_db.url)
    assert type(saver).__name__ == "PostgresSaver"
    service = AgentService(
        pg_db, clock=clock, policy=load_policy(), brain=RecordingBrain(), checkpointer=saver
    )
    service.chat("how much does globex owe?", conversation_id="PG", user="U")
    again = AgentService(
        pg_db,
        clock=clock,
        policy=load_policy(),
        brain=RecordingBrain(),
        checkpointer=make_checkpointer(pg_db.url),
    )
    assert "INV-1042" in again.chat("their oldest invoice?", conversation_id="PG", user="U").text
