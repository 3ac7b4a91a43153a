"""Structured logs: one JSON object per line on stderr, with the unit of work's fields.

``configure_logging()`` installs the JSON formatter on the root logger at
``AR_AGENT_LOG_LEVEL`` (default ``INFO``; ``AR_AGENT_LOG_FORMAT=text`` for a human-readable
line instead, the default when stderr is a terminal). ``bind(user=..., approval_id=...)`` adds fields to every record logged in the
current unit of work: an HTTP request (the middleware opens it with :func:`log_scope` and a
request id) or a worker pass. Fields bound in a thread the request handed work to land in the
same scope, so the access log line carries the user the handler found.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from core.errors import ConfigError

LEVEL_ENV = "AR_AGENT_LOG_LEVEL"
FORMAT_ENV = "AR_AGENT_LOG_FORMAT"
# LogRecord attributes that are not extra fields
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's coloured duplicate of the message
}

_scope: ContextVar[dict[str, Any] | None] = ContextVar("ar_agent_log_scope", default=None)


@contextmanager
def log_scope(**fields: Any) -> Iterator[dict[str, Any]]:
    """A unit of work whose fields every log record inside it carries."""
    values = {k: v for k, v in fields.items() if v is not None}
    token = _scope.set(values)
    try:
        yield values
    finally:
        _scope.reset(token)


def bind(**fields: Any) -> None:
    """Add fields to the current unit of work (none open: nothing; ``None`` values: skipped).

    Outside a unit of work (a command-line run) nothing is kept, so a field never sticks to
    the lines of whatever the process does next.
    """
    values = _scope.get()
    if values is not None:
        values.update({k: v for k, v in fields.items() if v is not None})


def bound() -> dict[str, Any]:
    return dict(_scope.get() or {})


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", request_id?, user?, ..., extra fields, exc?}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(bound())
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level logger message key=value...`` for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        fields = bound() | {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
        extra = " ".join(f"{k}={v}" for k, v in fields.items())
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()}"
        line = f"{line} {extra}" if extra else line
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def log_level(default: str = "INFO") -> int:
    name = (os.environ.get(LEVEL_ENV) or default).strip().upper()
    level = logging.getLevelName(name)
    if not isinstance(level, int):
        raise ConfigError(f"{LEVEL_ENV}: {name!r} is not a log level (DEBUG, INFO, WARNING, ERROR)")
    return level


def configure_logging(stream: Any = None, *, default_level: str = "INFO") -> None:
    """Root logger: one handler on stderr, level from the environment (else ``default_level``).

    JSON lines, or text when ``AR_AGENT_LOG_FORMAT=text`` (the default on a terminal).
    """
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    on_terminal = "text" if getattr(stream, "isatty", lambda: False)() else "json"
    text = (os.environ.get(FORMAT_ENV) or on_terminal).strip().lower() == "text"
    handler.setFormatter(TextFormatter() if text else JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(log_level(default_level))
    for noisy in ("httpx", "httpcore", "urllib3", "slack_bolt", "slack_sdk", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # uvicorn's own access log is replaced by ours (api.observability)
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("uvicorn.error").propagate = True
