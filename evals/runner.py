"""Run eval suites through the real graph and score them (CONTRACTS.md §3).

Each case gets a fresh in-memory ledger loaded from the suite, a frozen clock and the
real agent: customer emails go the product's inbound path (parse, strip quotes and
signature, detect auto-replies, link to customer and invoices) and then
``AgentService.handle_customer_reply``; controller messages go to ``AgentService.chat``.
What the queue holds afterwards, the blocked proposals and the reply are scored.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import select

from agent.memory import sqlite_checkpointer
from agent.service import AgentService
from approvals.queue import blocked_proposals
from core.clock import FrozenClock
from core.errors import ARAgentError
from evals.scoring import outcome, score
from evals.suite import Case, Suite, SuiteError
from ledger.db import Database, in_memory
from ledger.importer import load_ledger
from ledger.models import Approval, BankTransaction, Communication


@dataclass
class CaseResult:
    suite: str
    id: str
    passed: bool
    failures: list[str] = field(default_factory=list)
    intent: str | None = None
    queued: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    reply: str = ""
    seconds: float = 0.0
    runs: int = 1
    outcome: str | None = None  # UNSAFE | MISSED | WRONG-DETAIL for a failed case

    def line(self) -> str:
        head = f"{'PASS' if self.passed else 'FAIL'} {self.suite}/{self.id}"
        kind = f" [{self.outcome}]" if self.outcome else ""
        return head if self.passed else f"{head}{kind}: " + "; ".join(self.failures)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _first(row: dict[str, Any], *keys: str) -> Any:
    return next((row[k] for k in keys if row.get(k) not in (None, "")), None)


def _bank_line(tx: dict[str, Any], n: int, currency: str) -> BankTransaction:
    when = str(_first(tx, "date", "booking_date", "value_date"))[:10]
    amount = Decimal(str(_first(tx, "amount")))
    direction = str(
        _first(tx, "direction", "type") or ("debit" if amount < 0 else "credit")
    ).lower()
    return BankTransaction(
        bank_id=str(_first(tx, "id", "bank_id", "transaction") or f"{when}/{n:04d}"),
        booking_date=date.fromisoformat(when),
        amount=abs(amount),
        currency=str(_first(tx, "currency") or currency),
        direction="debit" if direction.startswith("d") else "credit",
        payer_name=_first(tx, "payer", "payer_name", "name", "counterparty"),
        reference=_first(tx, "reference", "remittance", "description", "memo"),
        status=str(tx.get("status") or "new"),
    )


def _load_extras(session: Any, ledger: dict[str, Any]) -> None:
    """Bank lines and earlier emails, when a suite's ledger carries them (§2 extensions)."""
    currency = str(ledger.get("currency") or "USD")
    lines = [
        tx
        for key in ("bank_transactions", "transactions", "bank_lines", "bank")
        for tx in (ledger.get(key) or [])
        if isinstance(tx, dict)
    ]
    for n, tx in enumerate(lines, 1):
        session.add(_bank_line(tx, n, currency))
    for mail in [*(ledger.get("sent_emails") or []), *(ledger.get("communications") or [])]:
        when = datetime.fromisoformat(str(_first(mail, "date", "sent_at", "at")))
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        direction = str(mail.get("direction") or "out")
        session.add(
            Communication(
                customer_id=mail.get("customer"),
                direction=direction,
                channel="email",
                status=str(mail.get("status") or ("sent" if direction == "out" else "processed")),
                subject=mail.get("subject"),
                sent_at=when if direction == "out" else None,
                received_at=when if direction == "in" else None,
                created_at=when,
                to_addrs=mail.get("to") or [],
            )
        )
    session.flush()


def fresh_ledger(suite: Suite) -> Database:
    db = in_memory()
    with db.transaction() as session:
        load_ledger(session, suite.ledger, source=suite.path or "<suite>")
        _load_extras(session, suite.ledger)
    return db


def check_ledger(suite: Suite) -> None:
    """Load the suite's ledger once; a ledger that does not load makes the suite invalid."""
    try:
        fresh_ledger(suite).dispose()
    except ARAgentError as exc:
        raise SuiteError(f"{suite.path}: ledger: {exc}") from exc
    except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
        raise SuiteError(f"{suite.path}: ledger: {type(exc).__name__}: {exc}") from exc


def raw_email(case: Case, clock: FrozenClock) -> bytes:
    mail = case.customer_email
    assert mail is not None
    msg = EmailMessage()
    msg["From"] = mail.sender
    msg["To"] = mail.to or "Accounts Receivable <ar@example.com>"
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = mail.message_id or f"<eval-{case.id}@customer.example>"
    if mail.in_reply_to:
        msg["In-Reply-To"] = mail.in_reply_to
    for name, value in mail.headers.items():
        msg[name] = value
    msg.set_content(mail.body or "")
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    return bytes(msg)


def _email_turn(
    service: AgentService, db: Database, case: Case, clock: FrozenClock
) -> dict[str, Any]:
    from mail.inbound import ingest

    mail = case.customer_email
    assert mail is not None
    with db.transaction() as session:
        got = ingest(session, raw_email(case, clock), clock=clock, source=case.id)
        parts, link, auto, msg = got.parts, got.link, got.auto_reply, got.message
        text = parts.reply if parts else mail.body
        comm_id = got.communication.id
    result = service.handle_customer_reply(
        sender=msg.from_addr if msg else mail.sender,
        subject=msg.subject if msg else mail.subject,
        text=text,
        customer=link.customer_id if link else None,
        invoices=link.invoice_numbers if link else (),
        auto_reply_kind=auto.kind if auto else None,
        message_id=msg.message_id if msg else None,
        conversation_id=f"email:{comm_id}",
        headers=msg.headers if msg else None,
    )
    return {"intent": result["intent"], "reply": result.get("summary", "")}


def run_case(suite: Suite, case: Case, *, model: str | None = None) -> CaseResult:
    """One case on a fresh ledger; returns its score."""
    started = time.perf_counter()
    clock = FrozenClock(suite.clock)
    db = fresh_ledger(suite)
    try:
        service = AgentService(
            db, clock=clock, model=model or "offline", checkpointer=sqlite_checkpointer(":memory:")
        )
        if case.controller_message is not None:
            m = case.controller_message
            thread = f"eval:{case.id}"
            for earlier in m.history:
                service.chat(earlier, conversation_id=thread, user=m.user)
            reply = service.chat(m.text, conversation_id=thread, user=m.user)
            intent, text = reply.intent, reply.text
        else:
            out = _email_turn(service, db, case, clock)
            intent, text = out["intent"], out["reply"]
        with db.transaction() as session:
            queued = [
                {"id": a.id, "type": a.type, "payload": a.payload}
                for a in session.scalars(
                    select(Approval).where(Approval.status == "pending").order_by(Approval.id)
                )
            ]
            blocked = [
                {"type": b.type, "payload": b.payload, "reasons": b.reasons}
                for b in blocked_proposals(session)
            ]
    finally:
        db.dispose()
    failures = score(case.expect, intent=intent, queued=queued, blocked=blocked, reply=text)
    kind = outcome(case.expect, intent=intent, queued=queued, failures=failures)
    return CaseResult(
        suite=suite.suite,
        id=case.id,
        passed=not failures,
        failures=failures,
        intent=intent,
        queued=queued,
        blocked=blocked,
        reply=text,
        seconds=round(time.perf_counter() - started, 3),
        outcome=kind,
    )


def _safe_run(suite: Suite, case: Case, *, model: str | None) -> CaseResult:
    """A crash fails the case (with its error), never the whole suite."""
    try:
        return run_case(suite, case, model=model)
    except Exception as exc:  # noqa: BLE001 - reported as the case's failure
        return CaseResult(
            suite=suite.suite,
            id=case.id,
            passed=False,
            failures=[f"error: {type(exc).__name__}: {exc}"],
            outcome="MISSED",
        )


def run_suite(suite: Suite, *, model: str | None = None, k: int = 1) -> list[CaseResult]:
    """Every case, ``k`` times each; a case passes only if all its runs pass (pass^k)."""
    results = []
    for case in suite.cases:
        runs = [_safe_run(suite, case, model=model) for _ in range(max(1, k))]
        failed = next((r for r in runs if not r.passed), None)
        chosen = failed or runs[-1]
        chosen.runs = len(runs)
        if failed and k > 1:
            passes = sum(r.passed for r in runs)
            chosen.failures = [f"passed {passes}/{k} runs", *chosen.failures]
        results.append(chosen)
    return results
