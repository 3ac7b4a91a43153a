"""The ledger's tables, as SQLAlchemy 2.x typed models.

Customers, contacts, invoices, payments and their allocations, bank transactions,
promises to pay, disputes, payment plans with instalments, dunning holds,
communications (every email in and out), the approval queue and its append-only audit
log. Money columns are :class:`~ledger.types.Amount` (``Decimal``), timestamps are
timezone-aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ledger.types import Amount, UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {
        Decimal: Amount(),
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[Any]: JSON(),
    }


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Customer(Timestamped, Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    aliases: Mapped[list[str]] = mapped_column(default=list)
    terms_days: Mapped[int] = mapped_column(default=30)
    credit_limit: Mapped[Decimal | None]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[str] = mapped_column(String(8), default="en")
    insolvent: Mapped[bool] = mapped_column(default=False)
    credit_hold: Mapped[bool] = mapped_column(default=False)
    owner: Mapped[str | None] = mapped_column(String(64))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )
    invoices: Mapped[list[Invoice]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )


class Contact(Timestamped, Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    primary: Mapped[bool] = mapped_column(default=False)
    opt_out: Mapped[bool] = mapped_column(default=False)
    # Set when mail to this address was refused for good (5xx at RCPT, a bounce report):
    # no more mail goes to it until a person clears it.
    bounced_at: Mapped[datetime | None]
    bounce_reason: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship(back_populates="contacts")

    @property
    def domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()

    @property
    def mailable(self) -> bool:
        """Neither opted out nor bouncing."""
        return not self.opt_out and self.bounced_at is None


class Invoice(Timestamped, Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal]
    balance: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    po_number: Mapped[str | None] = mapped_column(String(64), index=True)
    document_path: Mapped[str | None] = mapped_column(String(1024))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    customer: Mapped[Customer] = relationship(back_populates="invoices")

    __table_args__ = (Index("ix_invoices_customer_balance", "customer_id", "balance"),)

    @property
    def is_open(self) -> bool:
        return self.balance > 0


class Payment(Timestamped, Base):
    __tablename__ = "payments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    reference: Mapped[str | None] = mapped_column(Text)
    payer_name: Mapped[str | None] = mapped_column(String(255))
    bank_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("bank_transactions.id"), index=True
    )

    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="payment", cascade="all, delete-orphan"
    )


class Allocation(Timestamped, Base):
    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[str] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal]

    payment: Mapped[Payment] = relationship(back_populates="allocations")
    invoice: Mapped[Invoice] = relationship()


class BankTransaction(Timestamped, Base):
    """One line of an imported bank statement. ``amount`` is positive; ``direction`` says which way."""

    __tablename__ = "bank_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[str] = mapped_column(String(255), unique=True)
    account: Mapped[str | None] = mapped_column(String(64))
    booking_date: Mapped[date] = mapped_column(Date, index=True)
    value_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    direction: Mapped[str] = mapped_column(String(6))  # credit | debit
    payer_name: Mapped[str | None] = mapped_column(String(255))
    payer_account: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[str | None] = mapped_column(Text)
    end_to_end_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="new")  # new|proposed|applied|ignored
    source_file: Mapped[str | None] = mapped_column(String(1024))
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)


promise_invoices = Table(
    "promise_invoices",
    Base.metadata,
    Column("promise_id", ForeignKey("promises.id", ondelete="CASCADE"), primary_key=True),
    Column("invoice_id", ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True),
)


class Promise(Timestamped, Base):
    """A promise to pay. Status: open, kept, broken, cancelled."""

    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None]
    status: Mapped[str] = mapped_column(String(16), default="open")
    source: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)

    invoices: Mapped[list[Invoice]] = relationship(secondary=promise_invoices)


class Dispute(Timestamped, Base):
    """An open or resolved dispute on one invoice."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    opened: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolved_on: Mapped[date | None] = mapped_column(Date)

    invoice: Mapped[Invoice] = relationship()


plan_invoices = Table(
    "payment_plan_invoices",
    Base.metadata,
    Column("plan_id", ForeignKey("payment_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("invoice_id", ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True),
)


class PaymentPlan(Timestamped, Base):
    """An agreed payment plan. Status: active, completed, defaulted, cancelled."""

    __tablename__ = "payment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="active")
    down_payment: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")

    invoices: Mapped[list[Invoice]] = relationship(secondary=plan_invoices)
    installments: Mapped[list[Installment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Installment.seq"
    )


class Installment(Timestamped, Base):
    __tablename__ = "installments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("payment_plans.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal]
    paid_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))

    plan: Mapped[PaymentPlan] = relationship(back_populates="installments")


class DunningHold(Timestamped, Base):
    """No dunning for a customer (``invoice_id`` NULL) or one invoice until ``until``."""

    __tablename__ = "dunning_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)


communication_invoices = Table(
    "communication_invoices",
    Base.metadata,
    Column(
        "communication_id", ForeignKey("communications.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("invoice_id", ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True),
)


class Communication(Timestamped, Base):
    """Every email in and out (and Slack notes). Outbound rows double as the outbox.

    ``status`` for outbound: outbox → sending → submitting → sent | failed |
    delivery_unknown (→ outbox when a person resends, closed when they close it);
    inbound: received, processed, escalated, duplicate. ``meta["recipients"]`` holds
    each recipient's SMTP answer when one was refused.
    """

    __tablename__ = "communications"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(8))  # in | out
    channel: Mapped[str] = mapped_column(String(16), default="email")
    status: Mapped[str] = mapped_column(String(16), index=True)
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[str | None] = mapped_column(Text)
    thread_token: Mapped[str | None] = mapped_column(String(64), index=True)
    from_addr: Mapped[str | None] = mapped_column(String(998))
    to_addrs: Mapped[list[str]] = mapped_column(default=list)
    cc_addrs: Mapped[list[str]] = mapped_column(default=list)
    subject: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(32))
    stage: Mapped[str | None] = mapped_column(String(16))
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)

    invoices: Mapped[list[Invoice]] = relationship(secondary=communication_invoices)


class Approval(Timestamped, Base):
    """One proposed action waiting for a human.

    Status: pending → approved → executed | failed; pending → rejected | expired |
    superseded (a newer pending proposal for the same thing, ``superseded_by``).
    ``payload`` holds the CONTRACTS.md §3 fields of ``type``.
    """

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    requested_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checks: Mapped[list[Any]] = mapped_column(default=list)
    run_id: Mapped[str | None] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    approvals_by: Mapped[list[str]] = mapped_column(default=list)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    edits: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    executed_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"))

    __table_args__ = (Index("ix_approvals_status_created", "status", "created_at"),)


class AuditEvent(Base):
    """Append-only log of every queue transition and every blocked proposal."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    event: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MailboxState(Base):
    """Where the IMAP poller is in one mailbox: its UIDVALIDITY and the last UID ingested."""

    __tablename__ = "mailbox_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(512), unique=True)  # user@host:port/name
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    failing_uid: Mapped[int | None] = mapped_column(BigInteger)
    failures: Mapped[int] = mapped_column(default=0)
    polled_at: Mapped[datetime | None]


class KeyValue(Base):
    """Small durable settings and markers (last dunning run, demo seed version)."""

    __tablename__ = "kv"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128))
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)


class EscalationTask(Timestamped, Base):
    """A human's work on an ``escalate`` approval: who has it, notes, snooze, outcome.

    The approval stays the record of what the agent asked for; resolving the task
    executes it (an escalation's only effect is the notice) with the outcome as note.
    """

    __tablename__ = "escalation_tasks"

    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id"), primary_key=True)
    assignee: Mapped[str | None] = mapped_column(String(128), index=True)
    snoozed_until: Mapped[date | None]
    comments: Mapped[list[Any]] = mapped_column(default=list)
    outcome: Mapped[str | None] = mapped_column(String(32))
    resolved_by: Mapped[str | None] = mapped_column(String(128))
    resolved_at: Mapped[datetime | None]


class SuggestionDecision(Base):
    """What a human decided about a suggestion learnt from edits: dismissed or applied."""

    __tablename__ = "suggestion_decisions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approvals.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class User(Timestamped, Base):
    """A person who signs in: a role, and the credentials that prove who they are.

    Roles: ``viewer`` < ``controller`` < ``approver`` < ``admin`` (``accounts.roles``).
    ``password_hash`` is argon2 (None: password sign-in off); ``slack_user_id`` maps Slack
    clicks to this account; ``email`` matches an OpenID Connect sign-in.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(default=False)


class ApiToken(Base):
    """A per-user API token; only its SHA-256 is kept, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(128), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the cookie holds a random id, the table its SHA-256.

    Logging out sets ``revoked_at``, so a copied cookie stops working; ``flash`` is the
    one-time message the next page shows. ``kind`` is ``session`` or ``login_link`` (a
    single-use, short-lived link that opens a session).
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="session")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    via: Mapped[str] = mapped_column(String(32), default="password")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    flash: Mapped[dict[str, Any] | None] = mapped_column(JSON)


__all__ = [
    "Allocation",
    "ApiToken",
    "Approval",
    "AuditEvent",
    "BankTransaction",
    "Base",
    "Communication",
    "Contact",
    "Customer",
    "Dispute",
    "DunningHold",
    "EscalationTask",
    "Installment",
    "Invoice",
    "KeyValue",
    "MailboxState",
    "Payment",
    "PaymentPlan",
    "Promise",
    "SuggestionDecision",
    "User",
    "WebSession",
    "utcnow",
]
