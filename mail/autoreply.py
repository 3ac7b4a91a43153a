"""Is an inbound message an automatic one: out-of-office, bounce, or auto-acknowledgement?

Headers decide first (RFC 3834 ``Auto-Submitted``, ``X-Autoreply``/``X-Autorespond``,
``Precedence``, Exchange's ``X-Auto-Response-Suppress``, ``multipart/report`` delivery
status, MAILER-DAEMON senders), then the subject ("Automatic reply:", "Undeliverable:"
and their translations), then the text (out-of-office phrases in EN/DE/FR/ES/NL/IT/PT).
A customer who merely mentions a holiday in a normal reply is not an auto-reply: text
alone counts only for short messages with an unmistakable out-of-office sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mail.parse import InboundMessage

Kind = Literal["out_of_office", "bounce", "auto_ack"]

BOUNCE_SENDERS = re.compile(r"^(?:mailer-daemon|mail-daemon|mailerdaemon|postmaster)@", re.I)
NOREPLY_SENDERS = re.compile(r"^(?:no-?reply|do-?not-?reply|donotreply|noreply[-.\w]*)@", re.I)
BOUNCE_SUBJECT = re.compile(
    r"undeliverable|undelivered mail|delivery status notification \((?:failure|delay)\)|"
    r"mail delivery (?:failed|failure|subsystem)|returned mail|failure notice|"
    r"delivery (?:failure|has failed|notification)|non-?delivery|could not be delivered|"
    r"unzustellbar|nicht zustellbar|non remis|échec de (?:la )?remise|"
    r"no se puede entregar|no entregado|onbestelbaar|non recapitabile|não entregue",
    re.IGNORECASE,
)
OOO_SUBJECT = re.compile(
    r"^\s*[\[(]?\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response|respons)|autoreply|"
    r"out of (?:the )?office|ooo\b|away\b|on vacation|on leave|abwesenheit|"
    r"automatische antwort|abwesenheitsnotiz|réponse automatique|reponse automatique|"
    r"absence|absent|respuesta automática|respuesta automatica|fuera de la oficina|"
    r"automatisch antwoord|afwezig|risposta automatica|fuori ufficio|"
    r"resposta automática|ausente)",
    re.IGNORECASE,
)
OOO_TEXT = re.compile(
    r"\b(?:(?:i am|i'm|i’m|i will be|i'll be|currently|will be)\s+(?:currently\s+)?"
    r"(?:out of (?:the )?office|ooo|away from (?:the |my )?(?:office|desk)|on (?:annual |parental |"
    r"maternity |sick |medical )?(?:leave|vacation|holiday|holidays|pto)|"
    r"travel(?:l)?ing|away)|out of (?:the )?office (?:until|till|from|through)|"
    r"(?:limited|no) access to (?:my )?e-?mail|(?:upon|on|after) my return|"
    r"(?:respond|reply|get back to you) (?:to your (?:e-?mail|message) )?(?:when|as soon as) "
    r"i (?:return|am back|get back)|returning (?:to the office )?on|back in the office on|"
    r"abwesenheitsnotiz|nicht im büro|außer haus|ausser haus|im urlaub|nicht erreichbar|"
    r"bin ab dem|bin bis (?:zum|einschließlich)|nach meiner rückkehr|"
    r"absente? du bureau|en congés?|en vacances|hors du bureau|de retour le|"
    r"à mon retour|fuera de la oficina|de vacaciones|ausente (?:de la oficina|hasta)|"
    r"a mi regreso|estaré fuera|niet op kantoor|afwezig|met vakantie|op vakantie|"
    r"ben (?:weer )?terug op|fuori ufficio|in ferie|al mio rientro|fora do escritório|"
    r"de férias|ausente até)\b",
    re.IGNORECASE,
)
AUTO_ACK_TEXT = re.compile(
    r"this is an automated (?:response|reply|message)|automatic(?:ally generated)? "
    r"(?:response|reply|message)|do not reply to this (?:e-?mail|message)|"
    r"(?:we have|we've) received your (?:e-?mail|message|request)|ticket (?:number|#|id)",
    re.IGNORECASE,
)
MAX_TEXT_ONLY = 1500  # longer messages are real replies that may mention a holiday


@dataclass(frozen=True)
class AutoReply:
    """What kind of automatic message this is and the evidence that said so."""

    kind: Kind
    reason: str


def detect_auto_reply(msg: InboundMessage, reply_text: str | None = None) -> AutoReply | None:
    """Classify ``msg`` as out_of_office / bounce / auto_ack, or None for a human reply."""
    h = msg.header
    text = reply_text if reply_text is not None else msg.text
    subject = msg.subject or ""
    ooo_text = bool(OOO_TEXT.search(text[:4000])) or bool(OOO_SUBJECT.search(subject))

    if msg.content_type == "multipart/report":
        report = (msg.report_type or "").lower()
        if report == "delivery-status" or _has_part(msg, "message/delivery-status"):
            return AutoReply("bounce", "multipart/report delivery-status")
        if report == "disposition-notification":
            return AutoReply("auto_ack", "read receipt (disposition-notification)")
    if _has_part(msg, "message/delivery-status"):
        return AutoReply("bounce", "delivery-status part")
    if h("x-failed-recipients"):
        return AutoReply("bounce", f"X-Failed-Recipients: {h('x-failed-recipients')}")
    if BOUNCE_SENDERS.match(msg.from_addr) and (BOUNCE_SUBJECT.search(subject) or not subject):
        return AutoReply("bounce", f"sender {msg.from_addr}")

    auto_submitted = h("auto-submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        kind: Kind = "out_of_office" if ooo_text else "auto_ack"
        return AutoReply(kind, f"Auto-Submitted: {auto_submitted}")
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if h(name):
            return AutoReply("out_of_office" if ooo_text else "auto_ack", f"{name} header")
    precedence = h("precedence").strip().lower()
    if precedence in ("auto_reply", "auto-reply"):
        return AutoReply("out_of_office" if ooo_text else "auto_ack", f"Precedence: {precedence}")

    if BOUNCE_SUBJECT.search(subject) and (
        BOUNCE_SENDERS.match(msg.from_addr) or h("return-path").strip() in ("<>", "")
    ):
        return AutoReply("bounce", f"subject {subject!r}")
    if OOO_SUBJECT.search(subject):
        return AutoReply("out_of_office", f"subject {subject!r}")
    if precedence in ("bulk", "junk", "list"):
        return AutoReply("auto_ack", f"Precedence: {precedence}")
    suppress = h("x-auto-response-suppress").lower()
    if suppress and ("oof" in suppress or "all" in suppress) and OOO_TEXT.search(text[:4000]):
        return AutoReply("out_of_office", "X-Auto-Response-Suppress with out-of-office text")
    if NOREPLY_SENDERS.match(msg.from_addr):
        return AutoReply("auto_ack", f"sender {msg.from_addr}")
    if len(text) <= MAX_TEXT_ONLY and len({m.lower() for m in OOO_TEXT.findall(text)}) >= 2:
        return AutoReply("out_of_office", "out-of-office wording")
    if len(text) <= MAX_TEXT_ONLY and AUTO_ACK_TEXT.search(text):
        return AutoReply("auto_ack", "automated acknowledgement wording")
    return None


def _has_part(msg: InboundMessage, content_type: str) -> bool:
    return any(a.content_type == content_type for a in msg.attachments)
