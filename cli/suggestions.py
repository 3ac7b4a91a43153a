"""``ar-agent suggestions [list|apply KEY|dismiss KEY] [--json]``: what approvers keep changing."""

from __future__ import annotations

import argparse
import json
import sys

from api.suggestions import apply, decide, open_suggestions
from cli.common import clock, open_database, settings
from cli.identity import cli_identity


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suggestions",
        help="template changes suggested by approvers' repeated edits",
        description="Edits approvers make again and again to drafts, as suggested template "
        "changes, each with the approvals behind it. Dismissing or marking one applied is "
        "remembered; applying one queues it as a change_template approval.",
    )
    p.add_argument("action", nargs="?", default="list", choices=("list", "apply", "dismiss"))
    p.add_argument("key", nargs="?", help="the suggestion's key (from the list)")
    p.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    p.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="act as this account (its password is asked; default $AR_AGENT_CLI_USER); "
        "or set AR_AGENT_TOKEN to your API token",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = open_database()
    if args.action != "list":
        if not args.key:
            print(f"ar-agent: suggestions {args.action} needs a KEY", file=sys.stderr)
            return 1
        actor = cli_identity(db, settings(), args.as_user)
        actor.require("propose" if args.action == "apply" else "decide")
        with db.transaction() as session:
            if args.action == "apply":
                print(apply(session, args.key, user=actor.username, clock=clock()))
            else:
                print(
                    decide(
                        session, args.key, decision="dismissed", user=actor.username, clock=clock()
                    )
                )
        return 0
    with db.session() as session:
        items = open_suggestions(session)
    if args.json:
        rows = [
            {
                "key": s.key,
                "text": s.text,
                "template": s.template,
                "field": s.pattern.field,
                "stage": s.pattern.stage,
                "language": s.pattern.language,
                "removed": s.pattern.removed,
                "added": s.pattern.added,
                "edits": s.edits,
                "waiting": s.waiting,
            }
            for s in items
        ]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not items:
        print("No suggestions: approvers have not made the same edit twice.")
    for s in items:
        approvals = ", ".join(f"#{e['approval']} by {e['by']}" for e in s.edits)
        print(f"{s.key}  {s.text}\n    template: {s.template}\n    edits: {approvals}")
    return 0
