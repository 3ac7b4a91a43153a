"""Learning from approvers: the edits they make most often, as suggested changes.

When an approver edits a draft, the queue stores ``Approval.edits = {"before":
payload, "after": payload, "by": user}``. This module diffs subject and body word by
word, generalises the changed phrases (digits become ``#`` so "INV-1042" and
"INV-2210" count as one edit, case and spacing are ignored), counts each edit once per
approval, per field, stage and language, and turns the most frequent ones into
suggested template or policy changes. A human applies them; nothing changes here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.models import Approval

TEXT_FIELDS = ("subject", "body")
LIST_FIELDS = ("to", "cc")
_DIGITS = re.compile(r"\d")
_MAX_PHRASE_WORDS = 25


@dataclass
class EditPattern:
    field: str
    stage: str | None
    language: str | None
    removed: str
    added: str
    approvals: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.approvals)

    @property
    def kind(self) -> str:
        return "replace" if self.removed and self.added else "delete" if self.removed else "insert"


@dataclass(frozen=True)
class Suggestion:
    text: str
    pattern: EditPattern


def _norm(words: list[str]) -> str:
    return _DIGITS.sub("#", " ".join(words).lower())


def _text_edits(before: str, after: str) -> set[tuple[str, str]]:
    """(removed, added) phrase pairs between two texts, generalised."""
    a, b = before.split(), after.split()
    out = set()
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if max(i2 - i1, j2 - j1) > _MAX_PHRASE_WORDS:
            out.add(("(a long passage)", "(rewritten)"))
            continue
        out.add((_norm(a[i1:i2]), _norm(b[j1:j2])))
    return out


def _list_edits(before: Any, after: Any) -> set[tuple[str, str]]:
    old = {str(x).lower() for x in (before or [])}
    new = {str(x).lower() for x in (after or [])}
    out = set()
    if new - old:
        out.add(("", "another address"))
    if old - new:
        out.add(("an address", ""))
    return out


def edit_patterns(
    session: Session, *, since: date | None = None, min_count: int = 2
) -> list[EditPattern]:
    """Edits made to ``send_email`` drafts by at least ``min_count`` approvals, most first."""
    found: dict[tuple[str, str | None, str | None, str, str], EditPattern] = {}
    query = select(Approval.id, Approval.payload, Approval.edits, Approval.decided_at).where(
        Approval.type == "send_email", Approval.edits.is_not(None)
    )
    for approval_id, payload, edits, decided_at in session.execute(query):
        if since and decided_at and decided_at.date() < since:
            continue
        before, after = (edits or {}).get("before"), (edits or {}).get("after")
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue  # not a before/after record: nothing to learn from
        stage = after.get("stage") or after.get("kind") or (payload or {}).get("stage")
        language = after.get("language") or before.get("language")
        for name in (*TEXT_FIELDS, *LIST_FIELDS):
            if before.get(name) == after.get(name):
                continue
            pairs = (
                _text_edits(str(before.get(name) or ""), str(after.get(name) or ""))
                if name in TEXT_FIELDS
                else _list_edits(before.get(name), after.get(name))
            )
            for removed, added in pairs:
                key = (name, stage, language, removed, added)
                pattern = found.setdefault(key, EditPattern(name, stage, language, removed, added))
                if approval_id not in pattern.approvals:
                    pattern.approvals.append(approval_id)
    patterns = [p for p in found.values() if p.count >= min_count]
    return sorted(patterns, key=lambda p: (-p.count, p.field, p.stage or "", p.removed, p.added))


def _where(p: EditPattern) -> str:
    stage = f"{p.stage} " if p.stage else ""
    lang = f" ({p.language})" if p.language else ""
    return f"{stage}drafts{lang}"


def suggest_changes(
    session: Session, *, since: date | None = None, min_count: int = 2, limit: int = 10
) -> list[Suggestion]:
    """The most frequent approver edits as suggestions a human can apply."""
    out = []
    totals: dict[str | None, int] = defaultdict(int)
    for p in edit_patterns(session, since=since, min_count=min_count)[:limit]:
        totals[p.stage] += 1
        where, times = _where(p), f"{p.count} times"
        if p.field in LIST_FIELDS:
            verb = "added" if p.added else "removed"
            text = (
                f"Approvers {verb} {p.field} recipients in {where} {times}: review which "
                f"contacts the cadence writes to (cc_secondary_contact in the policy)."
            )
        elif p.kind == "replace":
            text = (
                f'Approvers replaced "{p.removed}" with "{p.added}" in the {p.field} of '
                f"{where} {times}: consider changing the template."
            )
        elif p.kind == "delete":
            text = (
                f'Approvers deleted "{p.removed}" from the {p.field} of {where} {times}: '
                "consider removing it from the template."
            )
        else:
            text = (
                f'Approvers added "{p.added}" to the {p.field} of {where} {times}: '
                "consider adding it to the template."
            )
        out.append(Suggestion(text, p))
    return out
