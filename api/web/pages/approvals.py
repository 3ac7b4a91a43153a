"""The approvals page: pending actions grouped by run and customer; approve, edit, reject."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from accounts.roles import Identity
from api.auth import check_csrf
from api.inbox import SORTS, InboxFilter, inbox_page, matching
from api.web.render import flash_redirect, page, user_or_login, wants_json
from application import decisions
from approvals import queue
from core.errors import ARAgentError
from ledger.models import Approval, Customer
from policies.actions import EDITABLE_FIELDS

router = APIRouter(include_in_schema=False)


BULK_LIMIT = 200


@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, view: str = "pending") -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        values: dict[str, Any] = {"view": view, "inbox": None}
        if view == "decided":
            values["decided"] = list(
                session.scalars(
                    select(Approval)
                    .where(Approval.status != "pending")
                    .order_by(Approval.updated_at.desc())
                    .limit(200)
                )
            )
        elif view == "blocked":
            values["blocked"] = [
                {
                    "at": b.at.strftime("%Y-%m-%d %H:%M"),
                    "type": b.type,
                    "customer": b.payload.get("customer"),
                    "requested_by": b.requested_by,
                    "reasons": b.reasons,
                }
                for b in queue.blocked_proposals(session)
            ][:200]
        else:
            try:
                chosen = InboxFilter.from_query(request.query_params)
            except ARAgentError as exc:
                chosen, values["filter_error"] = InboxFilter(), str(exc)
            values |= {"f": chosen, "sorts": SORTS}
            values["inbox"] = inbox_page(session, chosen, ctx.clock)
        return page(request, "approvals.html", active="Approvals", session=session, **values)


@router.get("/approvals/bulk", response_class=HTMLResponse)
def bulk_preview(request: Request) -> HTMLResponse:
    """What "approve all matching" would approve: the filtered group, listed first."""
    user_or_login(request)
    ctx = request.app.state.ctx
    chosen = InboxFilter.from_query(request.query_params)
    with ctx.db.session() as session:
        _, items, _ = matching(session, chosen, ctx.clock)
        return page(
            request,
            "approvals_bulk.html",
            active="Approvals",
            session=session,
            f=chosen,
            items=items[:BULK_LIMIT],
            total=len(items),
            capped=len(items) > BULK_LIMIT,
        )


def decide(
    request: Request,
    approval_id: int,
    *,
    user: Identity,
    approve: bool = True,
    edits: dict[str, Any] | None = None,
    reason: str | None = None,
) -> str:
    """The page's side of a decision: the application layer decides, executes and says what
    happened; a failed execution is raised so the page shows it as an error."""
    ctx = request.app.state.ctx
    result = decisions.decide_approval(
        ctx.db,
        decisions.Decision(approval_id, approve=approve, edits=edits, reason=reason),
        actor=user,
        clock=ctx.clock,
        settings=ctx.settings,
        on_decided=ctx.extras.get("after_execute"),
    )
    if not result.ok:
        raise ARAgentError(result.message)
    return result.message


def _answer(request: Request, approval_id: int, message: str, ok: bool) -> Response:
    """JSON for the page's in-place decisions, a redirect back for a plain form."""
    if wants_json(request):
        ctx = request.app.state.ctx
        with ctx.db.session() as session:
            row = session.get(Approval, approval_id)
            status = row.status if row else "missing"
        return JSONResponse(
            {"id": approval_id, "ok": ok, "status": status, "message": message},
            status_code=200 if ok else 409,
        )
    back = str(request.headers.get("referer") or "/approvals")
    path = back if back.startswith(str(request.base_url)) else "/approvals"
    path = "/" + path.removeprefix(str(request.base_url)).lstrip("/")
    return flash_redirect(request, path, message, "ok" if ok else "error")


@router.post("/approvals/{approval_id}/approve", response_model=None)
async def approve(request: Request, approval_id: int) -> Response:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    try:
        return _answer(request, approval_id, decide(request, approval_id, user=user), True)
    except ARAgentError as exc:
        return _answer(request, approval_id, str(exc), False)


@router.post("/approvals/{approval_id}/reject", response_model=None)
async def reject(request: Request, approval_id: int) -> Response:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    try:
        message = decide(
            request, approval_id, user=user, approve=False, reason=str(form.get("reason") or "")
        )
    except ARAgentError as exc:
        return _answer(request, approval_id, str(exc), False)
    return _answer(request, approval_id, message, True)


@router.post("/approvals/bulk")
async def bulk(request: Request) -> RedirectResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    done, failed = 0, []
    for raw in form.getlist("ids"):
        try:
            decide(request, int(str(raw)), user=user)
            done += 1
        except (ARAgentError, ValueError) as exc:
            failed.append(str(exc))
    message = f"{done} approved" + (
        f"; {len(failed)} not: " + "; ".join(failed[:5]) if failed else ""
    )
    back = str(form.get("back") or "/approvals")
    back = back if back.startswith("/approvals") else "/approvals"
    return flash_redirect(request, back, message, "error" if failed else "ok")


EDITABLE_LISTS = {"invoices", "to", "cc"}


def edit_values(approval: Approval) -> dict[str, Any]:
    p = dict(approval.payload)
    if approval.type == "send_email":
        return {
            "to": ", ".join(p.get("to", [])),
            "subject": p.get("subject", ""),
            "body": p.get("body", ""),
        }
    values = {}
    for key, value in p.items():
        if key not in EDITABLE_FIELDS.get(approval.type, ()):
            continue  # the proposal's identity: reject and propose anew to change it
        if key == "installments":
            values[key] = json.dumps(value)
        elif isinstance(value, list):
            values[key] = ", ".join(map(str, value))
        else:
            values[key] = "" if value is None else value
    return values


def parse_edits(approval: Approval, form: Any) -> dict[str, Any]:
    if approval.type == "send_email":
        return {
            "to": [t.strip() for t in str(form.get("to", "")).split(",") if t.strip()],
            "subject": str(form.get("subject", "")),
            "body": str(form.get("body", "")).replace("\r\n", "\n"),
        }
    edits: dict[str, Any] = {}
    for key in form:
        if not key.startswith("field:"):
            continue
        name, raw = key[6:], str(form.get(key))
        if name == "installments":
            try:
                edits[name] = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ARAgentError(f"installments: not valid JSON ({exc.msg})") from exc
        elif name in EDITABLE_LISTS or isinstance(approval.payload.get(name), list):
            edits[name] = [v.strip() for v in raw.split(",") if v.strip()]
        elif isinstance(approval.payload.get(name), bool):
            edits[name] = raw.strip().lower() in {"true", "yes", "1", "on"}
        else:
            edits[name] = raw.strip() or None
    return {k: v for k, v in edits.items() if v != approval.payload.get(k)}


@router.get("/approvals/{approval_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, approval_id: int) -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        approval = queue.get_approval(session, approval_id)
        name = (
            session.scalar(select(Customer.name).where(Customer.id == approval.customer_id)) or ""
        )
        return page(
            request,
            "approval_edit.html",
            active="Approvals",
            a=approval,
            customer_name=name,
            values=edit_values(approval),
        )


@router.post("/approvals/{approval_id}/edit", response_model=None)
async def edit(request: Request, approval_id: int) -> RedirectResponse | HTMLResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        approval = queue.get_approval(session, approval_id)
        name = (
            session.scalar(select(Customer.name).where(Customer.id == approval.customer_id)) or ""
        )
    try:
        edits = parse_edits(approval, form)
        if form.get("then") == "save":
            decisions.save_edits(
                ctx.db,
                approval_id,
                edits,
                actor=user,
                clock=ctx.clock,
                on_decided=ctx.extras.get("after_execute"),
            )
            return flash_redirect(
                request,
                f"/approvals#approval-{approval_id}",
                f"#{approval_id} saved and re-validated",
            )
        message = decide(request, approval_id, user=user, edits=edits or None)
        return flash_redirect(request, "/approvals", message)
    except ARAgentError as exc:
        values = {
            **edit_values(approval),
            **{
                k: (", ".join(v) if isinstance(v, list) else v)
                for k, v in (locals().get("edits") or {}).items()
            },
        }
        response = page(
            request,
            "approval_edit.html",
            active="Approvals",
            a=approval,
            customer_name=name,
            values=values,
            error=str(exc),
        )
        response.status_code = 422
        return response
