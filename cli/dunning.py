"""``ar-agent dunning-run [--dry-run] [--ledger LEDGER.json] [--json]``: the daily cadence.

Applies the policy's cadence to every open invoice and queues the due reminders (one
message per customer). ``--json`` prints one JSON array: each proposal as
``{"type": ..., <payload fields>}`` (plus ``"approval": id`` once queued) and each open
overdue invoice left out as ``{"invoice", "customer", "skipped": reason}``. A proposal
the policy check refuses is not queued; its invoices are listed as skipped with
``"blocked by policy: ..."`` (an escalation without invoices is printed with ``"blocked"``).
With ``--ledger`` the run works on a throw-away in-memory copy of that file.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.common import clock, existing_file, open_database, settings
from dunning.run import DunningResult, run_dunning


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dunning-run",
        help="apply the dunning cadence and queue the due reminders",
        description="Apply the policy's cadence to every open invoice and queue the due "
        "reminders for approval: one message per customer grouping its due invoices.",
    )
    p.add_argument("--dry-run", action="store_true", help="only print; queue nothing")
    p.add_argument(
        "--ledger",
        type=existing_file,
        metavar="LEDGER.json",
        help="work on a throw-away in-memory ledger loaded from this file",
    )
    p.add_argument("--json", action="store_true", help="print proposals and skips as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from policies.config import load_policy

    policy = load_policy(settings().policy_path)
    if args.ledger:
        from ledger.db import in_memory
        from ledger.importer import load_ledger_file

        db = in_memory()
        with db.transaction() as session:
            load_ledger_file(session, args.ledger)
    else:
        db = open_database()
    result = run_dunning(db, clock=clock(), policy=policy, dry_run=args.dry_run)
    if args.json:
        json.dump(to_json(result), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(describe(result))
    return 0


def to_json(result: DunningResult) -> list[dict[str, Any]]:
    """The CONTRACTS.md §1 ``--json`` list: proposals, then skipped overdue invoices."""
    blocked = {id(action): reasons for action, reasons in result.blocked}
    out: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for index, action in enumerate(result.proposals):
        payload = action.normalised().payload
        reasons = blocked.get(id(action))
        if reasons is not None:
            why = "blocked by policy: " + "; ".join(reasons)
            numbers = payload.get("invoices") or []
            skipped += [
                {"invoice": n, "customer": action.customer, "skipped": why} for n in numbers
            ]
            if not numbers:
                out.append({"type": action.type, **payload, "blocked": reasons})
            continue
        item = {"type": action.type, **payload}
        approval = result.approval_ids[index] if index < len(result.approval_ids) else None
        if approval is not None:
            item["approval"] = approval
        out.append(item)
    skipped += [
        {"invoice": s.invoice, "customer": s.customer, "skipped": s.reason} for s in result.skipped
    ]
    return out + sorted(skipped, key=lambda s: (s["customer"] or "", s["invoice"]))


def describe(result: DunningResult) -> str:
    """A readable summary: what was (or would be) queued and why the rest was left out."""
    blocked = {id(action) for action, _ in result.blocked}
    kept = [a for a in result.proposals if id(a) not in blocked]
    emails = sum(1 for a in kept if a.type == "send_email")
    verb = "would queue" if result.dry_run else "queued"
    head = (
        f"Dunning run {result.run_id.removeprefix('dunning-')}"
        f"{' (dry run)' if result.dry_run else ''}: {verb} {len(kept)} "
        f"({emails} emails, {len(kept) - emails} escalations); "
        f"{len(result.skipped)} overdue invoices left out"
    )
    if result.waiting:
        head += f"; {len(result.waiting)} wait for the customer's send window"
    if result.duplicates:
        head += f"; {len(result.duplicates)} already in the queue"
    lines = [head]
    for action in kept:
        p = action.payload
        what = p.get("stage") or action.type
        target = ", ".join(p.get("to") or []) if action.type == "send_email" else "a human"
        numbers = ", ".join(p.get("invoices") or []) or "-"
        lines.append(
            f"  {p.get('customer', ''):<10} {action.type:<10} {what:<11} {numbers}  -> {target}"
        )
    for action, reasons in result.blocked:
        lines.append(f"  blocked {action.type} for {action.customer}: {'; '.join(reasons)}")
    if result.skipped:
        lines.append("Left out:")
        lines += [f"  {s.invoice:<14} {s.customer or '':<10} {s.reason}" for s in result.skipped]
    return "\n".join(lines)
