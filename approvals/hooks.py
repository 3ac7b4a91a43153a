"""Notification hooks: the Slack app (and anyone else) subscribes to queue outcomes.

Callbacks run after the transaction committed, with an event name (``executed``,
``failed``, ``escalated``) and a JSON snapshot of the approval. A failing callback is
logged and never undoes or blocks execution.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

Hook = Callable[[str, dict[str, Any]], None]
log = logging.getLogger(__name__)
_hooks: list[Hook] = []


def subscribe(hook: Hook) -> Hook:
    """Register ``hook(event, approval_snapshot)``; usable as a decorator."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def unsubscribe(hook: Hook) -> None:
    if hook in _hooks:
        _hooks.remove(hook)


def emit(event: str, snapshot: dict[str, Any]) -> None:
    for hook in list(_hooks):
        try:
            hook(event, snapshot)
        except Exception:  # a notifier must never break the queue
            log.exception("approval hook %r failed on %s", hook, event)
