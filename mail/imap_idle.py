"""Waiting for new mail with IMAP IDLE (RFC 2177), where the server offers it.

The poller calls :func:`wait_for_mail` between polls: it opens its own connection,
EXAMINEs the mailbox and IDLEs until the server announces new mail (``* n EXISTS``),
the wait runs out or ``stop`` is set, then says DONE and logs out. The poll itself stays
the one way mail is read (UID mark, :mod:`mail.imap`); IDLE only makes it come sooner.
(``imaplib`` has no IDLE before Python 3.14, so the few lines of it are spelled out.)
"""

from __future__ import annotations

import imaplib
import logging
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable

from mail.imap import ImapSettings, connect, parse_imap_url, quote_mailbox

log = logging.getLogger(__name__)
_NEWS = re.compile(rb"^\* \d+ (EXISTS|RECENT)", re.IGNORECASE)


def wait_for_mail(
    url: str,
    *,
    timeout: float,
    stop: threading.Event | None = None,
    mailbox: str = "INBOX",
    connect_fn: Callable[[ImapSettings], imaplib.IMAP4] = connect,
) -> bool | None:
    """True when new mail was announced, False when ``timeout`` passed (or ``stop`` was set),
    None when the server has no IDLE (the caller waits its interval instead)."""
    settings = parse_imap_url(url, mailbox=mailbox)
    conn = connect_fn(settings)
    try:
        typ, data = conn.capability()
        offered = data[0].decode().upper().split() if typ == "OK" and data and data[0] else []
        if "IDLE" not in offered:
            return None
        typ, _ = conn.select(quote_mailbox(settings.mailbox), readonly=True)
        if typ != "OK":
            return None
        return _idle(conn, timeout, stop)
    finally:
        try:
            conn.logout()
        except Exception:  # gone already
            log.debug("IMAP logout after IDLE failed", exc_info=True)


def _idle(conn: imaplib.IMAP4, timeout: float, stop: threading.Event | None) -> bool:
    tag = conn._new_tag()  # noqa: SLF001 (imaplib has no public IDLE)
    conn.send(tag + b" IDLE\r\n")
    lines = _Lines(conn.socket())  # raw reads: a timed-out imaplib file is unusable after
    try:
        first = lines.next(30.0)
        if not first or not first.startswith(b"+"):
            return False
        deadline = time.monotonic() + timeout
        news = False
        while not news and time.monotonic() < deadline and not (stop and stop.is_set()):
            line = lines.next(min(1.0, max(deadline - time.monotonic(), 0.0)))
            if line == b"":
                return True  # the server hung up: poll now rather than wait
            news = bool(line and _NEWS.match(line))
        conn.send(b"DONE\r\n")
        while True:  # the untagged rest, then the tagged end of IDLE
            line = lines.next(30.0)
            if not line or line.startswith(tag):
                break
    except OSError:  # a broken wait is no reason to skip a poll
        return True
    return news


class _Lines:
    """Lines read straight from the socket, waiting at most ``wait`` seconds for each."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def next(self, wait: float) -> bytes | None:
        """The next line; None when none came in time, b"" when the server hung up."""
        deadline = time.monotonic() + wait
        while b"\n" not in self.buffer:
            pending = self.sock.pending() if isinstance(self.sock, ssl.SSLSocket) else 0
            if not pending:
                ready, _, _ = select.select(
                    [self.sock], [], [], max(deadline - time.monotonic(), 0)
                )
                if not ready:
                    return None
            chunk = self.sock.recv(4096)
            if not chunk:
                return b""
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line + b"\n"
