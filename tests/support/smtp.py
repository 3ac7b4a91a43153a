"""A real SMTP server (aiosmtpd) on 127.0.0.1 that collects messages, for tests.

    with SmtpSink() as sink:
        sink.fail_next("451")          # refuse the next DATA with 451 (or "554", "drop")
        transport = SmtpTransport.from_url(sink.url)
        ...
        assert len(sink.messages) == 1

Modes for the next deliveries (queued, one per DATA): ``"451"`` / any 4xx or 5xx
code (refuse), ``"drop"`` (close the connection after the end of DATA without
answering and without keeping it), ``"accept_drop"`` (keep the message, then close
without answering: the duplicate maker), ``"slow"`` (keep it and answer after
``slow_seconds``). ``refuse_rcpt[address] = "550 5.1.1 User unknown"`` refuses RCPT. ``tls="starttls"`` or ``"smtps"`` serves a
self-signed certificate (``url`` then says ``verify=0``). Also the ``smtp_sink`` fixture.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from mail.sink import free_port


def self_signed_certificate() -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1 and its key (needs ``openssl``)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = Path(tempfile.mkdtemp(prefix="ar-agent-smtp-tls-"))
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def self_signed_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server TLS context serving ``cert``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(  # noqa: N802 (aiosmtpd API)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        refusal = self.sink.refuse_rcpt.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        if self.sink.on_quit is not None:
            self.sink.on_quit()
        return "221 Bye"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        mode = self.sink._next_mode()
        if mode == "drop":
            self.sink.dropped += 1
            server.transport.close()  # type: ignore[union-attr]
            return "421 4.3.0 connection dropped"  # never reaches the client
        if mode in ("slow", "accept_drop"):
            self._keep(envelope)
            if mode == "accept_drop":
                self.sink.dropped += 1
                server.transport.close()  # type: ignore[union-attr]
                return "421 4.3.0 connection dropped"  # never reaches the client
            await asyncio.sleep(self.sink.slow_seconds)
            return "250 2.0.0 OK queued"
        if mode:
            self.sink.refused += 1
            return f"{mode} {'4.3.0 try again later' if mode.startswith('4') else '5.7.1 rejected'}"
        self._keep(envelope)
        return "250 2.0.0 OK queued"

    def _keep(self, envelope: Envelope) -> None:
        data = (
            envelope.content
            if isinstance(envelope.content, bytes)
            else str(envelope.content).encode()
        )
        msg = message_from_bytes(data, policy=default)
        with self.sink._lock:
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.sink.messages.append(msg)  # type: ignore[arg-type]


class SmtpSink:
    """An aiosmtpd server on a free loopback port; ``messages`` are the accepted ones."""

    def __init__(self, *, auth: tuple[str, str] | None = None, tls: str | None = None) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refused = 0
        self.dropped = 0
        self.slow_seconds = 2.0
        self.refuse_rcpt: dict[str, str] = {}
        self.on_quit: Callable[[], None] | None = None  # runs when a client says QUIT
        self.auth = auth
        self._modes: deque[str] = deque()
        self._lock = threading.Lock()
        self.tls = tls
        kwargs: dict[str, Any] = {}
        self.certificate: Path | None = None
        if tls in ("starttls", "smtps"):
            self.certificate, key = self_signed_certificate()
            context = self_signed_context(self.certificate, key)
            if tls == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        elif tls is not None:
            raise ValueError(f"tls must be None, 'starttls' or 'smtps', not {tls!r}")
        if auth:
            kwargs.update(
                auth_require_tls=False, auth_required=True, authenticator=self._authenticate
            )
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )

    @property
    def url(self) -> str:
        creds = f"{self.auth[0]}:{self.auth[1]}@" if self.auth else ""
        scheme = "smtps" if self.tls == "smtps" else "smtp"
        tls = {"starttls": "&starttls=1&verify=0", "smtps": "&verify=0"}.get(self.tls or "", "")
        return f"{scheme}://{creds}127.0.0.1:{self.port}?timeout=10{tls}"

    def fail_next(self, *modes: str) -> None:
        """Queue failure modes for the next DATA commands (``"451"``, ``"554"``, ``"drop"``)."""
        with self._lock:
            self._modes.extend(modes)

    def _next_mode(self) -> str | None:
        with self._lock:
            return self._modes.popleft() if self._modes else None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and self.auth is not None
            and (data.login.decode(), data.password.decode()) == self.auth
        )
        return AuthResult(success=ok, handled=False)

    def by_message_id(self, message_id: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["Message-ID"] == message_id]

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A running :class:`SmtpSink` (import this fixture into a test module or conftest)."""
    with SmtpSink() as sink:
        yield sink
