"""Find money amounts in free text: "$12,400.00", "12.400,00 €", "EUR 1.234,56", "12k".

Decimal separator rule: when both ``,`` and ``.`` appear, the last one is the decimal
mark; a single separator followed by exactly three digits groups thousands ("12,400",
"5.000"), followed by one or two digits it is the decimal mark ("12,5", "99.90").
Spaces, apostrophes and narrow spaces group thousands ("1 234,56", "1'234.56").

A bare number (no currency) counts only when it looks like money: it has cents or
thousands grouping, a ``k``/``m`` suffix, or is 100 or more and is not a year, an
invoice or reference number, a phone number, a date, a time, a percentage or a count of
days/weeks/months. Never float: every amount is a ``Decimal``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from agent.understanding._text import alternation, fold, words
from agent.understanding.dates import find_dates

__all__ = ["FoundAmount", "find_amounts"]


@dataclass(frozen=True, slots=True)
class FoundAmount:
    """An amount found in text; ``currency`` is an ISO code or None when not written."""

    amount: Decimal
    currency: str | None
    start: int
    end: int
    text: str


_ANY_DAY = date(2000, 1, 1)  # date spans do not depend on the day
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "c$": "CAD",
    "ca$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "chf": "CHF",
    "sfr": "CHF",
    "fr.": "CHF",
    "r$": "BRL",
}
_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "bucks": "USD",
    "dolares": "USD",
    "dolar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "sterling": "GBP",
    "francs": "CHF",
    "franken": "CHF",
}
_CODES = words(
    "usd eur gbp chf cad aud jpy mxn sek nok dkk pln czk huf nzd sgd hkd inr brl zar cny"
)
_CUR_BEFORE = alternation(list(_SYMBOLS) + [c for c in _CODES])
_CUR_AFTER = alternation(list(_SYMBOLS) + _CODES + list(_WORDS))
_NUM = r"\d{1,3}(?:(?:[,.'\u2009 ])\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SCALE = r"(?:\s?(?P<scale>k|m|mm|mn|thousand|million|mio|tsd|mil|mille)\b)?"
_AMOUNT_RE = re.compile(
    r"(?<![\w.,])(?:(?P<pre>"
    + _CUR_BEFORE
    + r")\s?)?(?P<num>"
    + _NUM
    + r")(?!\d)"
    + _SCALE
    + r"(?:\s?(?P<post>"
    + _CUR_AFTER
    + r")(?![a-z]))?"
    + r"(?:\s?(?P<code>"
    + alternation(_CODES)
    + r")(?![a-z]))?",
)
_SCALES = {
    "k": 1000,
    "thousand": 1000,
    "tsd": 1000,
    "mil": 1000,
    "mille": 1000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "mio": 1_000_000,
}
_NOT_MONEY_AFTER = re.compile(
    r"\s*(?:%|percent|prozent|pour\s*cent|por\s*ciento|x\b|times|"
    r"days?|weeks?|months?|years?|tage?n?|wochen?|monate?n?|jours?|semaines?|mois|"
    r"dias?|semanas?|meses|dagen|weken|maanden|giorni|settimane|mesi|installments?|"
    r"instalments?|payments?|raten|cuotas|mensualites|fois|units?|pcs|pieces?|"
    r"stuck|st\.|items?|am\b|pm\b|uhr|h\b|hrs|:\d|[./-]\d)"
)
_REFERENCE_BEFORE = re.compile(
    r"(?:#|\bno\.?|\bnr\.?|n°|\bnum(?:ber|ero|mer)?\.?|\bref(?:erence)?\.?|\breferenz\w*|"
    r"\breference|\breferencia|\bverwendungszweck|\brma|\bkenmerk|\bbeleg\w*|\binv(?:oice)?s?"
    r"|\brechnung(?:en|snummer)?|\bfactur[ea]s?|\bfatture?|\bfactuur|\bpo|\border|"
    r"\btrace|\bach|\bwire|\bcheck|\bcheque|\bchk|\bconfirmation|\bticket|\bcase|\bacct|"
    r"\baccount|\biban|\bphone|\btel|\bfax|\bmobile|\bcall|\bext|\bzip|\bsuite|\bplz|"
    r"\bapt|\broom|\bunit|\bbox)\s*[:#]?\s*$|[a-z][-_/]?$"
)


def find_amounts(text: str) -> list[FoundAmount]:
    """Return the money amounts written in ``text``, in text order."""
    folded = fold(text)
    date_spans = [(d.start, d.end) for d in find_dates(text, today=_ANY_DAY)]
    found: list[FoundAmount] = []
    for m in _AMOUNT_RE.finditer(folded):
        currency = _currency(m)
        value = _to_decimal(m["num"])
        if value is None:
            continue
        if m["scale"]:
            if m["scale"] in {"m", "mil"} and currency is None and not _looks_scaled(m):
                continue
            value *= _SCALES[m["scale"]]
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
        start, end = m.start(), m.end()
        if currency is None and (
            not _bare_number_is_money(folded, m, value)
            or any(s < end and start < e for s, e in date_spans)
        ):
            continue
        if _in_phone_number(folded, start, end):
            continue
        found.append(FoundAmount(value, currency, start, end, text[start:end].strip()))
    return found


def _currency(m: re.Match[str]) -> str | None:
    for group in ("pre", "post", "code"):
        token = m[group]
        if token:
            token = token.strip()
            return _SYMBOLS.get(token) or _WORDS.get(token) or token.upper()
    return None


def _to_decimal(number: str) -> Decimal | None:
    digits = re.sub(r"['\u2009 ]", "", number)
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif commas + dots == 1:
        mark = "," if commas else "."
        decimals = len(digits) - digits.rfind(mark) - 1
        decimal_mark = mark if decimals != 3 else ""
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    cleaned = "".join(c for c in digits if c not in thousands).replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _looks_scaled(m: re.Match[str]) -> bool:
    return bool(re.fullmatch(r"\d+(?:[.,]\d)?", m["num"]))


def _bare_number_is_money(folded: str, m: re.Match[str], value: Decimal) -> bool:
    number = m["num"]
    if _NOT_MONEY_AFTER.match(folded, m.end("num")):
        return False
    if _REFERENCE_BEFORE.search(folded[max(0, m.start() - 24) : m.start()]):
        return False
    if m["scale"]:
        return True
    has_cents = bool(re.search(r"[.,]\d{2}$", number))
    grouped = bool(re.search(r"\d[,.'\u2009 ]\d{3}(?:\D|$)", number))
    if has_cents or grouped:
        return not re.fullmatch(r"\d{1,2}[.,]\d{2}", number) or _money_word_near(folded, m)
    if re.fullmatch(r"(?:19|20)\d{2}", number):
        return False
    if value < 100 or len(number) > 7:
        return False
    return _money_word_near(folded, m) or (len(number) >= 4 and not _after_place_name(folded, m))


_MONEY_CONTEXT = re.compile(
    r"\b(?:amount|total|balance|sum|pay|paid|paying|payment|owe|owing|outstanding|due|"
    r"short|remaining|rest|down|deposit|betrag|summe|zahlen|bezahlt|gezahlt|uberwiesen|"
    r"saldo|offen|montant|somme|solde|paye|payer|regle|verse|importe|monto|suma|pagar|"
    r"pagado|pagamos|pagaremos|bedrag|betalen|betaald|importo|pagare|pagato|of|for|von|"
    r"de|por|van|per|di)\b"
)


def _money_word_near(folded: str, m: re.Match[str]) -> bool:
    window = folded[max(0, m.start() - 30) : m.start()]
    return bool(_MONEY_CONTEXT.search(window))


def _after_place_name(folded: str, m: re.Match[str]) -> bool:
    """A 4-5 digit number after a name-like word ("Berlin 10115") or before one is a postcode."""
    return bool(re.search(r"[a-z]{3,},?\s$", folded[max(0, m.start() - 20) : m.start()])) and not (
        re.search(
            r"\b(?:pay|send|wire|transfer|do|make|offer|only|just|about|approx)\s$",
            folded[max(0, m.start() - 20) : m.start()],
        )
    )


def _in_phone_number(folded: str, start: int, end: int) -> bool:
    window = folded[max(0, start - 14) : min(len(folded), end + 14)]
    if re.search(r"\+\d|\(\d{3}\)|\d{3}[-. ]\d{3,4}[-. ]\d{4}", window):
        return True
    return bool(
        re.search(
            r"(?:tel|phone|fax|mobile|cell|mob)\.?\s*:?\s*[\d+ (]*$",
            folded[max(0, start - 20) : start],
        )
    )
