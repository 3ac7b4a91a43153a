"""Only the customer's new words: strip quoted history, signature and disclaimers.

:func:`extract_reply` walks the lines of a reply. A hard marker (an "Original Message"
separator, an Outlook header block, a forwarded-message marker, or an attribution
line that is followed by unquoted history) ends the new text: everything after it is
quoted. Lines starting with ``>`` and attribution lines that introduce them are quoted
too, but text *after* such a block is kept, so inline answers and bottom-posted replies
survive. The remaining text loses its disclaimer and signature (:mod:`mail.signatures`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mail.html import html_to_text
from mail.quotes import attribution_at, header_block_at, is_separator
from mail.signatures import is_mobile_footer, split_disclaimer, split_signature

_QUOTED = re.compile(r"^\s*>")
_INVISIBLE = str.maketrans(
    {"\u200e": "", "\u200f": "", "\ufeff": "", "\u00a0": " ", "\u202f": " ", "\u2007": " "}
)


@dataclass(frozen=True)
class ReplyParts:
    """The new text of a reply, the quoted history below it, and the signature."""

    reply: str
    quoted: str
    signature: str

    @property
    def unquoted(self) -> str:
        """Reply and signature together: everything the sender wrote this time."""
        return "\n\n".join(p for p in (self.reply, self.signature) if p)


def extract_reply(text: str, *, html: str | None = None) -> ReplyParts:
    """Split a plain-text body (or the HTML one when there is no text) into its parts."""
    if (not text or not text.strip()) and html:
        text = html_to_text(html)
    if not text or not text.strip():
        return ReplyParts("", "", "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE).split("\n")
    lines = [line.rstrip() for line in lines]
    kept, quoted = _strip_quotes(lines)
    body, disclaimer = split_disclaimer(kept)
    body, signature = split_signature(body)
    reply = _tidy(body)
    if not reply and quoted and not _has_marker(quoted):
        # Only '>' lines and no attribution: the quote *is* the message (HTML bodies
        # wrapped whole in a reply section, a bare quotation). Better read than lose it.
        return ReplyParts(
            reply=_tidy([_QUOTED.sub("", q).lstrip("> ") for q in quoted]),
            quoted="",
            signature=_tidy(signature + disclaimer),
        )
    if not reply and not quoted and signature:  # a message that is nothing but a sig
        reply, signature = _tidy(signature), []
    return ReplyParts(reply=reply, quoted=_tidy(quoted), signature=_tidy(signature + disclaimer))


def _strip_quotes(lines: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    quoted: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        span = attribution_at(lines, i) if line.strip() else 0
        if span:
            nxt = _next_nonblank(lines, i + span)
            if nxt is not None and _QUOTED.match(lines[nxt]):
                quoted.extend(lines[i : i + span])  # "On ... wrote:" above a '>' block
                i += span
                continue
            if _has_content(kept) or not _QUOTED.match(line):
                return kept, quoted + lines[i:]
        if (
            line.strip()
            and (is_separator(lines, i) or header_block_at(lines, i))
            and (_has_content(kept) or not _QUOTED.match(line))
        ):
            return kept, quoted + lines[i:]
        if _QUOTED.match(line):
            quoted.append(line)
        else:
            kept.append(line)
            if is_mobile_footer(line, strong_only=True) and _has_content(kept[:-1]):
                return kept, quoted + lines[i + 1 :]  # a mobile footer ends what was typed
        i += 1
    return kept, quoted


def _has_marker(lines: list[str]) -> bool:
    bare = [_QUOTED.sub("", line).lstrip("> ") for line in lines]
    return any(
        b.strip() and (attribution_at(bare, j) or is_separator(bare, j) or header_block_at(bare, j))
        for j, b in enumerate(bare)
    )


def _next_nonblank(lines: list[str], start: int) -> int | None:
    for j in range(start, len(lines)):
        if lines[j].strip():
            return j
    return None


def _has_content(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


def _tidy(lines: list[str]) -> str:
    """Join lines, collapse runs of blank lines, trim the ends."""
    text = "\n".join(line.rstrip() for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
