"""Per-request logging and metrics, and the ``/metrics`` endpoint.

:class:`RequestObserver` (pure ASGI, so what it sets is seen by the threads that run sync
routes) gives every request an id (``X-Request-ID``, taken from the caller when given),
opens a log scope and a pool-checkout scope, and when the response has gone writes one
access-log line (``ar_agent.access``: method, path, route template, status, duration,
user) and observes ``ar_agent_http_request_duration_seconds`` by route template. A request
that held two database connections at once counts in
``ar_agent_http_nested_db_checkouts_total`` and logs a warning.

``/metrics`` renders this process's metrics plus figures read from the database at scrape
time: approvals by type and status, outbound emails by status, outbox depth and the age of
its oldest message.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import AppContext
from core.logs import log_scope
from core.metrics import HTTP_LATENCY, NESTED_CHECKOUTS, render
from ledger.models import Approval, Communication
from ledger.sessions import checkout_scope

access_log = logging.getLogger("ar_agent.access")
log = logging.getLogger("ar_agent.api")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WAITING = ("outbox", "sending")
QUIET = {"/healthz", "/readyz", "/metrics"}  # logged at debug: probes would drown the log


class RequestObserver:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        status = [500]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers") or [])
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        started = time.perf_counter()
        with log_scope(request_id=request_id) as fields, checkout_scope() as pool:
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = _route(scope)
                HTTP_LATENCY.labels(scope["method"], route, str(status[0])).observe(seconds)
                if pool.peak > 1:
                    NESTED_CHECKOUTS.labels(route).inc()
                    log.warning("request held %d database connections at once", pool.peak)
                _access(scope, route, status[0], seconds, fields)


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        return str(path)
    if str(scope.get("path", "")).startswith("/static/"):
        return "/static"
    return "unmatched"


def _access(scope: Scope, route: str, status: int, seconds: float, fields: dict[str, Any]) -> None:
    path = scope.get("path", "")
    level = logging.DEBUG if path in QUIET and status < 500 else logging.INFO
    client = scope.get("client")
    access_log.log(
        level,
        "%s %s %s",
        scope["method"],
        path,
        status,
        extra={
            "method": scope["method"],
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "client": client[0] if client else None,
            **{k: v for k, v in fields.items() if k != "request_id"},
        },
    )


class DatabaseFigures(Collector):
    """Gauges read from the shared database when ``/metrics`` is scraped."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("ar_agent_database_up", "1 when the database answered the scrape")
        try:
            families = list(self._figures())
        except Exception as exc:  # the scrape still answers, saying the database is down
            log.warning("metrics: database figures unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _figures(self) -> Iterator[GaugeMetricFamily]:
        now = datetime.now(UTC).replace(tzinfo=None)  # created_at is the real time
        approvals = GaugeMetricFamily(
            "ar_agent_approvals", "Approvals by type and status", labels=["type", "status"]
        )
        emails = GaugeMetricFamily(
            "ar_agent_emails_outbound", "Outbound emails by status", labels=["status"]
        )
        depth = GaugeMetricFamily("ar_agent_outbox_depth", "Emails waiting to go out")
        oldest = GaugeMetricFamily(
            "ar_agent_outbox_oldest_age_seconds", "Age of the oldest email waiting to go out"
        )
        with self.ctx.db.session() as session:
            for kind, status, count in session.execute(
                select(Approval.type, Approval.status, func.count()).group_by(
                    Approval.type, Approval.status
                )
            ):
                approvals.add_metric([kind, status], count)
            outbound = Communication.direction == "out"
            for status, count in session.execute(
                select(Communication.status, func.count())
                .where(outbound)
                .group_by(Communication.status)
            ):
                emails.add_metric([status], count)
            waiting, first = session.execute(
                select(func.count(), func.min(Communication.created_at)).where(
                    outbound, Communication.status.in_(WAITING)
                )
            ).one()
        depth.add_metric([], waiting or 0)
        oldest.add_metric([], _age(now, first))
        yield from (approvals, emails, depth, oldest)


def _age(now: datetime, first: datetime | None) -> float:
    if first is None:
        return 0.0
    first = first.astimezone(UTC).replace(tzinfo=None) if first.tzinfo else first
    return max(0.0, (now - first).total_seconds())


def metrics_text(ctx: AppContext) -> tuple[bytes, str]:
    """This process's metrics followed by the database figures, as Prometheus text."""
    process, content_type = render()
    figures = CollectorRegistry(auto_describe=False)
    figures.register(DatabaseFigures(ctx))
    return process + generate_latest(figures), content_type
