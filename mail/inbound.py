"""Storing inbound email: every raw message becomes a Communication row first.

:func:`store_inbound` parses, extracts the reply text, detects auto-replies and writes
one ``Communication`` (direction "in", status "received") holding the raw message and
the parsed fields, before anything else looks at it. A Message-ID seen before returns
the stored row with ``duplicate=True``; a message without one gets a stable synthetic
id from the hash of its bytes, so re-delivery is still caught. Malformed MIME is kept
with status "escalated" and the reason in ``error``.

:func:`ingest` is store + :func:`mail.linking.link_message`, recording the customer and
invoices on the row; a message that links to nothing (a stranger's, an ambiguous one) is
escalated, never dropped.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import UnsupportedFile
from core.textguard import bound_runs
from ledger.models import Communication, Invoice
from mail.autoreply import AutoReply, detect_auto_reply
from mail.linking import Link, link_message, thread_tokens
from mail.parse import InboundMessage, parse_message
from mail.reply_text import ReplyParts, extract_reply

log = logging.getLogger(__name__)
MAX_ATTACHMENT_TEXT = 200_000  # characters of extracted attachment text kept in meta
MAX_HEADER = 998  # RFC 5322 line limit, and the width of the header columns
MAX_READ_CHARS = 256 * 1024  # text of one message that is read; more: stored, "too large to read"
TOO_LARGE = "too large to read"


@dataclass
class StoreResult:
    """The stored row, whether it was already there, and what parsing found."""

    communication: Communication
    duplicate: bool
    message: InboundMessage | None = None
    parts: ReplyParts | None = None
    auto_reply: AutoReply | None = None


@dataclass
class IngestResult(StoreResult):
    link: Link | None = None


def synthetic_message_id(raw: bytes) -> str:
    """A stable Message-ID for a message that has none: the hash of its bytes."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@ar-agent.invalid>"


def raw_to_text(raw: bytes) -> tuple[str, str]:
    """Raw bytes as storable text and its encoding ("utf-8" or "base64", lossless)."""
    try:
        text = raw.decode("utf-8")
        if "\x00" not in text:
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    return base64.b64encode(raw).decode("ascii"), "base64"


def raw_bytes(comm: Communication) -> bytes:
    """The original bytes of a stored inbound message."""
    if (comm.meta or {}).get("raw_encoding") == "base64":
        return base64.b64decode(comm.raw or "")
    return (comm.raw or "").encode("utf-8")


def store_inbound(
    session: Session, raw: bytes, *, clock: Clock, source: str | None = None
) -> StoreResult:
    """Store one raw message (or find it already stored); raises only for empty input."""
    if not raw or not raw.strip():
        raise UnsupportedFile(f"{source or 'message'}: empty email, nothing to store")
    msg, parts, auto, problem = _understand(raw, source)
    message_id = (msg.message_id if msg else None) or synthetic_message_id(raw)
    if len(message_id) > MAX_HEADER:  # absurd ids would not fit the column: hash them
        message_id = synthetic_message_id(message_id.encode("utf-8", "replace"))
    existing = _find(session, message_id)
    if existing is not None:
        return StoreResult(existing, True, msg, parts, auto)

    text, encoding = raw_to_text(raw)
    comm = Communication(
        direction="in",
        channel="email",
        status="received",
        message_id=message_id,
        raw=text,
        received_at=clock.now(),
        meta={"raw_encoding": encoding, "source": source},
    )
    if msg is not None:
        _fill(comm, msg, parts, auto)
    if problem or (msg is not None and msg.malformed):
        comm.status = "escalated"
        comm.error = problem or f"malformed email: {msg.malformed_reason}"  # type: ignore[union-attr]
    try:
        with session.begin_nested():
            session.add(comm)
    except IntegrityError:  # stored concurrently by another worker
        existing = _find(session, message_id)
        if existing is None:
            raise
        return StoreResult(existing, True, msg, parts, auto)
    return StoreResult(comm, False, msg, parts, auto)


def ingest(
    session: Session, raw: bytes, *, clock: Clock, source: str | None = None
) -> IngestResult:
    """Store, then link to customer and invoices; unlinked messages are escalated."""
    stored = store_inbound(session, raw, clock=clock, source=source)
    result = IngestResult(**vars(stored))
    comm = stored.communication
    if stored.duplicate or stored.message is None:
        return result
    try:
        with session.begin_nested():  # a failure here must not undo the stored message
            link = link_message(session, stored.message, stored.parts.reply if stored.parts else "")
    except Exception as exc:
        log.exception("linking inbound email %s failed", comm.message_id)
        link = Link(customer_id=None, method="error")
        comm.error = f"linking failed: {type(exc).__name__}: {exc}"
    result.link = link
    comm.customer_id = link.customer_id
    if link.invoice_numbers:
        comm.invoices = list(
            session.scalars(select(Invoice).where(Invoice.number.in_(link.invoice_numbers)))
        )
    comm.meta = {
        **(comm.meta or {}),
        "link": {
            "method": link.method,
            "invoices": link.invoice_numbers,
            "thread_communication_id": link.thread_communication_id,
            "candidates": link.candidates,
            "sender": link.sender.as_context() if link.sender else None,
            "claimed_customer": link.claimed_customer_id,
            "claimed_invoices": link.claimed_invoices,
        },
    }
    if link.customer_id is None and comm.status == "received":
        comm.status = "escalated"
        if link.stranger:
            comm.error = comm.error or link.stranger_reason()
        comm.error = comm.error or "no customer matched the sender, thread or invoice numbers"
    session.flush()
    return result


def bounded_message(msg: InboundMessage, limit: int = MAX_READ_CHARS) -> InboundMessage:
    """The message as the readers see it: at most ``limit`` characters of text, and no
    overlong token or blank run in any text a regular expression reads (core.textguard)."""
    return replace(
        msg,
        subject=bound_runs(msg.subject[: 4 * MAX_HEADER]),
        from_name=bound_runs(msg.from_name[:MAX_HEADER]),
        text=bound_runs(msg.text[:limit]),
        html=bound_runs(msg.html[: 4 * limit]) if msg.html else msg.html,
        attachments=[
            replace(a, text=bound_runs(a.text[:limit])) if a.text else a for a in msg.attachments
        ],
    )


def _understand(
    raw: bytes, source: str | None
) -> tuple[InboundMessage | None, ReplyParts | None, AutoReply | None, str | None]:
    """Parse, extract and classify; a bug here must not lose the message."""
    try:
        msg = parse_message(raw, source=source)
        if len(msg.text) > MAX_READ_CHARS:  # stored whole; a human reads it
            return (
                bounded_message(msg),
                None,
                None,
                f"{TOO_LARGE}: {len(msg.text):,} characters of text "
                f"(the agent reads at most {MAX_READ_CHARS:,})",
            )
        msg = bounded_message(msg)
        parts = extract_reply(msg.text, html=msg.html)
        return msg, parts, detect_auto_reply(msg, parts.reply), None
    except UnsupportedFile:
        raise
    except Exception as exc:
        log.exception("could not parse inbound email %s", source or "")
        return None, None, None, f"could not parse email: {type(exc).__name__}: {exc}"


def _find(session: Session, message_id: str) -> Communication | None:
    return session.scalars(
        select(Communication).where(Communication.message_id == message_id)
    ).first()


def _fill(
    comm: Communication, msg: InboundMessage, parts: ReplyParts | None, auto: AutoReply | None
) -> None:
    comm.in_reply_to = (msg.in_reply_to or "")[:MAX_HEADER] or None
    comm.references = " ".join(msg.references) or None
    comm.from_addr = msg.from_addr[:MAX_HEADER] or None
    comm.to_addrs = msg.to
    comm.cc_addrs = msg.cc
    comm.subject = _db_text(msg.subject)
    comm.body_text = _db_text(msg.text)
    comm.body_html = _db_text(msg.html)
    comm.reply_text = _db_text(parts.reply if parts else None)
    tokens = thread_tokens(msg)
    comm.thread_token = tokens[0] if tokens else None
    meta: dict[str, Any] = dict(comm.meta or {})
    meta.update(
        {
            "from_name": msg.from_name,
            "date": msg.date.isoformat() if msg.date else None,
            "signature": parts.signature if parts else "",
            "defects": msg.defects[:50],
            "delivered_to": msg.delivered_to,
            "attachments": _attachments(msg),
        }
    )
    if auto is not None:
        meta["auto_reply"] = {"kind": auto.kind, "reason": auto.reason}
    comm.meta = meta


def _db_text(value: str | None) -> str | None:
    """Text a database accepts (PostgreSQL refuses NUL characters)."""
    return value.replace("\x00", "") if value else None


def _attachments(msg: InboundMessage) -> list[dict[str, Any]]:
    budget = MAX_ATTACHMENT_TEXT
    out = []
    for a in msg.attachments:
        text = _db_text(a.text[:budget]) if a.text and budget > 0 else None
        budget -= len(text or "")
        out.append(
            {"filename": a.filename, "content_type": a.content_type, "size": a.size, "text": text}
        )
    return out
