"""The suggestions page: what approvers keep changing in drafts, and what it would change."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api import suggestions
from api.auth import check_csrf
from api.web.render import flash_redirect, page, user_or_login
from core.errors import ARAgentError

router = APIRouter(include_in_schema=False)


@router.get("/suggestions", response_class=HTMLResponse)
def suggestions_page(request: Request) -> HTMLResponse:
    user_or_login(request)
    ctx = request.app.state.ctx
    with ctx.db.session() as session:
        return page(
            request,
            "suggestions.html",
            active="Approvals",
            session=session,
            items=suggestions.open_suggestions(session),
        )


@router.post("/suggestions/{key}/{decision}")
async def decide(request: Request, key: str, decision: str) -> RedirectResponse:
    user = user_or_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    ctx = request.app.state.ctx
    try:
        with ctx.db.transaction() as session:
            if decision == "apply":
                user.require("propose")
                message = suggestions.apply(session, key, user=user.username, clock=ctx.clock)
            else:
                user.require("decide")
                message = suggestions.decide(
                    session, key, decision=decision, user=user.username, clock=ctx.clock
                )
    except ARAgentError as exc:
        return flash_redirect(request, "/suggestions", str(exc), "error")
    return flash_redirect(request, "/suggestions", message)
