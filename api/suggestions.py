"""Suggestions learnt from approvers' edits, where approvers work: page, CLI, Slack.

:mod:`dunning.learning` finds the edits approvers keep making; this module gives each a
stable key, lists the edits behind it and the template it would change, and remembers
what a human decided (``dismissed`` or ``applied``) so a decided suggestion stays gone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import NotFound, ValidationError
from dunning.learning import EditPattern, suggest_changes
from ledger.models import Approval, SuggestionDecision

DECISIONS = ("dismissed", "applied")


@dataclass
class ShownSuggestion:
    key: str
    text: str
    pattern: EditPattern
    template: str
    edits: list[dict[str, Any]]


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
        out.append(ShownSuggestion(key, s.text, s.pattern, template_of(s.pattern), edits))
    return out


def decide(session: Session, key: str, *, decision: str, user: str, clock: Clock) -> str:
    """Remember ``dismissed`` or ``applied`` for the suggestion ``key``."""
    if decision not in DECISIONS:
        raise ValidationError(f"decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    found = next((s for s in open_suggestions(session) if s.key == key), None)
    if found is None:
        raise NotFound(f"suggestion {key} not found (or already decided)")
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
