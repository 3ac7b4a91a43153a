"""What one bank transaction's text, payer and remittance advice say, before any hypothesis.

:class:`Evidence` collects reference hits (exact, bare, range, PO, and one-edit typo
neighbours when the named invoice's amount disagrees), payer-name scores, customers
known by the payer's account, and allocation sets from linked remittance advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from matching.index import HIT_BARE, HIT_EXACT, HIT_PO, HIT_RANGE, HIT_TYPO
from matching.names import name_tokens
from matching.payers import effective_payer
from matching.references import extract_tokens
from matching.types import Alloc, OpenItem, Txn

if TYPE_CHECKING:
    from matching.engine import Matcher

# Log-odds against a hypothesis that leaves a reference's invoices unexplained.
# A token that names no open invoice but is one edit from one whose balance fits the
# amount also counts against hypotheses that ignore it: a number one keystroke from an
# invoice of exactly the paid amount is rarely a coincidence.
UNEXPLAINED = {HIT_EXACT: 4.5, HIT_RANGE: 3.0, HIT_PO: 3.0, HIT_BARE: 3.0, HIT_TYPO: 3.0}


def fee_short(balance: Decimal, amount: Decimal, max_fee: Decimal) -> bool:
    """``amount`` is short of ``balance`` by a whole amount no larger than ``max_fee``."""
    short = balance - amount
    return 0 < short <= max_fee and short == short.to_integral_value()


@dataclass
class Evidence:
    """What one transaction's text, payer and linked advice say, before any hypothesis."""

    ref_hits: dict[str, tuple[OpenItem, str]]
    typo_hits: list[OpenItem]
    tokens: list[tuple[str, set[str]]]  # (weakest hit kind, invoices it or its typos name)
    name_scores: dict[str, float]
    account_customers: set[str]
    advice_sets: list[tuple[str, list[OpenItem], list[Alloc]]]
    payer_named: bool
    best_name: float
    all_names: dict[str, float] | None = None  # every candidate's name score, on demand
    #: child customer -> the parent whose name the payer carries
    inherited: dict[str, str] = field(default_factory=dict)

    def unexplained_penalty(self, invoices: set[str]) -> float:
        """Log-odds lost by a hypothesis that ignores a reference naming other invoices."""
        worst = 0.0
        for kind, named in self.tokens:
            if not named & invoices:
                worst = max(worst, UNEXPLAINED.get(kind, 0.0))
        return worst

    def kind_of(self, invoice: str) -> str | None:
        if invoice in self.ref_hits:
            return self.ref_hits[invoice][1]
        return HIT_TYPO if any(it.invoice == invoice for it in self.typo_hits) else None

    def candidate_customers(self) -> list[str]:
        names = [c for c, sc in self.name_scores.items() if sc >= 65 and sc >= self.best_name - 10]
        return list(dict.fromkeys([*sorted(self.account_customers), *names]))

    def summary(self) -> list[str]:
        out = []
        if self.ref_hits:
            out.append(f"reference names {', '.join(list(self.ref_hits)[:3])} but nothing fits")
        if self.name_scores:
            out.append(f"payer resembles {', '.join(list(self.name_scores)[:3])}")
        return out

    @classmethod
    def collect(cls, m: Matcher, txn: Txn) -> Evidence:
        rank = {HIT_EXACT: 0, HIT_RANGE: 1, HIT_PO: 2, HIT_BARE: 3, HIT_TYPO: 4}
        ref_hits: dict[str, tuple[OpenItem, str]] = {}
        typo: dict[str, OpenItem] = {}
        payer, _platform = effective_payer(txn.payer, m.platform_customers)
        # a ledger with groups looks further down the list: the parent may rank below
        # customers sharing its first words, and its children inherit its score
        names = m.names.match(payer, limit=24) if m.children else m.names.match(payer)
        name_scores = {c: sc for c, sc, _ in names}
        inherited: dict[str, str] = {}
        for parent, score in list(name_scores.items()):
            for child in m.children.get(parent, ()):  # a group's parent pays for its children
                if score >= 80 and name_scores.get(child, 0.0) < score - 5:
                    name_scores[child] = score - 5
                    inherited[child] = parent
        tol = m.settings.tolerance(txn.amount)
        tokens: list[tuple[str, set[str]]] = []
        toks = extract_tokens(txn.reference)
        for tok in toks:
            named: set[str] = set()
            kinds: list[str] = []
            for it, kind in m.index.lookup(tok):
                if it.currency != txn.currency:
                    continue
                named.add(it.invoice)
                if kind == HIT_TYPO:
                    typo.setdefault(it.invoice, it)
                    continue
                kinds.append(kind)
                prev = ref_hits.get(it.invoice)
                if prev is None or rank[kind] < rank[prev[1]]:
                    ref_hits[it.invoice] = (it, kind)
            # A reference whose invoice's amount disagrees may be a typo of one that agrees.
            # (an invoice the payment is short of by a round bank fee fits too)
            fitting = any(
                abs(m.index.by_invoice[inv].balance - txn.amount) <= tol
                or fee_short(m.index.by_invoice[inv].balance, txn.amount, m.settings.max_fee)
                for inv in named
            )
            # Its amount may also be short by a bank fee (a whole amount up to max_fee).
            near: list[OpenItem] = []
            if not fitting and tok.kind in ("prefixed", "bare", "rf") and len(tok.num or "") >= 4:
                for it in m.index.typo_lookup(tok):
                    if it.currency == txn.currency and (
                        abs(it.balance - txn.amount) <= tol
                        or fee_short(it.balance, txn.amount, m.settings.max_fee)
                    ):
                        typo.setdefault(it.invoice, it)
                        named.add(it.invoice)
                        near.append(it)
            if kinds:
                tokens.append((max(kinds, key=lambda k: rank[k]), named))
            elif near:
                tokens.append((HIT_TYPO, named))
        typo_hits = [it for inv, it in typo.items() if inv not in ref_hits]
        return cls(
            ref_hits=ref_hits,
            typo_hits=typo_hits,
            tokens=tokens,
            name_scores=name_scores,
            account_customers=m.names.customers_for_account(txn.payer_account)
            | {m.names.customer_ids[t.full] for t in toks if t.full in m.names.customer_ids},
            advice_sets=advice_sets(m, txn),
            payer_named=bool(name_tokens(payer)),
            inherited=inherited,
            best_name=max(name_scores.values(), default=0.0),
        )


def advice_sets(m: Matcher, txn: Txn) -> list[tuple[str, list[OpenItem], list[Alloc]]]:
    """Allocation sets from remittance advice linked to ``txn`` (by id, else by amount)."""
    out: list[tuple[str, list[OpenItem], list[Alloc]]] = []
    for adv in m.advice:
        if adv.transaction is not None:
            if adv.transaction != txn.id:
                continue
        elif adv.amount is None or abs(adv.amount - txn.amount) > Decimal("0.005"):
            continue
        per_customer: dict[str, tuple[list[OpenItem], list[Alloc]]] = {}
        for line in adv.lines:
            hits = {
                it.invoice: it
                for tok in line.tokens
                for it, kind in m.index.lookup(tok)
                if kind != HIT_TYPO
            }
            if len(hits) != 1:
                continue
            it = next(iter(hits.values()))
            items, allocs = per_customer.setdefault(it.customer, ([], []))
            left = txn.amount - sum((a.amount for a in allocs), Decimal("0"))
            amount = min(line.amount if line.amount is not None else it.balance, it.balance, left)
            if amount > 0 and it not in items:
                items.append(it)
                allocs.append(Alloc(it.invoice, amount))
        out.extend((c, items, allocs) for c, (items, allocs) in per_customer.items())
    return out
