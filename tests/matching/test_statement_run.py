"""One cash-application run for every front end: web, REST, Slack, CLI and the agent tool
feed the same statement to ``run_cash_application`` and agree line by line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import matching.statement_run as statement_run
from api.main import create_app
from api.server import build_context
from api.slack.listeners.files import handle_file
from cli.main import main
from core.clock import FrozenClock
from core.settings import get_settings
from ledger.bankfiles import parse_bank_file
from ledger.bankfiles.store import store_statements
from ledger.db import Database
from ledger.importer import load_ledger_file
from ledger.models import Approval
from policies.config import load_policy
from tests.api.conftest import make_settings
from tests.cli.test_match import BANK, LEDGER
from tools.context import ToolContext
from tools.remittance import match_bank_statement

AUTH = {"Authorization": "Bearer test-token", "X-AR-User": "alex"}
CLOCK = "2026-11-23T09:00:00-06:00"


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """Which front end went through the one application function."""
    seen: list[str] = []
    real = statement_run.run_cash_application

    def spy(session, request, **kw):  # type: ignore[no-untyped-def]
        seen.append("upload" if request.upload else "stored")
        return real(session, request, **kw)

    for module in ("api.services", "cli.match", "tools.remittance"):
        monkeypatch.setattr(f"{module}.run_cash_application", spy)
    return seen


def _essence(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            r["transaction"],
            r["amount"],
            r["status"],
            r["customer"],
            tuple((a["invoice"], a["amount"]) for a in r["allocations"]),
            round(r["confidence"], 3),  # the tool's answer rounds to 3 places
        )
        for r in rows
        if r["status"] != "unmatched" or "debit: not matched" not in r.get("reasons", [])
    ]


def _approvals(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.scalars(select(Approval).where(Approval.type == "apply_payment"))
        return sorted((a.payload["transaction"], a.payload["amount"]) for a in rows)


def _web(db: Database, clock: FrozenClock) -> list[dict[str, Any]]:
    ctx = build_context(make_settings(), db=db, clock=clock)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    page = client.post("/bank", headers=AUTH, files={"file": ("bank.csv", BANK.encode())})
    assert page.status_code == 200 and "bank.csv" in page.text
    rest = client.post(
        "/api/bank-statements", headers=AUTH, files={"file": ("bank.csv", BANK.encode())}
    )
    assert rest.status_code == 200  # the same file again: same rows, nothing queued twice
    return rest.json()["rows"]


def _rest(db: Database, clock: FrozenClock) -> list[dict[str, Any]]:
    ctx = build_context(make_settings(), db=db, clock=clock)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    response = client.post(
        "/api/bank-statements", headers=AUTH, files={"file": ("bank.csv", BANK.encode())}
    )
    assert response.status_code == 200, response.text
    return response.json()["rows"]


class _Controller:
    def can(self, action: str) -> bool:
        return action == "propose"


class _Slack:
    def __init__(self) -> None:
        self.posted: list[str] = []

    def chat_postMessage(self, **kwargs: Any) -> None:  # noqa: N802 (Slack's name)
        self.posted.append(kwargs["text"])


def _slack(db: Database, clock: FrozenClock, monkeypatch) -> list[dict[str, Any]]:
    ctx = build_context(make_settings(), db=db, clock=clock)
    client = _Slack()
    monkeypatch.setattr("api.slack.listeners.files.download", lambda ctx, file: BANK.encode())
    monkeypatch.setattr("api.slack.listeners.files.post_pending_cards", lambda ctx, c: None)
    monkeypatch.setattr(  # a linked controller (the Slack identity rules have their own tests)
        "api.slack.listeners.files.slack_identity", lambda ctx, user: _Controller()
    )
    captured: list[Any] = []
    real = statement_run.run_cash_application

    def keep(session, request, **kw):  # type: ignore[no-untyped-def]
        captured.append(out := real(session, request, **kw))
        return out

    monkeypatch.setattr("api.services.run_cash_application", keep)
    handle_file(
        ctx, client, {"id": "F1", "name": "bank.csv"}, channel="D1", thread_ts=None, user="U1"
    )
    assert client.posted and "bank.csv" in client.posted[0]
    return captured[0].rows


def _cli(tmp_path: Path, monkeypatch, capsys) -> list[dict[str, Any]]:
    bank = tmp_path / "bank.csv"
    bank.write_text(BANK)
    monkeypatch.setenv("AR_AGENT_CLOCK", CLOCK)
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", f"sqlite:///{tmp_path / 'ar.db'}")
    get_settings.cache_clear()
    try:
        assert main(["match", str(bank), "--json"]) == 0
    finally:
        get_settings.cache_clear()
    return json.loads(capsys.readouterr().out)


def _tool(db: Database, clock: FrozenClock) -> list[dict[str, Any]]:
    """The agent's tool works on stored lines: the statement is imported first."""
    with db.transaction() as session:
        store_statements(session, parse_bank_file(BANK.encode(), name="bank.csv"))
    with db.transaction() as session:
        ctx = ToolContext(session=session, clock=clock, policy=load_policy(), requester="alex")
        result = match_bank_statement(ctx)
        proposals = result.proposals
    assert result.auto == 2
    assert {p.payload["transaction"] for p in proposals}
    return [
        {
            "transaction": line.transaction,
            "amount": line.amount,
            "status": line.status,
            "customer": line.customer,
            "allocations": [a.model_dump() for a in line.allocations],
            "confidence": line.confidence,
            "reasons": ["debit: not matched"] if line.why == "debit: not matched" else [],
        }
        for line in result.lines
    ]


def test_every_front_end_gets_the_same_matches(tmp_path, monkeypatch, capsys, calls, clock):
    outputs: dict[str, list[tuple[Any, ...]]] = {}
    queued: dict[str, list[tuple[str, str]]] = {}
    for name in ("web", "rest", "slack", "cli", "tool"):
        where = tmp_path / name
        where.mkdir()
        ledger = where / "ledger.json"
        ledger.write_text(json.dumps(LEDGER))
        db = Database(f"sqlite:///{where / 'ar.db'}")
        with db.transaction() as session:
            load_ledger_file(session, ledger)
        if name == "web":
            rows = _web(db, clock)
        elif name == "rest":
            rows = _rest(db, clock)
        elif name == "slack":
            rows = _slack(db, clock, monkeypatch)
        elif name == "cli":
            db.dispose()
            rows = _cli(where, monkeypatch, capsys)
            db = Database(f"sqlite:///{where / 'ar.db'}")
        else:
            rows = _tool(db, clock)
        outputs[name] = _essence(rows)
        queued[name] = _approvals(db)
        db.dispose()
    reference = outputs["cli"]
    assert [r[2] for r in reference] == ["auto", "auto", "review"]
    for name, rows in outputs.items():
        # the tool names synthetic lines by their stored key; compare the rest
        assert [r[1:] for r in rows] == [r[1:] for r in reference], name
    for name in ("web", "rest", "slack", "cli"):
        assert len(queued[name]) == 3 and queued[name] == queued["rest"], name
    assert queued["tool"] == []  # the tool proposes; the agent queues in its conversation
    # web (page + REST), REST, CLI through the spy; Slack through its own capture above
    assert calls.count("upload") == 4 and calls.count("stored") == 1
