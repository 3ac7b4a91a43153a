"""REST: invoices, filterable by customer, openness and days overdue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import ContextDep, SessionDep, UserDep
from api.routes.customers import _invoice
from core.clock import today
from core.errors import NotFound
from ledger import models as m
from mail.documents import PDF_MIME, Letterhead, invoice_pdf

router = APIRouter(prefix="/api/invoices", tags=["invoices"])


@router.get("")
def list_invoices(
    session: SessionDep,
    ctx: ContextDep,
    _: UserDep,
    customer: str | None = None,
    open_only: bool = True,
    min_days_overdue: int | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    query = select(m.Invoice).order_by(m.Invoice.due_date).limit(limit)
    if customer:
        query = query.where(m.Invoice.customer_id == customer)
    if open_only:
        query = query.where(m.Invoice.balance > 0)
    if min_days_overdue is not None:
        query = query.where(
            m.Invoice.due_date <= today(ctx.clock) - timedelta(days=min_days_overdue)
        )
    return [_invoice(i) for i in session.scalars(query)]


@router.get("/{number}")
def get_invoice(number: str, session: SessionDep, _: UserDep) -> dict[str, Any]:
    invoice = session.scalar(select(m.Invoice).where(m.Invoice.number == number))
    if invoice is None:
        raise NotFound(f"Invoice {number} not found")
    return _invoice(invoice)


@router.get("/{number}/pdf", response_class=Response, responses={200: {"content": {PDF_MIME: {}}}})
def invoice_copy_pdf(
    number: str, session: SessionDep, ctx: ContextDep, _: UserDep, language: str | None = None
) -> Response:
    """A copy of the invoice as PDF, in the customer's language (or ``language``)."""
    head = Letterhead(ctx.settings.company_name, ctx.settings.pay_link)
    data = invoice_pdf(session, number, head, language=language)
    return Response(
        data,
        media_type=PDF_MIME,
        headers={"Content-Disposition": f'inline; filename="{number}.pdf"'},
    )
