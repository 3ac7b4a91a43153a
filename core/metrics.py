"""Prometheus metrics of this process (prometheus-client).

Counters and histograms live in the default registry of each process (``serve`` and
``worker`` never fork): ``/metrics`` of the web app and the worker's ``--metrics-port``
render them. Figures read from the database (approvals by type and status, outbox depth)
are collected at scrape time by ``api.observability``, so every process reports the same
shared truth.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

SLOW = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

HTTP_LATENCY = Histogram(
    "ar_agent_http_request_duration_seconds",
    "HTTP request latency by route template, method and status",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
NESTED_CHECKOUTS = Counter(
    "ar_agent_http_nested_db_checkouts_total",
    "Requests that held more than one database connection at once (should stay 0)",
    ["route"],
)
DB_UNAVAILABLE = Counter(
    "ar_agent_database_unavailable_total",
    "Requests answered 503 because the database could not be reached",
)
SEND_FAILURES = Counter(
    "ar_agent_email_send_failures_total",
    "Outbox deliveries that failed (retried or given up)",
    ["final"],
)
EMAILS_SENT = Counter("ar_agent_emails_sent_total", "Outbox deliveries accepted by the server")
WORKER_PASS = Histogram(
    "ar_agent_worker_pass_seconds",
    "Time of one worker pass (execute approved actions, deliver the outbox)",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
DUNNING_RUN = Histogram(
    "ar_agent_dunning_run_seconds", "Time of one daily dunning run", buckets=SLOW
)
LLM_LATENCY = Histogram(
    "ar_agent_llm_request_duration_seconds",
    "Chat-completion calls to the language model, by model and outcome (ok, error)",
    ["model", "outcome"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120),
)


@contextmanager
def timed(histogram: Histogram, **labels: str) -> Iterator[None]:
    """Observe the block's wall time in ``histogram`` (with ``labels``), even when it raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        metric = histogram.labels(**labels) if labels else histogram
        metric.observe(time.perf_counter() - started)


def render(registry: CollectorRegistry | None = None) -> tuple[bytes, str]:
    """The exposition text of this process's metrics."""
    return generate_latest(registry or REGISTRY), CONTENT_TYPE_LATEST
