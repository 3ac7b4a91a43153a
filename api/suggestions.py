"""Suggestions learnt from approvers' edits, where approvers work: page, CLI, Slack.

:mod:`dunning.learning` finds the edits approvers keep making; this module gives each a
stable key, lists the edits behind it and the template it would change, and remembers
what a human decided so a decided suggestion stays gone. Applying one is itself an
approval: it queues a ``change_template`` proposal, and a colleague approves it like any
other; once executed, new drafts carry the change (:mod:`dunning.phrases`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.queue import propose
from core.clock import Clock
from core.errors import NotFound, ValidationError
from dunning.learning import EditPattern, suggest_changes
from ledger.models import Approval, SuggestionDecision
from policies.actions import ProposedAction

DECISIONS = ("dismissed",)


@dataclass
class ShownSuggestion:
    key: str
    text: str
    pattern: EditPattern
    template: str
    edits: list[dict[str, Any]]
    waiting: int | None = None  # the change_template approval queued for it


def suggestion_key(p: EditPattern) -> str:
    raw = "|".join([p.field, p.stage or "", p.language or "", p.removed, p.added])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def template_of(p: EditPattern) -> str:
    """The template file the change would go to."""
    lang = p.language or "en"
    if p.stage in (None, "", "thank_you"):
        return f"prompts/templates/dunning/thank_you.{lang}.j2"
    if p.stage == "installment":
        return f"prompts/templates/dunning/installment.{lang}.j2"
    return f"prompts/templates/dunning/reminder.{lang}.j2 ({p.stage})"


def open_suggestions(session: Session, *, min_count: int = 2) -> list[ShownSuggestion]:
    """Suggestions nobody has decided on yet, with the edits behind each."""
    decided = set(session.scalars(select(SuggestionDecision.key)))
    waiting = {
        (payload or {}).get("suggestion"): approval_id
        for approval_id, payload in session.execute(
            select(Approval.id, Approval.payload).where(
                Approval.type == "change_template", Approval.status.in_(("pending", "approved"))
            )
        )
    }
    out = []
    for s in suggest_changes(session, min_count=min_count):
        key = suggestion_key(s.pattern)
        if key in decided:
            continue
        rows = session.execute(
            select(Approval.id, Approval.customer_id, Approval.edits, Approval.decided_by).where(
                Approval.id.in_(s.pattern.approvals)
            )
        ).all()
        edits = [
            {"approval": r[0], "customer": r[1], "by": (r[2] or {}).get("by") or r[3]} for r in rows
        ]
        out.append(
            ShownSuggestion(key, s.text, s.pattern, template_of(s.pattern), edits, waiting.get(key))
        )
    return out


def _find(session: Session, key: str) -> ShownSuggestion:
    found = next((s for s in open_suggestions(session) if s.key == key), None)
    if found is None:
        raise NotFound(f"suggestion {key} not found (or already decided)")
    return found


def apply(session: Session, key: str, *, user: str, clock: Clock) -> str:
    """Queue the suggestion as a ``change_template`` approval (someone else approves it)."""
    found = _find(session, key)
    if found.waiting:
        return f"suggestion {key} already waits for approval as #{found.waiting}"
    p = found.pattern
    action = ProposedAction(
        type="change_template",
        requested_by=user,
        reason=found.text,
        payload={
            "suggestion": key,
            "template": found.template,
            "field": p.field,
            "stage": p.stage,
            "language": p.language,
            "removed": p.removed,
            "added": p.added,
        },
        context={"source": "suggestions", "edits": found.edits},
    )
    queued = propose(session, action, clock=clock)
    if queued.approval is None:
        reasons = "; ".join(getattr(queued.verdict, "reasons", []) or ["not allowed"])
        raise ValidationError(f"suggestion {key} cannot be applied: {reasons}")
    return f"#{queued.approval.id} queued for approval: once approved, new drafts carry the change"


def decide(session: Session, key: str, *, decision: str, user: str, clock: Clock) -> str:
    """Remember ``dismissed`` for the suggestion ``key``."""
    if decision not in DECISIONS:
        raise ValidationError(f"decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    found = _find(session, key)
    session.add(
        SuggestionDecision(
            key=key,
            decision=decision,
            decided_by=user,
            decided_at=clock.now(),
            detail={"text": found.text, "template": found.template},
        )
    )
    return f"suggestion {decision}: {found.text}"
