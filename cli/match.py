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
from core.money import format_money
from matching.remittance_advice import RemittanceAdvice, parse_advice
from matching.types import MatchSettings

PROGRESS_THRESHOLD = 500  # lines; smaller statements stay quiet


def register(sub: argparse._SubParsersAction) -> None:
    from ledger.bankfiles import FORMATS

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
    p.add_argument("--json", action="store_true", help="print one JSON object per transaction")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ledger.bankfiles import parse_bank_file
    from policies.config import load_policy

    policy = load_policy(settings().policy_path)
    match_settings = MatchSettings.from_policy(policy)
    advice = [_read_advice(path) for path in args.advice]
    if args.ledger:
        statements = parse_bank_file(args.bankfile, args.format)
        out = _match_throwaway(args.ledger, statements, match_settings, advice)
    else:
        out = _match_database(args.bankfile, args.format, match_settings, advice, policy)
    if args.json:
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(describe(out))
    return 0


def _read_advice(path: Path) -> RemittanceAdvice:
    return parse_advice(path.read_text(encoding="utf-8", errors="replace"))


def _progress(total: int) -> tqdm:
    return tqdm(
        total=total,
        desc="matching",
        unit="line",
        file=sys.stderr,
        disable=total <= PROGRESS_THRESHOLD,
    )


def _match_throwaway(
    ledger: Path, statements: list, ms: MatchSettings, advice: list[RemittanceAdvice]
) -> list[dict[str, Any]]:
    from ledger.db import in_memory
    from ledger.importer import load_ledger_file
    from matching.service import match_transactions, txn_from_line

    db = in_memory()
    try:
        with db.transaction() as session:
            load_ledger_file(session, ledger)
            txns = [txn_from_line(line) for s in statements for line in s.lines]
            with _progress(len(txns)) as bar:
                results = match_transactions(
                    session, txns, settings=ms, advice=advice, progress=bar.update
                )
        return [r.to_dict() for r in results]
    finally:
        db.dispose()


def _match_database(
    path: Path, fmt: str, ms: MatchSettings, advice: list[RemittanceAdvice], policy: Any
) -> list[dict[str, Any]]:
    from ledger.bankfiles import parse_bank_file
    from ledger.bankfiles.store import store_statements
    from matching.service import (
        ledger_currency,
        match_transactions,
        pending_transactions,
        queue_proposals,
        to_action,
    )

    db = open_database()
    now = clock()
    with db.transaction() as session:
        # A CSV statement that names no currency is read in the ledger's main currency.
        statements = parse_bank_file(path, fmt, default_currency=ledger_currency(session))
        stored = store_statements(session, statements, source_file=str(path))
        # Each line's stored key, in file order (new or already imported).
        lines = [ln for st in statements for ln in st.lines]
        pending = {t.id: t for t in pending_transactions(session, bank_ids=stored.all_keys)}
        picked = [pending.get(key) for key in stored.all_keys]
        txns = list({t.id: t for t in picked if t is not None}.values())
        # CONTRACTS §4 names a line by the bank's id, else date/sequence; keep the stored key too.
        file_ids = {t.id: ln.bank_id for t, ln in zip(picked, lines, strict=True) if t}
        with _progress(len(txns)) as bar:
            results = match_transactions(
                session, txns, settings=ms, advice=advice, progress=bar.update
            )
        outcomes = iter(queue_proposals(session, results, clock=now, policy=policy))
        out = []
        for r in results:
            item = r.to_dict()
            if file_ids.get(r.txn.id, r.txn.id) != r.txn.id:
                item["transaction"] = file_ids[r.txn.id]
                item["bank_transaction"] = r.txn.id
            if to_action(r) is not None:
                outcome = next(outcomes)
                if outcome.blocked:
                    item["blocked"] = [
                        str(x) for x in getattr(outcome.verdict, "reasons", None) or []
                    ]
                elif outcome.approval is not None:
                    item["approval"] = outcome.approval.id
            out.append(item)
    return out


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
