"""The deployment's entry points on a real PostgreSQL (what compose.yaml runs):
``serve --no-worker`` beside ``ar-agent worker``; /readyz through a database outage; 32
concurrent approvals-page loads on the demo company, each on one pool connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from api.demo import prepare_demo
from api.main import create_app
from api.server import build_context
from approvals.queue import propose
from core import health
from core.clock import parse_clock
from ledger.db import Database
from ledger.importer import load_ledger
from ledger.models import Approval, Communication
from tests.api.conftest import make_settings
from tests.conftest import IN_CI
from tests.scale.cluster import CLOCK, TOKEN, Cluster, reminder, scale_ledger
from tests.scale.conftest import fresh_database
from tests.support import postgres as pg_support
from tests.support.smtp import SmtpSink

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("service")]
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _wait_for(predicate, seconds: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_web_process_and_separate_worker(postgres_server, tmp_path: Path):
    url = fresh_database(postgres_server, "service")
    with (
        SmtpSink() as sink,
        Cluster(url, smtp_url=sink.url, workdir=tmp_path, size=1, workers=1) as cluster,
    ):
        web = cluster.servers[0]
        db = Database(url)
        try:
            clock = parse_clock(CLOCK)
            with db.transaction() as session:
                load_ledger(session, scale_ledger(3), source="service")
                ids = [propose(session, reminder(i), clock=clock).approval.id for i in (1, 2, 3)]
            for approval_id in ids:
                r = web.client.post(f"/api/approvals/{approval_id}/approve", json={}, headers=AUTH)
                assert r.status_code == 200, r.text
            _wait_for(lambda: len(sink.messages) == 3)

            def worker_seen():  # type: ignore[no-untyped-def]
                checks = web.client.get("/readyz").json()["checks"]
                return checks["worker"]["state"] == "ok" and checks["smtp"]["state"] == "ok"

            _wait_for(worker_seen, seconds=30)
            ready = web.client.get("/readyz").json()
            assert ready["checks"]["worker"]["where"] == "separate process"
            with db.session() as session:
                sent = session.scalar(
                    select(func.count())
                    .select_from(Communication)
                    .where(Communication.status == "sent")
                )
                executed = session.scalar(
                    select(func.count()).select_from(Approval).where(Approval.status == "executed")
                )
            assert (sent, executed) == (3, 3)
            passes = [
                s.value
                for f in text_string_to_metric_families(web.client.get("/metrics").text)
                if f.name == "ar_agent_worker_pass_seconds"
                for s in f.samples
                if s.name.endswith("_count")
            ]
            assert passes == [0.0]  # the web process ran no worker pass: the worker did it all
        finally:
            db.dispose()
        assert cluster.workers[0].proc.poll() is None
    assert cluster.workers[0].proc.returncode == 0  # SIGTERM: a clean stop


@pytest.fixture
def own_postgres() -> Iterator[pg_support.TestPostgres]:
    server = pg_support.TestPostgres(own=True)
    if not server.url:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {server.reason}")
        pytest.skip(f"PostgreSQL unavailable: {server.reason}")
    yield server
    server.stop()


def test_readyz_follows_a_postgres_outage(own_postgres, clock):
    health.reset()
    db = Database(own_postgres.new_database("outage"))
    ctx = build_context(make_settings(), db=db, clock=clock)
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    auth = {"Authorization": "Bearer test-token"}
    try:
        assert client.get("/readyz").status_code == 200
        assert client.get("/api/approvals", headers=auth).status_code == 200
        assert client.get("/approvals", headers=auth).status_code == 200

        own_postgres.pause()
        down = client.get("/readyz")
        assert down.status_code == 503
        body = down.json()
        assert body["status"] == "not ready"
        assert body["reason"].startswith("database: ")
        assert body["checks"]["database"]["state"] == "down"
        for path in ("/healthz", "/api/approvals", "/api/customers"):
            r = client.get(path, headers=auth)
            assert r.status_code == 503, (path, r.text)
            assert r.json()["detail"].startswith("database unavailable: ")
            assert "Traceback" not in r.text and len(r.text) < 400
        page = client.get("/approvals", headers={"Accept": "text/html"})
        assert page.status_code == 503 and "database unavailable" in page.text
        assert "Traceback" not in page.text
        assert client.get("/metrics").status_code == 200  # says ar_agent_database_up 0
        families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)}
        assert families["ar_agent_database_up"].samples[0].value == 0

        own_postgres.resume()
        assert client.get("/readyz").status_code == 200
        assert client.get("/api/approvals", headers=auth).status_code == 200
    finally:
        db.dispose()


def test_32_concurrent_approvals_page_loads_all_succeed(postgres_server, tmp_path: Path):
    url = fresh_database(postgres_server, "pages")
    db = Database(url)
    try:
        ctx = build_context(make_settings(), db=db, clock=parse_clock(CLOCK))
        summary = prepare_demo(ctx, customers=60, say=lambda _: None)
        assert summary.pending > 0
    finally:
        db.dispose()
    with SmtpSink() as sink, Cluster(url, smtp_url=sink.url, workdir=tmp_path, size=1) as cluster:
        web = cluster.servers[0]
        statuses: list[int | str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(32)

        def load() -> None:
            with httpx.Client(base_url=web.base_url, headers=AUTH, timeout=120) as c:
                barrier.wait(timeout=30)
                try:
                    status: int | str = c.get("/approvals").status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=load) for _ in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        assert statuses == [200] * 32, statuses
        metrics = web.client.get("/metrics").text
        nested = [
            s
            for f in text_string_to_metric_families(metrics)
            if f.name == "ar_agent_http_nested_db_checkouts"
            for s in f.samples
            if s.name.endswith("_total")
        ]
        assert sum(s.value for s in nested) == 0, nested
        served = [
            s
            for f in text_string_to_metric_families(metrics)
            if f.name == "ar_agent_http_request_duration_seconds"
            for s in f.samples
            if s.name.endswith("_count") and s.labels["route"] == "/approvals"
        ]
        assert sum(s.value for s in served) >= 32
