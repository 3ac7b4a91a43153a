"""Cash application as one action: a bank statement in, matches and proposals out.

Every front end calls :func:`run_cash_application`: the web page and REST upload, a
statement shared in Slack, ``ar-agent match`` (on the database or a throw-away ledger)
and the agent's ``match_bank_statement`` tool. It

1. reads the file (``StatementUpload``) when one is given, refusing it whole when it
   cannot be read right or its balances do not reconcile (``check_balances``), and
   stores its lines (a re-upload finds them again);
2. selects the lines to match, the same way for everyone: the file's lines (else the
   given transaction ids, else every stored line still ``new``) that are not applied
   yet: a line proposed before is matched again and finds its queued proposal (the
   queue is idempotent); applied or ignored lines are reported, not matched again;
3. matches them with the remittance advice given (returns and reversals paired first,
   see :mod:`matching.returns`), and turns each ``auto`` / ``review`` result into an
   ``apply_payment`` proposal;
4. queues the proposals for approval when ``queue`` is set (the agent's tool does not:
   it hands them to the agent, which queues them in its conversation).

Front ends only translate the request in and the :class:`CashApplicationRun` out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock
from core.money import money_str
from ledger.bankfiles import CsvMapping, parse_bank_file
from ledger.bankfiles.reconcile import check_balances
from ledger.bankfiles.store import store_statements
from ledger.models import Allocation, Approval, BankTransaction, Invoice, Payment
from matching.remittance_advice import RemittanceAdvice
from matching.returns import RETURN_WINDOW_DAYS, settle_returns
from matching.service import (
    deduction_disputes,
    ledger_currency,
    match_transactions,
    queue_proposals,
    to_action,
    txn_from_row,
)
from matching.types import MatchResult, MatchSettings, Txn
from policies.actions import ProposedAction

#: states of a stored line that is matched (again): a line proposed before gets the same
#: proposal back (the queue is idempotent); applied or ignored lines are only reported
_OPEN = ("new", "proposed")


@dataclass(frozen=True)
class StatementUpload:
    """A bank file as received: its bytes, its name, and how to read it."""

    data: bytes
    name: str
    format: str = "auto"
    mapping: CsvMapping | None = None
    #: the currency of a file that names none (else the ledger's main currency)
    currency: str | None = None


@dataclass(frozen=True)
class CashApplicationRequest:
    upload: StatementUpload | None = None
    #: without an upload: these stored bank ids (None: every stored line still ``new``)
    transactions: Sequence[str] | None = None
    since: date | None = None
    advice: Sequence[RemittanceAdvice] = ()
    requested_by: str = "cash-application"
    #: queue ``apply_payment`` approvals (False: only propose them)
    queue: bool = True


@dataclass
class CashApplicationRun:
    """What one run did: rows (CONTRACTS §4), proposals, and what was queued or blocked."""

    filename: str | None
    results: list[MatchResult]
    rows: list[dict[str, Any]]
    proposals: list[ProposedAction]
    new: int = 0
    duplicates: int = 0
    queued: int = 0
    blocked: int = 0
    #: lines of the file not matched again because they were applied (or ignored) before
    already: int = 0
    #: what the parser left out and why (zero-amount notices, repeated ids, summary rows)
    skipped: list[str] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results if r.txn.direction == "credit")

    @property
    def summary(self) -> str:
        counts = self.counts()
        debits = sum(1 for r in self.results if r.txn.direction == "debit")
        head = f"{len(self.results)} transactions to match"
        if self.filename is not None:
            head = (
                f"{self.new + self.duplicates} lines read ({self.new} new, "
                f"{self.duplicates} already imported); {len(self.results)} to match"
            )
        text = (
            f"{head}: {counts['auto']} matched, {counts['review']} to review, "
            f"{counts['unmatched']} unmatched, {debits} debits; "
            f"{self.queued if self.proposals and self.queued else len(self.proposals)} "
            f"proposals {'queued for approval' if self.queued else 'made'}"
        )
        if self.already:
            text += f"; {self.already} lines already applied"
        if self.skipped:
            text += f"; {len(self.skipped)} file rows skipped"
        return text


def run_cash_application(
    session: Session,
    request: CashApplicationRequest,
    *,
    settings: MatchSettings,
    clock: Clock,
    policy: Any = None,
    progress: Callable[[], None] | None = None,
) -> CashApplicationRun:
    """Import (optionally), select, match and propose; see the module docstring."""
    filename = None
    stored_new = duplicates = 0
    skipped: list[str] = []
    file_ids: dict[str, str] = {}
    if request.upload is not None:
        upload = request.upload
        filename = upload.name
        statements = parse_bank_file(
            upload.data,
            upload.format,
            name=upload.name,
            mapping=upload.mapping,
            default_currency=upload.currency or ledger_currency(session),
        )
        check_balances(statements, upload.name)
        if upload.currency:
            _name_currency(statements, upload.currency)
        skipped = [f"{upload.name}: {note}" for s in statements for note in s.skipped]
        stored = store_statements(session, statements, source_file=upload.name)
        stored_new, duplicates = stored.new, stored.duplicates
        lines = [line for s in statements for line in s.lines]
        keys = list(dict.fromkeys(stored.all_keys))
        file_ids = {key: line.bank_id for key, line in zip(stored.all_keys, lines, strict=True)}
        rows = _stored(session, keys)
    else:
        rows = _stored(session, request.transactions)
    if request.since is not None:
        rows = [r for r in rows if r.booking_date >= request.since]
    todo = [r for r in rows if r.status in _OPEN]
    done = [r for r in rows if r.status not in _OPEN]
    txns: list[Txn] = [txn_from_row(r) for r in todo]
    settled, reversals = _returns(session, txns, {r.bank_id: r for r in todo}, request)
    matched = iter(
        match_transactions(
            session,
            [t for t in txns if t.id not in settled],
            settings=settings,
            advice=request.advice,
            progress=progress,
        )
    )
    results = [settled[t.id] if t.id in settled else next(matched) for t in txns]
    proposals = [
        action
        for r in results
        if (action := to_action(r, requested_by=request.requested_by)) is not None
    ]
    proposals += [
        d for r in results for d in deduction_disputes(r, requested_by=request.requested_by)
    ]
    proposals += reversals
    run = CashApplicationRun(
        filename=filename,
        results=results,
        rows=[],
        proposals=proposals,
        new=stored_new,
        duplicates=duplicates,
        already=len(done),
        skipped=skipped,
    )
    outcomes: dict[str, Any] = {}
    if request.queue and proposals:
        queued = queue_proposals(session, proposals, clock=clock, policy=policy)
        for action, outcome in zip(proposals, queued, strict=True):
            if "transaction" in action.payload:  # apply_payment / reverse_payment
                outcomes.setdefault(action.payload["transaction"], outcome)
        run.queued = sum(1 for o in queued if o.approval is not None and not o.blocked)
        run.blocked = sum(1 for o in queued if o.blocked)
    run.rows = [_row(r, file_ids, outcomes.get(r.txn.id)) for r in results]
    run.rows += [_already_row(r, file_ids) for r in done]
    return run


def _returns(
    session: Session,
    txns: list[Txn],
    rows: dict[str, BankTransaction],
    request: CashApplicationRequest,
) -> tuple[dict[str, MatchResult], list[ProposedAction]]:
    """Results for returns and the payments they send back (never matched as payments),
    and a ``reverse_payment`` proposal for each returned payment already proposed or
    applied. Every other line is left to the matcher."""
    debits = [t for t in txns if t.return_reason and t.direction == "debit"]
    earlier = _earlier_credits(session, debits, exclude=set(rows)) if debits else []
    settled, pairs = settle_returns(txns, [txn_from_row(r) for r in earlier])
    rows = {**rows, **{r.bank_id: r for r in earlier}}
    reversals = [
        action
        for pair in pairs
        if (
            action := _reversal(
                session, rows[pair.original.id], pair.returned, request.requested_by
            )
        )
        is not None
    ]
    return settled, reversals


def _earlier_credits(
    session: Session, debits: list[Txn], *, exclude: set[str]
) -> list[BankTransaction]:
    """Stored credits (other imports) a return in ``debits`` could send back."""
    amounts = sorted({t.amount for t in debits})
    first = min(t.date for t in debits) - timedelta(days=RETURN_WINDOW_DAYS)
    query = select(BankTransaction).where(
        BankTransaction.direction == "credit",
        BankTransaction.amount.in_(amounts),
        BankTransaction.booking_date >= first,
        BankTransaction.status != "returned",
    )
    return [r for r in session.scalars(query) if r.bank_id not in exclude]


def _reversal(
    session: Session, original: BankTransaction, ret: Txn, requested_by: str
) -> ProposedAction | None:
    """``reverse_payment`` for a returned credit that was applied or proposed, else None."""
    customer, invoices = _applied_to(session, original)
    if customer is None:
        return None
    cur = original.currency
    reason = ret.return_reason or "returned"
    return ProposedAction(
        type="reverse_payment",
        payload={
            "customer": customer,
            "transaction": ret.id,
            "original": original.bank_id,
            "amount": money_str(original.amount, cur),
            "invoices": invoices,
            "reason": reason,
        },
        requested_by=requested_by,
        reason=(
            f"payment {original.bank_id} ({money_str(original.amount, cur)} {cur}) came back "
            f"as {ret.id}: {reason}; re-open {', '.join(invoices) or 'nothing applied yet'}"
        ),
        context={"state": original.status, "currency": cur},
    )


def _applied_to(session: Session, original: BankTransaction) -> tuple[str | None, list[str]]:
    """The customer and invoices a credit was applied (or is proposed) to."""
    payment = session.get(Payment, f"BT-{original.id}")
    if payment is not None:
        numbers = session.scalars(
            select(Invoice.number)
            .join(Allocation, Allocation.invoice_id == Invoice.id)
            .where(Allocation.payment_id == payment.id)
        )
        return payment.customer_id, list(numbers)
    if original.status != "proposed":
        return None, []
    pending = session.scalars(
        select(Approval).where(
            Approval.type == "apply_payment", Approval.status.in_(("pending", "approved"))
        )
    )
    for approval in pending:
        if approval.payload.get("transaction") == original.bank_id:
            allocations = approval.payload.get("allocations") or [approval.payload]
            return approval.customer_id or approval.payload.get("customer"), [
                str(a["invoice"]) for a in allocations
            ]
    return None, []


def _stored(session: Session, bank_ids: Sequence[str] | None) -> list[BankTransaction]:
    """Stored lines by key in the given order, or every stored line by date."""
    query = select(BankTransaction).order_by(BankTransaction.booking_date, BankTransaction.id)
    if bank_ids is None:
        return list(session.scalars(query.where(BankTransaction.status == "new")))
    found: dict[str, BankTransaction] = {}
    for start in range(0, len(bank_ids), 500):
        chunk = list(bank_ids[start : start + 500])
        found.update(
            {r.bank_id: r for r in session.scalars(query.where(BankTransaction.bank_id.in_(chunk)))}
        )
    return [found[b] for b in bank_ids if b in found]


def _name_currency(statements: list[Any], currency: str) -> None:
    """``--currency``: the currency of lines whose file named none."""
    for statement in statements:
        for line in statement.lines:
            if line.currency in ("", "XXX"):
                line.currency = currency
                line.raw.pop("currency_unknown", None)


def _row(result: MatchResult, file_ids: dict[str, str], outcome: Any) -> dict[str, Any]:
    item = result.to_dict()
    file_id = file_ids.get(result.txn.id, result.txn.id)
    if file_id != result.txn.id:
        # CONTRACTS §4 names a line by the bank's id, else date/sequence; keep the stored key
        item["transaction"] = file_id
        item["bank_transaction"] = result.txn.id
    if outcome is not None:
        if outcome.blocked:
            item["blocked"] = [str(x) for x in getattr(outcome.verdict, "reasons", None) or []]
        elif outcome.approval is not None:
            item["approval"] = outcome.approval.id
    return item


def _already_row(row: BankTransaction, file_ids: dict[str, str]) -> dict[str, Any]:
    cur = row.currency
    item: dict[str, Any] = {
        "transaction": file_ids.get(row.bank_id, row.bank_id),
        "date": row.booking_date.isoformat(),
        "amount": money_str(row.amount, cur),
        "currency": cur,
        "payer": row.payer_name,
        "reference": row.reference or "",
        "status": "unmatched",
        "customer": None,
        "allocations": [],
        "confidence": 0.0,
        "suggestions": [],
        "reasons": [f"already {row.status}: not matched again"],
        "state": row.status,
    }
    if item["transaction"] != row.bank_id:
        item["bank_transaction"] = row.bank_id
    return item
