"""``python -m bench [NAME...]``: run every ``bench/*.py`` module's ``main()`` (or only NAMEs).

Modules are discovered, so adding a benchmark is adding ``bench/<name>.py`` with a
``main()``; each runs with an empty argument list and its own defaults.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    wanted = list(sys.argv[1:] if argv is None else argv)
    names = discover()
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(
            f"bench: no benchmark named {', '.join(unknown)} (have: {', '.join(names)})",
            file=sys.stderr,
        )
        return 1
    for name in wanted or names:
        module = importlib.import_module(f"bench.{name}")
        if not callable(getattr(module, "main", None)):
            continue
        print(f"\n## bench.{name}\n", flush=True)
        started = time.perf_counter()
        saved = sys.argv
        sys.argv = [f"bench.{name}"]
        try:
            module.main()
        finally:
            sys.argv = saved
        print(f"\n({name}: {time.perf_counter() - started:.1f}s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
