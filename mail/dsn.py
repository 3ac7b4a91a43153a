"""Delivery-status notifications (RFC 3464): which recipients failed, and why.

A bounce arrives as ``multipart/report; report-type=delivery-status`` with a
``message/delivery-status`` part: one block of per-message fields, then one block per
recipient (``Final-Recipient``, ``Action``, ``Status``, ``Diagnostic-Code``), usually
followed by the original message or its headers (``message/rfc822`` or
``text/rfc822-headers``), whose Message-ID names the email that bounced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string, policy
from email.message import Message


@dataclass(frozen=True)
class RecipientStatus:
    address: str
    action: str  # failed | delayed | delivered | relayed | expanded
    status: str  # e.g. "5.1.1"
    diagnostic: str  # e.g. "smtp; 550 5.1.1 User unknown"

    @property
    def reason(self) -> str:
        """The server's words, else the status code."""
        text = self.diagnostic.split(";", 1)[-1].strip() if self.diagnostic else ""
        return text or f"status {self.status or 'unknown'}"


@dataclass
class DeliveryStatusReport:
    recipients: list[RecipientStatus] = field(default_factory=list)
    original_message_id: str | None = None

    @property
    def failed(self) -> list[RecipientStatus]:
        return [r for r in self.recipients if r.action == "failed"]


def parse_dsn(raw: bytes) -> DeliveryStatusReport | None:
    """The report in ``raw``, or None when it holds no ``message/delivery-status`` part."""
    message = message_from_bytes(raw, policy=policy.compat32)
    status_part = next(
        (p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if status_part is None:
        return None
    report = DeliveryStatusReport(original_message_id=_original_id(message))
    for block in _blocks(status_part)[1:]:  # the first block is about the whole message
        address = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
        if address:
            report.recipients.append(
                RecipientStatus(
                    address=address,
                    action=str(block.get("Action", "")).strip().lower(),
                    status=str(block.get("Status", "")).strip(),
                    diagnostic=" ".join(str(block.get("Diagnostic-Code", "")).split()),
                )
            )
    return report


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parsed the field blocks already
        return [b for b in payload if isinstance(b, Message)]
    text = part.get_payload(decode=True)
    body = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(payload or "")
    chunks = [c for c in body.replace("\r\n", "\n").split("\n\n") if c.strip()]
    return [message_from_string(c + "\n") for c in chunks]


def _address(value: object) -> str | None:
    """``"rfc822; <dana@x>"`` → ``"dana@x"``."""
    if not value:
        return None
    text = str(value).split(";", 1)[-1].strip().strip("<>").strip()
    return text.lower() if "@" in text else None


def _original_id(message: Message) -> str | None:
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found = inner[0].get("Message-ID")
                if found:
                    return str(found).strip()
        elif kind == "text/rfc822-headers":
            data = part.get_payload(decode=True)
            text = data.decode("utf-8", "replace") if isinstance(data, bytes) else ""
            found = message_from_string(text).get("Message-ID")
            if found:
                return str(found).strip()
    return None
