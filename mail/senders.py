"""Who sent this message: a customer's contact, someone on a customer's domain, or a stranger.

The one answer for mail and the agent alike (``mail.linking`` builds on it). A sender is
*known* for a customer when its address is one of the customer's contacts, or its domain
is the domain of one of them and not a free-mail provider (``free_mail_domains.txt``).
Anyone else is a stranger, however well they quote our invoices or threads.

``Authentication-Results`` (added by the receiving server) is read when present: an SPF,
DKIM or DMARC ``fail`` makes even a known address a stranger (the From may be forged);
weaker results are flagged. A domain that is a near miss of a customer's domain
(``g1obex.example``, ``globex-example.com``) is flagged as a look-alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Literal

from rapidfuzz.distance import Levenshtein
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Contact
from mail.invoice_refs import find_invoice_numbers

FREE_MAIL_FILE = Path(__file__).with_name("free_mail_domains.txt")
_SECOND_LEVEL = {"co", "com", "net", "org", "ac", "gov", "ne", "or", "gob", "edu"}
_AUTH_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s{0,3}=\s{0,3}([a-z]{1,12})", re.IGNORECASE)
_FAIL = {"fail"}
_DOUBTFUL = {"softfail", "permerror", "temperror"}
_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s", "-": "", "_": ""})
MAX_HEADER_READ = 4096
LOOKALIKE_DISTANCE = 2

Standing = Literal["contact", "customer_domain", "stranger"]


@lru_cache(maxsize=1)
def free_mail() -> tuple[frozenset[str], frozenset[str]]:
    """(domains, provider labels) from the data file."""
    domains: set[str] = set()
    labels: set[str] = set()
    for line in FREE_MAIL_FILE.read_text(encoding="utf-8").splitlines():
        entry = line.strip().lower()
        if not entry or entry.startswith("#"):
            continue
        if entry.endswith(".*"):
            labels.add(entry[:-2])
        else:
            domains.add(entry)
    return frozenset(domains), frozenset(labels)


def registrable_domain(domain: str) -> str:
    """``eu.mail.globex.co.uk`` -> ``globex.co.uk`` (good enough without a suffix list)."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_free_mail(domain: str) -> bool:
    """Consumer mailbox providers (gmail.com, yahoo.co.jp, hotmail.it, web.de, ...)."""
    domains, labels = free_mail()
    base = registrable_domain(domain)
    return domain.lower() in domains or base in domains or base.split(".")[0] in labels


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower().strip(".") if "@" in address else ""


def same_organisation(domain: str, theirs: str) -> bool:
    """``eu.globex.example`` and ``globex.example`` are one company's; free mail never is."""
    domain, theirs = domain.lower(), theirs.lower()
    if not domain or "." not in domain or is_free_mail(domain) or is_free_mail(theirs):
        return False
    return domain == theirs or domain.endswith("." + theirs) or theirs.endswith("." + domain)


def address_belongs(address: str, emails: Iterable[str], domains: Iterable[str]) -> bool:
    """The address is on file, or on one of these (non free-mail) company domains."""
    address = address.strip().lower()
    if not address or "@" not in address:
        return False
    if address in {e.strip().lower() for e in emails}:
        return True
    return any(same_organisation(domain_of(address), d) for d in domains)


def authentication_problems(headers: Mapping[str, str] | None) -> tuple[list[str], list[str]]:
    """(failures, doubts) from the receiving server's ``Authentication-Results`` header."""
    value = (headers or {}).get("authentication-results", "")[:MAX_HEADER_READ]
    fails, doubts = [], []
    for method, result in _AUTH_RESULT.findall(value):
        result = result.lower()
        if result in _FAIL:
            fails.append(f"{method.upper()} {result}")
        elif result in _DOUBTFUL:
            doubts.append(f"{method.upper()} {result}")
    return fails, doubts


@dataclass(frozen=True)
class Sender:
    """What the ledger knows about the author of a message."""

    address: str
    standing: Standing
    customer_id: str | None = None  # exactly one customer the sender is known for
    candidates: tuple[str, ...] = ()  # every customer the sender is known for
    flags: tuple[str, ...] = ()  # authentication failures and doubts, look-alike domains
    lookalike_of: str | None = None

    @property
    def known(self) -> bool:
        return self.standing != "stranger"

    def knows(self, customer_id: str | None) -> bool:
        return self.known and customer_id is not None and customer_id in self.candidates

    def summary(self) -> str:
        """Plain words for an approver: who wrote, and how far to trust it."""
        who = self.address or "an unknown address"
        if self.standing == "contact":
            text = f"{who}, a contact on file"
        elif self.standing == "customer_domain":
            text = f"{who}, not on file but on the customer's own domain"
        else:
            text = f"{who}: a stranger, not a contact of any customer nor on a customer's domain"
        return text + (f" ({'; '.join(self.flags)})" if self.flags else "")

    def as_context(self) -> dict[str, object]:
        return {
            "address": self.address,
            "standing": self.standing,
            "flags": list(self.flags),
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class _Found:
    by_address: list[str] = field(default_factory=list)
    by_domain: list[str] = field(default_factory=list)


def identify_sender(
    session: Session, address: str, *, headers: Mapping[str, str] | None = None, text: str = ""
) -> Sender:
    """The sender's standing; ``text`` (subject and new words) breaks ties by invoice number."""
    address = (parseaddr(address or "")[1] or "").strip().lower()
    fails, doubts = authentication_problems(headers)
    found = _Found(_customers_by_address(session, address), [])
    standing: Standing = "contact" if found.by_address else "stranger"
    candidates = sorted(set(found.by_address))
    if not candidates:
        candidates = sorted(set(_customers_by_domain(session, domain_of(address))))
        standing = "customer_domain" if candidates else "stranger"
    lookalike = None if candidates else _lookalike(session, domain_of(address))
    flags = [f"sender authentication failed: {f}" for f in fails]
    flags += [f"sender authentication doubtful: {d}" for d in doubts]
    if lookalike:
        flags.append(f"{domain_of(address)} looks like {lookalike}, a customer's domain")
    if fails:  # the From is probably forged: the address proves nothing
        standing, candidates = "stranger", []
    return Sender(
        address=address,
        standing=standing,
        customer_id=_one(session, candidates, text),
        candidates=tuple(candidates),
        flags=tuple(flags),
        lookalike_of=lookalike,
    )


def _one(session: Session, candidates: list[str], text: str) -> str | None:
    """One customer out of several, using the invoice numbers in ``text`` to break ties."""
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1 and text:
        owners = {c for _, c in find_invoice_numbers(session, text)} & set(candidates)
        if len(owners) == 1:
            return owners.pop()
    return None


def _customers_by_address(session: Session, address: str) -> list[str]:
    if not address:
        return []
    return list(
        session.scalars(
            select(Contact.customer_id).where(func.lower(Contact.email) == address.lower())
        )
    )


def _customers_by_domain(session: Session, domain: str) -> list[str]:
    if not domain or "." not in domain or is_free_mail(domain):
        return []
    base = registrable_domain(domain)
    rows = session.execute(
        select(Contact.customer_id, Contact.email).where(func.lower(Contact.email).like(f"%{base}"))
    ).all()
    return [cid for cid, email in rows if same_organisation(domain, domain_of(email))]


def _customer_domains(session: Session) -> set[str]:
    emails = session.scalars(select(Contact.email).distinct())
    return {
        registrable_domain(domain_of(e))
        for e in emails
        if domain_of(e) and not is_free_mail(domain_of(e))
    }


def _skeleton(domain: str) -> str:
    return domain.lower().translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w")


def _lookalike(session: Session, domain: str) -> str | None:
    """A customer domain this (unknown) domain imitates, or None."""
    if not domain or "." not in domain or is_free_mail(domain):
        return None
    mine = registrable_domain(domain)
    flat = _skeleton(domain).replace(".", "")
    for theirs in sorted(_customer_domains(session)):
        if theirs == mine:
            continue
        if (
            _skeleton(theirs) == _skeleton(mine)
            or Levenshtein.distance(theirs, mine, score_cutoff=LOOKALIKE_DISTANCE)
            <= LOOKALIKE_DISTANCE
            or (len(theirs) >= 6 and _skeleton(theirs).replace(".", "") in flat)
        ):
            return theirs
    return None
