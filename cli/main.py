"""The ``ar-agent`` command. Each subcommand lives in its own module under ``cli/``.

A subcommand module exposes ``register(subparsers)``, which adds its parser and sets
``func=run`` where ``run(args) -> int``. Errors of ours become one line on stderr and
exit 1; a traceback is never shown to a user for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn

from core.errors import ARAgentError


class Parser(argparse.ArgumentParser):
    """argparse, but bad usage is one line and exit code 1 (CONTRACTS.md §1), not 2.

    Every command exits 0 on success and 1 on any failure (bad input, an interruption, a bug).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: {message} (see {self.prog} --help)\n")


COMMANDS = [
    "demo",
    "serve",
    "worker",
    "import_",
    "match",
    "dunning",
    "email",
    "eval",
    "approvals",
    "worklist",
    "suggestions",
    "analytics",
    "chat",
    "users",
    "backup",
]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ar-agent",
        description="Accounts-receivable collections agent: it drafts, a human approves.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cli.{name}":
                continue  # subcommand not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except ARAgentError as exc:
        print(f"ar-agent: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ar-agent: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("AR_AGENT_DEBUG"):
            raise
        print(
            f"ar-agent: internal error: {type(exc).__name__}: {exc} "
            "(set AR_AGENT_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
