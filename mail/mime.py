"""Walking a parsed MIME tree: which parts are the body, which are attachments.

The first text/plain and text/html of a ``multipart/alternative`` are the body; other
inline text parts are appended (iPhone mail splits text around inline images); text
inside an enclosed ``message/rfc822`` is used only when the message itself has none;
every other leaf becomes an :class:`~mail.attachments.Attachment`.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message

from mail.attachments import Attachment, attachment_from_part
from mail.charsets import decode_bytes, decode_header_value


def content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def defects_of(msg: Message) -> list[str]:
    found: list[str] = []
    for part in iter_parts(msg):
        for defect in getattr(part, "defects", []):
            name = type(defect).__name__
            text = f"{name}: {defect}" if str(defect) else name
            if text not in found:
                found.append(text)
    return found


def iter_parts(part: Message) -> Iterator[Message]:
    yield part
    payload = part.get_payload()
    if isinstance(payload, list):
        for child in payload:
            if isinstance(child, Message):
                yield from iter_parts(child)


class Body:
    def __init__(self) -> None:
        self.plain: list[str] = []
        self.html: list[str] = []
        self.enclosed_plain: list[str] = []
        self.enclosed_html: list[str] = []
        self.attachments: list[Attachment] = []

    def text(self) -> str:
        parts = self.plain or ([] if self.html else self.enclosed_plain)
        return "\n".join(p.rstrip("\n") for p in parts if p.strip()).strip("\n")


def walk(part: Message, body: Body, *, enclosed: bool) -> None:
    ctype = content_type(part)
    payload = part.get_payload()
    if ctype == "message/rfc822" or (isinstance(payload, list) and not part.is_multipart()):
        body.attachments.append(attachment_from_part(part))
        for inner in payload if isinstance(payload, list) else []:
            if isinstance(inner, Message):
                walk(inner, body, enclosed=True)
        return
    if part.is_multipart():
        children = [c for c in payload if isinstance(c, Message)]
        if ctype == "multipart/alternative":
            children = _preferred_alternatives(children)
        for child in children:
            walk(child, body, enclosed=enclosed)
        return
    disposition = _disposition(part)
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not _filename(part):
        text = _decode_text(part)
        target = {
            ("text/plain", False): body.plain,
            ("text/html", False): body.html,
            ("text/plain", True): body.enclosed_plain,
            ("text/html", True): body.enclosed_html,
        }[(ctype, enclosed)]
        target.append(text)
        return
    if ctype.startswith("multipart/"):  # declared multipart, no parts found: keep as text
        body.plain.append(_decode_text(part))
        return
    body.attachments.append(attachment_from_part(part))


def _preferred_alternatives(children: list[Message]) -> list[Message]:
    """From multipart/alternative keep one plain and one HTML variant (plus nested ones)."""
    keep: list[Message] = []
    seen: set[str] = set()
    for child in children:
        ctype = content_type(child)
        if ctype in ("text/plain", "text/html"):
            if ctype in seen:
                continue
            seen.add(ctype)
        keep.append(child)
    return keep


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except Exception:
        return None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    return decode_header_value(name) if name else None


def _decode_text(part: Message) -> str:
    """Decode a leaf text part's transfer encoding and charset."""
    try:
        decoded = part.get_payload(decode=True)
    except Exception:
        decoded = None
    if isinstance(decoded, bytes):
        data = decoded
    else:
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(data, charset).replace("\r\n", "\n").replace("\r", "\n")
    try:
        flowed = str(part.get_param("format") or "").lower() == "flowed"
        delsp = str(part.get_param("delsp") or "").lower() == "yes"
    except Exception:
        flowed = delsp = False
    return unflow(text, delsp=delsp) if flowed and part.get_content_type() == "text/plain" else text


def unflow(text: str, *, delsp: bool = False) -> str:
    """Join RFC 3676 format=flowed soft line breaks (a trailing space), per quote depth."""
    out: list[tuple[int, str]] = []
    open_line = False  # the previous line ended with a soft break
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):  # space-stuffing
            content = content[1:]
        soft = content.endswith(" ") and content.rstrip() != "--"
        if soft and delsp:
            content = content[:-1]
        if open_line and out and out[-1][0] == depth:
            out[-1] = (depth, out[-1][1] + content)
        else:
            out.append((depth, content))
        open_line = soft
    return "\n".join(("> " * d if d else "") + c.rstrip() if d else c.rstrip() for d, c in out)
