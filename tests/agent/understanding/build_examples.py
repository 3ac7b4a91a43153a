"""Regenerate ``agent/understanding/reply_examples.txt`` from the labelled reply sets.

The fallback classifier (``agent.understanding._nb``) learns from these examples, so the
sets listed in ``SOURCES`` are *training* data from then on: a new held-out round is
scored before it is added here. Run: ``python -m tests.agent.understanding.build_examples``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

OUT = Path(__file__).parents[3] / "agent" / "understanding" / "reply_examples.txt"
SOURCES = ["test_heldout_replies"] + [f"test_heldout_round_{n}" for n in range(1, 10)]


def rows() -> list[tuple[str, str]]:
    out = []
    for name in SOURCES:
        module = importlib.import_module(f"tests.agent.understanding.{name}")
        cases = getattr(module, "REPLIES", None) or module.CASES
        for text, expected in cases:
            label = expected if isinstance(expected, str) else expected[0]
            out.append((label, text))
    return out


def main() -> None:
    lines = [
        f"{label}\t{text.replace(chr(9), ' ').replace(chr(10), ' | ')}" for label, text in rows()
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} examples -> {OUT}")


if __name__ == "__main__":
    main()
