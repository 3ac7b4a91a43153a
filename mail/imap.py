"""Polling a mailbox over IMAP (stdlib ``imaplib``) for customer replies, each exactly once.

``AR_AGENT_IMAP_URL`` looks like ``imaps://user:pass@host:993/INBOX`` (TLS) or
``imap://user:pass@host:143/INBOX`` (``?starttls=1`` upgrades); ``?verify=0`` and
``?cafile=PATH`` work as on ``AR_AGENT_SMTP_URL`` (:mod:`mail.tls`).

Where the poller is lives in the database (``mailbox_state``): the mailbox's
UIDVALIDITY and the last UID ingested. Each poll fetches the UIDs above it with
``BODY.PEEK[]`` and hands each message to the handler in UID order; the mark moves on
once the handler returned (the message is stored). ``\\Seen`` is never relied on: a
reply a colleague opened first is still ingested. After ingesting, a message is flagged
``\\Seen`` and, with ``AR_AGENT_IMAP_MOVE_TO``, moved to that folder.

- The first poll of a mailbox takes its unseen messages, then starts the mark at the
  top of the mailbox; a changed UIDVALIDITY (the server renumbered) takes the unseen
  messages and those since the last poll's date again (stored ones are recognised by
  Message-ID and not processed twice).
- A handler that raises stops the poll there (the next one retries that message);
  after ``MAX_FAILURES`` polls failing on the same message it is skipped and logged.
- Unreachable server: :class:`ImapUnavailable` (an outage, retried at the next
  poll). Refused login, refused certificate, missing mailbox: ``ConfigError``.
  Both are recorded in :mod:`mail.health` for ``/readyz``.
"""

from __future__ import annotations

import imaplib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select

from core.clock import Clock
from core.errors import ARAgentError, ConfigError
from ledger.models import MailboxState
from mail.health import record_failure, record_success
from mail.tls import TRUE, TlsOptions, is_certificate_error

log = logging.getLogger(__name__)
SETTING = "AR_AGENT_IMAP_URL"
MAX_FAILURES = 3


class ImapUnavailable(ARAgentError):
    """The IMAP server cannot be reached (an outage: the next poll tries again)."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    mailbox: str
    tls: bool
    starttls: bool
    verify: bool = True
    cafile: str | None = None
    move_to: str | None = None

    @property
    def key(self) -> str:
        """Names the mailbox in ``mailbox_state``: ``user@host:port/mailbox``."""
        return f"{self.user}@{self.host}:{self.port}/{self.mailbox}"


@dataclass
class PollResult:
    """What one poll did: message UIDs stored, failed and skipped for good."""

    stored: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    uidvalidity: int | None = None
    last_uid: int = 0


def parse_imap_url(url: str, *, mailbox: str = "INBOX", move_to: str | None = None) -> ImapSettings:
    """Read an ``imap://`` / ``imaps://`` URL; the path, when present, names the mailbox."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ConfigError(f"{SETTING} must look like imaps://user:pass@host/INBOX, got {url!r}")
    tls = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if tls else 143)
    except ValueError as exc:
        raise ConfigError(f"{SETTING}: bad port in {parts.netloc!r}") from exc
    path = unquote(parts.path.lstrip("/"))
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    options = TlsOptions.from_query(query, SETTING)
    return ImapSettings(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        mailbox=path or mailbox,
        tls=tls,
        starttls=query.get("starttls", "0").lower() in TRUE,
        verify=options.verify,
        cafile=options.cafile,
        move_to=move_to or None,
    )


def connect(settings: ImapSettings, *, timeout: float = 30) -> imaplib.IMAP4:
    """Open and log in; ImapUnavailable for an outage, ConfigError for a refusal."""
    where = f"IMAP server {settings.host}:{settings.port}"
    context = TlsOptions(settings.verify, settings.cafile).context()
    try:
        if settings.tls:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                settings.host, settings.port, ssl_context=context, timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(settings.host, settings.port, timeout=timeout)
            if settings.starttls:
                conn.starttls(context)
    except (OSError, imaplib.IMAP4.error) as exc:
        if is_certificate_error(exc):
            raise ConfigError(f"{where}: certificate refused ({exc})") from exc
        raise ImapUnavailable(f"{where} unreachable: {exc}") from exc
    if settings.user:
        try:
            conn.login(settings.user, settings.password)
        except imaplib.IMAP4.error as exc:
            _logout(conn)
            raise ConfigError(f"{where} refused login for {settings.user!r}") from exc
    return conn


def poll_imap(
    url: str,
    handler: Callable[[bytes], Any],
    *,
    db: Any,
    clock: Clock,
    mailbox: str = "INBOX",
    move_to: str | None = None,
    connect_fn: Callable[[ImapSettings], imaplib.IMAP4] = connect,
) -> PollResult:
    """Hand every message above the mailbox's mark to ``handler``, in UID order, once."""
    settings = parse_imap_url(url, mailbox=mailbox, move_to=move_to)
    try:
        conn = connect_fn(settings)
    except ConfigError as exc:
        record_failure(db, "imap", clock.now(), str(exc), fatal=True)
        raise
    except ImapUnavailable as exc:
        record_failure(db, "imap", clock.now(), str(exc))
        raise
    try:
        result = _poll(conn, settings, handler, db, clock)
    except ConfigError as exc:
        record_failure(db, "imap", clock.now(), str(exc), fatal=True)
        raise
    except (OSError, imaplib.IMAP4.error) as exc:
        record_failure(db, "imap", clock.now(), f"IMAP {settings.host}: {exc}")
        raise ImapUnavailable(f"IMAP {settings.host}:{settings.port}: {exc}") from exc
    finally:
        _logout(conn)
    record_success(db, "imap", clock.now())
    return result


def _poll(
    conn: imaplib.IMAP4,
    settings: ImapSettings,
    handler: Callable[[bytes], Any],
    db: Any,
    clock: Clock,
) -> PollResult:
    typ, _ = conn.select(quote_mailbox(settings.mailbox))
    if typ != "OK":
        raise ConfigError(f"IMAP mailbox {settings.mailbox!r} cannot be opened")
    uidvalidity = _number(conn, "UIDVALIDITY")
    uidnext = _number(conn, "UIDNEXT")
    if uidvalidity is None:
        raise ConfigError(f"IMAP mailbox {settings.mailbox!r} reports no UIDVALIDITY")
    if settings.move_to:
        _ensure_mailbox(conn, settings.move_to)
    state = _state(db, settings.key)
    result = PollResult(uidvalidity=uidvalidity)
    if state is not None and state["uidvalidity"] == uidvalidity:
        last = state["last_uid"]
        uids = [u for u in _search(conn, f"{last + 1}:*", uid_range=True) if u > last]
        bootstrap_top = None
    else:
        since = state["polled_at"] if state else None
        criteria = ["UNSEEN"] if since is None else ["OR", "UNSEEN", "SINCE", _imap_date(since)]
        uids = _search(conn, *criteria)
        last = 0
        bootstrap_top = (uidnext - 1) if uidnext else max(_search(conn, "ALL"), default=0)
        if state is not None:
            log.warning(
                "IMAP %s: UIDVALIDITY changed (%s → %s); re-reading unseen and recent mail",
                settings.key,
                state["uidvalidity"],
                uidvalidity,
            )
    failing_uid = state["failing_uid"] if state else None
    failures = state["failures"] if state else 0
    stopped = False
    for uid in sorted(uids):
        if _ingest_one(conn, uid, handler):
            result.stored.append(str(uid))
            _after_ingest(conn, uid, settings.move_to)
            failing_uid, failures = None, 0
        else:
            failures = failures + 1 if failing_uid == uid else 1
            failing_uid = uid
            if failures < MAX_FAILURES:
                result.failed.append(str(uid))
                stopped = True
                break
            log.error("IMAP message %s failed %s times: skipped; read it by hand", uid, failures)
            result.skipped.append(str(uid))
            failing_uid, failures = None, 0
        last = max(last, uid)
        if bootstrap_top is None:  # the mark moves with every message
            _save(db, settings.key, uidvalidity, last, None, 0, clock)
    if bootstrap_top is None:
        _save(db, settings.key, uidvalidity, last, failing_uid, failures, clock)
    elif not stopped:  # a bootstrap cut short leaves no mark: the next poll starts it again
        last = max(last, bootstrap_top)
        _save(db, settings.key, uidvalidity, last, None, 0, clock)
    result.last_uid = last
    return result


def _ingest_one(conn: imaplib.IMAP4, uid: int, handler: Callable[[bytes], Any]) -> bool:
    raw = _fetch(conn, uid)
    if raw is None:
        return False
    try:
        handler(raw)
    except Exception:  # not advanced past: the next poll retries it
        log.exception("IMAP message %s: handler failed; the next poll retries it", uid)
        return False
    return True


def _after_ingest(conn: imaplib.IMAP4, uid: int, move_to: str | None) -> None:
    conn.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
    if not move_to:
        return
    capabilities = _capabilities(conn)
    if "MOVE" in capabilities:
        conn.uid("MOVE", str(uid), quote_mailbox(move_to))
        return
    typ, data = conn.uid("COPY", str(uid), quote_mailbox(move_to))
    if typ != "OK":
        log.warning("IMAP message %s not moved to %s: %s", uid, move_to, data)
        return
    conn.uid("STORE", str(uid), "+FLAGS", "(\\Deleted)")
    if "UIDPLUS" in capabilities:
        conn.uid("EXPUNGE", str(uid))
    else:
        conn.expunge()


def _capabilities(conn: imaplib.IMAP4) -> set[str]:
    typ, data = conn.capability()
    if typ == "OK" and data and data[0]:
        return {c.upper() for c in data[0].decode().split()}
    return {str(c).upper() for c in conn.capabilities}


def _ensure_mailbox(conn: imaplib.IMAP4, name: str) -> None:
    typ, data = conn.list('""', quote_mailbox(name))
    if typ == "OK" and data and data[0]:
        return
    typ, data = conn.create(quote_mailbox(name))
    if typ != "OK":
        raise ConfigError(f"AR_AGENT_IMAP_MOVE_TO: folder {name!r} cannot be created ({data})")


def _search(conn: imaplib.IMAP4, *criteria: str, uid_range: bool = False) -> list[int]:
    args = ("UID", *criteria) if uid_range else criteria
    typ, data = conn.uid("SEARCH", *args)  # type: ignore[arg-type]
    if typ != "OK":
        raise ImapUnavailable(f"IMAP SEARCH {' '.join(args)} failed: {data}")
    return [int(u) for u in data[0].split()] if data and data[0] else []


def _number(conn: imaplib.IMAP4, name: str) -> int | None:
    _, data = conn.response(name)
    for item in data or []:
        if item:
            match = re.search(rb"\d+", item if isinstance(item, bytes) else str(item).encode())
            if match:
                return int(match.group())
    return None


def _fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK" or not data:
        log.warning("IMAP message %s could not be fetched", uid)
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _state(db: Any, key: str) -> dict[str, Any] | None:
    with db.transaction() as session:
        row = session.scalars(select(MailboxState).where(MailboxState.mailbox == key)).first()
        if row is None:
            return None
        return {
            "uidvalidity": row.uidvalidity,
            "last_uid": row.last_uid,
            "failing_uid": row.failing_uid,
            "failures": row.failures,
            "polled_at": row.polled_at,
        }


def _save(
    db: Any,
    key: str,
    uidvalidity: int,
    last_uid: int,
    failing_uid: int | None,
    failures: int,
    clock: Clock,
) -> None:
    with db.transaction() as session:
        row = session.scalars(select(MailboxState).where(MailboxState.mailbox == key)).first()
        if row is None:
            row = MailboxState(mailbox=key, uidvalidity=uidvalidity, last_uid=0, failures=0)
            session.add(row)
        if row.uidvalidity == uidvalidity:  # another poller may have gone further meanwhile
            last_uid = max(row.last_uid, last_uid)
        row.uidvalidity, row.last_uid = uidvalidity, last_uid
        row.failing_uid, row.failures = failing_uid, failures
        row.polled_at = clock.now()


def _imap_date(when: Any) -> str:
    return when.strftime("%d-%b-%Y")


def quote_mailbox(mailbox: str) -> str:
    """A mailbox name as an IMAP argument (quoted when it has spaces or specials)."""
    if mailbox.startswith('"'):
        return mailbox
    return f'"{mailbox}"' if any(c in mailbox for c in ' ()"\\') else mailbox


def _logout(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except Exception:  # the connection may already be gone
        log.debug("IMAP logout failed", exc_info=True)
