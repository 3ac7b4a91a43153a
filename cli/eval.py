"""``ar-agent eval SUITE.yaml [SUITE...] [--model M] [--json] [-k N]``: run eval suites.

Prints one line per case and closes with ``N passed, M failed``. Exit 0 even when cases
fail; exit 1 (one line on stderr) when a suite itself is invalid, like every other command.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval",
        help="run eval suites (CONTRACTS.md §3)",
        description="Run eval suites through the real agent and score them.",
    )
    p.add_argument("suites", nargs="+", metavar="SUITE.yaml")
    p.add_argument(
        "--model",
        default=None,
        help="openai:MODEL for an OpenAI-compatible endpoint (default: the offline brain)",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument(
        "-k",
        type=int,
        default=1,
        metavar="N",
        help="run each case N times; it passes only if every run passes (pass^k)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from evals.runner import check_ledger, run_suite
    from evals.suite import SuiteError, load_suite

    try:
        suites = [load_suite(path) for path in args.suites]
        for suite in suites:
            check_ledger(suite)
    except SuiteError as exc:
        print(f"ar-agent: {exc}", file=sys.stderr)
        return 1
    if args.k < 1:
        print("ar-agent: -k must be at least 1", file=sys.stderr)
        return 1
    results = []
    for suite in suites:
        for result in run_suite(suite, model=args.model, k=args.k):
            results.append(result)
            if not args.json:
                print(result.line(), flush=True)
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    kinds = {k: sum(r.outcome == k for r in results) for k in ("UNSAFE", "MISSED", "WRONG-DETAIL")}
    if args.json:
        print(
            json.dumps(
                {
                    "passed": passed,
                    "failed": failed,
                    "k": args.k,
                    "outcomes": kinds,
                    "cases": [r.to_json() for r in results],
                },
                indent=2,
                default=str,
            )
        )
    else:
        if failed:
            print("failed cases: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
        print(f"{passed} passed, {failed} failed")
    return 0
