"""Third-party payers: AP platforms and payment processors whose names say nothing about
the customer (``payer_platforms.yaml``). Pure.

``effective_payer("PAYMODE-X ON BEHALF OF GLOBEX CORP")`` → ``("GLOBEX CORP", "Paymode-X")``:
the name matching reads what follows the platform; a payer that is only a platform reads
as no payer at all, so it neither counts for nor against any customer, and it is never
learned as a customer's past payer.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).with_name("payer_platforms.yaml")


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@cache
def _platforms() -> tuple[tuple[str, str], ...]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    folded = [(_fold(name), name) for name in data["platforms"]]
    return tuple(sorted(folded, key=lambda x: -len(x[0])))  # longest first


@cache
def _joiners() -> tuple[str, ...]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return tuple(sorted((_fold(j) for j in data["joiners"] if _fold(j)), key=len, reverse=True))


def customer_platforms(customer_names: list[str]) -> frozenset[str]:
    """The platforms that are themselves customers of this ledger (someone sells to
    PayPal): their names are read as those customers, not as platforms."""
    keys = {key for key, _ in _platforms()}
    found: set[str] = set()
    for name in customer_names:
        words = _fold(name).split()
        found.update(k for n in range(1, 5) if (k := " ".join(words[:n])) in keys)
    return frozenset(found)


def effective_payer(
    payer: str | None, skip: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(the name to match customers by, the platform that carried the payment or None).

    Platforms in ``skip`` (from :func:`customer_platforms`) are not stripped.
    """
    if not payer:
        return payer, None
    folded = _fold(payer)
    for key, name in _platforms():
        if key in skip:
            continue
        if folded == key or folded.startswith(key + " "):
            rest = folded[len(key) :].strip()
            for joiner in _joiners():
                if rest.startswith(joiner + " "):
                    rest = rest[len(joiner) :].strip()
                    break
            return (rest.upper() or None), name
    return payer, None


def is_platform(payer: str | None, skip: frozenset[str] = frozenset()) -> bool:
    """True when ``payer`` is only an AP platform or processor's name."""
    name, platform = effective_payer(payer, skip)
    return platform is not None and name is None
