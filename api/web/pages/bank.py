"""Bank statements: upload, parse, match, and queue the matches as apply_payment approvals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from starlette.datastructures import UploadFile

from api.auth import check_csrf
from api.services import match_statement
from api.web.render import page, user_or_login
from core.errors import ARAgentError
from ledger.models import BankTransaction

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 20 * 1024 * 1024


def recent(ctx) -> list[BankTransaction]:  # type: ignore[no-untyped-def]
    with ctx.db.session() as session:
        return list(
            session.scalars(select(BankTransaction).order_by(BankTransaction.id.desc()).limit(50))
        )


@router.get("/bank", response_class=HTMLResponse)
def bank_page(request: Request) -> HTMLResponse:
    user_or_login(request)
    return page(request, "bank.html", active="Bank", recent=recent(request.app.state.ctx))


@router.post("/bank", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    ctx = request.app.state.ctx
    if not user.can("propose"):
        refused = page(
            request,
            "bank.html",
            active="Bank",
            flash=f"{user.username} is a {user.role}: uploading statements needs the controller role.",
            flash_kind="error",
            recent=recent(ctx),
        )
        refused.status_code = 403
        return refused
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return page(
            request,
            "bank.html",
            active="Bank",
            flash="Choose a statement file first.",
            flash_kind="error",
        )
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return page(
            request,
            "bank.html",
            active="Bank",
            flash="That file is over 20 MB.",
            flash_kind="error",
        )
    try:
        result = match_statement(ctx, data, filename=upload.filename)
    except ARAgentError as exc:
        response = page(
            request,
            "bank.html",
            active="Bank",
            flash=str(exc),
            flash_kind="error",
            recent=recent(ctx),
        )
        response.status_code = 422
        return response
    return page(request, "bank.html", active="Bank", result=result, recent=recent(ctx))
