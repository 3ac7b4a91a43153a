"""Behind a TLS-terminating proxy: cookies are Secure when a trusted proxy says https."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from api.main import create_app
from api.server import build_context, uvicorn_options
from mail.sink import free_port
from tests.api.conftest import make_settings
from tests.support.accounts import add_account


@pytest.fixture(params=["127.0.0.1", ""], ids=["trusted", "untrusted"])
def served(request, db, clock) -> Iterator[tuple[str, bool]]:
    settings = make_settings(AR_AGENT_TRUSTED_PROXIES=request.param)
    ctx = build_context(settings, db=db, clock=clock)
    add_account(db, "alice", "approver", password="alice-password")
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, ctx=ctx), host="127.0.0.1", port=port, **uvicorn_options(settings)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", bool(request.param)
    server.should_exit = True
    thread.join(5)


def test_forwarded_https_counts_only_from_a_trusted_proxy(served):
    base, trusted = served
    response = httpx.post(
        f"{base}/login",
        data={"username": "alice", "password": "alice-password"},
        headers={"X-Forwarded-Proto": "https"},
    )
    cookie = response.headers["set-cookie"]
    assert ("Secure" in cookie) is trusted
    assert ("strict-transport-security" in response.headers) is trusted
