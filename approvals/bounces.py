"""After a send: tell a person when an address was refused for good.

The outbox (``mail.outbox``) flags a contact as bouncing when the server answers RCPT
with a 5xx; this module turns each such refusal into one ``escalate`` proposal saying
which address, the server's words and which email did not reach it. The same refusal
twice makes the same proposal, which the queue recognises as a duplicate.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from approvals._db import transaction
from approvals.queue import propose
from core.clock import Clock
from ledger.models import Communication
from mail.bounces import is_address_refusal
from policies.actions import ProposedAction

REQUESTED_BY = "outbox"


def escalate_refusals(db: Any, comm_ids: list[int], *, clock: Clock, policy: Any) -> list[int]:
    """Propose an escalation for every email among ``comm_ids`` with a 5xx recipient."""
    if not comm_ids:
        return []
    proposed = []
    with transaction(db) as session:
        rows = session.scalars(select(Communication).where(Communication.id.in_(comm_ids)))
        for comm in list(rows):
            answers = (comm.meta or {}).get("recipients") or {}
            refused = {a: str(r) for a, r in answers.items() if is_address_refusal(str(r))}
            if not refused:
                continue
            said = "; ".join(f"Mail to {a} bounced: {r}" for a, r in refused.items())
            reason = (
                f"{said}. The email {comm.subject!r} did not reach "
                f"{'them' if len(refused) > 1 else 'it'}; the contact is flagged as bouncing "
                "and gets no more mail: find a working address."
            )
            action = ProposedAction(
                type="escalate",
                payload={"customer": comm.customer_id, "reason": reason},
                requested_by=REQUESTED_BY,
                reason=reason,
                context={"communication": comm.id, "bounced": refused},
            )
            result = propose(session, action, clock=clock, policy=policy)
            if result.approval is not None and not result.duplicate:
                proposed.append(result.approval.id)
    return proposed
