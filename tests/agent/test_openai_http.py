"""The real ``openai`` client against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from prometheus_client import REGISTRY

from agent.service import AgentService
from core import health
from policies.config import load_policy
from tests.agent.fake_openai import FakeOpenAI, answer, tool_calls


def test_openai_client_path_end_to_end(ledger, clock, monkeypatch):
    script = [
        tool_calls(("find_customer", {"query": "globex"})),
        tool_calls(
            (
                "record_promise",
                {"customer": "C-001", "date": "2026-11-27", "invoices": ["INV-1042"]},
            )
        ),
        answer("Queued for approval: Globex's promise to pay INV-1042 on 2026-11-27."),
    ]
    with FakeOpenAI(script) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        service = AgentService(
            ledger, clock=clock, policy=load_policy(), model="openai:fake-model", checkpointer=False
        )
        reply = service.chat("Globex promised INV-1042 for Friday", conversation_id="T", user="U")
    assert reply.text.startswith("Queued for approval")
    assert [(p["type"], p["payload"]["date"]) for p in reply.proposals] == [
        ("record_promise", "2026-11-27")
    ]
    assert len(server.requests) == 3
    first = server.requests[0]
    assert first["path"] == "/v1/chat/completions" and first["auth"] == "Bearer sk-test"
    assert first["body"]["model"] == "fake-model"
    assert first["body"]["messages"][0]["role"] == "system"
    last = server.requests[2]["body"]["messages"]
    assert [m["role"] for m in last[-3:]] == ["assistant", "tool", "tool"]


def test_an_unreachable_model_is_a_readable_reply(ledger, clock, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    monkeypatch.setenv("AR_AGENT_MODEL_TIMEOUT", "2")
    service = AgentService(
        ledger, clock=clock, policy=load_policy(), model="openai:fake", checkpointer=False
    )
    reply = service.chat("how much does globex owe?", conversation_id="T", user="U")
    assert reply.text.startswith("Sorry, I could not finish: the model fake failed")
    assert reply.proposals == []


def _llm_count(model: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "ar_agent_llm_request_duration_seconds_count", {"model": model, "outcome": outcome}
    )
    return value or 0.0


def test_model_calls_are_counted_timed_and_reported_on_readiness(ledger, clock, monkeypatch):
    health.reset()
    with FakeOpenAI([answer("Globex owes 20,000.00 USD.")]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        service = AgentService(
            ledger, clock=clock, policy=load_policy(), model="openai:metered", checkpointer=False
        )
        before = _llm_count("metered", "ok")
        service.chat("how much does globex owe?", conversation_id="M", user="U")
    assert _llm_count("metered", "ok") == before + 1
    assert health.snapshot()["llm"]["state"] == "ok"

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # the endpoint went away
    monkeypatch.setenv("AR_AGENT_MODEL_TIMEOUT", "2")
    down = AgentService(
        ledger, clock=clock, policy=load_policy(), model="openai:metered", checkpointer=False
    )
    failed = _llm_count("metered", "error")
    down.chat("how much does globex owe?", conversation_id="M2", user="U")
    assert _llm_count("metered", "error") == failed + 1
    llm = health.snapshot()["llm"]
    assert llm["state"] == "degraded" and "APIConnectionError" in llm["reason"]
