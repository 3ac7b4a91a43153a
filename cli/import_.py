"""``ar-agent import LEDGER.json|.csv [--replace]``: load a ledger in one transaction."""

from __future__ import annotations

import argparse
import sys
import time

from cli.common import existing_file, open_database
from ledger.importer import load_ledger_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="load a ledger file (JSON or CSV) into the database",
        description="Load a ledger (CONTRACTS.md §2) in one transaction. On any invalid "
        "row nothing is written and the message names file, row and field.",
    )
    p.add_argument("ledger", type=existing_file, metavar="LEDGER.json|.csv")
    p.add_argument(
        "--replace",
        action="store_true",
        help="empty the books first (pending approvals are expired)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = open_database()
    started = time.perf_counter()
    with db.transaction() as session:
        summary = load_ledger_file(
            session, args.ledger, replace=args.replace, progress=sys.stderr.isatty()
        )
    print(f"{args.ledger.name}: {summary.describe()} in {time.perf_counter() - started:.1f}s")
    return 0
