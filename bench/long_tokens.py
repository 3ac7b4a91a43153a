"""Benchmark: read replies holding one run of characters without spaces (issue 13, ReDoS).

``python -m bench long_tokens`` feeds ``agent.inbox.process_inbound`` (store, parse,
extract the reply, link, let the offline agent read it, queue) plain-text replies from a
known contact whose body holds one token of 64 KB, 1 MB and 20 MB, plus a 64 KB run of
tabs and a 64 KB mixed token, and prints the seconds per message and per MB. Reading is
linear: a token is split before any regular expression sees it, and a message with more
text than the agent reads is stored and escalated as "too large to read".
"""

from __future__ import annotations

import random
import string
import time
from collections.abc import Callable

from agent.inbox import process_inbound
from core.clock import parse_clock
from ledger.db import in_memory
from ledger.importer import load_ledger
from policies.config import load_policy

KB = 1024
LEDGER = {
    "currency": "USD",
    "customers": [
        {
            "id": "C-001",
            "name": "Globex Corporation",
            "contacts": [{"name": "Dana Ruiz", "email": "dana@globex.example", "primary": True}],
        }
    ],
    "invoices": [
        {
            "number": "INV-1042",
            "customer": "C-001",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "12400.00",
        }
    ],
}
SIZES = (64 * KB, 200 * KB, 1024 * KB, 20 * 1024 * KB)


def reply(body: str, key: str) -> bytes:
    return (
        "From: Dana Ruiz <dana@globex.example>\r\nTo: ar@acme.example\r\n"
        f"Subject: Re: Invoice INV-1042\r\nMessage-ID: <bench-{key}@globex.example>\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n{body}\r\nThanks, Dana\r\n"
    ).encode()


def mixed(size: int) -> str:
    rng = random.Random(size)
    alphabet = string.ascii_letters + string.digits + ".-_@/:=+"
    return "".join(rng.choice(alphabet) for _ in range(size))


SHAPES: dict[str, Callable[[int], str]] = {
    "one letter": lambda n: "a" * n,
    "mixed token": mixed,
    "tabs": lambda n: "\t" * n,
}


def main() -> list[str]:
    db = in_memory()
    with db.transaction() as session:
        load_ledger(session, LEDGER)
    clock = parse_clock("2026-11-23T09:00:00-06:00")
    policy = load_policy()
    process_inbound(db, reply("we will pay Friday", "warm-up"), clock=clock, policy=policy)
    rows = ["| token | size | seconds | seconds per MB | outcome |", "|---|---|---|---|---|"]
    print("\n".join(rows), flush=True)
    for shape, make in SHAPES.items():
        sizes = SIZES if shape == "one letter" else SIZES[:2]
        for size in sizes:
            raw = reply(make(size), f"{shape.replace(' ', '-')}-{size}")
            started = time.perf_counter()
            out = process_inbound(db, raw, clock=clock, policy=policy, source="bench")
            took = time.perf_counter() - started
            outcome = "too large to read" if "too large" in str(out.get("error")) else "read"
            rows.append(
                f"| {shape} | {size // KB:,} KB | {took:.2f} | {took / (size / (1024 * KB)):.2f}"
                f" | {outcome} |"
            )
            print(rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    main()
