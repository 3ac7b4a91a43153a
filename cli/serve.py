"""``ar-agent serve``: the web page, REST API, Slack and the email webhook."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from api.server import build_context, serve
from core.logs import configure_logging


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the app against AR_AGENT_DATABASE_URL",
        description="Serve the web page, REST API, Slack endpoints and email webhook, "
        "and run the background worker (execution, outbox, daily dunning) unless --no-worker.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--no-worker",
        action="store_true",
        help="serve HTTP only; run the background services with `ar-agent worker` instead",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    configure_logging()
    ctx = build_context()
    generated = "AR_AGENT_WEB_TOKEN" not in os.environ and not _from_env_file()
    url = f"http://{args.host}:{args.port}"
    print(
        f"ar-agent serving {url} against {ctx.db.engine.url.render_as_string(hide_password=True)}"
        + (" (HTTP only: run `ar-agent worker` beside it)" if args.no_worker else ""),
        flush=True,
    )
    if generated:
        print(f"web token (set AR_AGENT_WEB_TOKEN to choose one): {ctx.settings.web_token}")
    print(
        "sign in from a browser: ar-agent users login-link admin (or add accounts: ar-agent users)",
        flush=True,
    )
    print(
        f"Slack: {'on' if ctx.settings.slack_enabled else 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}",
        flush=True,
    )
    serve(ctx, host=args.host, port=args.port, worker=not args.no_worker)
    return 0


def _from_env_file() -> bool:
    env = Path(".env")
    return env.is_file() and "AR_AGENT_WEB_TOKEN" in env.read_text(errors="replace")
