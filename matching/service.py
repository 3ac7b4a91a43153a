"""DB glue for cash application: ledger rows in, engine results and ``apply_payment`` proposals out.

Reads open invoices and customer profiles (names, aliases, contact domains, and the
payer names and accounts of earlier applied payments) from a Session, runs the pure
:class:`~matching.engine.Matcher` over bank lines, and turns ``auto`` / ``review``
results into :class:`~policies.actions.ProposedAction` objects. Queueing goes through
``approvals.queue.propose``; nothing here writes money.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import Clock
from core.money import money_str
from ledger.bankfiles.model import StatementLine
from ledger.models import BankTransaction, Contact, Customer, Invoice, Payment
from matching.engine import Matcher
from matching.names import name_tokens
from matching.payers import effective_payer
from matching.remittance_advice import RemittanceAdvice
from matching.types import CustomerProfile, MatchResult, MatchSettings, OpenItem, Txn
from policies.actions import ProposedAction


def load_open_items(session: Session) -> list[OpenItem]:
    """Every invoice with a balance: open invoices, and open credit notes (negative)."""
    rows = session.execute(
        select(
            Invoice.number,
            Invoice.customer_id,
            Invoice.balance,
            Invoice.currency,
            Invoice.due_date,
            Invoice.po_number,
            Invoice.amount,
            Invoice.issue_date,
        ).where(Invoice.balance != 0)
    )
    return [OpenItem(*row) for row in rows]


def load_profiles(session: Session) -> list[CustomerProfile]:
    """Customers with aliases, contact domains and the payers of their past applied payments."""
    profiles = {
        c.id: CustomerProfile(c.id, c.name, list(c.aliases or []), parent=_parent(c.extra, c.id))
        for c in session.scalars(select(Customer))
    }
    for customer_id, email in session.execute(select(Contact.customer_id, Contact.email)):
        domain = email.rsplit("@", 1)[-1].lower() if email and "@" in email else None
        p = profiles.get(customer_id)
        if p and domain and domain not in p.domains:
            p.domains.append(domain)
    past = session.execute(
        select(
            Payment.customer_id,
            Payment.payer_name,
            BankTransaction.payer_name,
            BankTransaction.payer_account,
        ).outerjoin(BankTransaction, BankTransaction.id == Payment.bank_transaction_id)
    )
    names: dict[str, set[str]] = defaultdict(set)
    accounts: dict[str, set[str]] = defaultdict(set)
    for customer_id, pay_name, bank_name, bank_account in past:
        # an approver's decision links this payer to the customer; an AP platform's name
        # is not learned (it pays for many customers), only who it paid for
        for name in (pay_name, bank_name):
            learned = effective_payer(name)[0] if name else None
            if learned and name_tokens(learned):
                names[customer_id].add(learned)
        if bank_account:
            accounts[customer_id].add(bank_account)
    for cid, p in profiles.items():
        p.past_payers = sorted(names.get(cid, ()))
        p.accounts = sorted(accounts.get(cid, ()))
    return list(profiles.values())


def _parent(extra: dict[str, Any] | None, own: str) -> str | None:
    """The ledger's ``parent`` customer id (kept in ``Customer.extra``), if any."""
    parent = (extra or {}).get("parent")
    return str(parent) if parent and str(parent) != own else None


def build_matcher(
    session: Session, settings: MatchSettings | None = None, advice: Iterable[RemittanceAdvice] = ()
) -> Matcher:
    """A matcher over the session's open items and customer profiles."""
    return Matcher(load_open_items(session), load_profiles(session), settings, advice)


def fx_evidence(raw: dict[str, Any]) -> dict[str, Any]:
    """``Txn`` fields from what a bank line said about another currency."""
    out: dict[str, Any] = {}
    if raw.get("instructed_amount") and raw.get("instructed_currency"):
        out["instructed"] = (
            Decimal(str(raw["instructed_amount"])),
            str(raw["instructed_currency"]),
        )
    exchange = raw.get("exchange")
    if isinstance(exchange, dict) and exchange.get("rate"):
        out["exchange"] = (
            Decimal(str(exchange["rate"])),
            exchange.get("source"),
            exchange.get("target"),
        )
    return out


def txn_from_line(line: StatementLine) -> Txn:
    return Txn(
        id=line.bank_id,
        date=line.booking_date,
        amount=line.amount,
        currency=line.currency,
        direction=line.direction,
        payer=line.payer_name,
        reference=" ".join(
            p for p in (line.reference, line.end_to_end_id) if p and p != "NOTPROVIDED"
        ),
        payer_account=line.payer_account,
        return_reason=line.raw.get("return"),
        **fx_evidence(line.raw),
    )


def txn_from_row(row: BankTransaction) -> Txn:
    direction: Literal["credit", "debit"] = "debit" if row.direction == "debit" else "credit"
    return Txn(
        id=row.bank_id,
        date=row.booking_date,
        amount=row.amount,
        currency=row.currency,
        direction=direction,
        payer=row.payer_name,
        reference=" ".join(
            p for p in (row.reference, row.end_to_end_id) if p and p != "NOTPROVIDED"
        ),
        payer_account=row.payer_account,
        return_reason=(row.raw or {}).get("return"),
        **fx_evidence(row.raw or {}),
    )


def ledger_currency(session: Session) -> str | None:
    """The currency most of the ledger's invoices are in (ties: alphabetical), if any."""
    row = session.execute(
        select(Invoice.currency, func.count().label("n"))
        .group_by(Invoice.currency)
        .order_by(func.count().desc(), Invoice.currency)
        .limit(1)
    ).first()
    return row[0] if row else None


def match_transactions(
    session: Session,
    txns: Sequence[Txn],
    *,
    settings: MatchSettings | None = None,
    advice: Iterable[RemittanceAdvice] = (),
    progress: Callable[[], None] | None = None,
) -> list[MatchResult]:
    """Match ``txns`` against the session's ledger.

    A line whose file named no currency (``XXX``) is read in the ledger's main currency.
    """
    matcher = build_matcher(session, settings, advice)
    main = Counter(it.currency for it in matcher.index.items).most_common(1)
    if main:
        txns = [replace(t, currency=main[0][0]) if t.currency in ("", "XXX") else t for t in txns]
    return matcher.match_all(txns, progress)


def pending_transactions(session: Session, *, bank_ids: Sequence[str] | None = None) -> list[Txn]:
    """Stored bank transactions still to apply (status ``new``), or exactly ``bank_ids``."""
    query = select(BankTransaction).order_by(BankTransaction.booking_date, BankTransaction.id)
    if bank_ids is None:
        query = query.where(BankTransaction.status == "new")
        return [txn_from_row(r) for r in session.scalars(query)]
    rows: dict[str, BankTransaction] = {}
    for start in range(0, len(bank_ids), 500):
        chunk = list(bank_ids[start : start + 500])
        rows.update(
            {r.bank_id: r for r in session.scalars(query.where(BankTransaction.bank_id.in_(chunk)))}
        )
    return [txn_from_row(rows[b]) for b in bank_ids if b in rows]


def to_action(
    result: MatchResult, *, requested_by: str = "cash-application"
) -> ProposedAction | None:
    """The ``apply_payment`` proposal for an ``auto`` / ``review`` result (None otherwise)."""
    if result.status == "unmatched" or not result.allocations or result.customer is None:
        return None
    cur = result.txn.currency
    total = result.allocated
    allocations = [
        {"invoice": a.invoice, "amount": money_str(a.amount, cur)} for a in result.allocations
    ]
    reason = f"{result.status} match, confidence {result.confidence:.2f}: " + "; ".join(
        result.reasons
    )
    context: dict[str, Any] = {
        "status": result.status,
        "confidence": round(result.confidence, 4),
        "payer": result.txn.payer,
        "reference": result.txn.reference,
        "transaction_amount": money_str(result.txn.amount, cur),
        "currency": cur,
        "suggestions": [s.to_dict(cur) for s in result.suggestions],
    }
    if result.short_by is not None:
        context["short_pay"] = money_str(result.short_by, cur)
        reason += (
            f"; SHORT-PAY {money_str(result.short_by, cur)} {cur} stays open (not written off)"
        )
    if result.unapplied is not None:
        context["unapplied"] = money_str(result.unapplied, cur)
    payload: dict[str, Any] = {
        "transaction": result.txn.id,
        "customer": result.customer,
        "invoice": result.allocations[0].invoice,
        "amount": money_str(total, cur),
        "allocations": allocations,
    }
    if result.deductions:
        context["deductions"] = [d.to_dict(cur) for d in result.deductions]
        allowed = [d.to_dict(cur) for d in result.deductions if d.within_policy]
        if allowed:  # closed with the payment: the approver sees the typed line on the card
            payload["deductions"] = [
                {k: d[k] for k in ("type", "invoice", "amount", "reason")} for d in allowed
            ]
            reason += "; deduction " + ", ".join(f"{d['type']} {d['amount']}" for d in allowed)
    if result.fx is not None:
        payload["fx"] = result.fx
        context["fx"] = result.fx
    return ProposedAction(
        type="apply_payment",
        payload=payload,
        requested_by=requested_by,
        reason=reason,
        context=context,
    )


def deduction_disputes(
    result: MatchResult, *, requested_by: str = "cash-application"
) -> list[ProposedAction]:
    """An ``open_dispute`` for each deduction no policy rule explains: a short payment to
    resolve, with the owner the policy names."""
    if result.status == "unmatched" or result.customer is None:
        return []
    cur = result.txn.currency
    out = []
    for d in result.deductions:
        if d.within_policy:
            continue
        out.append(
            ProposedAction(
                type="open_dispute",
                payload={
                    "customer": result.customer,
                    "invoice": d.invoice,
                    "reason": "short_payment",
                    "detail": f"paid {money_str(d.amount, cur)} {cur} short by transaction "
                    f"{result.txn.id}: deduction to resolve (owner {d.owner})",
                },
                requested_by=requested_by,
                reason=f"deduction to resolve: {money_str(d.amount, cur)} {cur} short on {d.invoice}",
                context={"deduction": d.to_dict(cur), "owner": d.owner},
            )
        )
    return out


def to_actions(
    results: Iterable[MatchResult], *, requested_by: str = "cash-application"
) -> list[ProposedAction]:
    """One ``apply_payment`` per matched (auto or review) transaction."""
    return [a for r in results if (a := to_action(r, requested_by=requested_by)) is not None]


def queue_proposals(
    session: Session,
    results_or_actions: Iterable[MatchResult] | Sequence[ProposedAction],
    *,
    clock: Clock,
    policy: Any = None,
) -> list[Any]:
    """Queue each proposal (or each result's) for approval; mark queued transactions
    ``proposed``."""
    from approvals.queue import propose_many  # approvals sits above matching: a real cycle

    items = list(results_or_actions)
    actions = [a for a in items if isinstance(a, ProposedAction)] or to_actions(
        r for r in items if isinstance(r, MatchResult)
    )
    outcomes = propose_many(session, actions, clock=clock, policy=policy)
    queued = [
        str(a.payload["transaction"])
        for a, o in zip(actions, outcomes, strict=True)
        if not o.blocked and "transaction" in a.payload
    ]
    for start in range(0, len(queued), 500):
        rows = session.scalars(
            select(BankTransaction).where(BankTransaction.bank_id.in_(queued[start : start + 500]))
        )
        for row in rows:
            if row.status == "new":
                row.status = "proposed"
    session.flush()
    return outcomes
