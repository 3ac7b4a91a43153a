"""Which customer (and which invoices) an inbound email is about: the one linker.

Mail (``mail.inbound``) and the agent (``agent.service``) both ask here. A message is
linked to a customer only when its sender is known for that customer
(:mod:`mail.senders`: a contact on file, or the customer's own non-free-mail domain,
and no failed SPF/DKIM/DMARC). ``Link.method`` says which evidence chose the customer:

1. ``thread_token``: our Reply-To is ``ar+<token>@...``; the token comes back in
   To/Cc/Delivered-To and names the outbound message it answers;
2. ``in_reply_to`` / ``references``: the Message-IDs of our outbound messages;
   both only when the sender is known for the thread's customer;
3. ``sender_address``: the From address is a known contact;
4. ``sender_domain``: the From domain is a contact's company domain (never free mail).

Anyone else is a stranger (``method == "stranger"``): nothing is linked, and
``claimed_customer_id`` / ``claimed_invoices`` say what the message claims to be about
(its thread, a bounced message of ours, invoice numbers, the customer's name) so a
human can look. A known address shared by several customers that nothing settles gives
``method == "ambiguous"``. Unlinked messages are escalated, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Communication, Customer
from mail.invoice_refs import find_invoice_numbers
from mail.parse import InboundMessage
from mail.senders import Sender, identify_sender, is_free_mail, registrable_domain

__all__ = ["Link", "is_free_mail", "link_message", "link_sender", "registrable_domain"]

_ENCLOSED_ID = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE | re.MULTILINE)
TOKEN = re.compile(r"^[^@+\s]+\+([A-Za-z0-9_-]{4,64})@", re.IGNORECASE)
_LEGAL = re.compile(
    r"[,.]?\s{1,8}(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|"
    r"ag|kg|sa|s\.a|sas|sarl|srl|s\.r\.l|spa|s\.p\.a|bv|b\.v|nv|n\.v|plc|pty|oy|ab|as)\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Link:
    """The customer and invoices a message is about, and how that was decided."""

    customer_id: str | None
    invoice_numbers: list[str] = field(default_factory=list)
    method: str = "none"
    thread_communication_id: int | None = None
    candidates: list[str] = field(default_factory=list)
    sender: Sender | None = None
    claimed_customer_id: str | None = None  # a stranger's message: what it claims to be about
    claimed_invoices: list[str] = field(default_factory=list)

    @property
    def stranger(self) -> bool:
        return self.method == "stranger"

    def stranger_reason(self, customer_name: str | None = None) -> str:
        """Plain words for the escalation card of a stranger's message."""
        who = self.sender.summary() if self.sender else "an unknown sender"
        about = customer_name or self.claimed_customer_id
        claim = (
            f" It claims to be about {about}"
            + (f" ({', '.join(self.claimed_invoices)})" if self.claimed_invoices else "")
            + ", but it was not written by anyone known for that customer."
            if about
            else " It matches no customer."
        )
        return (
            f"Message from a stranger: {who}.{claim} Nothing was proposed from it: "
            "check with the customer through a known contact before acting on it."
        )


def thread_tokens(msg: InboundMessage) -> list[str]:
    """Plus-address tokens (``ar+<token>@``) found in To, Cc and Delivered-To."""
    tokens = []
    for addr in [*msg.to, *msg.cc, *msg.delivered_to]:
        m = TOKEN.match(addr)
        if m and m.group(1) not in tokens:
            tokens.append(m.group(1))
    return tokens


def remittance_text(msg: InboundMessage, *, limit: int = 100_000) -> str:
    """Text of the sender's own documents (CSV, PDF, plain-text attachments), not forwards."""
    texts = [
        a.text
        for a in msg.attachments
        if a.text
        and not a.content_type.startswith("message/")
        and a.content_type not in ("text/rfc822-headers", "text/html")
    ]
    return "\n".join(texts)[:limit]


def link_message(session: Session, msg: InboundMessage, reply_text: str) -> Link:
    """Decide the customer and invoices of ``msg`` (see the module docstring for the rules)."""
    new_text = f"{msg.subject}\n{reply_text}\n{remittance_text(msg)}"
    sender = identify_sender(session, msg.from_addr, headers=msg.headers, text=new_text)
    thread = _by_thread(session, msg)
    if thread is not None and sender.knows(thread[0].customer_id):
        row, method = thread
        return _finish(session, row.customer_id, new_text, method, row, sender=sender)
    if sender.known:
        return _by_sender(session, sender, new_text)
    claimed = thread[0].customer_id if thread is not None else None
    claimed = claimed or _claimed_by_content(session, msg, new_text)
    link = _stranger(session, sender, claimed, new_text)
    if thread is not None:  # which of our emails it claims to answer (a bounce names it)
        link = replace(link, thread_communication_id=thread[0].id)
    return link


def link_sender(
    session: Session, address: str, text: str, *, headers: dict[str, str] | None = None
) -> Link:
    """The same rules for a reply handed over without its headers (the agent, evals)."""
    sender = identify_sender(session, address, headers=headers, text=text)
    if sender.known:
        return _by_sender(session, sender, text)
    owners = Counter(c for _, c in find_invoice_numbers(session, text)).most_common(2)
    claimed = owners[0][0] if owners and (len(owners) == 1 or owners[0][1] > owners[1][1]) else None
    if claimed is None:
        named = _customers_by_name(session, text)
        claimed = named[0] if len(named) == 1 else None
    return _stranger(session, sender, claimed, text)


def _by_sender(session: Session, sender: Sender, text: str) -> Link:
    method = "sender_address" if sender.standing == "contact" else "sender_domain"
    if sender.customer_id is None:
        return Link(
            customer_id=None, method="ambiguous", candidates=list(sender.candidates), sender=sender
        )
    return _finish(session, sender.customer_id, text, method, sender=sender)


def _stranger(session: Session, sender: Sender, claimed: str | None, text: str) -> Link:
    numbers = (
        [n for n, _ in find_invoice_numbers(session, text, customer_id=claimed)] if claimed else []
    )
    return Link(
        customer_id=None,
        method="stranger",
        sender=sender,
        claimed_customer_id=claimed,
        claimed_invoices=numbers,
        candidates=[claimed] if claimed else [],
    )


def _claimed_by_content(session: Session, msg: InboundMessage, new_text: str) -> str | None:
    """The customer a message names by invoice numbers, or failing that by name."""
    for text in (new_text, msg.text):
        ranked = Counter(c for _, c in find_invoice_numbers(session, text)).most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
    named = _customers_by_name(session, f"{msg.from_name}\n{msg.subject}\n{msg.text}")
    return named[0] if len(named) == 1 else None


def _finish(
    session: Session,
    customer_id: str | None,
    text: str,
    method: str,
    thread: Communication | None = None,
    *,
    sender: Sender | None = None,
) -> Link:
    numbers = [n for n, _ in find_invoice_numbers(session, text, customer_id=customer_id)]
    if not numbers and thread is not None:
        numbers = [inv.number for inv in thread.invoices]
    return Link(
        customer_id=customer_id,
        invoice_numbers=numbers,
        method=method,
        thread_communication_id=thread.id if thread is not None else None,
        sender=sender,
    )


def _by_thread(session: Session, msg: InboundMessage) -> tuple[Communication, str] | None:
    for token in thread_tokens(msg):
        for condition in (  # exact (indexed) first; some relays lower-case addresses
            Communication.thread_token == token,
            func.lower(Communication.thread_token) == token.lower(),
        ):
            row = session.scalars(
                select(Communication)
                .where(condition, Communication.direction == "out")
                .order_by(Communication.id.desc())
            ).first()
            if row is not None and row.customer_id:
                return row, "thread_token"
    for ids, method in (
        ([msg.in_reply_to] if msg.in_reply_to else [], "in_reply_to"),
        (list(reversed(msg.references)), "references"),
        (_enclosed_message_ids(msg), "bounced_message"),
    ):
        for message_id in ids:
            row = session.scalars(
                select(Communication)
                .where(Communication.message_id.in_([message_id, message_id.strip("<>")]))
                .where(Communication.customer_id.is_not(None))
                .order_by(Communication.direction.desc())  # "out" before "in"
            ).first()
            if row is not None:
                return row, method
    return None


def _enclosed_message_ids(msg: InboundMessage) -> list[str]:
    """Message-IDs of messages returned inside a bounce or forward (our own, usually)."""
    ids: list[str] = []
    for att in msg.attachments:
        if att.content_type in ("message/rfc822", "text/rfc822-headers") and att.text:
            ids += [m for m in _ENCLOSED_ID.findall(att.text[:20000]) if m not in ids]
    return ids


def name_variants(name: str) -> set[str]:
    """A customer name with and without its legal-form suffix, lower-cased."""
    name = " ".join(name.split()).lower()
    variants = {name}
    stripped = _LEGAL.sub("", name).strip(" ,.")
    if stripped:
        variants.add(stripped)
    return {v for v in variants if len(v) >= 4}


def _words(text: str) -> list[str]:
    return [w for w in (t.strip(".,;:!?()[]\"'«»“”") for t in text.lower().split()) if w]


def _customers_by_name(session: Session, text: str) -> list[str]:
    """Customers whose name or alias appears as whole words in ``text``."""
    words = _words(text[:50_000])
    phrases = {" ".join(words[i : i + n]) for n in range(1, 9) for i in range(len(words) - n + 1)}
    found = []
    for customer_id, name, aliases in session.execute(
        select(Customer.id, Customer.name, Customer.aliases)
    ):
        for candidate in [name, *(aliases or [])]:
            if any(" ".join(_words(v)) in phrases for v in name_variants(candidate)):
                found.append(customer_id)
                break
    return found
