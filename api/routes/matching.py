"""REST: upload a bank statement; its credits are matched and queued as apply_payment approvals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel

from api.deps import ContextDep, UserDep
from api.services import match_statement
from core.errors import ValidationError

router = APIRouter(prefix="/api/bank-statements", tags=["bank"])
MAX_UPLOAD = 20 * 1024 * 1024


class StatementOut(BaseModel):
    filename: str
    summary: str
    queued: int
    rows: list[dict[str, Any]]


@router.post("", response_model=StatementOut)
async def upload(ctx: ContextDep, _: UserDep, file: UploadFile = File(...)) -> StatementOut:
    """Import a camt.05x / BAI2 / MT940 / OFX / CSV file and match its new credits
    (CONTRACTS §4 rows); the matches wait for approval."""
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationError("the statement file is over 20 MB")
    run = match_statement(ctx, data, filename=file.filename or "statement")
    return StatementOut(
        filename=run.filename or "", summary=run.summary, queued=run.queued, rows=run.rows
    )
