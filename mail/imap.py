"""Polling a mailbox over IMAP (stdlib ``imaplib``) for customer replies.

``AR_AGENT_IMAP_URL`` looks like ``imaps://user:pass@host:993/INBOX`` (TLS) or
``imap://user:pass@host:143/INBOX`` (add ``?starttls=1`` to upgrade). Unseen messages
are fetched with ``BODY.PEEK[]`` so that fetching does not mark them; a message is
flagged ``\\Seen`` only after the handler returned, i.e. after it was stored. A handler
that raises leaves the message unseen, so the next poll retries it.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from core.errors import ConfigError
from core.redact import mask_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    mailbox: str
    tls: bool
    starttls: bool


@dataclass
class PollResult:
    """What one poll did: message UIDs stored and those whose handler failed."""

    stored: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def parse_imap_url(url: str, *, mailbox: str = "INBOX") -> ImapSettings:
    """Read an ``imap://`` / ``imaps://`` URL; the path, when present, names the mailbox."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ConfigError(
            f"AR_AGENT_IMAP_URL must look like imaps://user:pass@host/INBOX, got {mask_url(url)!r}"
        )
    tls = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if tls else 143)
    except ValueError as exc:
        raise ConfigError(f"AR_AGENT_IMAP_URL: bad port in {mask_url(url)!r}") from exc
    path = unquote(parts.path.lstrip("/"))
    query = parse_qs(parts.query)
    return ImapSettings(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        mailbox=path or mailbox,
        tls=tls,
        starttls=query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes"),
    )


def connect(settings: ImapSettings, *, timeout: float = 30) -> imaplib.IMAP4:
    """Open and log in; one-line ConfigError when the server is unreachable or refuses."""
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.tls:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                settings.host,
                settings.port,
                ssl_context=ssl.create_default_context(),
                timeout=timeout,
            )
        else:
            conn = imaplib.IMAP4(settings.host, settings.port, timeout=timeout)
            if settings.starttls:
                conn.starttls(ssl.create_default_context())
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ConfigError(f"IMAP server {where} unreachable: {exc}") from exc
    if settings.user:
        try:
            conn.login(settings.user, settings.password)
        except imaplib.IMAP4.error as exc:
            _logout(conn)
            raise ConfigError(f"IMAP server {where} refused login for {settings.user!r}") from exc
    return conn


def poll_imap(
    url: str,
    handler: Callable[[bytes], Any],
    *,
    mailbox: str = "INBOX",
    connect_fn: Callable[[ImapSettings], imaplib.IMAP4] = connect,
) -> PollResult:
    """Fetch every unseen message, hand it to ``handler``, then mark it seen."""
    settings = parse_imap_url(url, mailbox=mailbox)
    conn = connect_fn(settings)
    result = PollResult()
    try:
        typ, _ = conn.select(_quote(settings.mailbox))
        if typ != "OK":
            raise ConfigError(f"IMAP mailbox {settings.mailbox!r} cannot be opened")
        typ, data = conn.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
        uids = data[0].split() if typ == "OK" and data and data[0] else []
        for uid_bytes in uids:
            uid = uid_bytes.decode()
            raw = _fetch(conn, uid)
            if raw is None:
                result.failed.append(uid)
                continue
            try:
                handler(raw)
            except Exception:  # keep it unseen: the next poll retries it
                log.exception("IMAP message %s: handler failed; left unseen", uid)
                result.failed.append(uid)
                continue
            conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            result.stored.append(uid)
    finally:
        _logout(conn)
    return result


def _fetch(conn: imaplib.IMAP4, uid: str) -> bytes | None:
    typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK" or not data:
        log.warning("IMAP message %s could not be fetched", uid)
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _quote(mailbox: str) -> str:
    return f'"{mailbox}"' if " " in mailbox and not mailbox.startswith('"') else mailbox


def _logout(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except Exception:  # the connection may already be gone
        log.debug("IMAP logout failed", exc_info=True)
