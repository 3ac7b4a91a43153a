"""SMTP delivery: ``smtp://`` (optionally ``?starttls=1``) or ``smtps://`` with auth and timeouts.

A transport's ``send(message)`` either hands the message to the server or raises
:class:`core.errors.DeliveryError`; the outbox decides when to retry. Once the server
has accepted the DATA, a failure while saying goodbye does not count as a failure (the
message is on its way; sending it again would duplicate it).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from core.errors import ConfigError, DeliveryError
from core.redact import mask_url

_TRUE = {"1", "true", "yes", "on"}


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the mail system or raise DeliveryError."""
        ...


@dataclass
class SmtpTransport:
    host: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    tls: bool = False  # implicit TLS (smtps://)
    starttls: bool = False
    timeout: float = 30.0
    verify: bool = True

    @classmethod
    def from_url(cls, url: str, *, timeout: float = 30.0) -> SmtpTransport:
        """``smtp://[user:pass@]host[:port][?starttls=1&timeout=10&verify=0]`` or ``smtps://``."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError(
                f"AR_AGENT_SMTP_URL: {mask_url(url)!r} is not smtp://host:port or smtps://"
            )
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        tls = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if tls else 25)
            timeout = float(query.get("timeout", timeout))
        except ValueError as exc:
            raise ConfigError(
                f"AR_AGENT_SMTP_URL: bad port or timeout in {mask_url(url)!r}"
            ) from exc
        return cls(
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
            starttls=query.get("starttls", "0").lower() in _TRUE,
            timeout=timeout,
            verify=query.get("verify", "1").lower() in _TRUE,
        )

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _connect(self) -> smtplib.SMTP:
        if self.tls:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self._context()
            )
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            conn.starttls(context=self._context())
        return conn

    def send(self, message: EmailMessage) -> None:
        sender = parseaddr(str(message.get("From", "")))[1]
        recipients = [
            a
            for _, a in getaddresses(
                [str(v) for header in ("To", "Cc", "Bcc") for v in message.get_all(header, [])]
            )
            if a
        ]
        where = f"SMTP {self.host}:{self.port}"
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{where}: cannot connect ({_describe(exc)})") from exc
        try:
            if self.username:
                conn.login(self.username, self.password or "")
            conn.send_message(message, from_addr=sender, to_addrs=recipients)
        except (OSError, smtplib.SMTPException) as exc:
            _close(conn)
            raise DeliveryError(f"{where}: {_describe(exc)}") from exc
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            _close(conn)  # accepted already; a failed goodbye changes nothing


@dataclass
class MemoryTransport:
    """Keeps messages in a list: the demo's local sink and a test double."""

    messages: list[EmailMessage] = field(default_factory=list)

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


def transport_from_url(url: str | None) -> Transport:
    """The configured SMTP transport, or an in-memory sink when none is set."""
    return SmtpTransport.from_url(url) if url else MemoryTransport()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()))
        return f"recipients refused ({code} {reply.decode(errors='replace')})"
    if isinstance(exc, smtplib.SMTPResponseException):
        error: bytes | str = exc.smtp_error
        message = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {message}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "server closed the connection"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        conn.close()
