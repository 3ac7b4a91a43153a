"""The cue engine behind reply and request understanding.

A ``Cue`` is a regular expression over folded text (lower case, no accents) that votes
for a label with a weight. A negatable cue preceded by a negator in the same clause
("we will *not* pay", "wir haben die Rechnung *nicht* erhalten", "nous n'avons *pas*
payé") does not vote for its label but for its ``negated`` label, when it has one.
Cues that already contain their negation ("never arrived", "keine weiteren E-Mails")
are written with ``negatable=False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from agent.understanding.vocab import NEGATORS

__all__ = ["Cue", "Hit", "is_negated", "scan"]


@dataclass(frozen=True, slots=True)
class Cue:
    """A pattern that votes ``weight`` for ``label`` (``negated`` when negated)."""

    label: str
    pattern: re.Pattern[str]
    weight: float = 1.0
    negatable: bool = True
    negated: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue matched in one clause."""

    label: str
    weight: float
    tag: str | None
    text: str
    clause: int
    start: int
    end: int
    negated: bool
    source: str = ""


_BOUNDARY = re.compile(
    r"[,;:()\-–]|\b(?:but|however|although|though|and|aber|jedoch|doch|und|mais|cependant|"
    r"et|pero|sin embargo|y|maar|en|ma|e|so|then|because|since|weil|da|car|porque|omdat|"
    r"perche)\b"
)
_AFTER_NEGATORS = frozenset(
    {"nicht", "nie", "niet", "pas", "not", "never", "jamais", "nunca", "niemals"}
)


def is_negated(clause: str, start: int, end: int) -> bool:
    """Tell whether the words just before (or, for verb-second languages, after) a span negate it."""
    inside = re.findall(r"[a-z']+", clause[start:end])[:-1]
    if any(t in NEGATORS or t.endswith("n't") for t in inside):
        return True
    before = clause[max(0, start - 48) : start]
    cut = [m.end() for m in _BOUNDARY.finditer(before)]
    if cut:
        before = before[cut[-1] :]
    tokens = re.findall(r"[a-z']+", before)[-4:]
    if any(t in NEGATORS or t.endswith("n't") or t == "n'" for t in tokens):
        return True
    if re.search(r"\bn'\s*$|\bn'[a-z]+\s+$", before):
        return True
    after = re.findall(r"[a-z']+", clause[end : end + 24])[:2]
    return any(t in _AFTER_NEGATORS for t in after)


def scan(clauses: Iterable[str], cues: Iterable[Cue]) -> list[Hit]:
    """Return every hit of ``cues`` in the (already folded) ``clauses``."""
    cue_list = list(cues)
    hits: list[Hit] = []
    for index, clause in enumerate(clauses):
        for item in cue_list:
            for m in item.pattern.finditer(clause):
                negated = item.negatable and is_negated(clause, m.start(), m.end())
                label = item.negated if negated else item.label
                if label is None:
                    continue
                hits.append(
                    Hit(
                        label,
                        item.weight,
                        item.tag,
                        m.group(0),
                        index,
                        m.start(),
                        m.end(),
                        negated,
                        item.pattern.pattern,
                    )
                )
    return hits
