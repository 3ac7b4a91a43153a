"""``ar-agent demo``: a seeded demo company, drafts waiting, the web page on :8000."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from api.demo import admin_login_link, prepare_demo, seed_demo_users
from api.server import build_context, serve
from core.logs import configure_logging
from core.settings import get_settings
from ledger.db import Database
from mail.sink import SmtpSink

DEMO_DB = "sqlite:///./ar-agent-demo.db"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="run a seeded demo company on http://127.0.0.1:8000",
        description="Seed a realistic demo company into ./ar-agent-demo.db (if empty), read its "
        "customers' replies, match a bank file, run one dunning cycle, then serve the app with a "
        "local SMTP sink so approved mail shows up in the outbox.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--reset", action="store_true", help="delete the demo database and seed it again"
    )
    p.add_argument("--customers", type=int, default=240, help="size of the demo company")
    p.add_argument("--no-serve", action="store_true", help="seed only, do not start the server")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    configure_logging(default_level="WARNING")  # the demo's own lines stay readable
    settings = get_settings()
    url = os.environ.get("AR_AGENT_DATABASE_URL") or DEMO_DB
    if args.reset and url == DEMO_DB:
        for suffix in ("", "-wal", "-shm"):
            Path(f"ar-agent-demo.db{suffix}").unlink(missing_ok=True)
    sink = None if settings.smtp_url else SmtpSink().start()
    if sink:
        settings.smtp_url = sink.url
    ctx = build_context(settings, db=Database(url))
    print("ar-agent demo: preparing the demo company…")
    summary = prepare_demo(ctx, customers=args.customers)
    if not summary.seeded:
        print(
            f"  using the existing demo database ({summary.customers} customers); --reset starts over"
        )
    if sink:
        ctx.extras["transport_note"] = (
            f"Demo: approved mail goes over SMTP to a local sink on {sink.url} "
            "(nothing leaves this machine)."
        )
    users = seed_demo_users(ctx)
    base = f"http://{args.host}:{args.port}"
    accounts = "\n".join(f"           {u:<8} {r:<11} password {p}" for u, r, p in users)
    print(f"""
  {summary.pending} proposals wait for approval.

  Open   {base}/login/link/{admin_login_link(ctx)}
         (signs you in as admin; works once, for an hour)
  Users  sign in at {base}/login as (demo passwords; four-eyes needs two of them):
{accounts}
  API    Authorization: Bearer {ctx.settings.web_token}   (the admin's bootstrap token)

  Try first:
   1. Approvals: read a reminder draft, edit it, approve it, then see it in Outbox.
   2. Chat: "who owes us the most?", "aging", "propose a 4-month plan for <customer>".
   3. Dashboard: aging, DSO trend, collected vs promised, cash-in forecast.
   4. Bank: upload a statement (camt.053, BAI2, MT940, OFX, CSV) and queue the matches.
   5. Four-eyes: a credit-limit raise needs two people; approve it as alice, then as bob.
""")
    if args.no_serve:
        if sink:
            sink.stop()
        return 0
    try:
        serve(ctx, host=args.host, port=args.port)
    finally:
        if sink:
            sink.stop()
    return 0
