"""Outbound email: a recorded outbound Communication as an RFC 5322 message.

Plain text plus an HTML alternative, our Message-ID exactly as recorded (a retry sends
the same one), a Reply-To carrying the conversation's thread token (``ar+<token>@``),
In-Reply-To / References on follow-ups, and invoice PDFs as attachments.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from core.errors import ValidationError
from ledger.models import Communication

Attachment = Path | tuple[str, bytes, str]  # a file, or (filename, data, mime type)
_URL = re.compile(r"(https?://[^\s<>\"]+)")


def reply_address(token: str, reply_domain: str, local: str = "ar") -> str:
    """The plus-addressed Reply-To of a conversation: ``ar+<token>@<domain>``."""
    return f"{local}+{token}@{reply_domain}"


def text_to_html(text: str) -> str:
    """A minimal, safe HTML rendering: paragraphs, line breaks and clickable links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(
        "<p>" + _URL.sub(r'<a href="\1">\1</a>', html.escape(p)).replace("\n", "<br>\n") + "</p>"
        for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html><body style="font-family: Arial, sans-serif; '
        f'font-size: 14px; line-height: 1.45;">\n{body}\n</body></html>\n'
    )


def invoice_attachments(comm: Communication) -> list[Path]:
    """The PDFs of the invoices the message is about, where the ledger has them."""
    found = []
    for inv in comm.invoices:
        if inv.document_path and Path(inv.document_path).is_file():
            found.append(Path(inv.document_path))
    return found


def build_message(
    comm: Communication,
    *,
    from_addr: str,
    reply_domain: str | None,
    attachments: Iterable[Attachment] = (),
    date: datetime | None = None,
) -> EmailMessage:
    """Build the message for one outbound Communication (headers as recorded)."""
    if not comm.to_addrs:
        raise ValidationError(f"communication {comm.id} has no recipient")
    sender = comm.from_addr or from_addr
    domain = reply_domain or parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(comm.to_addrs)
    if comm.cc_addrs:
        msg["Cc"] = ", ".join(comm.cc_addrs)
    bcc = (comm.meta or {}).get("bcc") or []
    if bcc:  # the envelope only: smtplib drops the header from what it transmits
        msg["Bcc"] = ", ".join(bcc)
    msg["Subject"] = comm.subject or ""
    msg["Date"] = format_datetime(date or comm.created_at)
    msg["Message-ID"] = comm.message_id or make_msgid(domain=domain)
    if comm.thread_token:
        local = parseaddr(sender)[1].partition("@")[0] or "ar"
        msg["Reply-To"] = reply_address(comm.thread_token, domain, local.split("+")[0])
    if comm.in_reply_to:
        msg["In-Reply-To"] = comm.in_reply_to
    if comm.references or comm.in_reply_to:
        msg["References"] = comm.references or comm.in_reply_to
    if comm.approval_id is not None:
        msg["X-AR-Agent-Approval"] = str(comm.approval_id)
    text = comm.body_text or ""
    msg.set_content(text)
    msg.add_alternative(comm.body_html or text_to_html(text), subtype="html")
    for item in attachments:
        _attach(msg, item)
    return msg


def _attach(msg: EmailMessage, item: Attachment) -> None:
    if isinstance(item, Path):
        name, data = item.name, item.read_bytes()
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    else:
        name, data, mime = item
    maintype, _, subtype = mime.partition("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
