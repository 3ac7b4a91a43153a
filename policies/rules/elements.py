"""Required elements of a dunning email: invoice numbers, amounts with currency, due
dates, how to pay and how to dispute. Amounts and dates are recognised in the usual
English, US, European, German, French and Spanish spellings."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from core.money import minor_units, round_money
from ledger.models import Invoice
from policies.phrases import find_all, fold
from policies.results import CheckResult
from policies.rules.context import RuleContext

_SYMBOLS = {
    "USD": ["$", "US$"],
    "EUR": ["€"],
    "GBP": ["£"],
    "JPY": ["¥", "円"],
    "CHF": ["Fr."],
    "CAD": ["$", "C$", "CA$"],
    "AUD": ["$", "A$", "AU$"],
    "MXN": ["$", "MX$"],
    "NZD": ["$", "NZ$"],
    "INR": ["₹"],
}
_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
_MONTHS = {lang: names.split() for lang, names in _MONTH_NAMES.items()}


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _number_variants(amount: Decimal, currency: str) -> list[str]:
    """``12400.00`` as 12,400.00 / 12400.00 / 12.400,00 / 12 400,00 / 12'400.00 (and 12,400)."""
    places = minor_units(currency)
    value = round_money(abs(amount), currency)
    grouped, _, frac = f"{value:,.{places}f}".partition(".")
    plain = grouped.replace(",", "")
    ints = {grouped, plain}
    ints |= {grouped.replace(",", sep) for sep in (".", " ", "\u00a0", "\u202f", "'", "’")}
    if not places:
        return sorted(ints, key=len, reverse=True)
    out = {f"{grouped}.{frac}", f"{plain}.{frac}", f"{plain},{frac}"}
    out |= {f"{grouped.replace(',', sep)},{frac}" for sep in (".", " ", "\u00a0", "\u202f")}
    out |= {f"{grouped.replace(',', sep)}.{frac}" for sep in ("'", "’")}
    if set(frac) == {"0"}:
        out |= ints
    return sorted(out, key=len, reverse=True)


def money_pattern(amount: Decimal, currency: str) -> re.Pattern[str]:
    """Matches ``amount`` next to its currency code or symbol, in common spellings."""
    number = "|".join(re.escape(v) for v in _number_variants(amount, currency))
    cur = _currency_tokens(currency)
    num = rf"(?<![\d.,])(?:{number})(?![\d]|[.,]\d)"
    return re.compile(rf"(?:{cur})\s?{num}|{num}\s?(?:{cur})", re.IGNORECASE)


_NUM_BEFORE = re.compile(r"(?<![\d.,])")
_NUM_AFTER = re.compile(r"(?![\d]|[.,]\d)")


@lru_cache(maxsize=64)
def _currency_regexes(currency: str) -> tuple[re.Pattern[str], re.Pattern[str], tuple[int, ...]]:
    """Currency token then optional space / optional space then token, and their widths."""
    cur = _currency_tokens(currency)
    tokens = [currency.upper(), *_SYMBOLS.get(currency.upper(), [])]
    widths = tuple(sorted({len(t) + gap for t in tokens for gap in (0, 1)}))
    before = re.compile(rf"(?:{cur})\s?", re.IGNORECASE)
    after = re.compile(rf"\s?(?:{cur})", re.IGNORECASE)
    return before, after, widths


def mentions_money(text: str, amount: Decimal, currency: str) -> bool:
    """Same answer as ``money_pattern(amount, currency).search(text)``, without compiling
    a regex per amount: every occurrence of every spelling is tried with the same
    lookarounds and currency tokens (the spellings hold no cased characters)."""
    before, after, widths = _currency_regexes(currency)
    for variant in _number_variants(amount, currency):
        start = text.find(variant)
        while start >= 0:
            end = start + len(variant)
            if (
                _NUM_BEFORE.match(text, start)
                and _NUM_AFTER.match(text, end)
                and (
                    after.match(text, end)
                    or any(w <= start and before.fullmatch(text, start - w, start) for w in widths)
                )
            ):
                return True
            start = text.find(variant, start + 1)
    return False


def date_variants(d: date) -> list[str]:
    """Lower-cased spellings of ``d``: ISO, numeric, and spelled-out months in EN/DE/FR/ES."""
    y, m, day = d.year, d.month, d.day
    out = {
        d.isoformat(),
        f"{m:02d}/{day:02d}/{y}",
        f"{m}/{day}/{y}",
        f"{day:02d}/{m:02d}/{y}",
        f"{day}/{m}/{y}",
        f"{day:02d}.{m:02d}.{y}",
        f"{day}.{m}.{y}",
    }
    en = _MONTHS["en"][m - 1]
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    for month in {en, en[:3], en[:3] + ".", "sept" if m == 9 else en}:
        out |= {
            f"{month} {day}, {y}",
            f"{month} {day} {y}",
            f"{day} {month} {y}",
            f"{month} {day}{suffix}, {y}",
            f"{day}{suffix} {month} {y}",
        }
    out |= {f"{day}. {_MONTHS['de'][m - 1]} {y}", f"{day:02d}. {_MONTHS['de'][m - 1]} {y}"}
    out.add(f"{day} {_MONTHS['fr'][m - 1]} {y}")
    if day == 1:
        out.add(f"1er {_MONTHS['fr'][m - 1]} {y}")
    out.add(f"{day} de {_MONTHS['es'][m - 1]} de {y}")
    return sorted(out)


@lru_cache(maxsize=4096)
def _date_regex(d: date) -> re.Pattern[str]:
    """Any spelling of ``d`` not inside a longer number (one regex per date, compiled once)."""
    spellings = "|".join(re.escape(v) for v in date_variants(d))
    return re.compile(rf"(?<!\d)(?:{spellings})(?!\d)")


def _mentions_date(text: str, d: date) -> bool:
    return _date_regex(d).search(text) is not None


_NUMBER_BEFORE = re.compile(r"(?<![\w-])")
_NUMBER_AFTER = re.compile(r"(?!\w)")


def _names_number(text: str, folded: str | None, number: str) -> bool:
    """Whether ``number`` stands alone in ``text``, case-insensitively (``folded``: see fold)."""
    needle = fold(number)
    if folded is None or needle is None:
        return bool(re.search(rf"(?<![\w-]){re.escape(number)}(?!\w)", text, re.IGNORECASE))
    start = folded.find(needle)
    while start >= 0:
        if _NUMBER_BEFORE.match(text, start) and _NUMBER_AFTER.match(text, start + len(needle)):
            return True
        start = folded.find(needle, start + 1)
    return False


def invoice_numbers(text: str, numbers: list[str]) -> CheckResult:
    folded = fold(text)
    missing = [n for n in numbers if not _names_number(text, folded, n)]
    if missing:
        return CheckResult.fail(
            "mentions_invoice_numbers", f"the email does not name invoice {', '.join(missing)}"
        )
    return CheckResult.ok("mentions_invoice_numbers", "every invoice number is named")


def amounts(text: str, invoices: list[Invoice]) -> CheckResult:
    missing = [
        f"{inv.number} ({inv.balance} {inv.currency})"
        for inv in invoices
        if not mentions_money(text, inv.balance, inv.currency)
        and not mentions_money(text, inv.amount, inv.currency)
    ]
    if missing:
        return CheckResult.fail(
            "mentions_amounts",
            f"the email does not state the amount with currency of {', '.join(missing)}",
        )
    return CheckResult.ok("mentions_amounts", "every amount is stated with its currency")


def _currency_tokens(currency: str) -> str:
    tokens = [currency.upper(), *_SYMBOLS.get(currency.upper(), [])]
    return "|".join(re.escape(c) for c in tokens)


def any_amount(text: str, currencies: set[str]) -> CheckResult:
    """Some amount next to one of ``currencies`` (instalment reminders)."""
    cur = "|".join(_currency_tokens(c) for c in sorted(currencies)) or "[A-Z]{3}"
    number = r"(?<![\d.,])\d[\d.,'\s]*\d(?!\d)"
    if re.search(rf"(?:{cur})\s?{number}|{number}\s?(?:{cur})", text, re.IGNORECASE):
        return CheckResult.ok("mentions_amounts", "an amount with currency is stated")
    return CheckResult.fail("mentions_amounts", "the email states no amount with a currency")


def due_dates(text: str, invoices: list[Invoice]) -> CheckResult:
    norm = _normalise(text)
    missing = [
        f"{inv.number} ({inv.due_date.isoformat()})"
        for inv in invoices
        if not _mentions_date(norm, inv.due_date)
    ]
    if missing:
        return CheckResult.fail(
            "mentions_due_dates", f"the email does not state the due date of {', '.join(missing)}"
        )
    return CheckResult.ok("mentions_due_dates", "every due date is stated")


def required_elements(
    ctx: RuleContext, text: str, numbers: list[str], *, installment: bool
) -> list[CheckResult]:
    """The elements every dunning email needs (instalment reminders: any amount, no due dates)."""
    req = ctx.policy.wording.required_in_dunning_emails
    invoices = [inv for n in numbers if (inv := ctx.invoice(n)) is not None]
    results = []
    if req.invoice_numbers:
        results.append(invoice_numbers(text, numbers))
    if req.amounts_with_currency:
        results.append(
            any_amount(text, {i.currency for i in invoices})
            if installment
            else amounts(text, invoices)
        )
    if req.due_dates and not installment:
        results.append(due_dates(text, invoices))
    for rule, pattern, what in (
        ("mentions_how_to_pay", req.pay_pattern, "how to pay"),
        ("mentions_how_to_dispute", req.dispute_pattern, "how to dispute"),
    ):
        if find_all(pattern, text):
            results.append(CheckResult.ok(rule, f"says {what}"))
        else:
            results.append(CheckResult.fail(rule, f"the email does not say {what}"))
    return results
