"""Agent fixtures: a small ledger and a service factory."""

from __future__ import annotations

from datetime import date

import pytest

from agent.llm import LLMBrain
from agent.service import AgentService
from policies.config import load_policy
from tests.agent.scripted import ScriptedClient
from tests.support import factories as f


@pytest.fixture
def ledger(db):  # noqa: ANN001, ANN201
    with db.transaction() as s:
        g = f.customer(
            s, "C-001", "Globex Corporation", email="dana@globex.example", aliases=["Globex Corp"]
        )
        f.invoice(s, g, "INV-1042", amount="12400.00", due=date(2026, 10, 1))
        f.invoice(s, g, "INV-1077", amount="3100.00", due=date(2026, 11, 10))
        i = f.customer(s, "C-002", "Initech LLC", email="bill@initech.example")
        f.invoice(s, i, "INV-2001", amount="8000.00", due=date(2026, 9, 15))
    return db


@pytest.fixture
def scripted_service(ledger, clock):  # noqa: ANN001, ANN201
    def make(script: list, checkpointer=False) -> tuple[AgentService, ScriptedClient]:  # noqa: ANN001
        client = ScriptedClient(script)
        service = AgentService(
            ledger,
            clock=clock,
            policy=load_policy(),
            brain=LLMBrain(client, "scripted"),
            checkpointer=checkpointer,
        )
        return service, client

    return make
