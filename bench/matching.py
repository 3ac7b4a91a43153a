"""Cash-application benchmark: synthetic ledgers and bank statements with ground truth.

``generate(n_invoices, n_payments, seed)`` builds a ledger (customers with aliases,
email domains and learned past payers; dense sequential invoice numbers, recurring
same-amount invoices, amounts duplicated across customers) and a statement whose
credits mix what real bank files carry: every reference format, typos, no reference,
truncated / abbreviated / rail-noised / third-party payer names, bank fees, partial
payments, multi-invoice payments, and noise credits (refunds, interest, unknown
deposits) plus debits. ``main()`` runs the engine and a rules-only baseline (invoice
number found in the text + exact amount) on the same data, then the scaling runs, and
prints markdown tables. ``--misses`` lists every customer payment not auto-matched, by
category, with the engine's reasons and competing candidates; ``--seeds 1,2,3`` prints
one summary row per seed.

Two denominators are reported, both for the engine and for the baseline:

* *all customer payments* (the original "matchable"): every credit the generator made
  from open invoices, whatever the bank line says;
* *identifiable* (the headline since 2026-11-23): the subset whose bank line singles out
  the true invoices to a clerk holding the ledger (:func:`identifiable`). Generated
  payments with no reference from a payment processor for an amount several customers
  are owed, or with no reference for one of several identical recurring amounts of one
  customer, have a ground truth nobody could recover; counting them as misses measures
  the generator's coin flips, not the matcher. They stay in the generated data (and in
  the precision figure: an auto match on one of them that is wrong still counts as
  wrong); they only leave the recall denominator. The definition looks only at the
  generator's labels and the ledger, never at what the engine did.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from matching.engine import Matcher
from matching.references import full_key, num_key
from matching.types import Alloc, CustomerProfile, MatchResult, MatchSettings, OpenItem, Txn

_SETTINGS = MatchSettings()

FIRST = [
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Acme",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Wonka",
    "Oscorp",
    "Gringotts",
    "Monarch",
    "Sterling",
    "Pied",
    "Aperture",
    "Massive",
    "Dunder",
    "Virtucon",
    "Gekko",
    "Nakatomi",
    "Prestige",
    "Blue",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Adventure",
    "Litware",
    "Proseware",
    "Tailspin",
    "Wingtip",
    "Alpine",
    "Summit",
    "Harbor",
    "Pioneer",
    "Atlas",
    "Beacon",
    "Cedar",
    "Crescent",
    "Falcon",
    "Granite",
    "Horizon",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Meridian",
    "Nimbus",
    "Orion",
    "Pinnacle",
    "Quantum",
    "Redwood",
    "Sapphire",
    "Titan",
    "Unity",
    "Vertex",
    "Willow",
    "Zenith",
    "Apex",
    "Bright",
    "Coastal",
    "Delta",
    "Evergreen",
    "Frontier",
    "Golden",
    "Heritage",
    "Imperial",
    "Jade",
    "Kingston",
    "Liberty",
    "Majestic",
    "Noble",
    "Oakridge",
    "Paramount",
    "Regal",
    "Silverline",
    "Trident",
    "Union",
    "Valley",
    "Western",
    "Yellowstone",
    "Amber",
    "Birch",
    "Cobalt",
    "Dynamo",
    "Ember",
    "Fjord",
    "Glacier",
    "Hudson",
    "Indigo",
    "Jasper",
    "Kestrel",
    "Lumen",
    "Mosaic",
    "Nova",
    "Onyx",
    "Polaris",
    "Quartz",
    "Rover",
    "Sierra",
    "Tundra",
    "Ultra",
    "Vista",
    "Warden",
    "Xenon",
    "Yukon",
    "Zephyr",
    "Müller",
    "Schmidt",
    "Dubois",
    "Rossi",
    "García",
    "Novak",
    "Jensen",
    "Kowalski",
]
INDUSTRY = [
    "Roofing",
    "Logistics",
    "Foods",
    "Systems",
    "Technologies",
    "Manufacturing",
    "Services",
    "Industries",
    "Holdings",
    "Medical",
    "Consulting",
    "Construction",
    "Electric",
    "Supply",
    "Partners",
    "Labs",
    "Trading",
    "Freight",
    "Pharma",
    "Solutions",
    "Engineering",
    "Retail",
    "Textiles",
    "Packaging",
    "Energy",
    "Media",
    "Software",
    "Hospitality",
    "Dental",
    "Automotive",
    "Brewing",
    "Furniture",
    "Security",
    "Printing",
    "Marine",
    "Aviation",
    "Analytics",
    "Capital",
    "Outfitters",
]
SUFFIX = ["Inc", "Inc.", "LLC", "Ltd", "Corp", "Corporation", "GmbH", "SA", "BV", "Co", "PLC", ""]
NOISE_CREDITS = [
    ("INTEREST CREDIT", "INTEREST PAYMENT NOV"),
    ("AMAZON MKTPLACE", "REFUND ORDER 113-5523"),
    ("", "DEPOSIT"),
    ("IRS TREAS 310", "TAX REF"),
    ("OFFICE DEPOT", "CREDIT MEMO RETURN"),
    ("TRANSFER FROM SAVINGS", "INTERNAL TRANSFER"),
    ("VISA SETTLEMENT", "MERCHANT BATCH 0921"),
    ("UNKNOWN REMITTER", "PAYMENT"),
    ("STATE OF CA", "UNCLAIMED PROPERTY"),
]


@dataclass
class Scenario:
    items: list[OpenItem]
    profiles: list[CustomerProfile]
    txns: list[Txn]
    truth: dict[str, tuple[str, frozenset[str]] | None]  # None: not matchable (noise, debit)
    kinds: dict[str, str] = field(default_factory=dict)
    identifiable: set[str] = field(default_factory=set)  # see the module docstring


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.15:
        return Decimal(rng.choice([250, 500, 750, 1000, 1500, 2000, 2500, 5000]))
    return Decimal(str(round(rng.lognormvariate(7.3, 1.1), 2))).quantize(Decimal("0.01")) + Decimal(
        "10"
    )


def _customers(rng: random.Random, n: int) -> list[CustomerProfile]:
    seen: set[str] = set()
    out: list[CustomerProfile] = []
    while len(out) < n:
        first = rng.choice(FIRST)
        words = [first] if rng.random() < 0.25 else [first, rng.choice(INDUSTRY)]
        if rng.random() < 0.3:
            words.insert(
                1, rng.choice(["International", "Global", "National", "American", "North"])
            )
        base = " ".join(words)
        if base in seen:
            continue
        seen.add(base)
        name = f"{base} {rng.choice(SUFFIX)}".strip()
        cid = f"C-{len(out) + 1:05d}"
        domain = re.sub(r"[^a-z]", "", "".join(words[:2]).lower()) + rng.choice(
            [".com", ".de", ".co.uk", ".example"]
        )
        aliases = (
            ["".join(w[0] for w in words).upper()] if len(words) > 1 and rng.random() < 0.3 else []
        )
        past = [f"{first} Holdings Group"] if rng.random() < 0.1 else []
        out.append(CustomerProfile(cid, name, aliases, [domain], past))
    return out


def _payer(rng: random.Random, p: CustomerProfile) -> tuple[str, str]:
    """A bank payer string for customer ``p`` and the variant kind used."""
    name = p.name.upper()
    roll = rng.random()
    if roll < 0.30:
        return name, "name"
    if roll < 0.50:
        return name[: rng.randint(12, 22)].rstrip(), "truncated"
    if roll < 0.62:
        short = (
            name.replace("CORPORATION", "CORP")
            .replace("INTERNATIONAL", "INTL")
            .replace("TECHNOLOGIES", "TECH")
        )
        return (short + rng.choice([" PAYM", " PMT", " ACH", ""]))[:35], "abbreviated"
    if roll < 0.72:
        return f"ORIG CO NAME:{name[:16]} CO ENTRY DESCR:PAYMENT", "rail noise"
    if roll < 0.78 and p.aliases:
        return p.aliases[0], "alias"
    if roll < 0.83 and p.past_payers:
        return p.past_payers[0].upper(), "past payer"
    if roll < 0.92:
        return rng.choice(
            [
                "BILL.COM PAYABLES",
                "AVIDXCHANGE INC",
                "JPMORGAN CHASE FOR",
                "PARENT CO TREASURY",
                "COUPA PAY",
                "TIPALTI PAYMENTS",
            ]
        ), "third party"
    return "", "no payer"


def _ref(
    rng: random.Random, invs: list[OpenItem], typo_pool: dict[str, OpenItem]
) -> tuple[str, str]:
    """A bank reference naming ``invs`` in one of many real-world shapes."""
    nums = [i.invoice for i in invs]
    digits = [i.invoice.split("-")[-1] for i in invs]
    roll = rng.random()
    if roll < 0.14:
        return "PAYMENT" if rng.random() < 0.5 else "", "none"
    if roll < 0.19 and len(invs) == 1:
        d = list(digits[0])
        k = rng.randrange(len(d))
        d[k] = str((int(d[k]) + rng.randint(1, 9)) % 10)
        return f"INV-{''.join(d)}", "typo"
    if roll < 0.22 and invs[0].po_number:
        return f"PO {invs[0].po_number}", "po"
    shapes = [
        lambda: " ".join(nums),
        lambda: " ".join(n.replace("-", "") for n in nums),
        lambda: "Invoice #" + ", #".join(d.lstrip("0") for d in digits),
        lambda: " ".join(d.lstrip("0") for d in digits),
        lambda: "inv " + "/".join(digits),
        lambda: "/REMI/INV " + " ".join(digits) + "/EREF/NOTPROVIDED",
        lambda: "SVWZ+RE " + " ".join(digits) + " EREF+" + str(rng.randint(10**9, 10**10)),
        lambda: "ACH CREDIT TRN*1*" + str(rng.randint(10**8, 10**9)) + "*" + ",".join(nums),
        lambda: "Payment for invoices " + " and ".join(nums) + " thank you",
    ]
    return rng.choice(shapes)(), "reference"


def generate(n_invoices: int = 2000, n_payments: int = 600, seed: int = 7) -> Scenario:
    rng = random.Random(seed)
    profiles = _customers(rng, max(8, n_invoices // 10))
    weights = [rng.paretovariate(1.5) for _ in profiles]
    cum = list(accumulate(weights))
    start = 10000
    items: list[OpenItem] = []
    recurring = {p.id: _amount(rng) for p in profiles if rng.random() < 0.15}
    for k in range(n_invoices):
        p = rng.choices(profiles, cum_weights=cum)[0] if k >= len(profiles) else profiles[k]
        amount = recurring.get(p.id) or _amount(rng)
        if items and rng.random() < 0.04:
            amount = rng.choice(items).balance  # the same amount open at another customer
        due = date(2026, 11, 20) - timedelta(days=rng.randint(-30, 120))
        po = f"PO-{rng.randint(1000, 99999)}" if rng.random() < 0.2 else None
        items.append(OpenItem(f"INV-{start + k:06d}", p.id, amount, "USD", due, po, amount))
    by_customer: dict[str, list[OpenItem]] = {}
    for it in items:
        by_customer.setdefault(it.customer, []).append(it)
    used: set[str] = set()
    txns: list[Txn] = []
    truth: dict[str, tuple[str, frozenset[str]] | None] = {}
    kinds: dict[str, str] = {}
    typo_pool = {it.invoice: it for it in items}
    cust = {p.id: p for p in profiles}
    for t in range(n_payments):
        tid = f"2026-11-20/{t + 1:05d}"
        roll = rng.random()
        if roll < 0.06:
            payer, ref = rng.choice(NOISE_CREDITS)
            txns.append(Txn(tid, date(2026, 11, 20), _amount(rng), "USD", "credit", payer, ref))
            truth[tid], kinds[tid] = None, "noise credit"
            continue
        if roll < 0.09:
            txns.append(
                Txn(tid, date(2026, 11, 20), _amount(rng), "USD", "debit", "PAYROLL", "SALARY")
            )
            truth[tid], kinds[tid] = None, "debit"
            continue
        first = rng.choice([i for i in rng.sample(items, 5) if i.invoice not in used] or items)
        pool = [i for i in by_customer[first.customer] if i.invoice not in used and i is not first]
        invs = [first]
        kind = "single"
        if roll < 0.22 and pool:
            invs += rng.sample(pool, min(len(pool), rng.randint(1, 4)))
            kind = "multi"
        used.update(i.invoice for i in invs)
        total = sum((i.balance for i in invs), Decimal("0"))
        amount = total
        ref, ref_kind = _ref(rng, invs, typo_pool)
        sub = rng.random()
        if sub < 0.08:
            amount = total - Decimal(rng.choice([10, 15, 20, 25, 30, 35, 45]))
            kind += "+fee"
        elif sub < 0.14 and ref_kind == "reference" and kind == "single":
            amount = (total * Decimal(rng.choice(["0.25", "0.4", "0.5", "0.6", "0.75"]))).quantize(
                Decimal("0.01")
            )
            kind = "partial"
        if amount <= 0:
            amount = total
        payer, payer_kind = _payer(rng, cust[first.customer])
        txns.append(Txn(tid, date(2026, 11, 20), amount, "USD", "credit", payer, ref))
        truth[tid] = (first.customer, frozenset(i.invoice for i in invs))
        kinds[tid] = f"{kind}/{ref_kind}/{payer_kind}"
    scn = Scenario(items, profiles, txns, truth, kinds)
    scn.identifiable = identifiable(scn)
    return scn


KNOWN_PAYER = {"name", "truncated", "abbreviated", "rail noise", "alias", "past payer"}


def _unique_fit(pool: list[OpenItem], truth: frozenset[str], amount: Decimal) -> bool:
    """Is ``truth`` the only set of ``pool`` within tolerance of ``amount`` among sets no
    larger than it?

    A clerk takes the smallest set that fits, and when the true set pays the amount
    exactly only other exact sets compete with it (an exact match is not weighed against
    sets merely within 1%). Larger sets are left out because with hundreds of open
    items some five or six of them add up to almost any amount.

    Exhaustive depth-first search with a node budget; an exhausted budget counts as
    unique, so the definition can only keep a payment in the denominator, never drop it.
    """
    tol = _SETTINGS.tolerance(amount)
    total = sum((i.balance for i in pool if i.invoice in truth), Decimal("0"))
    if abs(total - amount) > tol:
        return False  # the true set does not fit the amount (a fee beyond tolerance)
    if total == amount:
        tol = Decimal("0")  # an exact set only competes with other exact sets
    pool = sorted((i for i in pool if i.balance <= amount + tol), key=lambda i: -i.balance)
    suffix = list(accumulate(reversed([i.balance for i in pool]), initial=Decimal("0")))[::-1]
    lo, hi = amount - tol, amount + tol
    nodes, other = 0, False

    def dfs(start: int, got: Decimal, chosen: list[str]) -> None:
        nonlocal nodes, other
        for k in range(start, len(pool)):
            nodes += 1
            if other or nodes > 50_000:
                return
            new = got + pool[k].balance
            if new > hi:
                continue
            if new + suffix[k + 1] < lo:
                return
            chosen.append(pool[k].invoice)
            if new >= lo and frozenset(chosen) != truth:
                other = True
            if len(chosen) < len(truth):
                dfs(k + 1, new, chosen)
            chosen.pop()

    dfs(0, Decimal("0"), [])
    return not other


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one substitution, insertion or deletion (or not at all)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


def _typo_names_twin(t: Txn, truth: tuple[str, frozenset[str]], pool: list[OpenItem]) -> bool:
    """The mistyped number is, or is one edit from, another open invoice of the same
    customer for the same balance as the true one: nothing tells them apart."""
    written = t.reference.split("-")[-1]
    balance = next(i.balance for i in pool if i.invoice in truth[1])
    return any(
        i.invoice not in truth[1]
        and i.balance == balance
        and _one_edit(written, i.invoice.split("-")[-1])
        for i in pool
    )


def identifiable(scn: Scenario) -> set[str]:
    """Payments whose bank line singles out the true invoices to someone holding the ledger.

    A reference (invoice numbers, a PO number, or a one-edit typo of an invoice number)
    always counts. Without one: a recognisable payer (name, truncation, abbreviation,
    alias, learned past payer) counts when the true set is the only set of that
    customer's open items within the policy tolerance of the amount; an unknown payer
    (third-party processor, blank) counts when the true invoice is the only open item in
    the whole ledger within tolerance. A "typo" that is (or is one edit from) another
    open invoice of the same customer for the same balance does not count. Everything else (same amount open several times
    at one customer, a fee beyond tolerance with no reference, an unknown payer paying an
    amount several customers are owed) is a payment nobody could place.
    """
    by_customer: dict[str, list[OpenItem]] = {}
    for it in scn.items:
        by_customer.setdefault(it.customer, []).append(it)
    ladder = sorted(it.balance for it in scn.items)
    by_invoice = {it.invoice: it for it in scn.items}
    out: set[str] = set()
    for t in scn.txns:
        truth = scn.truth[t.id]
        if truth is None:
            continue
        _pay, ref, payer = scn.kinds[t.id].split("/")
        if ref == "typo" and _typo_names_twin(t, truth, by_customer[truth[0]]):
            continue  # the "typo" fits another open invoice of that customer as well
        if ref in ("reference", "po", "typo"):
            out.add(t.id)
        elif payer in KNOWN_PAYER:
            if _unique_fit(by_customer[truth[0]], truth[1], t.amount):
                out.add(t.id)
        elif len(truth[1]) == 1:
            tol = _SETTINGS.tolerance(t.amount)
            n_fit = bisect_right(ladder, t.amount + tol) - bisect_left(ladder, t.amount - tol)
            only = next(iter(truth[1]))
            if n_fit == 1 and abs(by_invoice[only].balance - t.amount) <= tol:
                out.add(t.id)
    return out


def rules_baseline(items: list[OpenItem]) -> Callable[[Txn], MatchResult]:
    """Invoice number found verbatim (or its digits) in the text and the amount exact."""
    by_key: dict[str, OpenItem] = {}
    for it in items:
        by_key[full_key(it.invoice)] = it
        by_key.setdefault(num_key(it.invoice) or "", it)

    def match(txn: Txn) -> MatchResult:
        if txn.direction != "credit":
            return MatchResult(txn, "unmatched")
        words = re.findall(r"[A-Z0-9]+(?:-[A-Z0-9]+)?", txn.reference.upper())
        found = {
            by_key[k].invoice: by_key[k]
            for w in words
            for k in (full_key(w), num_key(w) or "")
            if k in by_key
        }
        if found and sum((i.balance for i in found.values()), Decimal("0")) == txn.amount:
            first = next(iter(found.values()))
            allocs = [Alloc(i.invoice, i.balance) for i in found.values()]
            return MatchResult(txn, "auto", first.customer, allocs, 1.0)
        return MatchResult(txn, "unmatched")

    return match


@dataclass
class Scores:
    matchable: int = 0
    identifiable: int = 0
    identifiable_auto: int = 0  # identifiable payments auto-matched correctly
    auto: int = 0
    auto_correct: int = 0
    auto_wrong: int = 0
    review: int = 0
    review_top1: int = 0
    unmatched: int = 0
    seconds: float = 0.0
    txns: int = 0
    bins: dict[str, list[int]] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)

    @property
    def auto_rate(self) -> float:
        return self.auto_correct / self.matchable if self.matchable else 0.0

    @property
    def identifiable_rate(self) -> float:
        return self.identifiable_auto / self.identifiable if self.identifiable else 0.0

    @property
    def precision(self) -> float:
        return self.auto_correct / self.auto if self.auto else 1.0

    @property
    def top1(self) -> float:
        return self.review_top1 / self.review if self.review else 0.0


def _correct(r: MatchResult, truth: tuple[str, frozenset[str]] | None) -> bool:
    return (
        truth is not None
        and r.customer == truth[0]
        and frozenset(a.invoice for a in r.allocations) == truth[1]
    )


def score(scn: Scenario, results: list[MatchResult], seconds: float) -> Scores:
    s = Scores(seconds=seconds, txns=len(results))
    for r in results:
        truth = scn.truth[r.txn.id]
        s.matchable += truth is not None
        ok = _correct(r, truth)
        if r.txn.id in scn.identifiable:
            s.identifiable += 1
            s.identifiable_auto += ok and r.status == "auto"
        if r.status == "auto":
            s.auto += 1
            s.auto_correct += ok
            if not ok:
                s.auto_wrong += 1
                s.wrong.append(
                    f"{r.txn.id} {scn.kinds[r.txn.id]} {r.txn.payer!r} {r.txn.reference!r} -> {r.customer} "
                    f"{[a.invoice for a in r.allocations]} truth {truth}"
                )
        elif r.status == "review" and truth is not None:
            s.review += 1
            s.review_top1 += ok
        elif r.status == "unmatched" and truth is not None:
            s.unmatched += 1
        if r.status != "unmatched" and r.txn.direction == "credit":
            b = _bin(r.confidence)
            s.bins.setdefault(b, [0, 0])
            s.bins[b][0] += 1
            s.bins[b][1] += ok
    return s


def category(kind: str) -> str:
    """One headline category for a generator kind ``payment/reference/payer``."""
    pay, ref, payer = (kind.split("/") + ["", ""])[:3]
    unknown_payer = payer in ("third party", "no payer")
    if pay == "partial":
        return "partial"
    if ref == "typo":
        return "typo"
    if ref == "none" and unknown_payer:
        return "no reference, unknown payer"
    if ref == "none":
        return "no reference" + (" multi-invoice" if pay.startswith("multi") else "")
    if pay.endswith("+fee"):
        return "fee" + (" multi-invoice" if pay.startswith("multi") else "")
    if pay.startswith("multi"):
        return "multi-invoice"
    if unknown_payer:
        return "third-party payer"
    return ref


def misses(scn: Scenario, results: list[MatchResult]) -> list[tuple[str, str]]:
    """Every matchable payment not auto-matched correctly: (category, one-line explanation).

    The line shows the generator's kind, the bank text, the truth, the engine's status,
    confidence and reasons, and its competing candidates (customer, invoices, confidence).
    """
    out = []
    for r in results:
        truth = scn.truth[r.txn.id]
        if truth is None or (r.status == "auto" and _correct(r, truth)):
            continue
        kind = scn.kinds[r.txn.id]
        cat = category(kind) + ("" if r.txn.id in scn.identifiable else " (not identifiable)")
        cands = (
            [(r.customer, [a.invoice for a in r.allocations], r.confidence)] if r.customer else []
        )
        cands += [
            (s.customer, [a.invoice for a in s.allocations], s.confidence) for s in r.suggestions
        ]
        shown = "; ".join(f"{c} {invs} {p:.2f}" for c, invs, p in cands[:4]) or "none"
        out.append(
            (
                cat,
                f"{r.txn.id} [{kind}] {r.txn.amount} payer={r.txn.payer!r} ref={r.txn.reference!r} "
                f"truth={truth[0]} {sorted(truth[1])} -> {r.status} {r.confidence:.2f} "
                f"reasons={r.reasons} candidates: {shown}",
            )
        )
    return out


def _bin(p: float) -> str:
    for lo in (0.95, 0.8, 0.5, 0.3):
        if p >= lo:
            return f">= {lo:.2f}"
    return "< 0.30"


def run(
    n_invoices: int, n_payments: int, seed: int = 7, keep: list | None = None
) -> tuple[Scores, Scores, float]:
    """Engine and baseline scores and the index build time; ``keep`` receives the
    scenario and the engine's results when given."""
    scn = generate(n_invoices, n_payments, seed)
    t0 = time.process_time()
    engine = Matcher(scn.items, scn.profiles)
    build = time.process_time() - t0
    t1 = time.process_time()
    results = engine.match_all(scn.txns)
    ours = score(scn, results, time.process_time() - t1)
    if keep is not None:
        keep.extend([scn, results])
    t2 = time.process_time()
    base = rules_baseline(scn.items)
    base_scores = score(scn, [base(t) for t in scn.txns], time.process_time() - t2)
    return ours, base_scores, build


def _per_seed(n_invoices: int, n_payments: int, seeds: list[int]) -> int:
    print(
        f"### Cash application per seed: {n_payments:,} bank lines vs {n_invoices:,} open invoices\n"
    )
    print(
        "| seed | auto (of identifiable) | auto (of all customer payments) | precision of auto "
        "| review top-1 | baseline auto (of identifiable) | baseline precision |"
    )
    print("|---|---|---|---|---|---|---|")
    for seed in seeds:
        s, b, _ = run(n_invoices, n_payments, seed)
        print(
            f"| {seed} | {s.identifiable_rate:.1%} ({s.identifiable_auto}/{s.identifiable}) "
            f"| {s.auto_rate:.1%} ({s.auto_correct}/{s.matchable}) "
            f"| {s.precision:.2%} ({s.auto_wrong} wrong) | {s.top1:.1%} of {s.review} "
            f"| {b.identifiable_rate:.1%} | {b.precision:.2%} |"
        )
    return 0


def _hard(seed: int) -> int:
    """Per-category auto rate and precision, engine beside the rules baseline."""
    from bench._matching_cases import SETTINGS, generate_hard, per_category
    from matching.returns import settle_returns

    for scale in (1, 10):
        hard = generate_hard(4_000 * scale, 600 * scale, seed)
        scn = hard.base
        started = time.process_time()
        settled, _ = settle_returns(scn.txns)
        rest = iter(
            Matcher(scn.items, scn.profiles, SETTINGS).match_all(
                [t for t in scn.txns if t.id not in settled]
            )
        )
        results = [settled[t.id] if t.id in settled else next(rest) for t in scn.txns]
        seconds = time.process_time() - started
        base = rules_baseline(scn.items)
        ours, theirs = per_category(hard, results), per_category(hard, [base(t) for t in scn.txns])
        print(
            f"### Hard cases, {scale}x: {len(scn.txns):,} bank lines vs {len(scn.items):,} open "
            f"items (seed {seed}, {len(scn.txns) / seconds:,.0f} lines per CPU-second)\n"
        )
        print(
            "| category | payments | engine auto | engine precision | baseline auto "
            "| baseline precision |\n|---|---|---|---|---|---|"
        )
        for cat in sorted(ours, key=lambda c: (c == "other payments", c)):
            n, ok, bad = ours[cat]
            bn, bok, bbad = theirs.get(cat, [n, 0, 0])
            if cat == "returned payment":  # the right answer is "not applied"
                print(
                    f"| {cat} (left unapplied) | {n} | {(n - bad) / n:.1%} | — "
                    f"| {(bn - bbad) / bn:.1%} | — |"
                )
                continue
            print(
                f"| {cat} | {n} | {ok / n:.1%} | {_precision(ok, bad)} "
                f"| {bok / bn:.1%} | {_precision(bok, bbad)} |"
            )
        left = sum(1 for r in results if r.txn.id in hard.returned and r.status == "auto")
        print(f"\nReturned payments left applied: {left} of {len(hard.returned)}.\n")
    return 0


def _precision(ok: int, bad: int) -> str:
    return f"{ok / (ok + bad):.2%} ({bad} wrong)" if ok + bad else "n/a (no auto)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.matching", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--invoices", type=int, default=10_000)
    ap.add_argument("--payments", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--show-wrong", action="store_true")
    ap.add_argument(
        "--misses",
        action="store_true",
        help="list matchable payments not auto-matched, by category",
    )
    ap.add_argument(
        "--seeds", default="", help="comma-separated seeds: print one summary row per seed"
    )
    ap.add_argument(
        "--hard",
        action="store_true",
        help="the hard cases per category (returns, credit notes, FX, deductions, platforms, "
        "parents, many invoices) at 1x (600 lines vs 4,000 invoices) and 10x",
    )
    args = ap.parse_args(argv)
    if args.hard:
        return _hard(args.seed)
    if args.seeds:
        return _per_seed(args.invoices, args.payments, [int(x) for x in args.seeds.split(",")])
    kept: list = []
    ours, base, build = run(args.invoices, args.payments, args.seed, keep=kept)
    print(
        f"### Cash application: {args.payments:,} bank lines vs {args.invoices:,} open invoices (seed {args.seed})\n"
    )
    print(
        "| matcher | auto-match rate (of identifiable) | auto-match rate (of all customer payments) "
        "| precision of auto | review top-1 | unmatched | lines per CPU-second |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, s in (
        ("ar-agent engine", ours),
        ("rules baseline (number in text + exact amount)", base),
    ):
        print(
            f"| {label} | {s.identifiable_rate:.1%} ({s.identifiable_auto}/{s.identifiable}) "
            f"| {s.auto_rate:.1%} ({s.auto_correct}/{s.matchable}) | {s.precision:.2%} "
            f"({s.auto_wrong} wrong) | {s.top1:.1%} of {s.review} | {s.unmatched} | {s.txns / s.seconds:,.0f} |"
        )
    print(
        f"\nAuto-matched correctly: {ours.auto_rate / base.auto_rate if base.auto_rate else float('inf'):.2f}x the baseline. "
        f"Index build: {build:.2f}s.\n"
    )
    print("| confidence | proposals | correct |\n|---|---|---|")
    for b in sorted(ours.bins, reverse=True):
        n, ok = ours.bins[b]
        print(f"| {b} | {n} | {ok / n:.1%} |")
    if args.show_wrong:
        print("\n" + "\n".join(ours.wrong[:40]))
    if args.misses:
        rows = misses(*kept)
        counts: dict[str, int] = {}
        for cat, _ in rows:
            counts[cat] = counts.get(cat, 0) + 1
        print("\n| missed category | payments |\n|---|---|")
        for cat, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"| {cat} | {n} |")
        print()
        for cat, line in sorted(rows):
            print(f"- {cat}: {line}")
    if not args.no_scaling:
        print("\n### Scaling (engine only, index build + matching)\n")
        print(
            "| bank lines | open invoices | CPU seconds (index + match) | CPU µs per line |\n|---|---|---|---|"
        )
        for n_pay, n_inv in ((1_000, 10_000), (10_000, 100_000)):
            s, _, b = run(n_inv, n_pay, args.seed)
            total = s.seconds + b
            print(f"| {n_pay:,} | {n_inv:,} | {total:.2f} | {1e6 * total / n_pay:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
