"""A realistic demo company: customers with payment behaviours, a year of invoices and
payments, a bank statement to match and customer replies waiting.

Everything is generated relative to ``today`` from a fixed seed, so the demo looks the
same on every machine for a given day. Company names are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

BEHAVIOURS = {  # share of customers, (min, max) days paid after due date, partial-payment chance
    "punctual": (0.40, (-5, 3), 0.00),
    "late": (0.30, (5, 25), 0.05),
    "chronic": (0.18, (30, 95), 0.20),
    "disputing": (0.09, (0, 20), 0.05),
    "insolvent": (0.03, (120, 400), 0.00),
}
STEMS = [
    "Globex",
    "Initech",
    "Umbrella",
    "Tailspin",
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Wingtip",
    "Litware",
    "Adatum",
    "Proseware",
    "Lucerne",
    "Margie",
    "Coho",
    "Alpine",
    "Fourth Coffee",
    "Wide World",
    "Trey",
    "Vandelay",
    "Hooli",
    "Stark",
    "Wayne",
    "Acme",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Monarch",
    "Oceanic",
    "Gringotts",
    "Dunder",
    "Sterling",
    "Pied Piper",
    "Massive",
    "Bluth",
    "Kramerica",
    "Nakatomi",
    "Weyland",
    "Virtucon",
    "Zorg",
    "Ollivander",
]
KINDS = [
    "Industries",
    "Logistics",
    "Foods",
    "Systems",
    "Health",
    "Energy",
    "Retail",
    "Labs",
    "Media",
    "Manufacturing",
    "Partners",
    "Supply",
    "Airlines",
    "Textiles",
    "Robotics",
    "Pharma",
]
SUFFIX = {
    "en": ["Inc", "LLC", "Corp", "Ltd"],
    "de": ["GmbH", "AG"],
    "fr": ["SA", "SARL"],
    "es": ["SL", "SA"],
}
LOCALES = [
    ("en", "America/Chicago", 0.35),
    ("en", "America/New_York", 0.25),
    ("en", "America/Los_Angeles", 0.12),
    ("en", "Europe/London", 0.08),
    ("de", "Europe/Berlin", 0.10),
    ("fr", "Europe/Paris", 0.06),
    ("es", "Europe/Madrid", 0.04),
]
FIRST = [
    "Dana",
    "Alex",
    "Priya",
    "Jonas",
    "Marie",
    "Luis",
    "Chen",
    "Fatima",
    "Sam",
    "Olga",
    "Tom",
    "Aiko",
]
LAST = [
    "Ruiz",
    "Schmidt",
    "Dubois",
    "Garcia",
    "Okafor",
    "Nguyen",
    "Larsen",
    "Patel",
    "Rossi",
    "Kim",
]


@dataclass
class DemoCompany:
    ledger: dict[str, Any]
    behaviour: dict[str, str]  # customer id -> behaviour
    bank_csv: str
    replies: list[bytes]


def _pick(rng: random.Random, weighted: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    x, acc = rng.random(), 0.0
    for item in weighted:
        acc += item[-1]
        if x <= acc:
            return item
    return weighted[-1]


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def generate(today: date, *, customers: int = 240, seed: int = 2026) -> DemoCompany:
    rng = random.Random(seed)
    names: set[str] = set()
    doc: dict[str, Any] = {
        "currency": "USD",
        "customers": [],
        "invoices": [],
        "payments": [],
        "promises": [],
        "disputes": [],
    }
    behaviour: dict[str, str] = {}
    kinds = [(k, v[0]) for k, v in BEHAVIOURS.items()]
    for c in range(customers):
        lang, tz, _ = _pick(rng, LOCALES)
        while True:
            stem = rng.choice(STEMS)
            name = f"{stem} {rng.choice(KINDS)} {rng.choice(SUFFIX[lang])}"
            if name not in names:
                names.add(name)
                break
        cid = f"C-{c + 1:04d}"
        domain = (
            "".join(ch for ch in f"{stem}{name.split()[1]}".lower() if ch.isalnum()) + ".example"
        )
        first, last = rng.choice(FIRST), rng.choice(LAST)
        contacts = [
            {
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}@{domain}",
                "role": "ap",
                "primary": True,
            },
            {
                "name": "Finance Team",
                "email": f"finance@{domain}",
                "role": "finance",
                "primary": False,
            },
        ]
        behaviour[cid] = _pick(rng, kinds)[0]
        doc["customers"].append(
            {
                "id": cid,
                "name": name,
                "aliases": [name.rsplit(" ", 1)[0], stem.upper()],
                "terms_days": rng.choice([15, 30, 30, 30, 45, 60]),
                "credit_limit": _money(
                    rng.choice([10_000, 25_000, 50_000, 100_000, 250_000]) * 100
                ),
                "timezone": tz,
                "language": lang,
                "contacts": contacts,
                "insolvent": behaviour[cid] == "insolvent" and rng.random() < 0.7,
            }
        )
    number = 10_000
    for cust in doc["customers"]:
        cid, kind = cust["id"], behaviour[cust["id"]]
        lo, hi = BEHAVIOURS[kind][1]
        partial = BEHAVIOURS[kind][2]
        for _ in range(rng.randint(4, 22)):
            number += 1
            issued = today - timedelta(days=rng.randint(3, 365))
            due = issued + timedelta(days=cust["terms_days"])
            cents = int(rng.lognormvariate(13.0, 1.0))
            cents = max(15_000, min(cents, 9_500_000)) // 100 * 100 + rng.choice([0, 0, 50, 99])
            inv = {
                "number": f"INV-{number}",
                "customer": cid,
                "issue_date": issued.isoformat(),
                "due_date": due.isoformat(),
                "amount": _money(cents),
                "balance": _money(cents),
                "currency": "USD",
                "po_number": f"PO-{rng.randint(1000, 99999)}" if rng.random() < 0.6 else None,
            }
            paid_on = due + timedelta(days=rng.randint(lo, hi))
            if paid_on < today - timedelta(days=2):
                paid = cents if rng.random() >= partial else cents * rng.choice([25, 50, 60]) // 100
                inv["balance"] = _money(cents - paid)
                doc["payments"].append(
                    {
                        "id": f"P-{number}",
                        "customer": cid,
                        "date": paid_on.isoformat(),
                        "amount": _money(paid),
                        "reference": f"INV-{number}",
                        "allocations": [{"invoice": inv["number"], "amount": _money(paid)}],
                    }
                )
            doc["invoices"].append(inv)
            if (
                kind == "disputing"
                and inv["balance"] != "0.00"
                and rng.random() < 0.35
                and due < today
            ):
                doc["disputes"].append(
                    {
                        "customer": cid,
                        "invoice": inv["number"],
                        "reason": rng.choice(["pricing", "quantity", "damaged", "not_received"]),
                        "opened": (due + timedelta(days=rng.randint(1, 10))).isoformat(),
                    }
                )
        open_late = [
            i
            for i in doc["invoices"]
            if i["customer"] == cid
            and i["balance"] != "0.00"
            and date.fromisoformat(i["due_date"]) < today
        ]
        if kind == "late" and open_late and rng.random() < 0.3:
            doc["promises"].append(
                {
                    "customer": cid,
                    "invoices": [open_late[0]["number"]],
                    "date": (today + timedelta(days=rng.randint(1, 9))).isoformat(),
                    "amount": open_late[0]["balance"],
                }
            )
    bank_csv = _bank_statement(rng, doc, today)
    replies = _replies(rng, doc, behaviour, today)
    return DemoCompany(doc, behaviour, bank_csv, replies)


def _bank_statement(rng: random.Random, doc: dict[str, Any], today: date) -> str:
    """Yesterday's credits: clean references, sloppy ones, a multi-invoice payment, noise."""
    by_customer = {c["id"]: c for c in doc["customers"]}
    open_items = [
        i
        for i in doc["invoices"]
        if i["balance"] != "0.00" and not by_customer[i["customer"]].get("insolvent")
    ]
    rng.shuffle(open_items)
    day = (today - timedelta(days=1)).isoformat()
    lines = ["Date,Amount,Currency,Counterparty,Reference,Transaction ID"]
    for seq, inv in enumerate(open_items[:18], start=1):
        name = by_customer[inv["customer"]]["name"].upper()[:22]
        digits = inv["number"].split("-")[1]
        ref = rng.choice(
            [
                inv["number"],
                f"INV{digits}",
                f"Invoice {digits}",
                f"PAYMENT {digits} THANK YOU",
                f"/ROC/{inv['number']}",
            ]
        )
        amount = Decimal(inv["balance"]) - (Decimal("15.00") if seq % 7 == 0 else 0)
        lines.append(f"{day},{amount},USD,{name},{ref},BNK{today:%y%m%d}{seq:04d}")
    lines.append(f"{day},250.00,USD,INTEREST CREDIT,Quarterly interest,BNK{today:%y%m%d}0900")
    lines.append(f"{day},-1200.00,USD,OFFICE RENT,Rent December,BNK{today:%y%m%d}0901")
    return "\n".join(lines) + "\n"


def _replies(
    rng: random.Random, doc: dict[str, Any], behaviour: dict[str, str], today: date
) -> list[bytes]:
    """A handful of customer replies of different kinds, as raw RFC 822 messages."""
    by_customer = {c["id"]: c for c in doc["customers"]}
    late = [
        i
        for i in doc["invoices"]
        if i["balance"] != "0.00"
        and date.fromisoformat(i["due_date"]) < today - timedelta(days=10)
        and not by_customer[i["customer"]].get("insolvent")
    ]
    rng.shuffle(late)
    bodies = [
        "Hi, sorry for the delay on {inv}. We'll pay it this Friday.\n\nThanks,\n{first}",
        "Hello, the unit price on {inv} doesn't match our PO, we were quoted 10% less. "
        "Can you check and send a corrected invoice?\n\n{first}",
        "We paid {inv} last week, wire trace 4471. Please check on your side.\n\nBest regards\n{first}",
        "Cash is tight this quarter. Could we split {inv} into 4 monthly payments?\n\n{first}",
        "Could you send me a copy of {inv}? I can't find it in our system.\n\nThanks\n{first}",
        "I'm out of the office until {ret} with limited access to email.",
    ]
    messages = []
    for n, (body, inv) in enumerate(zip(bodies, late, strict=False)):
        cust = by_customer[inv["customer"]]
        contact = cust["contacts"][0]
        text = body.format(
            inv=inv["number"],
            first=contact["name"].split()[0],
            ret=(today + timedelta(days=6)).strftime("%B %d"),
        )
        subject = (
            f"RE: Invoice {inv['number']} is overdue"
            if "office" not in text
            else "Automatic reply: Invoice"
        )
        auto = "Auto-Submitted: auto-replied\n" if "office" in text else ""
        messages.append(
            (
                f"From: {contact['name']} <{contact['email']}>\nTo: ar@example.com\nSubject: {subject}\n"
                f"Message-ID: <demo-reply-{n}-{today:%Y%m%d}@{contact['email'].split('@')[1]}>\n"
                f"Date: {today:%a, %d %b %Y} 08:1{n}:00 -0600\n{auto}MIME-Version: 1.0\n"
                f"Content-Type: text/plain; charset=utf-8\n\n{text}\n"
            ).encode()
        )
    return messages
