"""Liveness, readiness and metrics: ``/healthz``, ``/readyz``, ``/metrics``.

``/healthz``: the process serves and reaches its database (503 with the reason when not).
``/readyz``: every check of :mod:`api.readiness` (503 when the database is down or behind
its migrations; 200 ``degraded`` when an outside service fails). ``/metrics``: Prometheus
text; with ``AR_AGENT_METRICS_TOKEN`` set it needs ``Authorization: Bearer <token>``.
"""

import hmac

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from api.deps import ContextDep, SessionDep
from api.observability import metrics_text
from api.readiness import readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
def health(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.get("/readyz")
def ready(ctx: ContextDep) -> JSONResponse:
    ok, body = readiness(ctx, runs_worker=bool(ctx.extras.get("runs_worker")))
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, ctx: ContextDep) -> Response:
    token = ctx.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(status_code=401, detail="metrics need the metrics token")
    body, content_type = metrics_text(ctx)
    return Response(body, media_type=content_type)
