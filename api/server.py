"""Run the app: build its context, start the background services, serve HTTP.

Background services run as daemon threads: the approvals worker (executes approved
actions left over by a crash and delivers the outbox), the daily dunning run at
``AR_AGENT_DUNNING_TIME``, expiry of stale approvals, Slack cards and the IMAP poller when
``AR_AGENT_IMAP_URL`` is set. ``serve`` runs them beside uvicorn unless ``--no-worker``;
``ar-agent worker`` runs them alone. Several processes may share one PostgreSQL: every
claim is atomic.
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
from core import health
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
    ctx: AppContext, *, transport: Any = None, interval: float = 2.0, worker: bool = True
) -> Background:
    """The web process's services, and the worker's too unless ``worker`` is False."""
    bg = Background()
    start_web_services(ctx, bg)
    if worker:
        start_worker_services(ctx, bg, transport=transport, interval=interval)
    ctx.extras["runs_worker"] = worker
    return bg


def start_web_services(ctx: AppContext, bg: Background) -> None:
    """What answers Slack: the token check (with backoff) and Socket Mode when configured."""
    if ctx.settings.model:
        health.configured("llm")  # its state comes from the calls the agent makes
    if not ctx.settings.slack_enabled:
        return
    from api.slack.bolt_app import build_bolt_app
    from api.slack.identity import watch_slack

    if "slack_app" not in ctx.extras:
        ctx.extras["slack_app"] = build_bolt_app(ctx)
    bg.start(
        "slack-identity",
        watch_slack,
        ctx.extras["slack_identity"],
        ctx.extras["slack_client"],
        bg.stop_event,
    )
    if ctx.settings.slack_app_token:
        from api.slack import start_socket_mode

        bg.start("slack-socket-mode", start_socket_mode, ctx, bg.stop_event)


def start_worker_services(
    ctx: AppContext, bg: Background, *, transport: Any = None, interval: float = 2.0
) -> None:
    """Everything that runs on its own: the approvals worker and outbox, the daily dunning
    run, expiry of stale approvals, Slack cards for proposals made elsewhere, the IMAP poller."""
    from api.worker import heartbeat
    from approvals.queue import expire_stale
    from approvals.worker import run_worker
    from dunning.schedule import run_daily
    from mail.smtp import transport_from_url

    transport = transport or (
        transport_from_url(ctx.settings.smtp_url) if ctx.settings.smtp_url else None
    )
    ctx.extras["transport"] = transport
    if transport is not None:
        health.configured("smtp")
    bg.start(
        "approvals-worker",
        run_worker,
        ctx.db,
        ctx.clock,
        transport,
        bg.stop_event,
        interval,
        after_pass=heartbeat(ctx),
    )
    bg.start(
        "dunning-scheduler", run_daily, ctx.db, ctx.clock, ctx.settings.dunning_time, bg.stop_event
    )
    # approvals left pending for two weeks were drafted against books that have moved on
    bg.start(
        "expire-stale", _every, lambda: expire_stale(ctx.db, clock=ctx.clock), bg.stop_event, 3600.0
    )
    bg.start("prune-sessions", _every, lambda: _prune_sessions(ctx), bg.stop_event, 3600.0)
    post_cards = ctx.extras.get("after_proposals")
    if post_cards is None and ctx.settings.slack_enabled and ctx.settings.slack_channel:
        from api.slack import card_poster

        post_cards = ctx.extras["after_proposals"] = card_poster(ctx)
    if post_cards is not None:  # Slack: cards for proposals made by other processes and the CLI
        bg.start("slack-cards", _every, post_cards, bg.stop_event, 10.0)
    if ctx.settings.imap_url:
        from api.services import poll_imap_forever

        health.configured("imap")
        bg.start("imap-poller", poll_imap_forever, ctx, bg.stop_event)


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


def serve(
    ctx: AppContext, *, host: str, port: int, transport: Any = None, worker: bool = True
) -> None:
    """Serve HTTP; with ``worker`` the background services run in this process too."""
    import uvicorn

    from api.main import create_app

    app = create_app(ctx.settings, ctx=ctx)
    bg = start_background(ctx, transport=transport, worker=worker)
    _stop_on_shutdown(app, bg)
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            **uvicorn_options(ctx.settings),
        )
    finally:
        bg.stop()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """X-Forwarded-Proto/-For are believed only from ``AR_AGENT_TRUSTED_PROXIES`` (the scheme
    they set decides ``Secure`` cookies); with none listed, never."""
    proxies = settings.trusted_proxies.strip()
    return {
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
    }


def run_worker_process(ctx: AppContext, stop: threading.Event, *, interval: float = 2.0) -> None:
    """``ar-agent worker``: the background services without a web server, until ``stop``."""
    bg = Background(stop_event=stop)
    start_worker_services(ctx, bg, interval=interval)
    stop.wait()
    bg.stop()


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
