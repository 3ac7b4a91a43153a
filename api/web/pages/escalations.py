"""The escalations page: tasks for a human (assign, comment, snooze, resolve with an outcome)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api import escalations
from api.auth import check_csrf
from api.web.render import flash_redirect, page, user_or_login
from core.errors import ARAgentError, ValidationError

router = APIRouter(include_in_schema=False)


@router.get("/escalations", response_class=HTMLResponse)
def escalations_page(
    request: Request, mine: str = "", customer: str = "", snoozed: str = ""
) -> HTMLResponse:
    user = user_or_login(request)
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        tasks = escalations.open_tasks(
            session,
            ctx.clock,
            assignee=user.username if mine else "",
            customer=customer,
            include_snoozed=bool(snoozed),
        )
        return page(
            request,
            "escalations.html",
            active="Escalations",
            session=session,
            tasks=tasks,
            outcomes=escalations.OUTCOMES,
            mine=bool(mine),
            snoozed=bool(snoozed),
            customer=customer,
            me=user.username,
        )


@router.post("/escalations/{approval_id}/{action}")
async def act(request: Request, approval_id: int, action: str) -> RedirectResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    ctx = request.app.state.ctx
    back = f"/escalations#task-{approval_id}"
    try:
        user.require("propose")
        if action == "resolve":
            message = escalations.resolve(
                ctx,
                approval_id,
                outcome=str(form.get("outcome") or ""),
                note=str(form.get("note") or ""),
                by=user,
            )
            return flash_redirect(request, "/escalations", message)
        with ctx.db.transaction() as session:
            if action == "assign":
                who = str(form.get("assignee") or "").strip()
                escalations.assign(
                    session,
                    approval_id,
                    assignee=user.username if who == "me" else who,
                    by=user.username,
                    clock=ctx.clock,
                )
                message = f"#{approval_id} assigned"
            elif action == "comment":
                escalations.comment(
                    session,
                    approval_id,
                    text=str(form.get("text") or ""),
                    by=user.username,
                    clock=ctx.clock,
                )
                message = f"#{approval_id}: comment added"
            elif action == "snooze":
                raw = str(form.get("until") or "")
                try:
                    until = date.fromisoformat(raw)
                except ValueError as exc:
                    raise ValidationError(f"snooze: {raw!r} is not a date (YYYY-MM-DD)") from exc
                escalations.snooze(
                    session, approval_id, until=until, by=user.username, clock=ctx.clock
                )
                message = f"#{approval_id} snoozed until {until.isoformat()}"
            else:
                raise ValidationError(f"{action!r} is not something an escalation can do")
    except ARAgentError as exc:
        return flash_redirect(request, back, str(exc), "error")
    return flash_redirect(request, back, message)
