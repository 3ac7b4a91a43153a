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


def poll_imap_forever(ctx: AppContext, stop: threading.Event, *, interval: float = 60.0) -> None:
    """Fetch unseen mail every ``interval`` seconds; a message is marked seen only once stored.

    A failed poll is reported (``/readyz``: imap degraded) and retried with exponential
    backoff (tenacity, from 1 s up to ``interval``), so a mail server back from an outage is
    read at once.
    """
    from agent.inbox import process_inbound
    from api.monitors import watch
    from mail.imap import poll_imap

    url = ctx.settings.imap_url
    assert url

    def poll_once() -> None:
        with log_scope(task="imap"):
            poll_imap(
                url,
                lambda raw: process_inbound(
                    ctx.db, raw, clock=ctx.clock, service=agent_service(ctx), source="imap"
                ),
            )
            hook = ctx.extras.get("after_proposals")
            if hook:
                hook()

    watch("imap", poll_once, stop, every=interval, max_wait=interval)


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
