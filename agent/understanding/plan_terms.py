"""Payment-plan terms in free text: how many instalments, over how long, how often.

Shared by replies ("could we do 3 monthly payments?") and controller requests
("propose a 4-month plan", "6 monthly payments", "weekly over 8 weeks"). Numbers may
be digits or words in six languages ("four", "vier", "quatre", "cuatro").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from agent.understanding._text import NUMBER, fold, number_value
from agent.understanding.amounts import find_amounts

__all__ = ["PlanTerms", "find_plan_terms"]


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """What a message says about a payment plan; None where it says nothing."""

    installments: int | None = None
    months: int | None = None
    weeks: int | None = None
    frequency: str | None = None  # weekly | fortnightly | monthly | quarterly
    installment_amount: Decimal | None = None
    down_payment: Decimal | None = None
    down_payment_percent: Decimal | None = None


_N = r"(?P<n>" + NUMBER + r")"
_INSTALLMENTS = re.compile(
    r"\b" + _N + r"\s*-?\s*(?:monthly |weekly |bi-?weekly |fortnightly |quarterly |equal |"
    r"separate |smaller |even |partial |monatliche\w* |mensuel\w* |mensual\w* )?(?:instal?lments?|"
    r"payments|parts|tranches|chunks|raten|teilzahlungen|zahlungen|monatsraten|mensualites|"
    r"versements|echeances|fois|cuotas|pagos|plazos|termijnen|betalingen|rate)\b"
    r"|\bsplit (?:it |this |that |them |the \w+ )?(?:into|in) " + _N.replace("n>", "n2>") + r"\b"
)
_MONTHS = re.compile(
    r"\b(?:(?:over|for|across|within|in|during|uber|auf|sur|en|durante|a|per|spanning|"
    r"spread over)\s+(?:the next\s+|a period of\s+|einen zeitraum von\s+)?"
    + _N
    + r"\s*(?:months?|monate|monaten|mois|meses|maanden|mesi)\b|"
    + _N.replace("n>", "m>")
    + r"\s*-?\s*(?:month|monats|mois|mes|maands|mesi)(?:-| )?(?:(?:monthly|instal+ment|"
    r"repayment|payment|monatlicher?|mensuel|mensual|mensile|maandelijkse?) )?(?:plan|payment plan|"
    r"zahlungsplan|ratenplan|echeancier|plan de pagos?)\b)"
)
_WEEKS = re.compile(
    r"\b(?:over|for|across|within|in|during|uber|sur|en|durante)\s+(?:the next\s+)?"
    + _N
    + r"\s*(?:weeks?|wochen|semaines|semanas|weken|settimane)\b"
)
_FREQUENCIES = [
    (
        "fortnightly",
        r"\bbi-?weekly\b|\bfortnightly\b|\bevery (?:two|2|other) weeks?\b|\balle "
        r"(?:zwei|2|14) (?:wochen|tage)\b|\bvierzehntag\w*|\btoutes les (?:deux|2) semaines\b|"
        r"\bquincenal\w*|\bcada (?:dos|2) semanas\b|\btweewekelijks\b|\bogni due settimane\b",
    ),
    (
        "weekly",
        r"\bweekly\b|\bevery week\b|\bper week\b|\ba week\b|/\s?(?:week|wk)\b|"
        r"\bwochentlich\w*|\bpro woche\b|\bhebdomadaire\w*|\bpar semaine\b|\bsemanal\w*|\bpor "
        r"semana\b|\bwekelijks\b|\bsettimanal\w*",
    ),
    (
        "quarterly",
        r"\bquarterly\b|\bevery (?:quarter|three months)\b|\bvierteljahrlich\b|"
        r"\bquartalsweise\b|\btrimestriel\w*|\btrimestral\w*|\bper kwartaal\b|\btrimestral\w*",
    ),
    (
        "monthly",
        r"\bmonthly\b|\bevery month\b|\bper month\b|\ba month\b|/\s?(?:month|mo)\b|"
        r"\bmonatlich\w*|\bpro monat\b|\bim monat\b|\bmonatsraten\b|\bmensuel\w*|\bpar mois\b|"
        r"\bmensualites\b|\bmensual\w*|\bal mes\b|\bpor mes\b|\bcada mes\b|\bmaandelijks\b|"
        r"\bper maand\b|\bmensil\w*|\bal mese\b",
    ),
]
_PER_INSTALLMENT = re.compile(
    r"^\s*(?:a|per|each|every|/|pro|par|al|por|cada|im)\s*(?:month|week|mo|wk|installment|"
    r"instalment|payment|monat|woche|rate|mois|semaine|mes|semana|cuota)?\b"
)
_DOWN = re.compile(
    r"\b(?:down ?payment|deposit|upfront|up front|up-front|initial payment|first payment|"
    r"anzahlung|acompte|apport|premier versement|enganche|pago inicial|entrada|aanbetaling|"
    r"anticipo)\b|\b(?:down|now)\b"
)
_PERCENT = re.compile(r"(?P<p>\d{1,2}(?:[.,]\d+)?)\s*(?:%|percent|prozent|pour ?cent|por ?ciento)")


def find_plan_terms(text: str) -> PlanTerms:
    """Return the instalment count, duration, frequency and amounts written in ``text``."""
    folded = fold(text)
    installments = _first_number(_INSTALLMENTS, folded)
    months = _first_number(_MONTHS, folded)
    weeks = _first_number(_WEEKS, folded)
    frequency = next((name for name, rx in _FREQUENCIES if re.search(rx, folded)), None)
    per_installment: Decimal | None = None
    down: Decimal | None = None
    for found in find_amounts(text):
        after = folded[found.end : found.end + 20]
        before = folded[max(0, found.start - 30) : found.start]
        if _PER_INSTALLMENT.match(after) and not _DOWN.match(after.strip()):
            per_installment = per_installment if per_installment is not None else found.amount
        elif _DOWN.search(after[:12]) or _DOWN.search(before):
            down = down if down is not None else found.amount
    down_percent = None
    for m in _PERCENT.finditer(folded):
        window = folded[max(0, m.start() - 30) : m.end() + 20]
        if _DOWN.search(window):
            down_percent = Decimal(m["p"].replace(",", "."))
            break
    return PlanTerms(installments, months, weeks, frequency, per_installment, down, down_percent)


def _first_number(regex: re.Pattern[str], folded: str) -> int | None:
    for m in regex.finditer(folded):
        token = next((v for v in m.groupdict().values() if v), None)
        value = number_value(token) if token else None
        if value and 0 < value <= 120:
            return value
    return None
