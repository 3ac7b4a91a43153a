"""``ar-agent chat [MESSAGE] [--conversation ID] [--as USER] [--model M] [--json]``.

Talk to the agent from a terminal against the configured database. With a MESSAGE it
answers once; without, it reads one message per line until EOF (memory per conversation).
Proposals go to the approval queue exactly as from Slack or the web chat, requested by the
account proven by ``AR_AGENT_TOKEN`` (or ``--as USER`` and its password; ``cli.identity``).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

from cli import common
from cli.identity import cli_identity


def register(sub: Any) -> None:
    p = sub.add_parser(
        "chat",
        help="chat with the agent in the terminal",
        description="Ask the agent; proposals are queued for approval.",
    )
    p.add_argument("message", nargs="*", help="one message (omit to read lines from stdin)")
    p.add_argument("--conversation", default=None, help="conversation id (default: a new one)")
    p.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        default=None,
        help="ask as this account (its password is asked), else AR_AGENT_TOKEN's owner",
    )
    p.add_argument(
        "--model",
        default=None,
        help="openai:MODEL (default: AR_AGENT_MODEL, else the offline brain)",
    )
    p.add_argument("--json", action="store_true", help="print each reply as JSON")
    p.set_defaults(func=run)


def _print(reply: Any, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "text": reply.text,
                    "intent": reply.intent,
                    "proposals": reply.proposals,
                    "blocked": reply.blocked,
                },
                default=str,
            )
        )
        return
    print(reply.text)


def run(args: argparse.Namespace) -> int:
    from agent.service import AgentService
    from policies.config import load_policy

    settings = common.settings()
    db = common.open_database()
    user = cli_identity(db, settings, args.as_user).require("propose").username
    service = AgentService(
        db,
        clock=common.clock(),
        policy=load_policy(settings.policy_path),
        model=args.model if args.model else settings.model,
    )
    conversation = args.conversation or f"cli:{uuid.uuid4().hex[:12]}"
    if args.message:
        _print(
            service.chat(" ".join(args.message), conversation_id=conversation, user=user),
            args.json,
        )
        return 0
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return 0
        if line.strip():
            _print(service.chat(line.strip(), conversation_id=conversation, user=user), args.json)
