"""Understand a controller's chat message (Slack / web): the request and its slots.

Cue patterns (``patterns.yaml``, ``vocabulary``) vote for a request; the highest score wins and a
tie goes to the more specific request ("pause reminders" is ``hold_dunning``, not
``draft_reminders``). Slots are read independently of the intent: customers by fuzzy
name (``customers``), invoice numbers, "30+ days" thresholds, plan terms, amounts,
dates, "top 5". A message that names no customer but says "they/their/them/that
customer" is a follow-up: the caller fills the customer from conversation memory.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from agent.understanding import _periods
from agent.understanding._cues import scan
from agent.understanding._text import (
    NUMBER,
    correct_typos,
    expand_shorthand,
    fold,
    number_value,
    sentences,
)
from agent.understanding.amounts import find_amounts
from agent.understanding.customers import CustomerName, match_customers
from agent.understanding.dates import find_dates
from agent.understanding.invoices import find_invoice_refs
from agent.understanding.language import detect_language
from agent.understanding.plan_terms import find_plan_terms
from agent.understanding.reply_facts import find_emails
from agent.understanding.vocabulary import REQUEST_CUES, SPECIFICITY

__all__ = ["REQUEST_INTENTS", "ControllerRequest", "CustomerName", "understand_request"]

REQUEST_INTENTS = (*SPECIFICITY, "unknown")


@dataclass(frozen=True, slots=True)
class ControllerRequest:
    """What a controller asked for and the details needed to do it."""

    intent: str
    confidence: float = 0.0
    customer_candidates: list[tuple[str, float]] = field(default_factory=list)
    customer_query: str | None = None
    invoices: list[str] = field(default_factory=list)
    min_days_overdue: int | None = None
    installments: int | None = None
    months: int | None = None
    frequency: str | None = None
    down_payment: Decimal | None = None
    amount: Decimal | None = None
    date: date | None = None
    limit: int | None = None
    bucket: str | None = None
    is_follow_up: bool = False
    evidence: list[str] = field(default_factory=list)
    # Extras beyond the agreed API.
    weeks: int | None = None
    down_payment_percent: Decimal | None = None
    email: str | None = None
    dispute_reason: str | None = None
    language: str = "en"
    scores: dict[str, float] = field(default_factory=dict)
    repeats_previous_intent: bool = False  # "same for Initech", "and Globex?"


_FOLLOW_UP = re.compile(
    r"\b(?:they|their|theirs|them|they're|theyre|that customer|this customer|the customer|same "
    r"customer|that account|this account|that one|it|its|sie|ihre?|ihnen|denen|dieser kunde|"
    r"diesen kunden|ils|leurs?|eux|ce client|ellos|sus?|ese cliente|este cliente)\b|^\s*(?:and|"
    r"what about|how about|und|et|y)\b"
)
_SAME_AGAIN = re.compile(
    r"^\W*(?:ok(?:ay)?,?\s+)?(?:and|what about|how about|same (?:for|with)|same thing for|now|"
    r"also|und|und fur|und was ist mit|dasselbe fur|et|et pour|meme chose pour|y|y para|lo mismo "
    r"para|en|wat met|e|e per)\b"
)
_MIN_DAYS = [
    (re.compile(r"\b(?P<n>\d{1,3})\s*\+\s*(?:days?|d\b|tage?n?|jours?|dias?)?"), 1),
    (
        re.compile(
            r"(?:>=?|\b(?:over|more than|older than|at least|beyond|past|greater than|longer than|"
            r"uber|mehr als|seit uber|plus de|au-dela de|mas de|mas que|mindestens))\s*"
            r"(?P<n>" + NUMBER + r")\s*(?P<unit>days?|d\b|weeks?|months?|tage?n?|wochen|monate?n?|"
            r"jours?|semaines?|mois|dias?|semanas?|meses)"
        ),
        1,
    ),
    (
        re.compile(
            r"\b(?P<n>" + NUMBER + r")\s*(?P<unit>days?|weeks?|months?|tage?n?|wochen|"
            r"jours?|semaines?|dias?|semanas?)\s*(?:or more\s+)?(?:late|overdue|past due|old|"
            r"uberfallig|de retard|en retard|vencid[oa]s?|de atraso)"
        ),
        1,
    ),
]
_BUCKETS = [
    ("90+", re.compile(r"\b90\s*\+|\b(?:over|more than|above|uber|plus de|mas de) 90\b|\b91\+")),
    ("61-90", re.compile(r"\b61\s*-\s*90\b|\b60\s*-\s*90\b")),
    ("31-60", re.compile(r"\b31\s*-\s*60\b|\b30\s*-\s*60\b")),
    ("1-30", re.compile(r"\b1\s*-\s*30\b|\b0\s*-\s*30\b")),
    ("current", re.compile(r"\bcurrent bucket\b|\bnot (?:yet )?due\b|\bnicht fallig\b")),
]
_LIMIT = re.compile(
    r"\b(?:top|first|biggest|largest|worst|erste[nr]?|premiers?|primer[oa]s?|"
    r"los)\s+(?P<n>" + NUMBER + r")\b|\b(?P<m>" + NUMBER + r")\s+(?:biggest|"
    r"largest|worst|highest|groesste|plus gros|mayores)\b"
)
_FOR_DURATION = re.compile(
    r"\bfor (?:the next )?(?P<n>" + NUMBER + r"|a|one|a couple of)\s+"
    r"(?P<unit>days?|weeks?|months?)\b|\bfur (?P<n2>" + NUMBER + r")\s+"
    r"(?P<unit2>tage|wochen|monate)\b"
)
_REASONS = [
    ("pricing", r"\bpric\w*|\brate\b|\bquote\w*|\bovercharg\w*|\bpreis\w*|\bprix\b|\bprecio\b"),
    ("quantity", r"\bquantit\w*|\bshort[- ]?ship\w*|\bmissing\b|\bmenge\b|\bcantidad\b"),
    ("quality", r"\bdamag\w*|\bdefect\w*|\bquality\b|\bbroken\b|\bfaulty\b|\bbeschadigt\b"),
    (
        "not_received",
        r"\bnot (?:received|delivered)\b|\bnever (?:received|arrived|delivered)\b|"
        r"\bdelivery\b|\bnicht geliefert\b",
    ),
    ("duplicate", r"\bduplicate\w*|\bdouble[- ]?bill\w*|\btwice\b|\bdoppelt\b"),
    ("already_credited", r"\bcredit (?:note|memo)\b|\bcredited\b|\bgutschrift\b"),
    ("tax", r"\btax\w*|\bvat\b|\bmwst\b|\btva\b|\biva\b"),
]


def understand_request(
    text: str,
    *,
    today: date,
    customers: Sequence[CustomerName] = (),
    known_invoices: Collection[str] = (),
) -> ControllerRequest:
    """Classify a controller's message and extract customer, invoices, dates and terms."""
    folded_clauses = [correct_typos(expand_shorthand(fold(s))) for s in sentences(text)] or [
        fold(text)
    ]
    scores: dict[str, float] = defaultdict(float)
    evidence: list[str] = []
    for hit in scan(folded_clauses, REQUEST_CUES):
        scores[hit.label] += hit.weight
        evidence.append(f"{hit.label}: {hit.text.strip()[:50]!r}")
    intent = _choose(scores)
    folded = fold(text)
    match = match_customers(text, customers)
    terms = find_plan_terms(text)
    amounts = find_amounts(text)
    found_dates = [d for d in find_dates(text, today=today) if d.date >= today]
    when = found_dates[0].date if found_dates else _duration_end(folded, today)
    is_follow_up = not match.candidates and bool(_FOLLOW_UP.search(folded))
    top = scores.get(intent, 0.0)
    runner_up = max((v for k, v in scores.items() if k != intent), default=0.0)
    confidence = (
        0.2 if intent == "unknown" else min(0.97, 0.45 + 0.12 * top - 0.1 * (runner_up >= top))
    )
    emails = find_emails(text)
    return ControllerRequest(
        intent=intent,
        confidence=round(max(confidence, 0.05), 2),
        customer_candidates=match.candidates,
        customer_query=match.query,
        invoices=find_invoice_refs(text, known=known_invoices),
        min_days_overdue=_min_days(folded),
        installments=terms.installments,
        months=terms.months,
        frequency=terms.frequency,
        down_payment=terms.down_payment,
        amount=next(
            (a.amount for a in amounts if a.currency), amounts[0].amount if amounts else None
        ),
        date=when,
        limit=_limit(folded),
        bucket=next((name for name, rx in _BUCKETS if rx.search(folded)), None),
        is_follow_up=is_follow_up,
        evidence=evidence,
        weeks=terms.weeks,
        down_payment_percent=terms.down_payment_percent,
        email=emails[0] if emails else None,
        dispute_reason=_reason(folded) if intent == "open_dispute" else None,
        language=detect_language(text),
        scores={k: round(v, 2) for k, v in scores.items()},
        repeats_previous_intent=intent == "unknown" and bool(_SAME_AGAIN.search(folded)),
    )


def _choose(scores: dict[str, float]) -> str:
    real = {k: v for k, v in scores.items() if v >= 1.0 and k != "greeting"}
    if not real:
        return "greeting" if scores.get("greeting") else "unknown"
    best = max(real.values())
    return next(name for name in SPECIFICITY if real.get(name) == best)


def _min_days(folded: str) -> int | None:
    for regex, _ in _MIN_DAYS:
        m = regex.search(folded)
        if not m:
            continue
        value = number_value(m["n"])
        if value is None:
            continue
        unit = m.groupdict().get("unit") or "days"
        if unit.startswith(("week", "woche", "semaine", "semana")):
            value *= 7
        elif unit.startswith(("month", "monat", "mois", "mes")):
            value *= 30
        return value
    return None


def _limit(folded: str) -> int | None:
    m = _LIMIT.search(folded)
    if not m:
        return None
    return number_value(m["n"] or m["m"])


def _duration_end(folded: str, today: date) -> date | None:
    m = _FOR_DURATION.search(folded)
    if not m:
        return None
    count = m["n"] or m["n2"]
    unit = m["unit"] or m["unit2"]
    count = {"a": "1", "one": "1", "a couple of": "2"}.get(count, count)
    return _periods.offset_date(today, count, unit)


def _reason(folded: str) -> str:
    return next((name for name, rx in _REASONS if re.search(rx, folded)), "other")
