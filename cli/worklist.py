"""``ar-agent worklist [--limit N] [--json]``: which customers to work first, and why."""

from __future__ import annotations

import argparse
import json
import sys

from cli.common import clock, open_database
from core.money import format_money
from dunning.worklist import WorklistEntry, build_worklist


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worklist",
        help="customers to work first, scored by risk",
        description="Customers with an overdue balance, scored out of 100 by amount at risk, "
        "days overdue, broken promises, payment trend and dispute history.",
    )
    p.add_argument(
        "--limit",
        type=_positive,
        default=20,
        metavar="N",
        help="show the top N customers (default 20)",
    )
    p.add_argument("--json", action="store_true", help="print the entries as a JSON array")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = open_database()
    with db.session() as session:
        entries = build_worklist(session, clock=clock(), limit=args.limit)
    if args.json:
        json.dump([e.as_dict() for e in entries], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(describe(entries))
    return 0


def describe(entries: list[WorklistEntry]) -> str:
    if not entries:
        return "Nothing overdue: the worklist is empty."
    lines = [f"{'#':>3} {'score':>5}  {'customer':<28} {'overdue':>18}  flag  why"]
    for n, e in enumerate(entries, 1):
        who = f"{e.name} ({e.customer})"
        flag = "trend" if e.flagged else ""
        why = [r for r in e.reasons if not r.endswith(" overdue")][:3]
        if e.open_escalations:
            why.append(f"escalated: /escalations?customer={e.customer}")
        lines.append(
            f"{n:>3} {e.score:>5.1f}  {who[:28]:<28} "
            f"{format_money(e.overdue, e.currency):>18}  {flag:<5} {'; '.join(why)}"
        )
    return "\n".join(lines)
