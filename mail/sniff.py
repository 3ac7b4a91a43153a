"""Is this file an email at all? A cheap look before ``email ingest`` takes it.

A message (RFC 5322) opens with a header block: ``Name: value`` lines (folded lines start
with white space), optionally after an mbox ``From `` line, and names at least one of the
usual fields (From, To, Subject, Date, Message-ID, Received …). A README, a PDF or a
spreadsheet does not; a *malformed* message still does, and is stored and escalated as
before. :func:`not_an_email` returns the reason a file is refused, or None.
"""

from __future__ import annotations

import re

HEADER = re.compile(rb"^[!-9;-~]+[ \t]*:")
KNOWN = {
    b"from",
    b"to",
    b"cc",
    b"subject",
    b"date",
    b"message-id",
    b"received",
    b"return-path",
    b"mime-version",
    b"delivered-to",
    b"reply-to",
    b"sender",
    b"in-reply-to",
    b"references",
    b"content-type",
}
LOOK = 64 * 1024


def not_an_email(raw: bytes) -> str | None:
    """Why ``raw`` is not an RFC 822 message, or None when it looks like one."""
    head = raw[:LOOK].removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.strip():
        return "empty file, not an email message"
    lines = head.splitlines()
    if lines[0].startswith(b"From "):  # mbox separator
        lines = lines[1:]
    names: set[bytes] = set()
    for number, line in enumerate(lines):
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t") and number > 0:
            continue  # a folded header line
        if not HEADER.match(line):
            if number == 0:
                first = line[:60].decode("utf-8", "replace")
                return f"not an email message (it starts with {first!r}, not a header like From:)"
            break
        names.add(line.split(b":", 1)[0].strip().lower())
    if not names & KNOWN:
        return "not an email message (no From, To, Subject or Date header)"
    return None
