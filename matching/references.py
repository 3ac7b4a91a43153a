"""Reference normalisation: invoice numbers, PO numbers and creditor references in bank text.

Bank remittance text arrives in every shape: ``INV-1042``, ``INV1042``, ``1042``,
``Invoice #1042``, ``inv 1042/1077``, ``Rechnung 1042 und 1077``, ranges ``1042-1045``,
SEPA ``/REMI/`` and ``SVWZ+`` fields, ISO 11649 ``RF`` creditor references. We do not
guess which shape an invoice number has; :func:`extract_tokens` emits every plausible
candidate key and the open-item index decides which ones exist.

Two keys describe an invoice number: ``full`` (upper-case letters and digits only,
``INV-001042`` -> ``INV001042``) and ``num`` (all digits, leading zeros dropped,
``INV-001042`` -> ``1042``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["prefixed", "bare", "range", "po", "rf"]

# Words that introduce invoice numbers, in the languages bank text comes in.
INVOICE_WORDS = {
    "INV",
    "INVS",
    "INVOICE",
    "INVOICES",
    "INVC",
    "INVNO",
    "INVOICENO",
    "BILL",
    "BILLS",
    "RECHNUNG",
    "RECHNUNGEN",
    "RECHNUNGSNR",
    "RG",
    "RGNR",
    "RE",
    "RENR",
    "FACTURA",
    "FACTURAS",
    "FACTURE",
    "FACTURES",
    "FACT",
    "FAKTURA",
    "FATTURA",
    "FACTUUR",
    "FACTUURNR",
    "NO",
    "NR",
    "NUM",
    "NUMBER",
    "DOC",
    "DOCUMENT",
}
# Words that continue a list of numbers ("1042, 1077 and 1080").
CONNECTORS = {"AND", "UND", "ET", "Y", "EN", "E", "&", "+", ",", ";", "/"}
PO_WORDS = {"PO", "PONO", "PONUMBER", "PURCHASEORDER", "BESTELLUNG", "BESTELLNR", "ORDER"}

_SEPA_TAGS = re.compile(
    r"/(?:REMI|EREF|KREF|MREF|CRED|ORDP|BENM|NAME|ADDR|ROC|PURP|IBAN|BIC|USTRD|STRD|"
    r"CDTRREFINF|RTRN|INV|RFB)/"
    r"|\b(?:SVWZ|EREF|KREF|MREF|CRED|ABWA|ABWE|DEBT|IBAN|BIC)\+"
    r"|\?\d\d"
)
_NOISE = re.compile(r"\bNOTPROVIDED\b|\bNONREF\b|\bNOREF\b")
_AMOUNT = re.compile(
    r"(?<![\w/-])\d{1,3}(?:[,.']\d{3})+(?:[.,]\d{1,2})?(?![\w/])|(?<![\w/-])\d+[.,]\d{2}(?![\w/.,-])"
)
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:]+)?\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
_RF = re.compile(r"\bRF(\d{2})([A-Z0-9]{1,21})\b")
_PO = re.compile(
    r"\b(?:P\.?\s?O\.?|PURCHASE\s+ORDER|ORDER)(?=[\s#:.\d-])\s*(?:NO\.?|NR\.?|NUMBER|#|:)?[\s#:-]*"
    r"([A-Z0-9]*\d[A-Z0-9-]*)"
)
_WORD = re.compile(r"[A-Z0-9]+(?:[-/.#_:][A-Z0-9]+)*|[&+,;/]")
_SPLIT = re.compile(r"[-/.#_:]")
MAX_RANGE = 25


@dataclass(frozen=True)
class RefToken:
    """One candidate invoice/PO key found in remittance text."""

    text: str
    full: str
    num: str | None
    kind: TokenKind

    @property
    def strong(self) -> bool:
        return self.kind in ("prefixed", "rf", "range", "po")


_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_NOT_DIGIT = re.compile(r"\D")


def full_key(value: str) -> str:
    """Upper-case letters and digits only: ``inv-001042`` -> ``INV001042``."""
    return _NOT_ALNUM.sub("", _fold(value).upper())


def num_key(value: str) -> str | None:
    """All digits, leading zeros dropped: ``INV-001042`` -> ``1042`` (None without digits)."""
    digits = _NOT_DIGIT.sub("", value).lstrip("0")
    return digits or None


def _fold(text: str) -> str:
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def clean_text(text: str) -> str:
    """Upper-case ASCII text with SEPA/MT940 tags, amounts and dates removed."""
    text = _fold(text or "").upper()
    text = _SEPA_TAGS.sub(" ", text)
    text = _NOISE.sub(" ", text)
    text = _DATE.sub(" ", text)
    return _AMOUNT.sub(" ", text)


def rf_valid(ref: str) -> bool:
    """ISO 11649 check: move ``RFcc`` to the end, letters to numbers, mod 97 == 1."""
    ref = ref.replace(" ", "").upper()
    moved = ref[4:] + ref[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return digits.isdigit() and int(digits) % 97 == 1


def _token(text: str, kind: TokenKind) -> RefToken:
    return RefToken(text=text, full=full_key(text), num=num_key(text), kind=kind)


def _expand_word(word: str, prefixed: bool, out: list[RefToken]) -> None:
    """Candidates from one chunk like ``INV-1042/1077``, ``1042-1045`` or ``2026-0042``."""
    parts = [p for p in _SPLIT.split(word) if p]
    has_digits = any(c.isdigit() for c in word)
    if not has_digits:
        return
    letters = [p for p in parts if p.isalpha()]
    prefix = next((p for p in parts if p.isalpha()), "")
    chunk_prefixed = (
        prefixed
        or (bool(prefix) and prefix in INVOICE_WORDS)
        or bool(re.match(r"^(INV|RE|RG|FA|FACT|BILL)\d", word))
    )
    kind: TokenKind = "prefixed" if chunk_prefixed else "bare"
    out.append(_token(word, kind))
    numeric = [p for p in parts if any(c.isdigit() for c in p)]
    if len(parts) > 1:
        for p in numeric:
            out.append(_token((prefix + p) if letters else p, kind))
        for a, b in zip(parts, parts[1:], strict=False):
            if a.isdigit() and b.isdigit():
                out.append(_token(a + "-" + b, kind))
    seps = _SPLIT.findall(word)
    if len(numeric) == 2 and numeric[0].isdigit() and numeric[1].isdigit() and "-" in seps:
        lo, hi = numeric
        if len(lo) >= 3 and len(hi) <= len(lo):
            # "1042-45" abbreviates "1042-1045".
            hi_full = lo[: len(lo) - len(hi)] + hi
            a, b = int(lo), int(hi_full)
            if 0 < b - a <= MAX_RANGE:
                width = len(lo)
                for n in range(a + 1, b):
                    out.append(_token(prefix + str(n).zfill(width), "range"))
                out.append(_token(prefix + hi_full, "range"))


def extract_tokens(text: str) -> list[RefToken]:
    """Every candidate invoice/PO key in ``text``, strongest context first, deduplicated."""
    cleaned = clean_text(text)
    out: list[RefToken] = []
    for m in _RF.finditer(cleaned):
        if rf_valid(m.group(0)):
            out.append(_token(m.group(2), "rf"))
    for m in _PO.finditer(cleaned):
        out.append(_token(m.group(1), "po"))
    words = _WORD.findall(cleaned)
    context = after_po = False
    for i, word in enumerate(words):
        key = full_key(word)
        if key in INVOICE_WORDS or key in PO_WORDS or word == "#":
            context = key in INVOICE_WORDS or word == "#"
            after_po = key in PO_WORDS
            continue
        if word in CONNECTORS or key in CONNECTORS:
            continue
        if _SPLIT.split(word)[0] in PO_WORDS or (after_po and any(c.isdigit() for c in word)):
            after_po = False  # already taken as a PO number
            continue
        after_po = False
        if not any(c.isdigit() for c in word):
            context = False
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if word.isalpha() and len(word) <= 4 and nxt.isdigit():
                out.append(_token(word + nxt, "bare"))  # "SO 1042" -> SO1042
            continue
        _expand_word(word, context, out)
    seen: set[tuple[str, str]] = set()
    unique: list[RefToken] = []
    order = {"rf": 0, "prefixed": 1, "po": 2, "range": 3, "bare": 4}
    for tok in sorted(out, key=lambda t: order[t.kind]):
        ident = (tok.full, tok.kind if tok.kind == "po" else "inv")
        if tok.full and ident not in seen:
            seen.add(ident)
            unique.append(tok)
    return unique


def typo_variants(digits: str) -> set[str]:
    """Digit strings one edit away (substitution, adjacent swap, deletion, insertion)."""
    out: set[str] = set()
    for i in range(len(digits)):
        for d in "0123456789":
            if d != digits[i]:
                out.add(digits[:i] + d + digits[i + 1 :])
        out.add(digits[:i] + digits[i + 1 :])
        if i + 1 < len(digits) and digits[i] != digits[i + 1]:
            out.add(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
    for i in range(len(digits) + 1):
        for d in "0123456789":
            out.add(digits[:i] + d + digits[i:])
    variants = {v.lstrip("0") for v in out}
    variants.discard(digits.lstrip("0"))
    variants.discard("")
    return variants
