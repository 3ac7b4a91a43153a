"""The hard cases of cash application, generated with ground truth, one category each.

On top of :func:`bench.matching.generate` (clean, typo, no-reference, fee, partial,
multi-invoice, third-party payers) this adds the payments AR teams actually struggle with
(issue 16): returned payments (an ACH credit and its return debit in the same statement),
payments net of an open credit note, invoices in EUR paid in USD, early-payment discounts
and withholding tax taken without a word, AP platforms paying for the customer, a group's
parent paying its child's invoice, and many-invoice payments with no reference.

``generate_hard(n_invoices, n_payments, seed)`` returns a :class:`bench.matching.Scenario`
whose ``kinds`` start with the category name; a returned credit's truth is ``None`` with
its id in ``returned`` (any ``auto`` on it is a returned payment left applied).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bench.matching import Scenario, generate
from matching.types import CustomerProfile, MatchSettings, OpenItem, Txn

DAY = date(2026, 11, 20)
EURUSD = Decimal("1.0850")
SETTINGS = MatchSettings(fx_rates=(("EURUSD", EURUSD),))
CATEGORIES = (
    "returned payment",
    "credit note",
    "fx",
    "early-payment discount",
    "withholding tax",
    "ap platform",
    "parent pays child",
    "many invoices, no reference",
)
PLATFORMS = ("BILL.COM", "PAYMODE-X", "TIPALTI", "AVIDXCHANGE", "COUPA PAY")


@dataclass
class HardScenario:
    base: Scenario
    returned: set[str] = field(default_factory=set)


def generate_hard(n_invoices: int = 4000, n_payments: int = 600, seed: int = 11) -> HardScenario:
    """The usual statement plus ``n_payments // 2`` hard cases spread over the categories."""
    rng = random.Random(seed)
    scn = generate(n_invoices, n_payments, seed)
    out = HardScenario(scn)
    used = {i for t in scn.truth.values() if t for i in t[1]}
    by_customer: dict[str, list[OpenItem]] = {}
    for it in scn.items:
        if it.invoice not in used:
            by_customer.setdefault(it.customer, []).append(it)
    profiles = {p.id: p for p in scn.profiles}
    customers = [c for c, items in by_customer.items() if len(items) >= 3]
    seq = 0

    def tid() -> str:
        nonlocal seq
        seq += 1
        return f"2026-11-20/H{seq:05d}"

    def take(customer: str, n: int) -> list[OpenItem]:
        pool = by_customer[customer]
        picked = pool[:n]
        del pool[:n]
        used.update(i.invoice for i in picked)
        return picked

    def add(t: Txn, truth: tuple[str, frozenset[str]] | None, kind: str) -> None:
        scn.txns.append(t)
        scn.truth[t.id] = truth
        scn.kinds[t.id] = kind
        if truth is not None:
            scn.identifiable.add(t.id)

    for k in range(n_payments // 2):
        category = CATEGORIES[k % len(CATEGORIES)]
        cust = rng.choice(customers)
        if len(by_customer[cust]) < 3:
            continue
        name = profiles[cust].name.upper()
        if category == "returned payment":
            [inv] = take(cust, 1)
            credit = Txn(
                tid(), DAY - timedelta(days=3), inv.balance, "USD", "credit", name, inv.invoice
            )
            add(credit, None, "returned payment/credit")
            out.returned.add(credit.id)
            ret = Txn(
                tid(),
                DAY,
                inv.balance,
                "USD",
                "debit",
                name,
                f"ACH RETURN R01 INSUFFICIENT FUNDS {inv.invoice}",
                return_reason="text says 'RETURN', ACH return code R01",
            )
            add(ret, None, "returned payment/return")
        elif category == "credit note":
            invs = take(cust, 2)
            note = OpenItem(
                f"CN-{seq + 1:06d}",
                cust,
                -(invs[0].balance / 4).quantize(Decimal("0.01")),
                "USD",
                DAY - timedelta(days=20),
                None,
                None,
                DAY - timedelta(days=20),
            )
            scn.items.append(note)
            amount = sum((i.balance for i in invs), Decimal(0)) + note.balance
            ref = " ".join(i.invoice for i in invs)
            add(
                Txn(tid(), DAY, amount, "USD", "credit", name, ref),
                (cust, frozenset([*(i.invoice for i in invs), note.invoice])),
                "credit note",
            )
        elif category == "fx":
            [inv] = take(cust, 1)
            eur = OpenItem(
                f"EU-{inv.invoice}", cust, inv.balance, "EUR", inv.due_date, None, inv.balance
            )
            scn.items.append(eur)
            usd = (eur.balance * EURUSD * Decimal(rng.choice(["0.995", "1", "1.004"]))).quantize(
                Decimal("0.01")
            )
            add(
                Txn(tid(), DAY, usd, "USD", "credit", name, eur.invoice),
                (cust, frozenset([eur.invoice])),
                "fx",
            )
        elif category == "early-payment discount":
            [inv] = take(cust, 1)
            fresh = OpenItem(
                f"D-{inv.invoice}",
                cust,
                inv.balance,
                "USD",
                DAY + timedelta(days=25),
                None,
                inv.balance,
                DAY - timedelta(days=5),
            )
            scn.items.append(fresh)
            paid = fresh.balance - (fresh.balance * 2 / 100).quantize(Decimal("0.01"))
            ref = fresh.invoice if rng.random() < 0.5 else ""
            add(
                Txn(tid(), DAY, paid, "USD", "credit", name, ref),
                (cust, frozenset([fresh.invoice])),
                "early-payment discount",
            )
        elif category == "withholding tax":
            [inv] = take(cust, 1)
            rate = Decimal(rng.choice(["10", "15"]))
            paid = inv.balance - (inv.balance * rate / 100).quantize(Decimal("0.01"))
            add(
                Txn(tid(), DAY, paid, "USD", "credit", name, inv.invoice),
                (cust, frozenset([inv.invoice])),
                "withholding tax",
            )
        elif category == "ap platform":
            [inv] = take(cust, 1)
            payer = f"{rng.choice(PLATFORMS)} {name}"
            add(
                Txn(tid(), DAY, inv.balance, "USD", "credit", payer, ""),
                (cust, frozenset([inv.invoice])),
                "ap platform",
            )
        elif category == "parent pays child":
            [inv] = take(cust, 1)
            parent_id = f"P-{cust}"
            if parent_id not in profiles:
                parent = CustomerProfile(
                    parent_id, f"{profiles[cust].name.split()[0]} Group Holdings plc"
                )
                scn.profiles.append(parent)
                profiles[parent_id] = parent
                profiles[cust].parent = parent_id
            add(
                Txn(tid(), DAY, inv.balance, "USD", "credit", profiles[parent_id].name.upper(), ""),
                (cust, frozenset([inv.invoice])),
                "parent pays child",
            )
        else:
            invs = take(cust, 3)
            amount = sum((i.balance for i in invs), Decimal(0))
            add(
                Txn(tid(), DAY, amount, "USD", "credit", name, "PAYMENT"),
                (cust, frozenset(i.invoice for i in invs)),
                "many invoices, no reference",
            )
    return out


def category_of(kind: str) -> str:
    """The report category of a generated payment (hard cases by name, the rest coarse)."""
    head = kind.split("/")[0]
    if head in CATEGORIES:
        return head
    return "other payments"


def per_category(hard: HardScenario, results: list) -> dict[str, list[int]]:  # type: ignore[type-arg]
    """category -> [payments, auto correct, auto wrong]; a returned credit counts as a
    payment whose only right answer is "not applied" (auto is wrong)."""
    scn = hard.base
    table: dict[str, list[int]] = {}
    for r in results:
        truth = scn.truth[r.txn.id]
        kind = scn.kinds[r.txn.id]
        returned = r.txn.id in hard.returned
        if truth is None and not returned:
            continue
        row = table.setdefault(category_of(kind), [0, 0, 0])
        row[0] += 1
        if r.status != "auto":
            continue
        ok = (
            not returned
            and truth is not None
            and r.customer == truth[0]
            and frozenset(a.invoice for a in r.allocations) == truth[1]
        )
        row[1 if ok else 2] += 1
    return table
