"""What the API answers when the database cannot be reached: 503 and a short reason.

SQLAlchemy raises ``OperationalError`` / ``InterfaceError`` (or a ``DBAPIError`` whose
connection was invalidated) when PostgreSQL is down or restarting, and ``TimeoutError`` when
the pool has no connection to give. Every route answers those with ``503 Service
Unavailable``, ``Retry-After`` and one line saying why, never a 500 with a traceback.
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.metrics import DB_UNAVAILABLE

log = logging.getLogger("ar_agent.api")
RETRY_AFTER = "5"


def database_reason(exc: BaseException) -> str:
    """One short line: the driver's first line, without SQL or parameters."""
    if isinstance(exc, PoolTimeout):
        return "no free database connection (pool exhausted)"
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    first = lines[0] if lines else type(orig).__name__
    return first[:200]


def is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def unavailable_response(request: Request, exc: BaseException) -> Response:
    reason = f"database unavailable: {database_reason(exc)}"
    DB_UNAVAILABLE.inc()
    log.warning("503 %s %s: %s", request.method, request.url.path, reason)
    headers = {"Retry-After": RETRY_AFTER}
    if "text/html" in request.headers.get("accept", ""):
        body = (
            "<!doctype html><title>Unavailable</title><h1>Service unavailable</h1>"
            f"<p>{html.escape(reason)}. Try again in a moment.</p>"
        )
        return HTMLResponse(body, status_code=503, headers=headers)
    return JSONResponse({"detail": reason}, status_code=503, headers=headers)


def install(app: FastAPI) -> None:
    async def handler(request: Request, exc: Exception) -> Response:
        if not is_unavailable(exc):
            raise exc
        return unavailable_response(request, exc)

    for kind in (OperationalError, InterfaceError, PoolTimeout, DBAPIError):
        app.add_exception_handler(kind, handler)
