"""Long-lived services shared by the API's parts (built lazily, once per app)."""

from __future__ import annotations

import threading
from typing import Any

from api.deps import AppContext
from core.logs import log_scope
from matching.statement_run import (
    CashApplicationRequest,
    CashApplicationRun,
    StatementUpload,
    run_cash_application,
)
from matching.types import MatchSettings
from policies.config import load_policy

_lock = threading.Lock()


def agent_service(ctx: AppContext) -> Any:
    """The agent (same instance for web chat, Slack and the email webhook)."""
    with _lock:
        if "agent" not in ctx.extras:
            from agent.service import AgentService

            ctx.extras["agent"] = AgentService(ctx.db, clock=ctx.clock, model=ctx.settings.model)
        return ctx.extras["agent"]


def poll_imap_forever(
    ctx: AppContext, stop: threading.Event, *, interval: float | None = None
) -> None:
    """Ingest new mail every ``interval`` seconds (``AR_AGENT_IMAP_INTERVAL``, 60), sooner
    when the server announces it over IMAP IDLE.

    A failed poll is reported (``/readyz``: imap degraded) and retried with exponential
    backoff (tenacity, from 1 s up to the interval), so a mail server back from an outage
    is read at once.
    """
    import logging

    from agent.inbox import process_inbound
    from api.monitors import retrying
    from core import health
    from mail.imap import poll_imap
    from mail.imap_idle import wait_for_mail

    log = logging.getLogger("ar_agent.imap")
    url = ctx.settings.imap_url
    assert url
    wait = interval if interval is not None else ctx.settings.imap_interval

    def poll_once() -> None:
        with log_scope(task="imap"):
            poll_imap(
                url,
                lambda raw: process_inbound(
                    ctx.db, raw, clock=ctx.clock, service=agent_service(ctx), source="imap"
                ),
                db=ctx.db,
                clock=ctx.clock,
                move_to=ctx.settings.imap_move_to,
            )
            hook = ctx.extras.get("after_proposals")
            if hook:
                hook()

    while not stop.is_set():
        try:
            retrying("imap", stop, max_wait=wait)(poll_once)
        except Exception:  # only when stopping during a failure
            return
        health.report_ok("imap")
        try:
            idled = wait_for_mail(url, timeout=wait, stop=stop)
        except Exception as exc:  # no IDLE today: wait the interval
            log.info("IMAP IDLE unavailable: %s", exc)
            idled = None
        if idled is None:
            stop.wait(wait)


def match_statement(ctx: AppContext, data: bytes, *, filename: str) -> CashApplicationRun:
    """A bank file uploaded to the web page, REST or Slack: the one cash-application run
    (:func:`matching.statement_run.run_cash_application`), queued for approval."""
    policy = load_policy(ctx.settings.policy_path)
    with ctx.db.transaction() as session:
        return run_cash_application(
            session,
            CashApplicationRequest(upload=StatementUpload(data, filename)),
            settings=MatchSettings.from_policy(policy),
            clock=ctx.clock,
            policy=policy,
        )
