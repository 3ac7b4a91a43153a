"""Email recipients as written by people and tools, read strictly.

A field such as ``to`` may hold ``"dana@globex.example, attacker@evil.example"``: that is
two recipients, and every one of them must pass the recipient rules. :func:`split_recipients`
reads every address with ``email.utils.getaddresses`` and refuses anything it cannot read
as plain addresses, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import formataddr, getaddresses

MAX_RECIPIENT = 320  # RFC 3696: 64 + 1 + 255
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS = re.compile(rf"[A-Za-z0-9!#$%&'*+/=?^_`{{|}}~.-]{{1,64}}@{_LABEL}(?:\.{_LABEL}){{1,10}}")
_BREAKS = ("\r", "\n", "\x00")


class RecipientError(ValueError):
    """A recipient field that is not a list of plain email addresses."""


def split_recipients(values: str | Iterable[object] | None) -> list[str]:
    """Every address in ``values``, one per entry (``"Name <a@b.example>"`` or ``a@b.example``).

    Raises RecipientError naming the entry that is not a plain address list.
    """
    if values is None:
        return []
    if isinstance(values, str):
        entries: list[object] = [values]
    elif isinstance(values, list | tuple):
        entries = list(values)
    else:
        raise RecipientError(f"{values!r} is not a list of email addresses")
    found: list[str] = []
    for entry in entries:
        if not isinstance(entry, str):
            raise RecipientError(f"{entry!r} is not an email address")
        raw = entry.strip()
        if not raw:
            continue
        if len(raw) > 10 * MAX_RECIPIENT or any(c in raw for c in _BREAKS):
            raise RecipientError(f"{raw[:80]!r} is not an email address list")
        pairs = [(name, addr) for name, addr in getaddresses([raw]) if name or addr]
        addresses = [addr for _, addr in pairs]
        if not pairs or raw.count("@") != len(addresses):
            raise RecipientError(
                f"{raw[:200]!r} is not a list of plain email addresses "
                "(an @ in a display name or a malformed address)"
            )
        for name, addr in pairs:
            if len(addr) > MAX_RECIPIENT or not ADDRESS.fullmatch(addr):
                raise RecipientError(f"{addr[:200]!r} in {raw[:200]!r} is not an email address")
            found.append(formataddr((name, addr)) if name else addr)
    return found
