"""Run the app: build its context, start the background services, serve HTTP.

Background services run as daemon threads beside uvicorn: the approvals worker
(executes approved actions left over by a crash and delivers the outbox), the daily
dunning run at ``AR_AGENT_DUNNING_TIME``, and the IMAP poller when ``AR_AGENT_IMAP_URL``
is set. Several ``serve`` processes may share one PostgreSQL: every claim is atomic.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.sessions import prune_expired
from accounts.users import bootstrap_admin
from api.deps import AppContext
from core.clock import Clock
from core.settings import Settings, get_settings
from ledger.db import Database

log = logging.getLogger("ar_agent.server")


def build_context(
    settings: Settings | None = None, *, db: Database | None = None, clock: Clock | None = None
) -> AppContext:
    """The app's shared context; fails fast on a bad policy file."""
    from policies.config import load_policy

    settings = settings or get_settings()
    load_policy(settings.policy_path)
    if not settings.web_token:
        settings.web_token = secrets.token_urlsafe(18)
    ctx = AppContext(
        settings=settings,
        db=db or Database(settings.database_url),
        clock=clock or settings.make_clock(),
    )
    with ctx.db.transaction() as session:  # the account AR_AGENT_WEB_TOKEN signs in as
        bootstrap_admin(session)
    return ctx


@dataclass
class Background:
    """The daemon threads started beside the web server; ``stop()`` ends them."""

    stop_event: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self, name: str, target: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        thread = threading.Thread(
            target=_guarded(name, target), args=args, kwargs=kwargs, name=name, daemon=True
        )
        thread.start()
        self.threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout)


def _guarded(name: str, target: Callable[..., Any]) -> Callable[..., None]:
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            target(*args, **kwargs)
        except Exception:  # a background service must not die silently
            log.exception("%s stopped with an error", name)

    return run


def start_background(
    ctx: AppContext, *, transport: Any = None, interval: float = 2.0
) -> Background:
    from approvals.worker import run_worker
    from mail.smtp import transport_from_url

    bg = Background()
    transport = transport or (
        transport_from_url(ctx.settings.smtp_url) if ctx.settings.smtp_url else None
    )
    ctx.extras["transport"] = transport
    bg.start("approvals-worker", run_worker, ctx.db, ctx.clock, transport, bg.stop_event, interval)
    try:
        from dunning.schedule import run_daily
    except ModuleNotFoundError:
        run_daily = None
    if run_daily is not None:
        bg.start(
            "dunning-scheduler",
            run_daily,
            ctx.db,
            ctx.clock,
            ctx.settings.dunning_time,
            bg.stop_event,
        )
    from approvals.queue import expire_stale

    # approvals left pending for two weeks were drafted against books that have moved on
    bg.start(
        "expire-stale", _every, lambda: expire_stale(ctx.db, clock=ctx.clock), bg.stop_event, 3600.0
    )
    bg.start("prune-sessions", _every, lambda: _prune_sessions(ctx), bg.stop_event, 3600.0)
    if ctx.settings.slack_bot_token and ctx.settings.slack_app_token:
        from api.slack import start_socket_mode

        bg.start("slack-socket-mode", start_socket_mode, ctx)
    if (
        "after_proposals" in ctx.extras
    ):  # Slack: cards for proposals made by other processes and the CLI
        bg.start("slack-cards", _every, ctx.extras["after_proposals"], bg.stop_event, 10.0)
    if ctx.settings.imap_url:
        from api.services import poll_imap_forever

        bg.start("imap-poller", poll_imap_forever, ctx, bg.stop_event)
    return bg


def _prune_sessions(ctx: AppContext) -> None:
    with ctx.db.transaction() as session:
        prune_expired(session)


def _every(task: Callable[[], Any], stop: threading.Event, seconds: float) -> None:
    while not stop.is_set():
        try:
            task()
        except Exception:
            log.exception("periodic task failed; retrying in %ss", seconds)
        stop.wait(seconds)


def serve(ctx: AppContext, *, host: str, port: int, transport: Any = None) -> None:
    import uvicorn

    from api.main import create_app

    app = create_app(ctx.settings, ctx=ctx)
    bg = start_background(ctx, transport=transport)
    _stop_on_shutdown(app, bg)
    try:
        uvicorn.run(app, host=host, port=port, **uvicorn_options(ctx.settings))
    finally:
        bg.stop()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """X-Forwarded-Proto/-For are believed only from ``AR_AGENT_TRUSTED_PROXIES`` (the scheme
    they set decides ``Secure`` cookies); with none listed, never."""
    proxies = settings.trusted_proxies.strip()
    return {
        "log_level": "warning",
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
        # on SIGTERM, requests still running after this are cut off: stop within seconds
        "timeout_graceful_shutdown": settings.shutdown_seconds,
    }


def _stop_on_shutdown(app: Any, bg: Background) -> None:
    """Stop the background services in the app's lifespan shutdown.

    On SIGTERM uvicorn shuts down gracefully and then re-raises the signal, so the process
    dies before a ``finally`` after ``uvicorn.run`` can run.
    """
    import asyncio
    from contextlib import asynccontextmanager

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> Any:
        async with inner(a) as state:
            yield state
        await asyncio.to_thread(bg.stop)

    app.router.lifespan_context = lifespan
