"""Attachments of inbound mail: name, type, bytes and, where readable, their text.

Remittance advice arrives as CSV, plain text or PDF; its text is extracted here so that
matching can read invoice numbers from it. PDF text needs ``pypdf``; without it (or for
a damaged PDF) ``text`` stays None. Forwarded messages and delivery reports keep their
serialised form as text.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from email.message import Message

from mail.charsets import decode_bytes, decode_header_value

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)
TEXT_TYPES = {
    "text/plain",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
    "text/rfc822-headers",
    "message/delivery-status",
    "message/rfc822",
    "message/disposition-notification",
    "application/csv",
}
MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass
class Attachment:
    """One non-body MIME part."""

    filename: str | None
    content_type: str
    data: bytes
    text: str | None = None
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


def attachment_from_part(part: Message) -> Attachment:
    """Build an Attachment from a MIME leaf (or an enclosed message), never raising."""
    try:
        ctype = part.get_content_type()
    except Exception:
        ctype = "application/octet-stream"
    try:
        filename = part.get_filename()
        filename = decode_header_value(filename) if filename else None
    except Exception:
        filename = None
    try:
        inline = part.get_content_disposition() == "inline"
    except Exception:
        inline = False
    data = _payload_bytes(part)
    return Attachment(
        filename=filename,
        content_type=ctype,
        data=data,
        text=_text_of(ctype, filename, data, part),
        inline=inline,
    )


def _payload_bytes(part: Message) -> bytes:
    payload = part.get_payload()
    if isinstance(payload, list):  # message/rfc822, delivery-status: serialise the parts
        chunks = []
        for inner in payload:
            try:
                chunks.append(
                    inner.as_bytes() if isinstance(inner, Message) else str(inner).encode()
                )
            except Exception:
                chunks.append(str(inner).encode("utf-8", "replace"))
        return b"\n".join(chunks)
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""


def _text_of(ctype: str, filename: str | None, data: bytes, part: Message) -> str | None:
    name = (filename or "").lower()
    if ctype == "application/pdf" or name.endswith(".pdf"):
        return pdf_text(data)
    if ctype in TEXT_TYPES or name.endswith((".csv", ".txt", ".tsv")):
        try:
            charset = part.get_content_charset()
        except Exception:
            charset = None
        return decode_bytes(data, charset).replace("\r\n", "\n")
    return None


def pdf_text(data: bytes) -> str | None:
    """Extract the text layer of a PDF with pypdf, or None when unavailable/unreadable."""
    if not data.startswith(b"%PDF") or len(data) > MAX_PDF_BYTES:
        return None
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages[:50])
    except Exception as exc:  # damaged or encrypted PDFs are common in the wild
        log.info("pdf text extraction failed: %s", exc)
        return None
    return text.strip() or None
