"""Issue 13 item 9: ``ar-agent serve`` stops within seconds of SIGTERM, requests in flight or not."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from mail.sink import free_port


def test_serve_stops_within_seconds_of_sigterm_with_a_request_in_flight(tmp_path: Path):
    port = free_port()
    env = {
        **os.environ,
        "AR_AGENT_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "AR_AGENT_WEB_TOKEN": "t",
        "AR_AGENT_INBOUND_SECRET": "s",
        "AR_AGENT_SHUTDOWN_SECONDS": "2",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise AssertionError("serve did not start")
        # a request whose body never ends keeps a connection busy
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(
            b"POST /email/inbound HTTP/1.1\r\nHost: x\r\nX-AR-Agent-Secret: s\r\n"
            b"Content-Type: message/rfc822\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
        )
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert time.monotonic() - sent < 15
        slow.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
