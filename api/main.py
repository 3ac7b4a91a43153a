"""The FastAPI app. It only assembles: each router lives in ``api/routes/<noun>.py``.

A router module exposes ``router`` (an ``APIRouter``); optional parts (web pages, Slack,
email webhook) register themselves through ``install(app, ctx)`` when present.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api import errors
from api.deps import AppContext
from api.observability import RequestObserver
from api.security_headers import SecurityHeaders
from core.errors import ARAgentError
from core.settings import Settings, get_settings
from ledger.db import Database

log = logging.getLogger("ar_agent.api")

ROUTERS = ["health", "approvals", "customers", "invoices", "matching", "chat", "email"]
INSTALLERS = ["api.web", "api.slack"]


def create_app(
    settings: Settings | None = None, *, db: Database | None = None, ctx: AppContext | None = None
) -> FastAPI:
    settings = settings or get_settings()
    if ctx is None:
        db = db or Database(settings.database_url)
        ctx = AppContext(settings=settings, db=db, clock=settings.make_clock())
    app = FastAPI(
        title="ar-agent",
        version="0.1.0",
        description="Accounts-receivable collections agent: it drafts, a human approves.",
    )
    app.state.ctx = ctx
    app.add_middleware(
        SecurityHeaders, https=(settings.public_url or "").lower().startswith("https://")
    )
    app.add_middleware(RequestObserver)
    errors.install(app)

    @app.exception_handler(ARAgentError)
    async def _ar_error(_: Request, exc: ARAgentError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.http_status)

    for name in ROUTERS:
        module = _optional(f"api.routes.{name}")
        if module is not None:
            app.include_router(module.router)
    for name in INSTALLERS:
        module = _optional(name)
        if module is not None:
            module.install(app, ctx)
    return app


def _optional(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise
