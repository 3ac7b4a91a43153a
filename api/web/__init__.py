"""The local web page: approvals, chat, dashboard, customers, outbox, bank.

Server-rendered (FastAPI + Jinja2), no build step, no CDN; every core action is a plain
HTML form, and ``static/app.js`` only enhances (select all, chat without reload).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.deps import AppContext

HERE = Path(__file__).resolve().parent


def install(app: FastAPI, ctx: AppContext) -> None:
    from api.web.pages import (
        approvals,
        bank,
        chat,
        customers,
        dashboard,
        escalations,
        login,
        outbox,
        suggestions,
    )
    from api.web.render import LoginRequired, redirect

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, exc: LoginRequired) -> RedirectResponse:
        return redirect(f"/login?next={quote(str(exc))}")

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (
        login,
        approvals,
        escalations,
        suggestions,
        chat,
        dashboard,
        customers,
        outbox,
        bank,
    ):
        app.include_router(module.router)
