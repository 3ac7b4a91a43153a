"""Raw RFC 822 bytes to an :class:`InboundMessage`, never raising on real-world mail.

Parsing uses the stdlib ``email`` package with ``email.policy.default`` and falls back to
``compat32`` when the modern policy chokes on a header. Bodies are decoded from any
charset (lying labels included, see :mod:`mail.charsets`), HTML-only mail is turned into
text (:mod:`mail.html`), forwarded ``message/rfc822`` parts and delivery reports are kept
as attachments, and structural damage is recorded in ``defects`` and ``malformed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from core.errors import UnsupportedFile
from mail.attachments import Attachment
from mail.charsets import clean_text, decode_header_value
from mail.html import html_to_text
from mail.mime import Body, content_type, defects_of, walk

# Defects that mean parts of the message may be lost or misread.
STRUCTURAL_DEFECTS = {
    "NoBoundaryInMultipartDefect": "multipart without a boundary",
    "StartBoundaryNotFoundDefect": "declared MIME boundary never appears",
    "MultipartInvariantViolationDefect": "multipart message has no parts",
    "MissingHeaderBodySeparatorDefect": "no blank line between headers and body",
}
HTML_READ_CHARS = 4 * 1024 * 1024  # an HTML-only body is rendered as text up to this size
_MSGID = re.compile(r"<[^<>\s]+>")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class InboundMessage:
    """One parsed email: addresses, threading headers, bodies, attachments, damage."""

    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    from_name: str
    from_addr: str
    to: list[str]
    cc: list[str]
    date: datetime | None
    subject: str
    text: str
    html: str | None
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    defects: list[str] = field(default_factory=list)
    malformed: bool = False
    malformed_reason: str | None = None
    content_type: str = "text/plain"
    report_type: str | None = None
    delivered_to: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    source: str | None = None

    @property
    def sender(self) -> tuple[str, str]:
        """The (display name, address) pair of ``From``."""
        return self.from_name, self.from_addr

    def header(self, name: str) -> str:
        """Return a header's decoded value ('' when absent); names are case-insensitive."""
        return self.headers.get(name.lower(), "")


def parse_message(raw: bytes, *, source: str | None = None) -> InboundMessage:
    """Parse raw RFC 822 bytes; raises UnsupportedFile only for empty input."""
    if not raw or not raw.strip():
        raise UnsupportedFile(f"{source or 'message'}: empty email, nothing to parse")
    if raw.startswith(OLE2_MAGIC):
        return _unreadable(source, "Outlook .msg (OLE2) file, not an RFC 822 message")
    data = _normalise(raw)
    try:
        parsed = _build(message_from_bytes(data, policy=policy.default), source)
    except Exception:  # the modern policy choked on a header: use the lenient one
        try:
            parsed = _build(message_from_bytes(data, policy=policy.compat32), source)
        except Exception as exc:  # never raise on bytes: keep it, flagged
            return _unreadable(source, f"unparseable MIME ({type(exc).__name__})")
        parsed.defects.append("policy.default failed; parsed with compat32")
    if not _HEADER_LINE.match(data):
        parsed.malformed, parsed.malformed_reason = True, "no RFC 5322 header block"
    elif not parsed.from_addr and not parsed.malformed:
        parsed.malformed, parsed.malformed_reason = True, "no sender address in From"
    return parsed


def _normalise(raw: bytes) -> bytes:
    """Fix line endings (CR-only Mac files), leading blank lines and mbox 'From ' lines."""
    if b"\n" not in raw and b"\r" in raw:
        raw = raw.replace(b"\r", b"\n")
    raw = raw.lstrip(b" \t\r\n")
    if raw.startswith(b"From ") and not _HEADER_LINE.match(raw):
        raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    return raw


def _unreadable(source: str | None, reason: str) -> InboundMessage:
    return InboundMessage(
        message_id=None,
        in_reply_to=None,
        references=[],
        from_name="",
        from_addr="",
        to=[],
        cc=[],
        date=None,
        subject="",
        text="",
        html=None,
        malformed=True,
        malformed_reason=reason,
        defects=[reason],
        source=source,
        content_type="application/octet-stream",
    )


def _raw_headers(msg: Message) -> dict[str, str]:
    """Decode every header from its raw text (first occurrence wins).

    The raw value is used rather than the policy's parsed one, so that lying charsets in
    encoded words and raw 8-bit bytes get the same repair as bodies.
    """
    headers: dict[str, str] = {}
    for key, raw in msg.raw_items():
        name = key.lower()
        if name not in headers:
            headers[name] = decode_header_value(str(raw))
    return headers


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs of an address header."""
    pairs: list[tuple[str, str]] = []
    try:
        for header in msg.get_all(name) or []:
            for a in getattr(header, "addresses", ()):
                pairs.append((decode_header_value(a.display_name), a.addr_spec))
    except Exception:
        pairs = []
    if not pairs:
        raws = [str(v) for k, v in msg.raw_items() if k.lower() == name]
        pairs = [(decode_header_value(d), a) for d, a in getaddresses(raws)]
    out = []
    for display, addr in pairs:
        addr = clean_text(addr).strip().strip("<>")
        if addr and "@" in addr and " " not in addr:
            local, _, domain = addr.rpartition("@")
            addr = f"{local}@{domain.lower()}"  # local parts are case-sensitive (tokens)
            out.append((display.strip().strip('"'), addr))
    return out


def _build(msg: Message, source: str | None) -> InboundMessage:
    headers = _raw_headers(msg)
    sender = _addresses(msg, "from") or _addresses(msg, "sender") or [("", "")]
    if not sender[0][1]:
        sender = [(headers.get("from", ""), "")]
    body = Body()
    walk(msg, body, enclosed=False)
    defects = defects_of(msg)
    structural = [
        STRUCTURAL_DEFECTS[d.split(":")[0]]
        for d in defects
        if d.split(":")[0] in STRUCTURAL_DEFECTS
    ]
    text = body.text()
    html = (
        "\n".join(body.html)
        if body.html
        else ("\n".join(body.enclosed_html) if not text and body.enclosed_html else None)
    )
    if not text and html:
        text = html_to_text(html[:HTML_READ_CHARS])
    return InboundMessage(
        message_id=_first_id(headers.get("message-id")),
        in_reply_to=_first_id(headers.get("in-reply-to")),
        references=_MSGID.findall(headers.get("references", "")),
        from_name=sender[0][0],
        from_addr=sender[0][1],
        to=[a for _, a in _addresses(msg, "to")],
        cc=[a for _, a in _addresses(msg, "cc")],
        date=_date(headers.get("date"), defects),
        subject=headers.get("subject", ""),
        text=text,
        html=html,
        attachments=body.attachments,
        headers=headers,
        defects=defects,
        malformed=bool(structural),
        malformed_reason=structural[0] if structural else None,
        content_type=content_type(msg),
        report_type=_report_type(msg),
        reply_to=[a for _, a in _addresses(msg, "reply-to")],
        delivered_to=[
            a
            for n in ("delivered-to", "x-original-to", "envelope-to")
            for _, a in _addresses(msg, n)
        ],
        source=source,
    )


def _report_type(msg: Message) -> str | None:
    if content_type(msg) != "multipart/report":
        return None
    value = msg.get_param("report-type")
    return value if isinstance(value, str) and value else None


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    found = _MSGID.search(value)
    if found:
        return found.group(0)
    value = value.strip()
    return f"<{value}>" if value and " " not in value else None


def _date(value: str | None, defects: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        defects.append(f"InvalidDateDefect: {value}")
        return None
