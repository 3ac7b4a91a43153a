"""The cash-application engine: bank credits in, scored allocation proposals out. Pure.

For each credit the engine generates candidate allocation sets (hypotheses) from four
independent sources: invoice references in the bank text (exact, bare, ranges, PO,
one-edit typos), remittance advice, the payer's candidate customers (single invoices
within tolerance and bounded subset-sums over that customer's open items), and the
amount alone across the ledger. Every hypothesis is then scored by the same function
from all the evidence at once (reference strength and coverage, amount fit, payer
name / learned account, advice), as log-odds. Confidence is a softmax over the
hypotheses plus a "none of these" option, so two equally good answers (the same amount
open at two customers) split the probability and go to review instead of auto.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from matching.deductions import CENT, classify, gross_amounts, policy_rate
from matching.evidence import Evidence
from matching.fx import assess as fx_assess
from matching.index import (
    HIT_BARE,
    HIT_EXACT,
    HIT_PO,
    HIT_RANGE,
    HIT_TYPO,
    OpenItemIndex,
    cents,
)
from matching.names import NameIndex, legal_forms, looks_complete
from matching.payers import customer_platforms, effective_payer
from matching.references import extract_tokens
from matching.remittance_advice import RemittanceAdvice
from matching.subset import find_subsets
from matching.types import (
    Alloc,
    CustomerProfile,
    MatchResult,
    MatchSettings,
    OpenItem,
    Status,
    Suggestion,
    Txn,
)

ZERO = Decimal("0")
MAX_POOL = 32  # oldest open items of one customer searched for subset sums
PRIOR = -2.0
REF_WEIGHT = {HIT_EXACT: 4.5, HIT_RANGE: 3.5, HIT_PO: 3.0, HIT_BARE: 3.0, HIT_TYPO: 2.0}
UNSEARCHED = 1.5  # an unreferenced set from a customer with more items than were searched
COINCIDENCE_FLOOR = -math.log(1e-4)  # chance hits rarer than this cost nothing
FEE_BONUS = 2.0  # a round shortfall within tolerance when no set is paid to the cent
EXACT_NAME = 99.5  # a payer name score that means "this customer's name, verbatim"
STRONG = {HIT_EXACT, HIT_RANGE, HIT_PO, HIT_BARE}


@dataclass
class _Hyp:
    customer: str
    items: list[OpenItem]
    allocs: list[Alloc]
    short_by: Decimal = ZERO
    unapplied: Decimal = ZERO
    advice: bool = False
    ignores_reference: bool = False
    not_payer: bool = False
    odd_amount: bool = False
    exact: bool = False  # pays the set's balances to the cent
    fee_like: bool = False  # short of them by a round amount, within tolerance
    deduction: str | None = None  # short by exactly a discount / withholding rate of the policy
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @cached_property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return self.customer, tuple(sorted(i.invoice for i in self.items))


def _allocate(items: list[OpenItem], amount: Decimal) -> tuple[list[Alloc], Decimal, Decimal]:
    """Fill balances in order, net of the set's credit notes (used in full, listed last);
    return allocations, shortfall and unapplied remainder."""
    credits = [it for it in items if it.balance < 0]
    left = amount - sum((c.balance for c in credits), ZERO)
    allocs: list[Alloc] = []
    for it in items:
        if it.balance < 0:
            continue
        part = min(it.balance, left)
        if part > 0:
            allocs.append(Alloc(it.invoice, part))
        left -= part
    allocs += [Alloc(c.invoice, c.balance) for c in credits]
    total = sum((it.balance for it in items), ZERO)
    return allocs, max(total - amount, ZERO), max(left, ZERO)


def _fee_like(short: Decimal) -> bool:
    """A shortfall that looks like a bank charge: a positive whole amount (10, 15, 25...)."""
    return short > 0 and short == short.to_integral_value()


class Matcher:
    """Index open items and customer profiles once, then match any number of transactions."""

    def __init__(
        self,
        items: Iterable[OpenItem],
        profiles: Iterable[CustomerProfile],
        settings: MatchSettings | None = None,
        advice: Iterable[RemittanceAdvice] = (),
    ) -> None:
        self.settings = settings or MatchSettings()
        self.index = OpenItemIndex(items)
        profiles = list(profiles)
        self.names = NameIndex(profiles)
        self.advice = list(advice)
        #: customers by parent: a payment from the parent may pay a child's invoices
        self.children: dict[str, list[str]] = {}
        for p in profiles:
            if p.parent:
                self.children.setdefault(p.parent, []).append(p.id)
        self.platform_customers = customer_platforms([p.name for p in profiles])
        #: legal forms of each customer's name (GmbH, Ltd...): two entities of one group
        #: may share every other word
        self.forms = {p.id: legal_forms(p.name) for p in profiles}

    # -- public -------------------------------------------------------------------------

    def match_all(
        self, txns: Iterable[Txn], progress: Callable[[], None] | None = None
    ) -> list[MatchResult]:
        """Match every transaction, then settle invoices claimed by two auto matches."""
        results = []
        for txn in txns:
            results.append(self.match_one(txn))
            if progress:
                progress()
        self._settle_conflicts(results)
        return results

    def match_one(self, txn: Txn) -> MatchResult:
        if txn.direction != "credit" or txn.amount <= 0:
            return MatchResult(txn, "unmatched", reasons=["debit: not matched"])
        ev = Evidence.collect(self, txn)
        hyps = self._hypotheses(txn, ev)
        if not hyps:
            foreign = self._foreign_currency(txn, ev)
            if foreign is not None:
                return foreign
            return MatchResult(txn, "unmatched", reasons=ev.summary() or ["no candidate invoice"])
        for h in hyps:
            self._score(h, txn, ev)
        # Hypotheses that ignore the reference (or the payer's name, or pay an odd amount)
        # share one prior for "the customer wrote the wrong invoice" ("someone else paid",
        # "an unexplained deduction"), not one each.
        for flag in ("ignores_reference", "not_payer", "odd_amount"):
            group = [h for h in hyps if getattr(h, flag)]
            for h in group:
                h.score -= math.log(len(group))
        # A set paid to the cent explains the payment without assuming a deduction:
        # beside one, a round shortfall is no better than any other within tolerance.
        if any(h.exact for h in hyps):
            for h in hyps:
                if h.fee_like:
                    h.score -= FEE_BONUS
        hyps.sort(key=lambda h: (-h.score, h.key))
        top = max(h.score for h in hyps)
        denom = math.exp(-top) + sum(math.exp(h.score - top) for h in hyps)
        probs = [math.exp(h.score - top) / denom for h in hyps]
        result = self._decide(txn, hyps, probs)
        if result.status != "auto":
            # the reference may name an invoice in another currency exactly
            foreign = self._foreign_currency(txn, ev)
            if foreign is not None and (foreign.status == "auto" or result.status == "unmatched"):
                return foreign
        return result

    # -- hypotheses ---------------------------------------------------------------------

    def _hypotheses(self, txn: Txn, ev: Evidence) -> list[_Hyp]:
        s, amount, cur = self.settings, txn.amount, txn.currency
        tol = s.tolerance(amount)
        out: dict[tuple[str, tuple[str, ...]], _Hyp] = {}

        def add(
            customer: str, items: list[OpenItem], advice_allocs: list[Alloc] | None = None
        ) -> None:
            if not items or any(it.currency != cur for it in items):
                return
            if advice_allocs is not None:
                h = _Hyp(customer, items, advice_allocs, advice=True)
                h.unapplied = max(amount - sum((a.amount for a in advice_allocs), ZERO), ZERO)
            else:
                allocs, short, over = _allocate(items, amount)
                h = _Hyp(customer, items, allocs, short, over)
                h.deduction = policy_rate(short, items, txn.date, s)
            prev = out.get(h.key)
            if prev is None or (h.advice and not prev.advice):
                out[h.key] = h

        # 1. referenced invoices, grouped per customer (in text order)
        groups: dict[str, list[OpenItem]] = {}
        for it, _kind in ev.ref_hits.values():
            groups.setdefault(it.customer, []).append(it)
        explained = False  # the reference alone accounts for the amount
        for cust, items in groups.items():
            add(cust, items)
            total = sum((i.balance for i in items), ZERO)
            explained = explained or abs(total - amount) <= tol
            if len(items) > 1 and total - amount > tol:
                for subset, _ in self._subsets(items, amount, cur, tol, min_size=1):
                    add(cust, subset)
            if amount - total > tol:
                remainder = amount - total
                named = {i.invoice for i in items}
                pool = self.index.customer_items(
                    cust, cur, below=remainder, limit=MAX_POOL + len(items)
                )
                rest = [i for i in pool if i.invoice not in named][:MAX_POOL]
                for extra in self.index.by_amount(remainder, cur, s.tolerance(remainder), limit=10):
                    if extra.customer == cust and extra not in items:
                        add(cust, items + [extra])
                for subset, _ in self._subsets(rest, remainder, cur, s.tolerance(remainder)):
                    add(cust, items + subset)
        # 2. one-edit typos of referenced numbers
        for it in ev.typo_hits:
            add(it.customer, [it])
        # 3. remittance advice
        for cust, items, allocs in ev.advice_sets:
            add(cust, items, allocs)
        # 4. the payer's candidate customers: singles and subset-sums by amount
        for cust in ev.candidate_customers():
            for it in self.index.customer_by_amount(cust, cur, amount, tol):
                add(cust, [it])
            if explained:
                continue  # a subset ignoring a fitting reference cannot win; skip the search
            pool = self.index.customer_items(cust, cur, below=amount + tol, limit=MAX_POOL)
            for subset, _ in self._subsets(pool, amount, cur, tol):
                add(cust, subset)
        # 4b. one invoice of the payer's customers (or a named one) paid net of a discount
        #     or withholding tax the policy allows, to the cent
        for cust in list(dict.fromkeys([*groups, *ev.candidate_customers()])):
            for _kind, gross in gross_amounts(amount, s):
                for it in self.index.customer_by_amount(cust, cur, gross, CENT):
                    add(cust, [it])
        # 5. sets net of the customer's open credit notes (a payment of several invoices
        #    less a credit note): referenced invoices less a note, or subsets that sum to
        #    the payment plus a note
        for cust in list(dict.fromkeys([*groups, *ev.candidate_customers()])):
            for note in self.index.customer_credits(cust, cur):
                named = groups.get(cust, [])
                if (
                    named
                    and abs(sum((i.balance for i in named), ZERO) + note.balance - amount) <= tol
                ):
                    add(cust, [*named, note])
                gross = amount - note.balance
                for it in self.index.customer_by_amount(cust, cur, gross, tol):
                    add(cust, [it, note])
                pool = self.index.customer_items(cust, cur, below=gross + tol, limit=MAX_POOL)
                for subset, _ in self._subsets(pool, gross, cur, tol):
                    add(cust, [*subset, note])
        # 6. the amount alone, anywhere in the ledger
        for it in self.index.by_amount(amount, cur, tol, limit=4 if explained else 12):
            add(it.customer, [it])
        return list(out.values())

    def _subsets(
        self, pool: list[OpenItem], amount: Decimal, cur: str, tol: Decimal, min_size: int = 2
    ):
        return find_subsets(
            [(cents(i.balance, cur), i) for i in pool],
            cents(amount, cur),
            cents(tol, cur),
            max_size=self.settings.max_subset_items,
            min_size=min_size,
        )

    # -- scoring ------------------------------------------------------------------------

    def _score(self, h: _Hyp, txn: Txn, ev: Evidence) -> None:
        score, why = PRIOR, h.reasons
        # a credit note taken off is rarely named in the reference: coverage counts invoices
        kinds = [ev.kind_of(it.invoice) for it in h.items if it.balance > 0]
        covered = [k for k in kinds if k]
        full_cover = len(covered) == len(kinds)
        strong_cover = full_cover and all(k in STRONG for k in covered)
        if covered:
            weight = min(REF_WEIGHT[k] for k in covered)
            score += weight * (1.0 if full_cover else 0.4 + 0.4 * len(covered) / len(kinds))
            why.append(
                f"reference {min(covered, key=lambda k: REF_WEIGHT[k])} ({len(covered)}/{len(kinds)} invoices)"
            )
        mine = {it.invoice for it in h.items}
        penalty = ev.unexplained_penalty(mine)
        if penalty:
            score -= penalty
            h.ignores_reference = True
            why.append("reference names other invoices")
        if h.advice:
            score += 4.0
            why.append("remittance advice")
        score += self._amount_score(
            h, txn, strong_cover or h.advice, len(covered) > 0, why, near_ref=full_cover
        )
        score += self._name_score(h, txn, ev, why)
        h.score = score

    def _amount_score(
        self,
        h: _Hyp,
        txn: Txn,
        remitted: bool,
        referenced: bool,
        why: list[str],
        near_ref: bool = False,
    ) -> float:
        s = self.settings
        total = (
            sum((a.amount for a in h.allocs), ZERO)
            if h.advice
            else sum((i.balance for i in h.items), ZERO)
        )
        diff = txn.amount - total
        size_penalty = 0.0 if referenced else 0.5 * (len(h.items) - 1)
        if h.deduction is not None and not h.advice:
            # short by exactly the terms' discount or a withholding rate: a known deduction
            why.append(f"short by {-diff}: {h.deduction.replace('_', ' ')}")
            if referenced:
                return 3.0
            # unreferenced: a discount taken inside its days is nearly as telling as an
            # exact amount; one of several withholding rates fitting may be chance (review)
            return (2.5 if h.deduction == "early_payment_discount" else 1.0) - size_penalty
        if size_penalty and len(self.index.by_customer[h.customer]) > MAX_POOL:
            # Only the customer's oldest MAX_POOL items were searched: another set among
            # the rest may fit as well, so an unreferenced set is not known to be unique.
            why.append("subset search covered only the oldest open items")
            size_penalty += UNSEARCHED
        if abs(diff) < Decimal("0.005"):
            h.exact = True
            if len(h.items) == 1 and self._distinctive(txn):
                why.append("amount exact and unique in the ledger")
                return 4.0 - size_penalty
            why.append("amount exact")
            if size_penalty:
                size_penalty = self._coincidence_penalty(h, txn, size_penalty)
            return 3.0 - size_penalty
        if abs(diff) <= s.tolerance(txn.amount):
            if _fee_like(-diff) and (
                referenced
                or (len(h.items) == 1 and len(self.index.by_customer[h.customer]) <= MAX_POOL)
            ):
                # Named invoices, or the one invoice of a customer whose every open item
                # was searched, short by a round amount within tolerance: a random
                # shortfall is a whole number one time in a hundred, so this is nearly as
                # good as exact -- unless an exact set exists (see match_one). A customer
                # with more open items than the subset search covers may have paid a set
                # that was never looked at, so its near-misses get no bonus.
                why.append(f"amount within tolerance, short by {-diff} (bank fee?)")
                h.fee_like = True
                return FEE_BONUS + 0.5
            if _fee_like(-diff):
                why.append(f"amount within tolerance, short by {-diff} (bank fee?)")
                return 0.5 - size_penalty
            if remitted:
                why.append(f"amount within tolerance ({diff:+})")
                return 2.0
            why.append(f"amount within tolerance ({diff:+}), odd difference")
            h.odd_amount = True
            return -2.0 - size_penalty
        if remitted and diff < 0:
            if -diff <= s.max_fee:
                why.append(f"short by {-diff} (bank fee)")
                return 2.0
            why.append(f"partial payment, short by {-diff}")
            return -0.3
        if near_ref and not remitted and diff < 0 and -diff <= s.max_fee and _fee_like(-diff):
            # a one-edit reference to an invoice the payment is short of by a round fee
            why.append(f"short by {-diff} (bank fee?)")
            return 1.0
        if remitted and diff > 0:
            why.append(f"overpaid by {diff}")
            return -1.5
        why.append("amount disagrees")
        return -4.0

    def _coincidence_penalty(self, h: _Hyp, txn: Txn, flat: float) -> float:
        """Log-odds lost by an unreferenced set that pays an amount to the cent, from how
        many sets of its size the search could have drawn: C(n, k) sums spread over about
        twice the amount hit one given cent with this expected count (lambda). A pair
        from a handful of invoices almost never sums to a payment by chance; five of
        thirty-two often do. ``flat`` (the size rule for inexact sets) is replaced."""
        notes = len(self.index.credits_by_customer.get(h.customer, ()))
        n = min(len(self.index.by_customer[h.customer]), MAX_POOL) + min(notes, 3)
        k = len(h.items)
        lam = math.comb(n, k) / max(2 * cents(txn.amount, txn.currency), 1)
        unsearched = UNSEARCHED if len(self.index.by_customer[h.customer]) > MAX_POOL else 0.0
        # no penalty below one chance in 10,000; 3 log-odds at 1 in 500 (review)
        return unsearched + min(max(0.0, math.log(lam) + COINCIDENCE_FLOOR), 6.0)

    def _distinctive(self, txn: Txn) -> bool:
        """An odd amount (not a multiple of 10) that exactly one open item carries."""
        return txn.amount % 10 != 0 and self.index.count_amount(txn.amount, txn.currency) == 1

    def _name_score(self, h: _Hyp, txn: Txn, ev: Evidence, why: list[str]) -> float:
        customer = h.customer
        if customer in ev.account_customers:
            why.append("payer account seen before")
            return 3.5
        score = ev.name_scores.get(customer)
        if score is None:
            # left off the top list (many customers share the payer's first words): use
            # its own score before calling the payer someone else
            if ev.all_names is None:
                payer = effective_payer(txn.payer, self.platform_customers)[0]
                ev.all_names = self.names.scores(payer) if ev.payer_named else {}
            score = ev.all_names.get(customer, 0.0)
        form = self._legal_form(customer, score, txn, ev)
        if form is not None:
            why.append(form[1])
            if form[0] < 0:
                h.not_payer = True
            return form[0]
        if customer in ev.inherited and not ev.account_customers:
            why.append(f"payer is its parent {ev.inherited[customer]} (name {score + 5:.0f})")
            return 3.0 if score >= 87 else 2.0
        if ev.account_customers or (ev.best_name >= 85 and score < 65):
            why.append("payer looks like another customer")
            h.not_payer = True
            return -3.5
        if score >= 92 and ev.best_name >= EXACT_NAME > score and looks_complete(txn.payer):
            # "SCHMIDT ROOFING LTD" (not cut off: it ends in a legal form) is exactly
            # another customer's name; sharing a first word with "Schmidt SA" is no
            # evidence for Schmidt SA. A cut-off payer ("MERIDIAN GLOBAL") may be exactly
            # a shorter name and still be the longer one's, so it is not judged this way.
            why.append(f"payer name {score:.0f}, but exactly another customer's")
            return -1.0
        if score >= 92:
            why.append(f"payer name {score:.0f}")
            return 3.0
        if score >= 80:
            why.append(f"payer name {score:.0f}")
            return 2.0
        if score >= 65:
            why.append(f"payer name {score:.0f} (weak)")
            return 0.7
        if ev.payer_named:
            why.append("payer not recognised")
            return -0.5
        return -0.2

    # -- another currency ---------------------------------------------------------------

    def _foreign_currency(self, txn: Txn, ev: Evidence) -> MatchResult | None:
        """Invoices in another currency that the reference names exactly (one customer,
        one currency), paid at the rate the payment implies (see :mod:`matching.fx`)."""
        named: dict[str, OpenItem] = {}
        for tok in extract_tokens(txn.reference):
            for it, kind in self.index.lookup(tok):
                if it.currency != txn.currency and kind in (HIT_EXACT, HIT_RANGE, HIT_PO):
                    named[it.invoice] = it
        items = list(named.values())
        if not items or len({(i.customer, i.currency) for i in items}) != 1:
            return None
        checked, line = fx_assess(txn, items, self.settings)
        customer = items[0].customer
        scores = ev.name_scores.get(customer, 0.0)
        reasons = [
            f"reference names {', '.join(named)} in {items[0].currency}",
            f"rate {line['rate']} ({line['source']}), implied {line['implied_rate']}",
        ]
        if checked and scores >= 80:
            status: Status = "auto"
            confidence = 0.97
            reasons.append(f"payer name {scores:.0f}; FX gain/loss {line['gain_loss']}")
        else:
            status, confidence = "review", 0.6
            reasons.append(
                "rate not checked against the statement or the policy"
                if line["source"] == "implied"
                else f"payer name {scores:.0f}"
                if checked
                else f"rate off by {line['deviation_percent']}% (over the policy's tolerance)"
            )
        return MatchResult(
            txn,
            status,
            customer=customer,
            allocations=[Alloc(i.invoice, i.balance) for i in items],
            confidence=confidence,
            reasons=reasons,
            fx=line,
        )

    def _legal_form(
        self, customer: str, score: float, txn: Txn, ev: Evidence
    ) -> tuple[float, str] | None:
        """Two legal entities of one group share a name but not their legal form: the
        payer's legal form (``SCHMIDT ROOFING LTD``) decides between them."""
        said = legal_forms(txn.payer)
        mine = self.forms.get(customer, frozenset())
        if not said or not mine or score < 92 or customer in ev.inherited:
            return None  # (a child named through its parent carries the parent's form)
        twins = [
            c
            for c, sc in ev.name_scores.items()
            if c != customer and sc >= 92 and self.forms.get(c) and self.forms[c] != mine
        ]
        if not twins:
            return None
        if said & mine:
            return 3.5, f"payer's legal name is exactly this entity's ({', '.join(sorted(said))})"
        if any(said & self.forms[c] for c in twins):
            return -3.5, "payer's legal form is another entity's of the same name"
        return None

    # -- decision -----------------------------------------------------------------------

    def _decide(self, txn: Txn, hyps: list[_Hyp], probs: list[float]) -> MatchResult:
        s = self.settings
        best, conf = hyps[0], probs[0]
        suggestions = [
            Suggestion(h.customer, h.allocs, p, h.reasons)
            for h, p in zip(hyps, probs, strict=True)
            if p >= 0.01
        ]
        same_customer = sum(
            p for h, p in zip(hyps, probs, strict=True) if h.customer == best.customer
        )
        status: Status
        if conf >= s.auto_threshold and best.unapplied == 0:
            status = "auto"
        elif conf >= s.review_threshold or same_customer >= 0.5:
            status = "review"
        else:
            return MatchResult(
                txn,
                "unmatched",
                confidence=conf,
                suggestions=suggestions[: s.max_suggestions],
                reasons=["no candidate is likely enough"],
            )
        reasons = list(best.reasons)
        if best.unapplied > 0:
            reasons.append(f"{best.unapplied} left unapplied")
        deductions = []
        if best.short_by > 0 and not best.advice:
            deductions.append(classify(best.short_by, best.items, txn.date, s))
        return MatchResult(
            txn,
            status,
            customer=best.customer,
            allocations=list(best.allocs),
            confidence=conf,
            suggestions=suggestions[1 : s.max_suggestions + 1],
            reasons=reasons,
            short_by=best.short_by if best.short_by > 0 else None,
            unapplied=best.unapplied if best.unapplied > 0 else None,
            deductions=deductions,
        )

    def _settle_conflicts(self, results: list[MatchResult]) -> None:
        """An invoice cannot take more than its balance: the weaker auto claim goes to review."""
        left = {inv: it.balance for inv, it in self.index.by_invoice.items()}
        for notes in self.index.credits_by_customer.values():
            left.update({c.invoice: c.balance for c in notes})
        claimed: dict[str, str] = {}
        for r in sorted((r for r in results if r.status == "auto"), key=lambda r: -r.confidence):
            clash = [
                a.invoice
                for a in r.allocations
                if (
                    a.amount > left.get(a.invoice, ZERO)
                    if a.amount > 0
                    else a.amount < left.get(a.invoice, ZERO)
                )
            ]
            if clash:
                r.status = "review"
                r.reasons.append(
                    f"{clash[0]} already claimed by transaction {claimed.get(clash[0], '?')}"
                )
                continue
            for a in r.allocations:
                left[a.invoice] -= a.amount
                claimed[a.invoice] = r.txn.id
