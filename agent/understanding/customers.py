"""Fuzzy-match customer names mentioned in a controller's message (rapidfuzz).

Names and aliases are compared without legal suffixes ("Inc.", "GmbH", "SARL"),
punctuation, possessives ("Globex's") or connectors ("&", "and", "et", "und"). Every
1-4 word span of the message that is not a common word is scored against each name
with ``fuzz.ratio`` (typos), against the name's distinctive first word, and with
``fuzz.token_set_ratio`` when that first word is present (so "Umbrella" finds
"Umbrella Industries GmbH"). Candidates within a few points of the best are all
returned, so an ambiguous name yields several.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from agent.understanding._text import fold, words

__all__ = ["CustomerMatch", "CustomerName", "match_customers", "normalise_name"]


@dataclass(frozen=True, slots=True)
class CustomerName:
    """A customer the caller knows: its id, name and aliases."""

    id: str
    name: str
    aliases: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """Customer candidates (id, score 0-100, best first) and the words that named them."""

    candidates: list[tuple[str, float]]
    query: str | None


_LEGAL = frozenset(
    words(
        "inc incorporated llc l.l.c ltd limited corp corporation co company plc gmbh ag kg ohg ug "
        "mbh e.k ek sarl sa sas sasu eurl sl slu srl spa s.p.a bv b.v nv n.v oy ab as aps pty "
        "pte lp llp group holding holdings"
    )
)
_CONNECTORS = frozenset(words("and und et y e en the der die das la le el of"))
_COMMON = frozenset(
    words(
        "a an the and or of for to in on at by with from about what whats what's how much many "
        "does do did is are was were be been has have had owe owes owing us we our me my you "
        "your it its they them their this that these those all any some every everything "
        "invoice invoices balance open items item unpaid outstanding overdue late days day week "
        "weeks month months plan payment payments reminder reminders draft send show list give "
        "me please pls thanks oldest history timeline aging ageing report top debtors customer "
        "customers account accounts promise promised promises dispute disputing hold pause "
        "dunning escalate update contact email match bank file run cycle approval approvals "
        "write off help hi hello hey there just now today tomorrow friday monday next last "
        "wants want pay paid can could would should will monthly weekly installments new set "
        "up log open propose draft chase quantity pricing issue wrong legal still which who "
        "wie viel welche rechnungen von sind schuldet uns der die das fur und mit "
        "combien doit nous les des factures de pour cuanto nos debe las facturas para "
        "lately pending waiting statement cash application apply ar bucket buckets biggest "
        "largest look like"
    )
)


def normalise_name(name: str) -> str:
    """Return a comparable form of a company name: folded, no suffixes or punctuation."""
    text = fold(name).replace("&", " ").replace(".", "")
    text = re.sub(r"'s\b|’s\b", "", text)
    tokens = [t for t in re.split(r"[^\w]+", text) if t]
    tokens = [t for t in tokens if t not in _LEGAL and t not in _CONNECTORS]
    return " ".join(tokens)


def match_customers(
    text: str, customers: Sequence[CustomerName], *, threshold: float = 80.0, margin: float = 6.0
) -> CustomerMatch:
    """Return the customers ``text`` most likely names, best first."""
    if not customers:
        return CustomerMatch([], None)
    spans = _spans(text)
    best: dict[str, tuple[float, str]] = {}
    exact: dict[str, str] = {}
    for customer in customers:
        for name in (customer.name, *customer.aliases):
            target = normalise_name(name)
            if not target:
                continue
            for span_text, span_norm in spans:
                if span_norm == target:
                    exact.setdefault(customer.id, span_text)
                score = _score(span_norm, target)
                if score > best.get(customer.id, (0.0, ""))[0]:
                    best[customer.id] = (score, span_text)
    if len(exact) == 1:  # a name or alias written out exactly is authoritative
        ((only, span_text),) = exact.items()
        return CustomerMatch([(only, 100.0)], span_text)
    ranked = sorted(
        ((cid, s) for cid, (s, _) in best.items() if s >= threshold), key=lambda item: -item[1]
    )
    if not ranked:
        return CustomerMatch([], None)
    top = ranked[0][1]
    candidates = [(cid, round(score, 1)) for cid, score in ranked if score >= top - margin]
    return CustomerMatch(candidates, best[candidates[0][0]][1])


def _spans(text: str) -> list[tuple[str, str]]:
    tokens = list(re.finditer(r"[\w&'’.-]+", text))
    spans: list[tuple[str, str]] = []
    for i in range(len(tokens)):
        for j in range(i, min(i + 4, len(tokens))):
            chunk = text[tokens[i].start() : tokens[j].end()]
            edge_words = (fold(tokens[i].group(0)), fold(tokens[j].group(0)))
            if any(w in _COMMON or w in _CONNECTORS for w in edge_words):
                continue
            norm = normalise_name(chunk)
            words_in = norm.split()
            if not words_in or all(w in _COMMON or w.isdigit() for w in words_in):
                continue
            if words_in[0] in _COMMON or words_in[-1] in _COMMON:
                continue
            spans.append((chunk.strip(" .,'’"), norm))
    return spans


def _score(span: str, target: str) -> float:
    score = fuzz.ratio(span, target)
    target_words = target.split()
    first = target_words[0]
    if len(first) >= 4:
        score = max(score, fuzz.ratio(span, first) - (0 if len(target_words) == 1 else 2))
        span_words = span.split()
        if len(span_words) == 1 and len(span) >= 5 and span[0] == first[0]:
            score = max(score, 100 * JaroWinkler.normalized_similarity(span, first) - 8)
        if any(fuzz.ratio(w, first) >= 85 for w in span_words):
            score = max(score, fuzz.token_set_ratio(span, target) - 1)
    if len(span) < 3:
        score = min(score, 60.0)
    return float(score)
