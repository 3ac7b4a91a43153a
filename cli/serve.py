"""``ar-agent serve``: the web page, REST API, Slack and the email webhook."""

from __future__ import annotations

import argparse

from api.server import build_context, serve


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the app against AR_AGENT_DATABASE_URL",
        description="Serve the web page, REST API, Slack endpoints and email webhook, "
        "and run the background worker (execution, outbox, daily dunning).",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = build_context()
    generated = "AR_AGENT_WEB_TOKEN" not in __import__("os").environ and not _from_env_file()
    url = f"http://{args.host}:{args.port}"
    print(
        f"ar-agent serving {url} against {ctx.db.engine.url.render_as_string(hide_password=True)}"
    )
    if generated:
        print(f"web token (set AR_AGENT_WEB_TOKEN to choose one): {ctx.settings.web_token}")
    print(
        "sign in from a browser: ar-agent users login-link admin (or add accounts: ar-agent users)"
    )
    print(
        f"Slack: {'on' if ctx.settings.slack_enabled else 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}"
    )
    serve(ctx, host=args.host, port=args.port)
    return 0


def _from_env_file() -> bool:
    from pathlib import Path

    env = Path(".env")
    return env.is_file() and "AR_AGENT_WEB_TOKEN" in env.read_text(errors="replace")
