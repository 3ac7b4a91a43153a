"""Pair returned payments with the credits they send back. Pure: transactions in, pairs out.

A return (a debit the bank marked as a return, reversal or reject: ``Txn.return_reason``)
sends back one earlier credit of the same amount and currency, booked on or before it
and at most ``RETURN_WINDOW_DAYS`` earlier. Among several such credits the one the
return's text names (its bank id, end-to-end id or a reference word), then the one with
the same payer account, then the same payer name, then the latest wins. Each credit
is sent back at most once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from matching.types import MatchResult, Txn

RETURN_WINDOW_DAYS = 120
_WORD = re.compile(r"[A-Z0-9][A-Z0-9\-/]{3,}")


@dataclass(frozen=True)
class ReturnPair:
    returned: Txn  # the return line (a debit)
    original: Txn  # the credit it sends back


def _words(text: str | None) -> set[str]:
    """Reference-like words (with a digit): ids, invoice numbers, end-to-end ids."""
    return {w for w in _WORD.findall((text or "").upper()) if any(c.isdigit() for c in w)}


def _evidence(ret: Txn, credit: Txn) -> tuple[int, int, int]:
    text = _words(ret.reference) | _words(ret.payer)
    said = f"{ret.reference} {ret.payer or ''}".upper()
    named = int(
        bool(re.search(rf"(?<![A-Z0-9]){re.escape(credit.id.upper())}(?![A-Z0-9])", said))
        or bool(_words(credit.reference) & text)
    )
    same_account = int(bool(credit.payer_account) and credit.payer_account == ret.payer_account)
    payer_words = {w for w in (credit.payer or "").upper().split() if len(w) > 2}
    ret_text = f"{ret.payer or ''} {ret.reference}".upper()
    same_payer = int(bool(payer_words) and any(w in ret_text for w in payer_words))
    return named, same_account, same_payer


def pair_returns(returns: Sequence[Txn], credits: Sequence[Txn]) -> list[ReturnPair]:
    """Each return debit with the credit it sends back (returns without one are left out)."""
    taken: set[str] = set()
    pairs: list[ReturnPair] = []
    for ret in sorted(returns, key=lambda t: (t.date, t.id)):
        if ret.direction != "debit":
            continue
        candidates = [
            c
            for c in credits
            if c.id not in taken
            and c.direction == "credit"
            and not c.return_reason
            and c.currency == ret.currency
            and c.amount == ret.amount
            and c.date <= ret.date
            and (ret.date - c.date).days <= RETURN_WINDOW_DAYS
        ]
        if not candidates:
            continue
        best = max(candidates, key=lambda c: (_evidence(ret, c), c.date, c.id))
        taken.add(best.id)
        pairs.append(ReturnPair(ret, best))
    return pairs


def settle_returns(
    txns: Sequence[Txn], earlier: Sequence[Txn] = ()
) -> tuple[dict[str, MatchResult], list[ReturnPair]]:
    """Results for the returns among ``txns`` and the credits they send back (never
    matched as payments), and the pairs found (also against ``earlier`` stored credits).
    Every other transaction is left to the matcher."""
    settled: dict[str, MatchResult] = {}
    returns = [t for t in txns if t.return_reason]
    for t in returns:
        if t.direction == "credit":
            settled[t.id] = MatchResult(
                t, "unmatched", reasons=[f"a return or reversal ({t.return_reason}), not a payment"]
            )
    debits = [t for t in returns if t.direction == "debit"]
    credits = [t for t in txns if t.direction == "credit"] + list(earlier)
    pairs = pair_returns(debits, credits)
    by_return = {p.returned.id: p for p in pairs}
    batch = {t.id for t in txns}
    for ret in debits:
        pair = by_return.get(ret.id)
        if pair is None:
            settled[ret.id] = MatchResult(
                ret,
                "unmatched",
                reasons=[f"return ({ret.return_reason}); the payment it sends back is not known"],
            )
            continue
        original = pair.original
        settled[ret.id] = MatchResult(
            ret,
            "unmatched",
            reasons=[f"sends back {original.id} ({ret.return_reason})"],
            reversal_of=original.id,
        )
        if original.id in batch:
            settled[original.id] = MatchResult(
                original,
                "unmatched",
                reasons=[f"returned by {ret.id} ({ret.return_reason}): not applied"],
                returned_by=ret.id,
            )
    return settled, pairs
