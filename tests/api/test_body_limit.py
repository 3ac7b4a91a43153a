"""Issue 13 F6: every request body is bounded while it streams in, chunked included."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from api.main import create_app
from api.server import build_context
from mail.sink import free_port
from tests.api.conftest import make_settings

LIMIT = 64 * 1024
CHUNK = 16 * 1024


@pytest.fixture
def server(db, clock) -> Iterator[int]:
    """The real app under uvicorn on loopback, with small limits."""
    settings = make_settings(
        AR_AGENT_MAX_BODY_BYTES=str(LIMIT),
        AR_AGENT_MAX_EMAIL_BYTES=str(2 * LIMIT),
        AR_AGENT_MAX_UPLOAD_BYTES=str(LIMIT),
    )
    ctx = build_context(settings, db=db, clock=clock)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, ctx=ctx), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield port
    srv.should_exit = True
    thread.join(5)


def _status(sock: socket.socket) -> int | None:
    """The status code if the server has answered already, else None."""
    sock.setblocking(False)
    try:
        head = sock.recv(4096)
    except BlockingIOError:
        return None
    finally:
        sock.setblocking(True)
    return int(head.split(b" ", 2)[1]) if head else None


def _stream_chunked(port: int, path: str, headers: str, total: int) -> tuple[int | None, int]:
    """Send a chunked body of ``total`` bytes, stopping once the server answers."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        status = None
        while sent < total:
            status = _status(sock)
            if status is not None:
                break
            try:
                sock.sendall(f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += CHUNK
            time.sleep(0.002)
        if status is None:
            sock.settimeout(10)
            head = sock.recv(4096)
            status = int(head.split(b" ", 2)[1]) if head else None
    return status, sent


def test_a_chunked_40_mib_email_is_refused_after_reading_little(server):
    status, sent = _stream_chunked(
        server,
        "/email/inbound",
        "X-AR-Agent-Secret: inbound-secret\r\nContent-Type: message/rfc822\r\n",
        40 * 1024 * 1024,
    )
    assert status == 413
    assert sent < 40 * 1024 * 1024 // 4  # answered long before the end of the body


@pytest.mark.parametrize("path", ["/api/chat", "/api/approvals/1/approve"])
def test_an_authenticated_json_post_is_bounded_too(server, path):
    status, sent = _stream_chunked(
        server,
        path,
        "Authorization: Bearer test-token\r\nContent-Type: application/json\r\n",
        64 * LIMIT,
    )
    assert status == 413
    assert sent < 16 * LIMIT


def test_a_declared_length_over_the_limit_is_refused_before_reading(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            b"POST /email/inbound HTTP/1.1\r\nHost: x\r\nX-AR-Agent-Secret: inbound-secret\r\n"
            + f"Content-Length: {40 * 1024 * 1024}\r\n\r\n".encode()
        )
        head = sock.recv(4096)  # no body sent at all
    assert head.startswith(b"HTTP/1.1 413")


def test_a_body_under_the_limit_still_arrives(server):
    raw = b"From: dana@globex.example\r\nTo: ar@acme.example\r\nSubject: hi\r\n\r\nWe paid.\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(
            b"POST /email/inbound HTTP/1.1\r\nHost: x\r\nX-AR-Agent-Secret: inbound-secret\r\n"
            + f"Content-Type: message/rfc822\r\nContent-Length: {len(raw)}\r\n\r\n".encode()
            + raw
        )
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
