"""SMTP delivery: ``smtp://`` (optionally ``?starttls=1``) or ``smtps://`` with auth and timeouts.

The conversation is spelled out (MAIL, one RCPT per recipient, DATA) so that each
answer means what RFC 5321 says it means:

- before the end of DATA is sent, a 4xx or a lost connection is an outage
  (:class:`DeliveryError`: the outbox retries); a 5xx is final
  (:class:`RefusedForGood`, with each refused recipient's answer); a recipient refused
  among several others is recorded in the :class:`Receipt` and the rest get the mail;
- a 535 (bad login) or a certificate that cannot be verified is a configuration problem
  (:class:`ConfigFailure`), not an outage;
- once the end of DATA is sent, the reply is awaited ``data_timeout`` seconds (RFC 5321
  §4.5.3.2.6: 10 minutes); no reply (timeout, dropped connection) means nobody knows
  whether the server kept it (:class:`DeliveryUnknown`): never sent again automatically;
- the server's 250 to the end of DATA is reported to ``progress.accepted`` *before*
  QUIT, so the outbox commits ``sent`` first; a failed goodbye changes nothing.

URL options: ``timeout`` (seconds per command, 30), ``data_timeout`` (600),
``starttls=1``, ``verify=0`` and ``cafile=PATH`` (see :mod:`mail.tls`).
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import smtplib
from dataclasses import dataclass, field
from email import policy as email_policy
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from core.errors import ConfigError, DeliveryError
from mail.tls import TRUE, TlsOptions, is_certificate_error

DATA_TIMEOUT = 600.0  # RFC 5321 §4.5.3.2.6, the wait for the reply to the end of DATA
SETTING = "AR_AGENT_SMTP_URL"
AUTH_CODES = {530, 534, 535, 538}  # authentication (or TLS) required, refused, too weak


class RefusedForGood(DeliveryError):
    """A 5xx: this message will never be accepted as it is (no retry)."""

    def __init__(self, message: str, refused: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.refused = refused or {}


class ConfigFailure(DeliveryError):
    """The server refused our login (535) or its certificate: fix the settings."""


class DeliveryUnknown(DeliveryError):
    """The end of DATA was sent and no answer came: the server may have kept the message."""


@dataclass
class Receipt:
    """The server's answer to the end of DATA and the recipients it refused anyway."""

    reply: str = "250 OK"
    refused: dict[str, str] = field(default_factory=dict)


class SendProgress(Protocol):
    def submitting(self) -> None:
        """Called just before the message content is sent: from here, the outcome may be unknown."""
        ...

    def accepted(self, receipt: Receipt) -> None:
        """Called at the server's 250 to the end of DATA, before QUIT."""
        ...


class Transport(Protocol):
    def send(self, message: EmailMessage, progress: SendProgress | None = None) -> Receipt:
        """Hand ``message`` to the mail system or raise DeliveryError (or a subclass)."""
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
    cafile: str | None = None
    data_timeout: float = DATA_TIMEOUT

    @classmethod
    def from_url(cls, url: str, *, timeout: float = 30.0) -> SmtpTransport:
        """``smtp://[user:pass@]host[:port][?starttls=1&timeout=10&data_timeout=600&verify=0&cafile=P]``."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError(f"{SETTING}: {url!r} is not smtp://host:port or smtps://")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        tls = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if tls else 25)
            timeout = float(query.get("timeout", timeout))
            data_timeout = float(query.get("data_timeout", DATA_TIMEOUT))
        except ValueError as exc:
            raise ConfigError(f"{SETTING}: {exc}") from exc
        options = TlsOptions.from_query(query, SETTING)
        return cls(
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
            starttls=query.get("starttls", "0").lower() in TRUE,
            timeout=timeout,
            verify=options.verify,
            cafile=options.cafile,
            data_timeout=data_timeout,
        )

    @property
    def where(self) -> str:
        return f"SMTP {self.host}:{self.port}"

    def _connect(self) -> smtplib.SMTP:
        context = TlsOptions(self.verify, self.cafile).context()
        if self.tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            try:
                conn.starttls(context=context)
            except Exception:
                _close(conn)
                raise
        return conn

    def send(self, message: EmailMessage, progress: SendProgress | None = None) -> Receipt:
        sender = parseaddr(str(message.get("From", "")))[1]
        recipients = _recipients(message)
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            if is_certificate_error(exc):
                raise ConfigFailure(
                    f"{self.where}: certificate refused ({_describe(exc)})"
                ) from exc
            if isinstance(exc, smtplib.SMTPNotSupportedError):
                raise ConfigFailure(f"{self.where}: {exc} (check {SETTING})") from exc
            raise DeliveryError(f"{self.where}: cannot connect ({_describe(exc)})") from exc
        try:
            receipt = self._converse(conn, message, sender, recipients, progress)
        except (OSError, smtplib.SMTPException) as exc:
            _close(conn)
            raise DeliveryError(f"{self.where}: {_describe(exc)}") from exc
        except BaseException:  # ours (DeliveryError and kin) or the outbox's: hang up
            _close(conn)
            raise
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            _close(conn)  # accepted already; a failed goodbye changes nothing
        return receipt

    def _converse(
        self,
        conn: smtplib.SMTP,
        message: EmailMessage,
        sender: str,
        recipients: list[str],
        progress: SendProgress | None,
    ) -> Receipt:
        if self.username:
            try:
                conn.login(self.username, self.password or "")
            except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as exc:
                raise ConfigFailure(
                    f"{self.where}: login refused ({_describe(exc)}): check the user and "
                    f"password in {SETTING}"
                ) from exc
        conn.ehlo_or_helo_if_needed()
        international = any(not a.isascii() for a in [sender, *recipients])
        options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
        if international and not conn.has_extn("smtputf8"):
            raise RefusedForGood(f"{self.where}: the server cannot take non-ASCII addresses")
        code, reply = conn.mail(sender, options)
        _require(code, reply, 250, f"{self.where}: sender {sender} refused")
        refused: dict[str, str] = {}
        for rcpt in recipients:
            code, reply = conn.rcpt(rcpt)
            if code in AUTH_CODES:
                _require(code, reply, 250, f"{self.where}: recipient {rcpt} refused")
            if code not in (250, 251):
                refused[rcpt] = _answer(code, reply)
        if len(refused) == len(recipients):
            listed = "; ".join(f"{a}: {r}" for a, r in refused.items())
            if any(r.startswith("5") for r in refused.values()):
                raise RefusedForGood(f"{self.where}: recipients refused ({listed})", refused)
            raise DeliveryError(f"{self.where}: recipients refused for now ({listed})")
        code, reply = conn.docmd("DATA")
        _require(code, reply, 354, f"{self.where}: DATA refused")
        content = _content(message, international)
        if progress is not None:
            progress.submitting()
        conn.send(content)  # a failure here: the end of DATA never left, so retrying is safe
        if conn.sock is not None:
            conn.sock.settimeout(self.data_timeout)
        try:
            code, reply = conn.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryUnknown(
                f"{self.where}: no answer to the end of DATA ({_describe(exc)}); "
                "the server may have accepted the message"
            ) from exc
        _require(code, reply, 250, f"{self.where}: message refused")
        receipt = Receipt(_answer(code, reply), refused)
        if progress is not None:
            progress.accepted(receipt)
        return receipt


@dataclass
class MemoryTransport:
    """Keeps messages in a list: the demo's local sink and a test double."""

    messages: list[EmailMessage] = field(default_factory=list)

    def send(self, message: EmailMessage, progress: SendProgress | None = None) -> Receipt:
        if progress is not None:
            progress.submitting()
        self.messages.append(message)
        receipt = Receipt()
        if progress is not None:
            progress.accepted(receipt)
        return receipt


def transport_from_url(url: str | None) -> Transport:
    """The configured SMTP transport, or an in-memory sink when none is set."""
    return SmtpTransport.from_url(url) if url else MemoryTransport()


def _recipients(message: EmailMessage) -> list[str]:
    values = [str(v) for v in (message.get_all("To", []) + message.get_all("Cc", []))]
    seen: dict[str, None] = {}
    for _, addr in getaddresses(values):
        if addr:
            seen.setdefault(addr, None)
    return list(seen)


def _content(message: EmailMessage, international: bool) -> bytes:
    """The message as DATA: CRLF lines, dot-stuffed, ending with CRLF.CRLF (as smtplib)."""
    outgoing = copy.copy(message)
    del outgoing["Bcc"]
    del outgoing["Resent-Bcc"]
    with io.BytesIO() as buffer:
        policy = email_policy.SMTPUTF8 if international else message.policy
        BytesGenerator(buffer, policy=policy).flatten(outgoing, linesep="\r\n")
        data = buffer.getvalue()
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _answer(code: int, reply: bytes | str) -> str:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()


def _require(code: int, reply: bytes | str, expected: int, what: str) -> None:
    if code == expected:
        return
    if code == -1:
        raise DeliveryError(f"{what}: server closed the connection")
    if code in AUTH_CODES:  # the server wants a login or TLS we did not give it
        raise ConfigFailure(f"{what}: {_answer(code, reply)} (check {SETTING})")
    if 500 <= code < 600:
        raise RefusedForGood(f"{what}: {_answer(code, reply)}")
    raise DeliveryError(f"{what}: {_answer(code, reply)}")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _answer(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"server closed the connection{': ' + str(exc) if 'timed out' in str(exc) else ''}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        conn.close()
