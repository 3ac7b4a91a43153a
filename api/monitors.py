"""Background checks of outside services with exponential backoff (tenacity).

``watch(name, probe, stop)`` runs ``probe()`` until ``stop`` is set: after a success it
reports ``ok`` and checks again ``every`` seconds; after a failure it reports ``degraded``
with the reason and retries after 1, 2, 4 … up to ``max_wait`` seconds (with jitter;
``AR_AGENT_RETRY_MAX_SECONDS``, default 60).
``retrying(name, stop)`` is the same backoff for a one-off connect (Slack Socket Mode).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_when_event_set,
    wait_exponential_jitter,
)

from core import health

log = logging.getLogger("ar_agent.monitors")
MAX_WAIT_ENV = "AR_AGENT_RETRY_MAX_SECONDS"


def max_wait_default() -> float:
    """The longest wait between two reconnection attempts (``AR_AGENT_RETRY_MAX_SECONDS``)."""
    return float(os.environ.get(MAX_WAIT_ENV) or 60.0)


def reason_of(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def retrying(name: str, stop: threading.Event, *, max_wait: float | None = None) -> Retrying:
    """Retry on any error until it works or ``stop`` is set, reporting each failure."""

    def failed(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        reason = reason_of(exc) if exc else "failed"
        health.report_failure(name, reason)
        log.warning("%s unreachable (attempt %d): %s; retrying", name, state.attempt_number, reason)

    return Retrying(
        retry=retry_if_exception_type(Exception),
        wait=wait_exponential_jitter(initial=1, max=max_wait or max_wait_default()),
        stop=stop_when_event_set(stop),
        sleep=stop.wait,
        before_sleep=failed,
        reraise=True,
    )


def watch(
    name: str,
    probe: Callable[[], Any],
    stop: threading.Event,
    *,
    every: float = 300.0,
    max_wait: float | None = None,
) -> None:
    while not stop.is_set():
        try:
            retrying(name, stop, max_wait=max_wait)(probe)
        except Exception:  # only when stopping during a failure
            return
        if not stop.is_set():
            health.report_ok(name)
        stop.wait(every)
