"""The state of the outside services this process depends on: Slack, SMTP, IMAP, the LLM.

Each is ``off`` (not configured), ``unknown`` (configured, not tried yet), ``ok`` or
``degraded`` with the reason and the time of the last failure. Reporters call
:func:`report_ok` / :func:`report_failure`; ``/readyz`` shows :func:`snapshot`. The
worker process publishes its own (SMTP, IMAP) in the database so ``/readyz`` of a web
process without a worker can show them too (``api.observability``).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

COMPONENTS = ("slack", "smtp", "imap", "llm")


@dataclass
class ComponentState:
    state: str = "off"  # off | unknown | ok | degraded
    reason: str | None = None
    last_ok: str | None = None
    last_failure: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


_lock = threading.Lock()
_states: dict[str, ComponentState] = {}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def configured(component: str) -> None:
    """The component is set up; ``unknown`` until its first success or failure."""
    with _lock:
        if _states.get(component, ComponentState()).state == "off":
            _states[component] = ComponentState(state="unknown")


def report_ok(component: str) -> None:
    with _lock:
        state = _states.setdefault(component, ComponentState())
        state.state, state.reason, state.last_ok = "ok", None, _now()


def report_failure(component: str, reason: str) -> None:
    with _lock:
        state = _states.setdefault(component, ComponentState())
        state.state, state.reason, state.last_failure = "degraded", reason[:300], _now()


def snapshot() -> dict[str, dict[str, str | None]]:
    with _lock:
        return {name: _states.get(name, ComponentState()).to_dict() for name in COMPONENTS}


def reset() -> None:
    """Forget every state (tests; a process starts with everything ``off``)."""
    with _lock:
        _states.clear()
