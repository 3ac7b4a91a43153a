"""Remittance advice: customer text (email body, CSV or PDF-extracted text) listing paid invoices.

``parse_advice(text)`` finds lines that pair an invoice reference with an amount
(``INV-1042   12,400.00``, ``Invoice 1077 - $12,400.00``, CSV ``INV-1042,12400.00``,
European ``12.400,00``) and an optional payment total. The engine links an advice to the
bank transaction whose amount equals the advice total (or the sum of its lines) and
treats the listed invoices and amounts as remittance, like a bank reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from matching.references import RefToken, extract_tokens

_MONEY = re.compile(
    r"(?<![\w.,])(?:[$€£]|USD|EUR|GBP|CHF|CAD)?\s?"
    r"(\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d{1,2})?|\d+[.,]\d{1,2}|\d+)"
    r"(?:\s?(?:USD|EUR|GBP|CHF|CAD))?(?![\w])"
)
# A CSV/TSV cell separator; a comma inside "12,400.00" is a thousands separator, not one.
_CELL = re.compile(r"[;\t|]|,(?!(?<=\d,)(?:\d{3}|\d{1,2})(?:\D|$))")
_TOTAL = re.compile(r"\b(total|sum|amount paid|payment amount|paid|betrag|gesamt|montant)\b", re.I)
_PAYER = re.compile(r"^\s*(?:payer|from|company|remitter|customer)\s*[:=]\s*(.+)$", re.I | re.M)


@dataclass(frozen=True)
class AdviceLine:
    reference: str
    tokens: tuple[RefToken, ...]
    amount: Decimal | None


@dataclass
class RemittanceAdvice:
    """Invoices (and amounts) a customer says a payment covers."""

    lines: list[AdviceLine] = field(default_factory=list)
    total: Decimal | None = None
    payer: str | None = None
    transaction: str | None = None  # set when the caller knows which bank line it explains

    @property
    def amount(self) -> Decimal | None:
        """The stated total, else the sum of line amounts when every line has one."""
        if self.total is not None:
            return self.total
        if self.lines and all(ln.amount is not None for ln in self.lines):
            return sum((ln.amount for ln in self.lines if ln.amount is not None), Decimal("0"))
        return None


def parse_money(text: str) -> Decimal | None:
    """``12,400.00`` / ``12.400,00`` / ``12 400,00`` / ``$12,400`` -> Decimal, else None."""
    s = re.sub(r"[^\d.,' ]", "", text).strip().replace("'", "").replace(" ", "")
    if not s:
        return None
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        s = head.replace(",", "") + ("." + tail if len(tail) in (1, 2) else tail)
    elif s.count(".") > 1 or (s.count(".") == 1 and len(s.rpartition(".")[2]) == 3):
        s = s.replace(".", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _last_amount(line: str, skip: str) -> Decimal | None:
    rest = line.replace(skip, " ", 1) if skip else line
    found = [
        m
        for m in _MONEY.finditer(rest)
        if any(c in m.group(1) for c in ".,") or m.group(0)[:1] in "$€£"
    ]
    return parse_money(found[-1].group(1)) if found else None


def _segments(line: str, tokens: tuple[RefToken, ...]) -> list[AdviceLine]:
    """Split "INV-1042 12,400.00 and INV-1077 3,100.00" into one line per invoice."""
    upper = line.upper()
    starts: dict[int, list[RefToken]] = {}
    for tok in tokens:
        pos = upper.find(tok.text)
        if pos >= 0:
            starts.setdefault(pos, []).append(tok)
    if len(starts) <= 1:
        return [
            AdviceLine(reference=line, tokens=tokens, amount=_last_amount(line, tokens[0].text))
        ]
    cuts = sorted(starts)
    out = []
    for k, pos in enumerate(cuts):
        chunk = line[pos : cuts[k + 1] if k + 1 < len(cuts) else len(line)]
        toks = tuple(starts[pos])
        out.append(
            AdviceLine(
                reference=chunk.strip(), tokens=toks, amount=_last_amount(chunk, toks[0].text)
            )
        )
    return out


def parse_advice(text: str, *, transaction: str | None = None) -> RemittanceAdvice:
    """Parse remittance-advice text into invoice references, amounts and a total."""
    advice = RemittanceAdvice(transaction=transaction)
    payer = _PAYER.search(text or "")
    if payer:
        advice.payer = payer.group(1).strip()
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if _TOTAL.search(line) and not re.search(r"\binv", line, re.I):
            amount = _last_amount(line, "")
            if amount is not None:
                advice.total = amount
            continue
        cells = [c.strip() for c in _CELL.split(line)] if _CELL.search(line) else []
        ref_text = cells[0] if len(cells) >= 2 else line
        tokens = tuple(
            t for t in extract_tokens(ref_text) if t.kind != "bare" or len(t.num or "") >= 4
        )
        if not tokens:
            continue
        if len(cells) >= 2:
            amount = next(
                (parse_money(c) for c in reversed(cells[1:]) if parse_money(c) is not None), None
            )
            advice.lines.append(AdviceLine(reference=ref_text, tokens=tokens, amount=amount))
            continue
        advice.lines.extend(_segments(line, tokens))
    return advice
