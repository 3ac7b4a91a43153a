"""``ar-agent email ingest FILE.eml...``: read customer replies and propose next steps."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from cli.common import clock, open_database
from core.errors import ValidationError
from mail.sniff import not_an_email


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("email", help="customer email channel")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ingest = verbs.add_parser(
        "ingest",
        help="ingest raw RFC 822 messages as customer replies",
        description="Parse each message, strip quoted history and signature, link it "
        "to customer and invoices, classify it and propose actions (queued for approval). "
        "A file that is not an email message (no header block) is refused before any is read.",
    )
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE.eml")
    ingest.add_argument(
        "--ledger", type=Path, help="work on a throw-away in-memory ledger loaded from this file"
    )
    ingest.add_argument(
        "--json", action="store_true", help="print a JSON array, one object per file"
    )
    ingest.set_defaults(func=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    from agent.inbox import process_inbound
    from agent.service import AgentService
    from ledger.db import in_memory
    from ledger.importer import load_ledger_file

    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise ValidationError(f"{missing[0]}: no such file")
    for path in args.files:  # all checked before anything is stored
        reason = not_an_email(path.read_bytes())
        if reason:
            raise ValidationError(f"{path}: {reason}")
    if args.ledger:
        db = in_memory()
        with db.transaction() as session:
            load_ledger_file(session, args.ledger)
    else:
        db = open_database()
    now = clock()
    service = AgentService(db, clock=now, checkpointer=False)
    results = []
    for path in tqdm(
        args.files, unit="email", disable=len(args.files) < 20 or not sys.stderr.isatty()
    ):
        result = process_inbound(
            db, path.read_bytes(), clock=now, service=service, source=str(path)
        )
        result["file"] = str(path)
        results.append(result)
        if not args.json:
            _print_human(result)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    return 0


def _print_human(result: dict) -> None:  # type: ignore[type-arg]
    who = result.get("customer") or "no customer (escalated)"
    if result.get("duplicate"):
        print(f"{result['file']}: duplicate of an earlier message, ignored")
        return
    print(
        f"{result['file']}: {result.get('intent')} from {who}; invoices {', '.join(result.get('invoices') or []) or '-'}"
    )
    for p in result.get("proposals") or []:
        print(f"  proposed {p.get('type')}: {_short(p.get('payload') or {})}")
    for b in result.get("blocked") or []:
        print(f"  blocked {b.get('type')}: {'; '.join(b.get('reasons') or [])}")


def _short(payload: dict) -> str:  # type: ignore[type-arg]
    keep = {k: v for k, v in payload.items() if k not in ("body",)}
    return ", ".join(f"{k}={v}" for k, v in keep.items())[:160]
