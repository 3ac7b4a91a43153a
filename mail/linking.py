"""Which customer (and which invoices) an inbound email is about.

Evidence is tried from strongest to weakest and the first that names exactly one
customer wins; ``Link.method`` says which:

1. ``thread_token``: our Reply-To is ``ar+<token>@...``; the token comes back in
   To/Cc/Delivered-To and names the outbound message it answers;
2. ``in_reply_to`` / ``references``: the Message-IDs of our outbound messages
   (``bounced_message``: the Message-ID of our message returned inside a bounce);
3. ``sender_address``: the From address is a known contact;
4. ``sender_domain``: the From domain is a contact's company domain (never free mail);
5. ``invoice_number``: known invoice numbers in the subject, the new text and the
   remittance attachments (CSV, PDF, plain text)
   (``invoice_number_quoted`` when only the quoted history names them);
6. ``customer_name``: the customer's name or an alias appears in the message.

Nothing links: ``customer_id`` is None and the caller escalates; the message is never
dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Communication, Contact, Customer
from mail.invoice_refs import find_invoice_numbers
from mail.parse import InboundMessage

FREE_MAIL = {
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "hotmail.de",
    "hotmail.es",
    "live.com",
    "live.fr",
    "live.de",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "yahoo.es",
    "yahoo.com.mx",
    "ymail.com",
    "rocketmail.com",
    "aol.com",
    "aol.de",
    "icloud.com",
    "me.com",
    "mac.com",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "gmx.at",
    "gmx.ch",
    "web.de",
    "t-online.de",
    "freenet.de",
    "posteo.de",
    "mailbox.org",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "neuf.fr",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "zoho.com",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "terra.com.br",
    "uol.com.br",
    "bol.com.br",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "btinternet.com",
    "ziggo.nl",
    "kpnmail.nl",
    "telenet.be",
    "skynet.be",
    "bluewin.ch",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "fastmail.com",
    "hey.com",
}
_ENCLOSED_ID = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE | re.MULTILINE)
# Provider names that are free mail under any country suffix (yahoo.co.jp, hotmail.it).
FREE_LABELS = {
    "gmail",
    "googlemail",
    "yahoo",
    "ymail",
    "hotmail",
    "outlook",
    "live",
    "msn",
    "aol",
    "icloud",
    "gmx",
    "yandex",
    "protonmail",
    "proton",
    "zoho",
    "mailinator",
    "rediffmail",
    "naver",
    "daum",
    "hanmail",
    "libero",
    "seznam",
    "rambler",
    "laposte",
    "wanadoo",
}
_SECOND_LEVEL = {"co", "com", "net", "org", "ac", "gov", "ne", "or", "gob", "edu"}
TOKEN = re.compile(r"^[^@+\s]+\+([A-Za-z0-9_-]{4,64})@", re.IGNORECASE)
_LEGAL = re.compile(
    r"[,.]?\s+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|"
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
    """Decide the customer and invoices of ``msg`` (see the module docstring for the order)."""
    new_text = f"{msg.subject}\n{reply_text}\n{remittance_text(msg)}"
    thread = _by_thread(session, msg)
    if thread is not None:
        row, method = thread
        return _finish(session, row.customer_id, new_text, method, row)

    pick = _one(_customers_by_address(session, msg.from_addr), session, new_text)
    if pick.customer_id:
        return _finish(session, pick.customer_id, new_text, "sender_address")
    domain = msg.from_addr.rsplit("@", 1)[-1] if "@" in msg.from_addr else ""
    by_domain = _customers_by_domain(session, domain)
    pick = _one(by_domain, session, new_text)
    if pick.customer_id:
        return _finish(session, pick.customer_id, new_text, "sender_domain")
    candidates = sorted(set(pick.candidates))

    for text, method in ((new_text, "invoice_number"), (msg.text, "invoice_number_quoted")):
        owners = Counter(c for _, c in find_invoice_numbers(session, text))
        if candidates:
            owners = Counter({c: n for c, n in owners.items() if c in candidates})
        ranked = owners.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return _finish(session, ranked[0][0], text, method)

    named = _customers_by_name(session, f"{msg.from_name}\n{msg.subject}\n{msg.text}")
    if candidates:
        named = [c for c in named if c in candidates] or named
    if len(named) == 1:
        return _finish(session, named[0], new_text, "customer_name")
    return Link(customer_id=None, method="none", candidates=candidates or named)


def _finish(
    session: Session,
    customer_id: str | None,
    text: str,
    method: str,
    thread: Communication | None = None,
) -> Link:
    numbers = [n for n, _ in find_invoice_numbers(session, text, customer_id=customer_id)]
    if not numbers and thread is not None:
        numbers = [inv.number for inv in thread.invoices]
    return Link(
        customer_id=customer_id,
        invoice_numbers=numbers,
        method=method,
        thread_communication_id=thread.id if thread is not None else None,
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


@dataclass(frozen=True)
class _Pick:
    customer_id: str | None
    candidates: list[str]


def _one(customer_ids: list[str], session: Session, text: str) -> _Pick:
    """One customer out of several contacts' customers, using invoice numbers to break ties."""
    unique = sorted(set(customer_ids))
    if len(unique) == 1:
        return _Pick(unique[0], unique)
    if len(unique) > 1:
        owners = {c for _, c in find_invoice_numbers(session, text)} & set(unique)
        if len(owners) == 1:
            return _Pick(owners.pop(), unique)
    return _Pick(None, unique)


def _customers_by_address(session: Session, address: str) -> list[str]:
    if not address:
        return []
    return list(
        session.scalars(
            select(Contact.customer_id).where(func.lower(Contact.email) == address.lower())
        )
    )


def registrable_domain(domain: str) -> str:
    """``eu.mail.globex.co.uk`` -> ``globex.co.uk`` (good enough without a suffix list)."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_free_mail(domain: str) -> bool:
    """Consumer mailbox providers (gmail.com, yahoo.co.jp, hotmail.it, web.de, ...)."""
    base = registrable_domain(domain)
    return domain.lower() in FREE_MAIL or base in FREE_MAIL or base.split(".")[0] in FREE_LABELS


def _customers_by_domain(session: Session, domain: str) -> list[str]:
    domain = domain.lower().strip(".")
    if not domain or domain.count(".") < 1 or is_free_mail(domain):
        return []
    base = registrable_domain(domain)
    rows = session.execute(
        select(Contact.customer_id, Contact.email).where(func.lower(Contact.email).like(f"%{base}"))
    ).all()
    found = []
    for customer_id, email in rows:
        theirs = email.rsplit("@", 1)[-1].lower()
        if is_free_mail(theirs):
            continue
        if theirs == domain or domain.endswith("." + theirs) or theirs.endswith("." + domain):
            found.append(customer_id)
    return found


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
