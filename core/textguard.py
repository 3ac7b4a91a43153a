"""Linear-time reading of untrusted text: bound what any regular expression can chew on.

Customer email, attachments and bank-file fields reach many regular expressions. A pattern
such as ``[\\w.+-]+@`` costs time proportional to the length of the run it starts in, at
every position of that run: a 64 KB run without spaces (or of tabs) makes it quadratic.
:func:`bound_runs` is the guard put in front of every reader (mail, the agent's
understanding, the linker): it splits any run of non-space characters longer than
``MAX_TOKEN`` with a space, and shortens runs of blanks and of empty lines. Words, numbers,
addresses and links of normal length are left exactly as they were.
"""

from __future__ import annotations

import re

MAX_TOKEN = 100  # no word, address or reference a reader needs is longer
MAX_BLANKS = 16
MAX_EMPTY_LINES = 8
# Each pattern is linear: a fixed-width run (or a run of one character class) per match.
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN}}}(?=\S)")
_LONG_BLANKS = re.compile(rf"([^\S\n]{{{MAX_BLANKS}}})[^\S\n]++")
_EMPTY_LINES = re.compile(rf"(?:\n[^\S\n]*+){{{MAX_EMPTY_LINES + 1},}}+")


def bound_runs(text: str) -> str:
    """``text`` with no token over MAX_TOKEN characters and no overlong blank runs."""
    if not text:
        return text
    text = _LONG_TOKEN.sub(_with_space, text)
    text = _LONG_BLANKS.sub(r"\1", text)
    return _EMPTY_LINES.sub("\n" * MAX_EMPTY_LINES, text)


def _with_space(match: re.Match[str]) -> str:
    return match.group(0) + " "


def bounded(text: str | None, limit: int) -> str:
    """At most ``limit`` characters of ``text``, runs bounded."""
    return bound_runs((text or "")[:limit])
