"""Logs, metrics and health on SQLite: JSON lines with the request's fields, Prometheus text,
/readyz checks, and the 503 that a database error becomes."""

from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from api.main import create_app
from api.server import build_context
from approvals.queue import propose
from core import health
from core.errors import ConfigError
from core.logs import bind, bound, configure_logging, log_level, log_scope
from ledger.db import make_engine
from ledger.importer import load_ledger_file
from policies.actions import ProposedAction
from tests.api.conftest import FIXTURES, make_settings

AUTH = {"Authorization": "Bearer test-token"}


@pytest.fixture
def app(db, clock):
    health.reset()
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    return TestClient(create_app(ctx.settings, ctx=ctx)), ctx


@pytest.fixture
def log_lines(monkeypatch):
    """The root logger's JSON output, as parsed dicts."""
    monkeypatch.setenv("AR_AGENT_LOG_LEVEL", "INFO")
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("uvicorn.access").disabled)
    configure_logging(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.getLogger("uvicorn.access").disabled = saved[2]


def _hold(ctx) -> int:
    with ctx.db.transaction() as session:
        outcome = propose(
            session,
            ProposedAction(
                type="hold_dunning",
                payload={
                    "customer": "C-001",
                    "invoices": ["INV-1042"],
                    "until": "2026-12-10",
                    "reason": "out of office",
                },
                requested_by="someone-else",
            ),
            clock=ctx.clock,
        )
        return outcome.approval.id


def test_access_log_is_json_with_request_id_user_and_approval(app, log_lines):
    client, ctx = app
    approval_id = _hold(ctx)
    response = client.post(
        f"/api/approvals/{approval_id}/approve",
        json={},
        headers={**AUTH, "X-Request-ID": "req-42"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == "req-42"
    access = [r for r in log_lines() if r["logger"] == "ar_agent.access"]
    assert access, log_lines()
    line = access[-1]
    assert line["request_id"] == "req-42"
    assert line["user"] == "admin"  # the bootstrap token is the admin account
    assert line["approval_id"] == approval_id
    assert line["route"] == "/api/approvals/{approval_id}/approve"
    assert line["status"] == 200 and line["level"] == "info" and line["duration_ms"] >= 0


def test_a_request_without_an_id_gets_one(app):
    client, _ = app
    first = client.get("/api/customers", headers=AUTH).headers["x-request-id"]
    second = client.get("/api/customers", headers=AUTH).headers["x-request-id"]
    assert first and second and first != second
    forged = client.get("/api/customers", headers={**AUTH, "X-Request-ID": "a\nb c"})
    assert forged.headers["x-request-id"] != "a\nb c"


def test_chat_lines_carry_the_conversation(app, log_lines):
    client, _ = app
    r = client.post(
        "/api/chat",
        json={"text": "how much does globex owe us?", "conversation_id": "conv-7"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    access = [x for x in log_lines() if x["logger"] == "ar_agent.access"]
    assert access[-1]["conversation_id"] == "conv-7"


def test_log_level_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AR_AGENT_LOG_LEVEL", "warning")
    assert log_level() == logging.WARNING
    monkeypatch.setenv("AR_AGENT_LOG_LEVEL", "loud")
    with pytest.raises(ConfigError, match="AR_AGENT_LOG_LEVEL"):
        log_level()


def test_metrics_are_prometheus_text_with_the_figures(app):
    client, ctx = app
    _hold(ctx)
    client.get("/api/customers/C-001", headers=AUTH)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    for name in (
        "ar_agent_http_request_duration_seconds",
        "ar_agent_approvals",
        "ar_agent_outbox_depth",
        "ar_agent_outbox_oldest_age_seconds",
        "ar_agent_email_send_failures",
        "ar_agent_worker_pass_seconds",
        "ar_agent_dunning_run_seconds",
        "ar_agent_llm_request_duration_seconds",
        "ar_agent_database_up",
    ):
        assert name in families, name
    routes = {
        s.labels.get("route") for s in families["ar_agent_http_request_duration_seconds"].samples
    }
    assert "/api/customers/{customer_id}" in routes
    pending = [
        s
        for s in families["ar_agent_approvals"].samples
        if s.labels == {"type": "hold_dunning", "status": "pending"}
    ]
    assert pending and pending[0].value == 1


def test_metrics_token_when_set(db, clock):
    ctx = build_context(make_settings(AR_AGENT_METRICS_TOKEN="m-secret"), db=db, clock=clock)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer m-secret"})
    assert ok.status_code == 200


def test_readyz_lists_every_check(app):
    client, _ = app
    health.configured("smtp")
    health.report_failure("smtp", "535 5.7.8 authentication failed")
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["degraded"] == ["smtp"]
    assert body["checks"]["database"]["state"] == "ok"
    assert body["checks"]["migrations"]["state"] == "ok"
    assert body["checks"]["smtp"]["reason"] == "535 5.7.8 authentication failed"
    assert body["checks"]["slack"]["state"] == "off"
    assert set(body["checks"]) >= {"worker", "slack", "smtp", "imap", "llm"}


def test_readyz_is_503_when_the_schema_is_behind(app):
    client, ctx = app
    with ctx.db.transaction() as session:
        session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["reason"].startswith("migrations: database at older, code expects")


def test_a_database_error_is_a_503_with_a_short_reason(app):
    client, ctx = app
    ctx.db.engine.dispose()  # from now on the database is a file that cannot be opened
    ctx.db.engine = make_engine("sqlite:////nonexistent/dir/ledger.db")
    ctx.db.sessions.configure(bind=ctx.db.engine)
    response = client.get("/api/approvals", headers=AUTH)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    detail = response.json()["detail"]
    assert detail.startswith("database unavailable: ") and "\n" not in detail
    assert "Traceback" not in response.text and len(detail) < 260
    page = client.get("/healthz", headers={"Accept": "text/html"})
    assert page.status_code == 503 and "Service unavailable" in page.text


def test_fields_stay_inside_their_unit_of_work():
    bind(conversation_id="outside")  # no unit of work: nothing sticks
    assert bound() == {}
    with log_scope(request_id="r1"):
        bind(user="alex", approval_id=None)
        assert bound() == {"request_id": "r1", "user": "alex"}
    assert bound() == {}


def test_text_lines_on_a_terminal_json_elsewhere(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    monkeypatch.delenv("AR_AGENT_LOG_FORMAT", raising=False)
    monkeypatch.delenv("AR_AGENT_LOG_LEVEL", raising=False)
    try:
        terminal = Terminal()
        configure_logging(terminal, default_level="WARNING")
        logging.getLogger("ar_agent.t").info("hidden")
        logging.getLogger("ar_agent.t").warning("shown %s", 1)
        assert terminal.getvalue().strip().endswith("WARNING ar_agent.t: shown 1")
        monkeypatch.setenv("AR_AGENT_LOG_FORMAT", "json")
        piped = Terminal()
        configure_logging(piped)
        logging.getLogger("ar_agent.t").info("now %s", "json")
        assert json.loads(piped.getvalue())["message"] == "now json"
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
