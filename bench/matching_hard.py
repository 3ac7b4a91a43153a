"""``python -m bench matching_hard``: the hard cases of cash application per category
(returns, credit notes, FX, deductions, AP platforms, parents, many invoices), engine beside
the rules baseline at 1x and 10x. Same as ``python -m bench.matching --hard``."""

from __future__ import annotations

from bench import matching


def main(argv: list[str] | None = None) -> int:
    return matching.main(["--hard", *(argv or [])])


if __name__ == "__main__":
    raise SystemExit(main())
