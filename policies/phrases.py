"""Phrase lists of the policy turned into word-boundary regexes.

A controller writes plain phrases in the YAML; this module compiles them:
case-insensitive, whole words only (``court`` does not match ``courtesy``), a space
matches any run of spaces or hyphens (``write off`` matches ``write-off``), and a
trailing ``*`` on a word matches any ending (``lawyer*`` matches ``lawyers``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD_GAP = r"[\s\-]+"


def phrase_pattern(phrase: str) -> str:
    """The regex source of one phrase; ValueError when the phrase is empty."""
    words = phrase.strip().split()
    if not words:
        raise ValueError("a phrase must not be empty")
    parts = []
    for word in words:
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    return r"(?<!\w)" + _WORD_GAP.join(parts) + r"(?!\w)"


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of every phrase, or None when there are none."""
    sources = [phrase_pattern(p) for p in phrases]
    if not sources:
        return None
    return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE | re.UNICODE)


def find_all(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    """Every distinct match of ``pattern`` in ``text``, in order, lower-cased."""
    if pattern is None:
        return []
    seen: list[str] = []
    for match in pattern.finditer(text):
        found = " ".join(match.group(0).lower().split())
        if found not in seen:
            seen.append(found)
    return seen
