"""The open-item index: dict lookups by invoice key, PO number, amount and customer.

Built once per run in O(n); every lookup is a dict hit or a bisect, so matching m
payments against n open items costs O(m + n), not O(m * n).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from core.money import minor_units
from matching.references import RefToken, full_key, num_key, typo_variants
from matching.types import OpenItem

# How a reference reached an invoice, strongest first.
HIT_EXACT = "exact"  # the invoice number as written (INV1042), or prefixed digits
HIT_BARE = "bare"  # a bare number that equals the invoice's digits
HIT_RANGE = "range"  # inside a written range 1042-1045
HIT_PO = "po"  # the invoice's PO number
HIT_TYPO = "typo"  # one edit away from the invoice's digits


_FAR = date(9999, 12, 31)


_SCALES: dict[str, int] = {}


def cents(amount: Decimal, currency: str) -> int:
    """``amount`` in integer minor units of ``currency``."""
    scale = _SCALES.get(currency)
    if scale is None:
        scale = _SCALES[currency] = 10 ** minor_units(currency)
    return int((amount * scale).to_integral_value())


class OpenItemIndex:
    def __init__(self, items: Iterable[OpenItem]) -> None:
        self.items: list[OpenItem] = []
        self.by_invoice: dict[str, OpenItem] = {}
        self.by_full: dict[str, list[OpenItem]] = defaultdict(list)
        self.by_num: dict[str, list[OpenItem]] = defaultdict(list)
        self.by_po: dict[str, list[OpenItem]] = defaultdict(list)
        self.by_customer: dict[str, list[OpenItem]] = defaultdict(list)
        #: open credit notes (negative balances) per customer, largest first
        self.credits_by_customer: dict[str, list[OpenItem]] = defaultdict(list)
        amounts: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for item in items:
            if item.balance < 0:
                self.credits_by_customer[item.customer].append(item)
                continue
            if item.balance == 0:
                continue
            self.items.append(item)
            self.by_invoice[item.invoice] = item
            self.by_full[full_key(item.invoice)].append(item)
            num = num_key(item.invoice)
            if num:
                self.by_num[num].append(item)
            if item.po_number:
                for key in {full_key(item.po_number), num_key(item.po_number)}:
                    if key and len(key) >= 3:
                        self.by_po[key].append(item)
            self.by_customer[item.customer].append(item)
            amounts[item.currency].append((cents(item.balance, item.currency), item.invoice))
        for lst in self.by_customer.values():
            lst.sort(key=lambda it: (it.due_date or _FAR, it.invoice))
        for lst in self.credits_by_customer.values():
            lst.sort(key=lambda it: (it.balance, it.invoice))
        self._amounts = {cur: sorted(v) for cur, v in amounts.items()}
        self._pools: dict[tuple[str, str], list[OpenItem]] = {}
        self._ladders: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self._amount_keys = {cur: [a for a, _ in v] for cur, v in self._amounts.items()}

    def __len__(self) -> int:
        return len(self.items)

    def lookup(self, tok: RefToken) -> list[tuple[OpenItem, str]]:
        """Open items a reference token names, with how it named them."""
        if tok.kind == "po":
            found = {
                it.invoice: it
                for key in (tok.full, tok.num)
                for it in self.by_po.get(key or "", [])
            }
            return [(it, HIT_PO) for it in found.values()]
        hits: dict[str, tuple[OpenItem, str]] = {}
        has_letters = any(c.isalpha() for c in tok.full)
        for it in self.by_full.get(tok.full, []):
            hits[it.invoice] = (it, HIT_EXACT if has_letters or tok.kind != "bare" else HIT_BARE)
        if tok.num:
            kind = {"prefixed": HIT_EXACT, "rf": HIT_EXACT, "range": HIT_RANGE}.get(
                tok.kind, HIT_BARE
            )
            if kind == HIT_BARE and len(tok.num) < 4:
                kind = HIT_TYPO  # a 3-digit bare number is too easy to hit by chance
            if len(tok.num) < 3 and kind != HIT_EXACT:
                return list(hits.values())  # "42" names an invoice only after "INV" / "Invoice"
            for it in self.by_num.get(tok.num, []):
                hits.setdefault(it.invoice, (it, kind))
        return list(hits.values())

    def typo_lookup(self, tok: RefToken) -> list[OpenItem]:
        """Open items whose digits are one edit away from the token's (4+ digits only)."""
        if not tok.num or len(tok.num) < 4 or tok.kind == "po":
            return []
        out: list[OpenItem] = []
        for variant in typo_variants(tok.num):
            out.extend(self.by_num.get(variant, ()))
        return out

    def by_amount(
        self, amount: Decimal, currency: str, tolerance: Decimal, limit: int = 50
    ) -> list[OpenItem]:
        """Open items of ``currency`` whose balance is within ``tolerance`` of ``amount``."""
        keys = self._amount_keys.get(currency)
        if not keys:
            return []
        lo = bisect_left(keys, cents(amount - tolerance, currency))
        hi = bisect_right(keys, cents(amount + tolerance, currency))
        rows = self._amounts[currency][lo : min(hi, lo + limit)]
        return [self.by_invoice[inv] for _, inv in rows]

    def count_amount(self, amount: Decimal, currency: str) -> int:
        keys = self._amount_keys.get(currency) or []
        c = cents(amount, currency)
        return bisect_right(keys, c) - bisect_left(keys, c)

    def customer_items(
        self, customer: str, currency: str, below: Decimal | None = None, limit: int | None = None
    ) -> list[OpenItem]:
        """The customer's open items in ``currency``, oldest first (balances <= ``below``)."""
        items = self._pools.get((customer, currency))
        if items is None:
            items = [it for it in self.by_customer.get(customer, ()) if it.currency == currency]
            self._pools[(customer, currency)] = items
        if below is None:
            return items[:limit] if limit else items
        out: list[OpenItem] = []
        for it in items:
            if it.balance <= below:
                out.append(it)
                if limit and len(out) >= limit:
                    break
        return out

    def customer_credits(self, customer: str, currency: str, limit: int = 3) -> list[OpenItem]:
        """The customer's open credit notes in ``currency``, largest first."""
        found = self.credits_by_customer.get(customer, ())
        return [c for c in found if c.currency == currency][:limit]

    def customer_by_amount(
        self, customer: str, currency: str, amount: Decimal, tolerance: Decimal
    ) -> list[OpenItem]:
        """The customer's open items whose balance is within ``tolerance`` of ``amount``."""
        key = (customer, currency)
        ladder = self._ladders.get(key)
        if ladder is None:
            ladder = sorted(
                (cents(it.balance, currency), it.invoice) for it in self.customer_items(*key)
            )
            self._ladders[key] = ladder
        lo = bisect_left(ladder, (cents(amount - tolerance, currency), ""))
        hi = bisect_right(ladder, (cents(amount + tolerance, currency), "\uffff"))
        return [self.by_invoice[inv] for _, inv in ladder[lo:hi]]
