"""REST: customers with their open balance, and one customer with open items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import ContextDep, SessionDep, UserDep
from core.clock import today
from core.errors import NotFound
from ledger import models as m
from mail.documents import PDF_MIME, Letterhead, statement_pdf

router = APIRouter(prefix="/api/customers", tags=["customers"])


def _customer(c: m.Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "aliases": c.aliases,
        "terms_days": c.terms_days,
        "credit_limit": str(c.credit_limit) if c.credit_limit is not None else None,
        "currency": c.currency,
        "timezone": c.timezone,
        "language": c.language,
        "insolvent": c.insolvent,
        "credit_hold": c.credit_hold,
        "contacts": [
            {
                "name": ct.name,
                "email": ct.email,
                "role": ct.role,
                "primary": ct.primary,
                "opt_out": ct.opt_out,
            }
            for ct in c.contacts
        ],
    }


@router.get("")
def list_customers(
    session: SessionDep, ctx: ContextDep, _: UserDep, q: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Customers by id, or ranked by a fuzzy search on name, alias, invoice number or domain."""
    if q:
        from tools.context import ToolContext
        from tools.customers import rank_customers

        ids = [r.id for r in rank_customers(ToolContext(session=session, clock=ctx.clock), q)][
            :limit
        ]
        found = {c.id: c for c in session.scalars(select(m.Customer).where(m.Customer.id.in_(ids)))}
        rows = [found[i] for i in ids if i in found]
    else:
        rows = list(session.scalars(select(m.Customer).order_by(m.Customer.id).limit(limit)))
    totals: dict[str, Decimal] = {}
    for cid, balance in session.execute(
        select(m.Invoice.customer_id, m.Invoice.balance).where(
            m.Invoice.balance > 0, m.Invoice.customer_id.in_([c.id for c in rows])
        )
    ):
        totals[cid] = totals.get(cid, Decimal(0)) + balance
    return [_customer(c) | {"open_balance": str(totals.get(c.id, Decimal("0.00")))} for c in rows]


@router.get(
    "/{customer_id}/statement.pdf",
    response_class=Response,
    responses={200: {"content": {PDF_MIME: {}}}},
)
def statement(
    customer_id: str,
    session: SessionDep,
    ctx: ContextDep,
    _: UserDep,
    language: str | None = None,
) -> Response:
    """The customer's statement of open items as PDF, in its language (or ``language``)."""
    head = Letterhead(ctx.settings.company_name, ctx.settings.pay_link)
    data = statement_pdf(session, customer_id, head, day=today(ctx.clock), language=language)
    return Response(
        data,
        media_type=PDF_MIME,
        headers={"Content-Disposition": f'inline; filename="statement-{customer_id}.pdf"'},
    )


@router.get("/{customer_id}")
def get_customer(customer_id: str, session: SessionDep, _: UserDep) -> dict[str, Any]:
    c = session.get(m.Customer, customer_id)
    if c is None:
        raise NotFound(f"Customer {customer_id} not found")
    invoices = session.scalars(
        select(m.Invoice)
        .where(m.Invoice.customer_id == customer_id, m.Invoice.balance > 0)
        .order_by(m.Invoice.due_date)
    )
    return _customer(c) | {"open_invoices": [_invoice(i) for i in invoices]}


def _invoice(i: m.Invoice) -> dict[str, Any]:
    return {
        "number": i.number,
        "customer": i.customer_id,
        "issue_date": i.issue_date.isoformat(),
        "due_date": i.due_date.isoformat(),
        "amount": str(i.amount),
        "balance": str(i.balance),
        "currency": i.currency,
        "po_number": i.po_number,
    }
