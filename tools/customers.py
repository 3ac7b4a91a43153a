"""Tool: find a customer by name, alias, invoice number or email domain (fuzzy)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.errors import Ambiguous, NotFound
from ledger.models import Contact, Customer, Invoice
from tools.context import ToolContext, ToolResult

_LEGAL = re.compile(
    r"\b(inc|incorporated|corp|corporation|co|company|llc|ltd|limited|gmbh|ag|kg|sa|sas|sarl|"
    r"sl|srl|spa|bv|nv|plc|pty|oy|ab|as|group|holdings?)\b\.?",
    re.I,
)
MATCH_THRESHOLD = 80.0
AMBIGUITY_MARGIN = 6.0


class CustomerRef(BaseModel):
    id: str
    name: str
    score: float = 100.0


class CustomerLookup(ToolResult):
    status: Literal["found", "ambiguous", "not_found"]
    customer: CustomerRef | None = None
    candidates: list[CustomerRef] = []


def normalise(name: str) -> str:
    """Lower-case, drop punctuation and legal-form suffixes ("Globex Corp." -> "globex")."""
    text = re.sub(r"[^\w\s&@.-]", " ", name.lower())
    text = _LEGAL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip(" .-")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s&@-]", " ", text.lower())).strip()


def name_score(query: str, names: list[str]) -> float:
    """100 exact name, 96 same name but the legal form, 92 every word found, else fuzzy."""
    q, plain = normalise(query), _plain(query)
    if not q:
        return 0.0
    best = 0.0
    for name in names:
        n = normalise(name)
        if not n:
            continue
        if plain == _plain(name):
            return 100.0
        if q == n:
            best = max(best, 96.0)
            continue
        if set(q.split()) <= set(n.split()):
            best = max(best, 92.0)
            continue
        score = min(90.0, max(fuzz.WRatio(q, n), fuzz.token_set_ratio(q, n)))
        if len(q) < 4 and not n.startswith(q):
            score = min(score, 60.0)
        best = max(best, float(score))
    return best


def rank_customers(ctx: ToolContext, query: str) -> list[CustomerRef]:
    """Every customer scored against ``query`` (id, invoice number, domain, fuzzy name)."""
    session, q = ctx.session, query.strip()
    if not q:
        return []
    exact = session.get(Customer, q)
    if exact is not None:
        return [CustomerRef(id=exact.id, name=exact.name)]
    inv = session.scalar(select(Invoice).where(func.upper(Invoice.number) == q.upper()))
    if inv is not None:
        return [CustomerRef(id=inv.customer_id, name=inv.customer.name)]
    domain = (
        q.rsplit("@", 1)[-1].lower()
        if ("@" in q or re.fullmatch(r"[\w-]+(\.[\w-]+)+", q))
        else None
    )
    if domain:
        ids = set(
            session.scalars(
                select(Contact.customer_id).where(func.lower(Contact.email).like(f"%@{domain}"))
            )
        )
        if ids:
            return [
                CustomerRef(id=c.id, name=c.name)
                for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))
            ]
    ranked = [
        CustomerRef(id=c.id, name=c.name, score=name_score(q, [c.name, *(c.aliases or [])]))
        for c in session.scalars(select(Customer))
    ]
    ranked.sort(key=lambda r: -r.score)
    return [r for r in ranked if r.score >= MATCH_THRESHOLD - 15][:5]


def find_customer(ctx: ToolContext, query: str) -> CustomerLookup:
    """Find a customer by name, alias, customer id, invoice number or email domain.

    Use it before any other tool when the user names a customer. When the answer is
    "ambiguous", ask the user which of the candidates they mean.

    Args:
        query: What the user called the customer: "globex", "Initech Ltd", "INV-1042",
            "dana@globex.example" or "globex.example".
    """
    ranked = rank_customers(ctx, query)
    good = [r for r in ranked if r.score >= MATCH_THRESHOLD]
    if not good:
        return CustomerLookup(
            status="not_found",
            candidates=ranked[:3],
            summary=f"Customer not found: no customer matches {query!r}.",
        )
    close = [r for r in good if good[0].score - r.score < AMBIGUITY_MARGIN]
    if len(close) > 1 and good[0].score < 100:
        names = ", ".join(f"{r.name} ({r.id})" for r in close)
        return CustomerLookup(
            status="ambiguous", candidates=close, summary=f"{query!r} could be: {names}. Which one?"
        )
    top = good[0]
    return CustomerLookup(status="found", customer=top, summary=f"{top.name} ({top.id})")


def resolve(ctx: ToolContext, ref: str) -> Customer:
    """The one customer ``ref`` names; raises NotFound or Ambiguous otherwise."""
    found = ctx.session.get(Customer, ref, options=[selectinload(Customer.contacts)])
    if found is not None:
        return found
    lookup = find_customer(ctx, ref)
    if lookup.status == "ambiguous":
        raise Ambiguous(lookup.summary, [c.id for c in lookup.candidates])
    if lookup.customer is None:
        raise NotFound(
            f"Customer not found: no customer matches {ref!r} by name, alias, id, invoice "
            "number or email domain"
        )
    customer = ctx.session.get(Customer, lookup.customer.id)
    assert customer is not None
    return customer
