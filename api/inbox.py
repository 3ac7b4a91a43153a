"""The approvals inbox as a query: filters, search, sort, counts per filter, pages.

The web page and Slack's App Home both read it. Everything pending is read in a few
batched queries (approvals with their customers, the balances of the invoices they name,
and, when sorting by risk, the worklist scores), then filtered, counted and sorted in
memory; only the page being shown gets its cards' context (balances, last email), again
in batched queries. Escalations are tasks (:mod:`api.escalations`), not approvals: they
are left out here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import Clock, today
from core.errors import ValidationError
from core.money import parse_amount
from ledger.models import Approval, Communication, Customer, Invoice

PAGE_SIZE = 50
TASK_TYPES = ("escalate",)
FACETS = ("type", "stage", "customer", "owner", "requested_by", "run", "language")
SORTS = {
    "age": "oldest first",
    "newest": "newest first",
    "amount": "largest amount",
    "risk": "highest risk",
}
_CHUNK = 500


@dataclass(frozen=True)
class InboxFilter:
    """What the approver asked for; every field is a query parameter of /approvals."""

    type: str = ""
    stage: str = ""
    customer: str = ""
    owner: str = ""
    requested_by: str = ""
    run: str = ""
    language: str = ""
    min_amount: str = ""
    max_amount: str = ""
    q: str = ""
    sort: str = "age"
    page: int = 1

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> InboxFilter:
        """Read the query parameters; a bad amount, sort or page is a clear error."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = str(params.get(f.name, "") or "").strip()
            if not raw:
                continue
            if f.name == "page":
                if not raw.isdigit() or int(raw) < 1:
                    raise ValidationError(f"page: {raw!r} is not a page number")
                values["page"] = int(raw)
            else:
                values[f.name] = raw[:200]
        chosen = cls(**values)
        if chosen.sort not in SORTS:
            raise ValidationError(f"sort: {chosen.sort!r} is not one of {', '.join(SORTS)}")
        for name in ("min_amount", "max_amount"):
            raw = getattr(chosen, name)
            if raw:
                try:
                    parse_amount(raw.replace(",", ""))
                except ValueError as exc:
                    raise ValidationError(f"{name.replace('_', ' ')}: {exc}") from exc
        return chosen

    def amount_bounds(self) -> tuple[Decimal | None, Decimal | None]:
        low = parse_amount(self.min_amount.replace(",", "")) if self.min_amount else None
        high = parse_amount(self.max_amount.replace(",", "")) if self.max_amount else None
        return low, high

    def query(self, **changes: Any) -> str:
        """This filter as a query string, with ``changes`` (page resets unless given)."""
        changed = replace(self, **({"page": 1} | changes))
        pairs = [
            (f.name, str(getattr(changed, f.name)))
            for f in fields(changed)
            if getattr(changed, f.name) not in ("", None)
            and not (f.name == "page" and changed.page == 1)
            and not (f.name == "sort" and changed.sort == "age")
        ]
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return any(getattr(self, f) for f in (*FACETS, "min_amount", "max_amount", "q"))


@dataclass
class InboxItem:
    approval: Approval
    customer_name: str
    owner: str
    language: str
    stage: str
    amount: Decimal | None
    currency: str
    risk: float | None = None
    context: dict[str, Any] | None = None
    _haystack: str = ""

    def facet(self, name: str) -> str:
        a = self.approval
        return {
            "type": a.type,
            "stage": self.stage,
            "customer": a.customer_id or "",
            "owner": self.owner,
            "requested_by": a.requested_by,
            "run": a.run_id or "",
            "language": self.language,
        }[name]

    def haystack(self) -> str:
        if not self._haystack:
            self._haystack = self._words()
        return self._haystack

    def _words(self) -> str:
        a, p = self.approval, self.approval.payload or {}
        parts: list[Any] = [
            f"#{a.id}",
            a.type,
            a.customer_id,
            self.customer_name,
            a.reason,
            p.get("subject"),
            p.get("invoice"),
            *(p.get("invoices") or []),
            *(p.get("to") or []),
        ]
        return " ".join(str(x) for x in parts if x).lower()


@dataclass
class InboxPage:
    filter: InboxFilter
    items: list[InboxItem]
    total: int
    pending_total: int
    counts: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _stage(a: Approval) -> str:
    p, c = a.payload or {}, a.context or {}
    return str(p.get("stage") or c.get("stage") or c.get("kind") or "")


def _named_invoices(payload: Mapping[str, Any]) -> list[str]:
    named = list(payload.get("invoices") or [])
    if payload.get("invoice"):
        named.append(payload["invoice"])
    return [str(n) for n in named]


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _invoice_balances(session: Session, numbers: set[str]) -> dict[str, tuple[Decimal, str]]:
    out: dict[str, tuple[Decimal, str]] = {}
    for chunk in _chunks(sorted(numbers)):
        for number, balance, currency in session.execute(
            select(Invoice.number, Invoice.balance, Invoice.currency).where(
                Invoice.number.in_(chunk)
            )
        ):
            out[number] = (balance, currency)
    return out


def _amount(
    a: Approval, balances: Mapping[str, tuple[Decimal, str]], fallback_currency: str
) -> tuple[Decimal | None, str]:
    """What the approval is about, in money: its amount, plan total or invoices' balances."""
    p = a.payload or {}
    currency = str(p.get("currency") or fallback_currency)
    if p.get("amount") not in (None, ""):
        return Decimal(str(p["amount"])), currency
    if a.type == "create_payment_plan":
        total = Decimal(str(p.get("down_payment") or 0)) + sum(
            (Decimal(str(i.get("amount") or 0)) for i in p.get("installments") or []), Decimal(0)
        )
        return total, currency
    named = [balances[n] for n in _named_invoices(p) if n in balances]
    if named:
        return sum((b for b, _ in named), Decimal(0)), named[0][1]
    return None, currency


def pending_items(session: Session, *, include_tasks: bool = False) -> list[InboxItem]:
    """Every pending approval with what the filters need, in three queries."""
    query = (
        select(Approval, Customer.name, Customer.owner, Customer.language, Customer.currency)
        .outerjoin(Customer, Customer.id == Approval.customer_id)
        .where(Approval.status == "pending")
        .order_by(Approval.created_at, Approval.id)
    )
    if not include_tasks:
        query = query.where(Approval.type.not_in(TASK_TYPES))
    rows = session.execute(query).all()
    numbers = {n for row in rows for n in _named_invoices(row[0].payload or {})}
    balances = _invoice_balances(session, numbers)
    items = []
    for a, name, owner, language, currency in rows:
        amount, cur = _amount(a, balances, currency or "USD")
        items.append(
            InboxItem(
                approval=a,
                customer_name=name or a.customer_id or "—",
                owner=owner or "",
                language=str((a.payload or {}).get("language") or language or ""),
                stage=_stage(a),
                amount=amount,
                currency=cur,
            )
        )
    return items


def _misses(
    item: InboxItem, f: InboxFilter, low: Decimal | None, high: Decimal | None
) -> list[str]:
    """The filters ``item`` fails: facet names, and "other" for amount or search."""
    missed = [n for n in FACETS if getattr(f, n) and item.facet(n) != getattr(f, n)]
    amount = item.amount
    too_small = low is not None and (amount is None or amount < low)
    too_large = high is not None and (amount is None or amount > high)
    unfound = bool(f.q) and not all(word in item.haystack() for word in f.q.lower().split())
    if too_small or too_large or unfound:
        missed.append("other")
    return missed


def _risk(session: Session, clock: Clock, items: list[InboxItem]) -> None:
    from dunning.worklist import build_worklist

    scores = {e.customer: e.score for e in build_worklist(session, clock=clock)}
    for item in items:
        item.risk = scores.get(item.approval.customer_id or "", 0.0)


def _sort(items: list[InboxItem], how: str) -> list[InboxItem]:
    if how == "amount":
        return sorted(items, key=lambda i: (-(i.amount or Decimal(0)), i.approval.id))
    if how == "risk":
        return sorted(items, key=lambda i: (-(i.risk or 0.0), -(i.amount or 0), i.approval.id))
    if how == "newest":
        return sorted(items, key=lambda i: (i.approval.created_at, i.approval.id), reverse=True)
    return items  # already oldest first


def _counts(
    items: list[InboxItem], misses: list[list[str]]
) -> dict[str, list[tuple[str, str, int]]]:
    """Per facet: (value, label, how many match the other filters with this value)."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name in FACETS:
        tally: dict[str, int] = defaultdict(int)
        labels: dict[str, str] = {}
        for item, missed in zip(items, misses, strict=True):
            if not missed or missed == [name]:
                value = item.facet(name)
                if value:
                    tally[value] += 1
                    labels[value] = (
                        f"{item.customer_name} ({value})" if name == "customer" else value
                    )
        out[name] = sorted(
            ((v, labels[v], n) for v, n in tally.items()),
            key=lambda t: (-t[2], t[1]) if name == "customer" else (t[1],),
        )
    return out


def matching(
    session: Session, f: InboxFilter, clock: Clock
) -> tuple[list[InboxItem], list[InboxItem], list[list[str]]]:
    """(every pending non-task item, the ones ``f`` selects in ``f.sort`` order, and for
    every item the filters it fails)."""
    items = pending_items(session)
    low, high = f.amount_bounds()
    misses = [_misses(i, f, low, high) for i in items]
    chosen = [i for i, missed in zip(items, misses, strict=True) if not missed]
    if f.sort == "risk":
        _risk(session, clock, chosen)
    return items, _sort(chosen, f.sort), misses


def inbox_page(session: Session, f: InboxFilter, clock: Clock) -> InboxPage:
    """One page of the inbox with counts per filter and the cards' customer context."""
    items, chosen, misses = matching(session, f, clock)
    start = (f.page - 1) * PAGE_SIZE
    shown = chosen[start : start + PAGE_SIZE]
    add_context(session, shown, today(clock))
    return InboxPage(
        filter=f,
        items=shown,
        total=len(chosen),
        pending_total=len(items),
        counts=_counts(items, misses),
    )


def add_context(session: Session, items: list[InboxItem], day: date) -> None:
    """Balance, overdue amount and last email per customer on the page, in two queries."""
    ids = sorted({i.approval.customer_id for i in items if i.approval.customer_id})
    if not ids:
        return
    balance: dict[str, Decimal] = defaultdict(Decimal)
    overdue: dict[str, Decimal] = defaultdict(Decimal)
    count: dict[str, int] = defaultdict(int)
    currency: dict[str, str] = {}
    for cust, bal, due, cur in session.execute(
        select(Invoice.customer_id, Invoice.balance, Invoice.due_date, Invoice.currency).where(
            Invoice.customer_id.in_(ids), Invoice.balance > 0
        )
    ):
        balance[cust] += bal
        count[cust] += 1
        currency.setdefault(cust, cur)
        if due < day:
            overdue[cust] += bal
    last = dict(
        session.execute(
            select(Communication.customer_id, func.max(Communication.sent_at))
            .where(Communication.customer_id.in_(ids), Communication.direction == "out")
            .group_by(Communication.customer_id)
        ).all()
    )
    for item in items:
        cust = item.approval.customer_id
        if not cust:
            continue
        item.context = {
            "balance": balance[cust],
            "overdue": overdue[cust],
            "currency": currency.get(cust, item.currency),
            "open_count": count[cust],
            "last_contact": last[cust].date().isoformat() if last.get(cust) else None,
        }
