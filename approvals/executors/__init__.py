"""One executor per approval type; ``EXECUTORS[type](ctx) -> result dict``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from approvals.executors import (
    apply_payment,
    change_credit,
    change_template,
    create_payment_plan,
    escalate,
    hold_dunning,
    open_dispute,
    record_promise,
    reverse_payment,
    send_email,
    update_contact,
)
from approvals.executors.base import ExecContext, Refused

EXECUTORS: dict[str, Callable[[ExecContext], dict[str, Any]]] = {
    "send_email": send_email.run,
    "record_promise": record_promise.run,
    "open_dispute": open_dispute.run,
    "create_payment_plan": create_payment_plan.run,
    "apply_payment": apply_payment.run,
    "update_contact": update_contact.run,
    "hold_dunning": hold_dunning.run,
    "escalate": escalate.run,
    "change_credit": change_credit.run,
    "change_template": change_template.run,
    "reverse_payment": reverse_payment.run,
}

__all__ = ["EXECUTORS", "ExecContext", "Refused"]
