"""Which customer a controller means: the request reader's candidates, checked.

Short names that fit several customers ("Acme") are ambiguous even when the reader
picked one; a misspelt single-word name ("Initek") is caught by a fuzzy fallback; invoice
references are kept only when the invoice exists. Also spots asks for concessions
(discounts, waivers, write-offs, credit notes) whatever the words.
"""

from __future__ import annotations

import re
from dataclasses import is_dataclass, replace
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import func, select

from agent._common import field, known_invoices_for
from agent.context import Context
from ledger.models import Customer, Invoice
from tools.customers import _plain, name_score, normalise

_COMMON = {
    "what",
    "does",
    "much",
    "owe",
    "owes",
    "show",
    "open",
    "invoices",
    "invoice",
    "balance",
    "please",
    "their",
    "they",
    "about",
    "with",
    "from",
    "draft",
    "reminder",
    "reminders",
    "plan",
    "payment",
    "month",
    "months",
    "weeks",
    "promised",
    "today",
    "everything",
    "which",
    "history",
    "oldest",
    "aging",
    "report",
    "dispute",
    "hold",
    "until",
    "escalate",
    "contact",
    "email",
    "update",
    "write",
    "credit",
    "note",
    "late",
    "days",
    "overdue",
    "except",
    "excluding",
    "skip",
    "leave",
    "every",
    "customers",
    "copy",
    "send",
    "list",
    "last",
    "next",
    "week",
    "paid",
    "pays",
    "will",
}
CONCESSION = re.compile(
    r"\b(discount\w*|waive\w*|waiver|write[- ]?off|written off|credit (note|memo)|bad debt|"
    r"forgive\w*|rabatt\w*|erlass\w*|gutschrift|abschreib\w*|remise|avoir|abandon de cr[ée]ance|"
    r"descuento\w*|condona\w*|nota de cr[ée]dito)\b",
    re.I,
)
AMBIGUITY_MARGIN = 0.06
MIN_SCORE = 0.75


_NAMES_CACHE: dict[tuple[int, str], tuple[Any, list[Any]]] = {}


def customer_names(ctx: Context) -> list[Any]:
    """Every customer's names for the request reader (cached until the customers change)."""
    from agent.understanding.requests import CustomerName

    with ctx.db.transaction() as session:
        stamp = session.execute(
            select(func.count(Customer.id), func.max(Customer.updated_at))
        ).one()
        key = (id(ctx.db), ctx.db.url)
        cached = _NAMES_CACHE.get(key)
        if cached is not None and cached[0] == tuple(stamp):
            return cached[1]
        rows = session.execute(select(Customer.id, Customer.name, Customer.aliases)).all()
    names = [CustomerName(id=r[0], name=r[1], aliases=list(r[2] or [])) for r in rows]
    _NAMES_CACHE[key] = (tuple(stamp), names)
    return names


def read_request(text: str, ctx: Context, customers: list[Any] | None = None) -> Any:
    """The request as understood, its invoice references limited to real invoices."""
    from agent.understanding.requests import understand_request

    with ctx.db.transaction() as session:
        numbers = known_invoices_for(session, text)
        req = understand_request(
            text,
            today=ctx.clock.now().date(),
            customers=customers if customers is not None else customer_names(ctx),
            known_invoices=numbers,
        )
        refs = list(field(req, "invoices", []))
        if refs and is_dataclass(req):
            real = {
                n.upper(): n
                for n in session.scalars(
                    select(Invoice.number).where(
                        func.upper(Invoice.number).in_([r.upper() for r in refs])
                    )
                )
            }
            req = replace(req, invoices=[real[r.upper()] for r in refs if r.upper() in real])
    return req


def _score(value: float) -> float:
    return value / 100 if value > 1 else value


def _rivals(query: str | None, customers: list[Any]) -> list[str]:
    """Customers a short name fits equally well ("Acme": Acme Industries, Acme Corporation)."""
    if not query:
        return []
    scored = [(c.id, name_score(query, [c.name, *c.aliases])) for c in customers]
    if any(s >= 100 for _, s in scored):
        return []
    return [cid for cid, s in scored if s >= 92]


def _named_in_full(customer_id: str, customers: list[Any], text: str) -> bool:
    plain = f" {_plain(text)} "
    return any(
        f" {_plain(n)} " in plain
        for c in customers
        if c.id == customer_id
        for n in [c.name, *c.aliases]
    )


def _named_length(customer_id: str, customers: list[Any], text: str) -> int:
    """Words in the longest of the customer's names that the text spells out in full."""
    plain = f" {_plain(text)} "
    return max(
        (
            len(_plain(n).split())
            for c in customers
            if c.id == customer_id
            for n in [c.name, *c.aliases]
            if _plain(n) and f" {_plain(n)} " in plain
        ),
        default=0,
    )


def _most_fully_named(ids: list[str], customers: list[Any], text: str) -> list[str]:
    """The candidates whose name the text spells out longest (empty when none is)."""
    lengths = {i: _named_length(i, customers, text) for i in ids}
    best = max(lengths.values(), default=0)
    return [i for i in ids if best > 0 and lengths[i] == best]


def answer_to_which_one(text: str, candidates: list[str], customers: list[Any]) -> str | None:
    """The candidate a reply to "which one?" picks: its id, or the name spelt out most fully."""
    words = {w.upper() for w in re.findall(r"[\w-]+", text)}
    by_id = [c for c in candidates if c.upper() in words]
    if len(by_id) == 1:
        return by_id[0]
    named = _most_fully_named(candidates, customers, text)
    return named[0] if len(named) == 1 else None


def _fuzzy_fallback(text: str, customers: list[Any]) -> list[str]:
    """A misspelt single-word name ("Initek") the request reader did not match."""
    words = [w for w in re.findall(r"[\w&'-]{4,}", text) if w.lower() not in _COMMON]
    best: dict[str, float] = {}
    for c in customers:
        names = [c.name, *c.aliases]
        for w in words:
            for n in names:
                for token in normalise(n).split():
                    if len(token) >= 4 and token[0] == w[0].lower():
                        score = fuzz.ratio(w.lower(), token)
                        if score >= 75:
                            best[c.id] = max(best.get(c.id, 0), score)
    if not best:
        return []
    top = max(best.values())
    return [cid for cid, sc in best.items() if top - sc < 6]


def pick_customer(
    req: Any, focus: dict[str, Any], customers: list[Any] | None = None, text: str = ""
) -> tuple[str | None, list[str]]:
    """(customer id, ambiguous candidate ids) from the request, or the remembered one."""
    customers = customers or []
    cands = sorted(
        ((c, _score(s)) for c, s in field(req, "customer_candidates", [])), key=lambda cs: -cs[1]
    )
    if len(cands) == 1 and not _named_in_full(cands[0][0], customers, text):
        rivals = _rivals(field(req, "customer_query"), customers)
        if len(rivals) > 1 and cands[0][0] in rivals:
            return None, rivals
    if not cands and not field(req, "is_follow_up", False) and not field(req, "invoices", []):
        fallback = _fuzzy_fallback(text, customers)
        if len(fallback) > 1:
            return None, fallback
        if fallback:
            return fallback[0], []
    cands = [(c, s) for c, s in cands if s >= MIN_SCORE]
    if cands:
        top = cands[0][1]
        close = [c for c, s in cands if top - s <= AMBIGUITY_MARGIN]
        if len(close) > 1:
            # Several equally good: the one named most fully wins ("Globex Manufacturing"
            # over the alias "GLOBEX" they all share); a tie is a question, not a guess.
            named = _most_fully_named(close, customers, text)
            return (named[0], []) if len(named) == 1 else (None, named or close)
        return cands[0][0], []
    invoices = field(req, "invoices", [])
    if invoices:
        return invoices[0], []  # the tools resolve a customer from its invoice number
    if field(req, "customer_query", "") and not field(req, "is_follow_up", False):
        return field(req, "customer_query"), []  # let the tool say it found nothing
    return focus.get("customer"), []


_KINDS = (
    (
        "credit_note",
        re.compile(r"\bcredit (?:note|memo)\b|gutschrift|\bavoir\b|nota de cr[ée]dito", re.I),
    ),
    ("discount", re.compile(r"discount|rabatt|remise|descuento|sconto|korting|desconto", re.I)),
    ("waiver", re.compile(r"waive|waiver|erlass|condona|forgive", re.I)),
)


def concession_kind(text: str) -> str:
    """Which concession a controller asks for: credit_note, discount, waiver, else write_off."""
    return next((kind for kind, rx in _KINDS if rx.search(text)), "write_off")


def asks_concession(text: str, policy: Any) -> bool:
    """Discounts, waivers, write-offs, credit notes: only a controller grants them."""
    if CONCESSION.search(text):
        return True
    words = getattr(getattr(getattr(policy, "wording", None), "forbidden", {}), "get", None)
    category = words("concessions") if words else None
    pattern = getattr(category, "pattern", None)
    return bool(pattern and pattern.search(text))
