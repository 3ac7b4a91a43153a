"""Find invoice numbers in free text and map them to the ledger's own numbers.

Three shapes are read: codes with an invoice-like prefix ("INV-1042", "INV1042",
"RE-2026-0042"); numbers after an invoice word in any of six languages ("invoice
#1042", "Rechnung Nr. 1042", "facture n° 1042", "factura 1042"), including lists
("1042, 1043 and 1044") and ranges ("1042 to 1045", "1042-1045"); and, only when the
ledger's numbers are ``known``, bare numbers that match exactly one known invoice.

Mapping to ``known`` compares letters case-insensitively and digit groups as integers,
so "inv 01042", "INV1042" and "Inv-1042" all map to "INV-1042". A number without
letters maps only when exactly one known invoice has those digits. Explicit references
that match nothing known are returned as written (upper-cased) so the caller can say
"no such invoice"; bare numbers that match nothing are dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

from agent.understanding._text import alternation, fold, words
from agent.understanding.vocab import MONTHS

__all__ = ["find_invoice_refs", "invoice_key"]

_KEYWORDS = words(
    "invoice invoices inv invs invoice's bill bills rechnung rechnungen rechnungsnummer "
    "rechnungsnummern rechnungs-nr rechnungs-nummer rg rg-nr re-nr rgnr facture factures "
    "fact fac factura facturas fra fattura fatture ft factuur facturen faktura"
)
_MARKERS = (
    r"(?:\s*(?:(?:numbers|number|numeros|numero|nummern|nummer|reference|ref|num|nos|no|nr)\b"
    r"|n°|nº|no°|#|:)\.?\s*)*\s*"
)
_PREFIXES = {
    "INV",
    "IN",
    "RE",
    "RG",
    "RN",
    "FA",
    "FAC",
    "FACT",
    "FV",
    "FT",
    "F",
    "BILL",
    "AR",
    "SI",
    "INVC",
    "CI",
    "R",
    "I",
    "NF",
    "FRA",
    "RECH",
}
_NOT_INVOICE = {
    "PO",
    "REF",
    "ACH",
    "TRACE",
    "WIRE",
    "CHK",
    "CHECK",
    "CASE",
    "TICKET",
    "ORDER",
    "SO",
    "ID",
    "TEL",
    "FAX",
    "ZIP",
    "PLZ",
    "CUST",
    "ACCT",
    "IBAN",
    "BIC",
    "VAT",
    "UST",
    "TAX",
    "EIN",
    "TIN",
    "US",
    "EUR",
    "USD",
    "CHF",
    "GBP",
}
_ITEM = (
    r"(?<![a-z])(?:[a-z]{1,6}[-_/#]|(?:"
    + "|".join(p.lower() for p in sorted(_PREFIXES, key=len, reverse=True))
    + r")\s)?\d+(?:[-/]\d+)?(?![.,]\d|\.?\s*(?:"
    + alternation(MONTHS)
    + r")\b)"
)
_LIST_SEP = (
    r"(?:\s*(?:,|;|&|\+|/)\s*(?:and\s+|und\s+|et\s+|y\s+|e\s+|en\s+)?|\s+(?:and|und|"
    r"et|y|e|en|or|oder|ou|o|as\s+well\s+as|sowie|plus)\s+)"
)
_RANGE_SEP = r"(?:\s*[-–]\s*|\s+(?:to|through|thru|bis|a|al|au|tot|till)\s+)"
_KEYWORD_RE = re.compile(
    r"(?<![\w-])(?:"
    + alternation(_KEYWORDS)
    + r")\.?(?!\d)"
    + _MARKERS
    + r"(?P<items>"
    + _ITEM
    + r"(?:(?:"
    + _LIST_SEP
    + r"|"
    + _RANGE_SEP
    + r")"
    + _ITEM
    + r")*)"
)
_CODE_RE = re.compile(
    r"(?<![\w-])(?P<prefix>[A-Za-z]{1,6})(?P<sep>[-_/#]|\s?#|\s)?"
    r"(?P<num>\d+(?:[-/]\d+)*)(?![\w])"
)
_REF_BEFORE = re.compile(
    r"\b(?:ref(?:erence)?|trace|ach|wire|confirmation|conf|transaction|txn|utr|swift|"
    r"verwendungszweck|referenz|r[ée]f[ée]rence|referencia)\.?\s*(?:no\.?|#|:)?\s*$",
    re.IGNORECASE,
)
_BARE_RE = re.compile(
    r"(?<![\w.,/$€£#-])(\d{2,6}[-/]\d{3,8}|\d{3,})(?![\w.,/-]\d|[\w])"
)  # "1042", and numbers like "2026-0440" when the ledger has such numbers


def invoice_key(reference: str) -> tuple[str, tuple[int, ...]]:
    """Return (letters before the first digit, digit groups as ints) to compare numbers."""
    head = re.match(r"\D*", reference.strip())
    letters = re.sub(r"[^A-Za-z]", "", head.group(0) if head else "").upper()
    groups = tuple(int(g) for g in re.findall(r"\d+", reference))
    return letters, groups


def find_invoice_refs(text: str, *, known: Collection[str] = ()) -> list[str]:
    """Return the invoice numbers in ``text`` (canonical ``known`` ones when given)."""
    folded = fold(text)
    raw: list[tuple[int, str, bool]] = []  # (position, reference, explicit)
    covered: list[tuple[int, int]] = []
    for m in _KEYWORD_RE.finditer(folded):
        start = m.start("items")
        for offset, item, expanded in _items(m["items"]):
            written = item if expanded else text[start + offset : start + offset + len(item)]
            raw.append((start + offset, written, True))
        covered.append((m.start(), m.end()))
    known_prefixes = {invoice_key(k)[0] for k in known}
    for m in _CODE_RE.finditer(text):
        prefix = m["prefix"].upper()
        if any(s <= m.start() < e for s, e in covered) or prefix in _NOT_INVOICE:
            continue
        looks_coded = prefix in _PREFIXES and (
            m["prefix"].isupper() or m["sep"] in {"-", "#"} or prefix in {"INV", "INVC", "BILL"}
        )
        if _REF_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
            continue  # "wire ref FT2026...", "trace RE-55": a payment reference
        if prefix in known_prefixes:
            raw.append((m.start(), m.group(0), True))
        elif looks_coded:
            raw.append((m.start(), m.group(0), not known))
            covered.append((m.start(), m.end()))
    if known:
        for m in _BARE_RE.finditer(folded):
            if not any(s <= m.start() < e for s, e in covered):
                raw.append((m.start(), m.group(1), False))
    raw.sort(key=lambda item: item[0])
    resolver = _Resolver(known) if known else None
    result: list[str] = []
    for _, reference, explicit in raw:
        value = resolver.resolve(reference, explicit) if resolver else _as_written(reference)
        if value and value not in result:
            result.append(value)
    return result


def _items(items: str) -> list[tuple[int, str, bool]]:
    """Split "1042, 1043 and 1045-1047" into items, expanding ranges, with offsets."""
    out: list[tuple[int, str, bool]] = []
    previous_end = None
    for m in re.finditer(_ITEM, items):
        gap = items[previous_end : m.start()] if previous_end is not None else ""
        is_range = bool(out) and bool(re.fullmatch(_RANGE_SEP, gap))
        expanded = _expand(out[-1][1], m.group(0)) if is_range else []
        inner = re.fullmatch(r"(\D*\d+)[-/](\d+)", m.group(0))
        if not expanded and inner and _expand(inner.group(1), inner.group(2)):
            out.append((m.start(), inner.group(1), False))
            expanded = _expand(inner.group(1), inner.group(2))
        if expanded:
            out.extend((m.start(), number, True) for number in expanded)
        else:
            out.append((m.start(), m.group(0), False))
        previous_end = m.end()
    return out


def _expand(first: str, last: str) -> list[str]:
    a, b = re.search(r"\d+$", first), re.fullmatch(r"\d+", last.strip())
    if not a or not b or len(a.group(0)) != len(b.group(0)):
        return []
    low, high = int(a.group(0)), int(b.group(0))
    if not 0 < high - low <= 50:
        return []
    prefix = first[: a.start()]
    width = len(a.group(0))
    return [f"{prefix}{n:0{width}d}" for n in range(low + 1, high + 1)]


def _as_written(reference: str) -> str:
    reference = re.sub(r"\s*#\s*|\s+", "-", reference.strip())
    return reference.upper()


class _Resolver:
    """Map written references to the ledger's canonical invoice numbers."""

    def __init__(self, known: Collection[str]) -> None:
        self.by_key: dict[tuple[str, tuple[int, ...]], str] = {}
        self.by_digits: dict[tuple[int, ...], list[str]] = defaultdict(list)
        self.by_joined: dict[str, list[str]] = defaultdict(list)
        for number in known:
            letters, groups = invoice_key(number)
            self.by_key[(letters, groups)] = number
            self.by_digits[groups].append(number)
            self.by_joined["".join(re.findall(r"\d+", number)).lstrip("0")].append(number)

    def resolve(self, reference: str, explicit: bool) -> str | None:
        letters, groups = invoice_key(reference)
        if (letters, groups) in self.by_key:
            return self.by_key[(letters, groups)]
        if letters and letters not in _PREFIXES and letters not in {k[0] for k in self.by_key}:
            return _as_written(reference) if explicit else None
        matches = self.by_digits.get(groups) or self.by_joined.get(
            "".join(re.findall(r"\d+", reference)).lstrip("0"), []
        )
        if len(matches) == 1:
            return matches[0]
        return _as_written(reference) if explicit else None
