"""``ar-agent match BANKFILE [--ledger LEDGER.json] [--format ...] [--json]``: cash application.

Parses a bank statement and proposes how each credit applies to open invoices
(CONTRACTS.md §4). With ``--ledger`` it works on a throw-away in-memory ledger and only
prints. Without, the lines are stored in the configured database (deduplicated) and
every ``auto`` / ``review`` match is queued as an ``apply_payment`` for approval.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from tqdm import tqdm

from cli.common import clock, existing_file, open_database, settings
from core.errors import ValidationError
from core.money import format_money
from ledger.bankfiles import FORMATS
from ledger.bankfiles.profiles import (
    check_currency,
    load_profile,
    mapping_from,
    parse_columns,
    profile_currency,
    save_profile,
)
from ledger.db import in_memory
from ledger.importer import load_ledger_file
from matching.remittance_advice import RemittanceAdvice, parse_advice
from matching.statement_run import CashApplicationRequest, StatementUpload, run_cash_application
from matching.types import MatchSettings
from policies.config import load_policy

PROGRESS_THRESHOLD = 500  # lines; smaller statements stay quiet


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "match",
        help="match a bank statement's payments to open invoices",
        description="Parse a bank statement and propose cash application: each credit is "
        "auto (confident), review (a human picks from ranked suggestions) or unmatched. "
        "Against the database the proposals are queued for approval; with --ledger they "
        "are only printed.",
    )
    p.add_argument("bankfile", type=existing_file, metavar="BANKFILE")
    p.add_argument(
        "--ledger",
        type=existing_file,
        metavar="LEDGER.json",
        help="work on a throw-away in-memory ledger loaded from this file",
    )
    p.add_argument(
        "--format", default="auto", choices=FORMATS, help="bank file format (default: auto)"
    )
    p.add_argument(
        "--advice",
        type=existing_file,
        action="append",
        default=[],
        metavar="FILE",
        help="remittance advice text (email body, CSV or PDF text) listing invoices "
        "and amounts; may be repeated",
    )
    p.add_argument(
        "--columns",
        metavar="SPEC",
        help="how to read a CSV: meaning=column pairs, columns numbered from 1 or named by "
        "header, e.g. date=1,amount=4,direction=5,payer=6,reference=7+8 (meanings: date, "
        "value_date, amount, credit, debit, direction, currency, payer, payer_account, "
        "reference, id, balance, status)",
    )
    p.add_argument(
        "--currency",
        type=check_currency,
        metavar="CODE",
        help="currency of a file that names none (default: the ledger's main currency)",
    )
    p.add_argument(
        "--profile",
        type=existing_file,
        metavar="FILE.yaml",
        help="a saved bank profile (columns, currency, decimal mark, date format)",
    )
    p.add_argument(
        "--save-profile",
        type=Path,
        metavar="FILE.yaml",
        help="save --columns/--currency (over --profile) as a bank profile for next time",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per transaction")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(settings().policy_path)
    profile = _profile(args)
    request = CashApplicationRequest(
        upload=StatementUpload(
            data=args.bankfile.read_bytes(),
            name=args.bankfile.name,
            format=args.format,
            mapping=mapping_from(profile) if profile.get("columns") else None,
            currency=args.currency or profile_currency(profile),
        ),
        advice=[_read_advice(path) for path in args.advice],
        # against the database the matches wait for approval; a throw-away ledger only prints
        queue=not args.ledger,
    )
    db = in_memory() if args.ledger else open_database()
    try:
        with db.transaction() as session:
            if args.ledger:
                load_ledger_file(session, args.ledger)
            with _progress(0) as bar:
                outcome = run_cash_application(
                    session,
                    request,
                    settings=MatchSettings.from_policy(policy),
                    clock=clock(),
                    policy=policy,
                    progress=bar.update,
                )
    finally:
        if args.ledger:
            db.dispose()
    if args.save_profile:
        save_profile(args.save_profile, profile)
    if args.json:
        json.dump(outcome.rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(describe(outcome.rows))
        for note in outcome.skipped:
            print(f"skipped: {note}")
    return 0


def _profile(args: argparse.Namespace) -> dict[str, Any]:
    """The saved profile, with --columns and --currency given now on top."""
    profile = load_profile(args.profile) if args.profile else {}
    if args.columns:
        profile["columns"] = parse_columns(args.columns)
    if args.currency:
        profile["currency"] = args.currency
    if args.save_profile and not profile.get("columns"):
        raise ValidationError("--save-profile needs --columns (or --profile) to save")
    return profile


def _read_advice(path: Path) -> RemittanceAdvice:
    return parse_advice(path.read_text(encoding="utf-8", errors="replace"))


def _progress(total: int) -> tqdm:
    return tqdm(
        total=total or None,
        desc="matching",
        unit="line",
        file=sys.stderr,
        disable=sys.stderr.isatty() is False,
    )


def describe(results: list[dict[str, Any]]) -> str:
    """A readable table of every transaction and a summary line per status."""
    rows = [("transaction", "date", "amount", "payer", "status", "customer", "invoices", "conf")]
    counts: dict[str, int] = defaultdict(int)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    debits = 0
    for r in results:
        is_debit = "debit: not matched" in r.get("reasons", [])
        if is_debit:
            debits += 1
            continue
        counts[r["status"]] += 1
        totals[(r["status"], r["currency"])] += Decimal(r["amount"])
        invoices = ", ".join(a["invoice"] for a in r["allocations"])
        if r.get("short_by"):
            invoices += f" (short {r['short_by']})"
        rows.append(
            (
                _cut(r["transaction"], 22),
                r["date"],
                format_money(Decimal(r["amount"]), r["currency"]),
                _cut(r.get("payer") or "", 24),
                r["status"],
                r.get("customer") or "-",
                _cut(invoices or "-", 34),
                f"{r['confidence']:.2f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    summary = []
    for status in ("auto", "review", "unmatched"):
        money = ", ".join(
            format_money(v, cur) for (st, cur), v in sorted(totals.items()) if st == status
        )
        summary.append(f"{status} {counts.get(status, 0)}" + (f" ({money})" if money else ""))
    tail = f"; {debits} debit(s) not matched" if debits else ""
    return "\n".join(lines) + "\n\n" + " | ".join(summary) + tail


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
