"""Phrase lists of the policy turned into word-boundary regexes.

A controller writes plain phrases in the YAML; this module compiles them:
case-insensitive, whole words only (``court`` does not match ``courtesy``), a space
matches any run of spaces or hyphens (``write off`` matches ``write-off``), and a
trailing ``*`` on a word matches any ending (``lawyer*`` matches ``lawyers``).

Searching a long draft with one alternation of ~200 phrases tries every phrase at
every position, so ``find_all`` first keeps the phrases whose longest word occurs in
the lower-cased text and runs the alternation of those only. That is exact: a phrase
that matches somewhere contains its words there, and lower-casing agrees with the
regex engine's case-insensitive matching except for the few characters in
``_CASE_ODD`` (dotless i, long s, Greek variants...), for which it falls back to the
full alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_WORD_GAP = r"[\s\-]+"
_FLAGS = re.IGNORECASE | re.UNICODE

# Characters whose str.lower() differs from how re.IGNORECASE groups them (checked
# against the regex engine by tests/policies/test_phrases.py).
_CASE_ODD = frozenset(
    "\u0130\u0131\u017f\u0399\u039c\u03a3\u03b9\u03bc\u03c3\u03d0\u03d1\u03d5\u03d6\u03f0"
    "\u03f1\u03f5\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1e9b\u1fbe\u1fd3\u1fe3"
    "\ua64a\ua64b\ufb06"
)


def fold(text: str) -> str | None:
    """``text`` lower-cased, when that agrees with re.IGNORECASE char by char (else None)."""
    return None if not _CASE_ODD.isdisjoint(text) else text.lower()


def _words(phrase: str) -> list[str]:
    words = phrase.strip().split()
    if not words:
        raise ValueError("a phrase must not be empty")
    return words


def phrase_pattern(phrase: str) -> str:
    """The regex source of one phrase; ValueError when the phrase is empty."""
    parts = []
    for word in _words(phrase):
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    return r"(?<!\w)" + _WORD_GAP.join(parts) + r"(?!\w)"


@dataclass(frozen=True)
class _Prefilter:
    sources: tuple[str, ...]  # regex source per phrase, in the policy's order
    needles: tuple[str | None, ...]  # lower-cased longest word; None: always tried


_PREFILTERS: dict[str, _Prefilter] = {}
_COMPILED_FLAGS = re.compile("", _FLAGS).flags


def _needle(phrase: str) -> str | None:
    stems = [w[:-1] if w.endswith("*") and len(w) > 1 else w for w in _words(phrase)]
    stem = max(stems, key=len).lower()
    return None if _CASE_ODD.intersection(stem) else stem


def _alternation(sources: Iterable[str]) -> str:
    return "|".join(f"(?:{s})" for s in sources)


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of every phrase, or None when there are none."""
    phrases = list(phrases)
    sources = [phrase_pattern(p) for p in phrases]
    if not sources:
        return None
    pattern = re.compile(_alternation(sources), _FLAGS)
    _PREFILTERS[pattern.pattern] = _Prefilter(tuple(sources), tuple(_needle(p) for p in phrases))
    return pattern


@lru_cache(maxsize=1024)
def _compile_subset(sources: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_alternation(sources), _FLAGS)


def _narrowed(pattern: re.Pattern[str], text: str) -> re.Pattern[str] | None:
    """The alternation of the phrases that may occur in ``text`` (None: none can)."""
    pre = _PREFILTERS.get(pattern.pattern)
    if pre is None or pattern.flags != _COMPILED_FLAGS:
        return pattern
    lowered = fold(text)
    if lowered is None:
        return pattern
    kept = tuple(
        s for s, n in zip(pre.sources, pre.needles, strict=True) if n is None or n in lowered
    )
    if not kept:
        return None
    if len(kept) == len(pre.sources):
        return pattern
    return _compile_subset(kept)


def find_all(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    """Every distinct match of ``pattern`` in ``text``, in order, lower-cased."""
    if pattern is None:
        return []
    narrowed = _narrowed(pattern, text)
    if narrowed is None:
        return []
    seen: list[str] = []
    for match in narrowed.finditer(text):
        found = " ".join(match.group(0).lower().split())
        if found not in seen:
            seen.append(found)
    return seen
