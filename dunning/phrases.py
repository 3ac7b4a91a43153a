"""Phrase changes approvers approved (from suggestions), applied to every new draft.

A rule says: in the ``field`` (subject or body) of drafts of ``stage`` and ``language``,
replace the phrase ``removed`` with ``added``. Phrases are as :mod:`dunning.learning`
found them: lower case, single spaces, digits as ``#``; matching ignores case and
spacing, and a replacement keeps the capital of the text it replaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.executors.change_template import PHRASES_KEY
from ledger.models import KeyValue


@dataclass(frozen=True)
class PhraseRule:
    field: str
    stage: str | None
    language: str | None
    removed: str
    added: str

    @property
    def pattern(self) -> re.Pattern[str]:
        words = [
            re.escape(w).replace("\\#", "\\d").replace("#", "\\d") for w in self.removed.split()
        ]
        return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)


def load_phrase_rules(session: Session) -> list[PhraseRule]:
    row = session.scalar(select(KeyValue).where(KeyValue.key == PHRASES_KEY))
    rules: list[dict[str, Any]] = ((row.value if row else None) or {}).get("rules", [])
    return [
        PhraseRule(r["field"], r.get("stage"), r.get("language"), r["removed"], r.get("added", ""))
        for r in rules
        if r.get("removed")
    ]


def _keep_case(added: str):  # type: ignore[no-untyped-def]
    def swap(m: re.Match[str]) -> str:
        if added and m.group(0)[:1].isupper():
            return added[:1].upper() + added[1:]
        return added

    return swap


def apply_phrases(rules: list[PhraseRule], stage: str | None, draft: Any) -> Any:
    """``draft`` (a :class:`dunning.drafts.Draft`) with the rules of its stage and language."""
    changed = {}
    for rule in rules:
        if rule.stage not in (None, stage) or rule.language not in (None, draft.language):
            continue
        text = changed.get(rule.field, getattr(draft, rule.field))
        changed[rule.field] = rule.pattern.sub(_keep_case(rule.added), text)
    return replace(draft, **changed) if changed else draft
