"""Per-language data: one YAML file per language in ``languages/``.

A language file holds what the reader needs to know of that language: words to detect it,
month and weekday names, number words, negators, relative day words, the clause markers
(past payment, condition, explicit contact change, text aimed at the system, ...) and cue
phrases per intent. Adding a language is adding a file; no code changes.

Every word is folded (lower case, accents removed) when loaded, as the text is before it
is read. A phrase is matched as whole words; ``*`` matches the rest of a word
("pagat*" -> "pagato", "pagata") and stands for one to six words inside a phrase
("mark * as paid").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from agent.understanding._fold import fold

__all__ = ["Language", "languages", "marker", "phrase_pattern"]

HERE = Path(__file__).resolve().parent / "languages"


@dataclass(frozen=True)
class Language:
    """One language's data, folded."""

    code: str
    name: str
    stopwords: frozenset[str]
    letters: str
    months: dict[str, int]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    weekday_abbreviations: dict[str, int]
    weekday_abbreviations_cued: dict[str, int]
    numbers: dict[str, int]
    articles: frozenset[str]
    day_units: dict[str, int]
    month_units: frozenset[str]
    negators: frozenset[str]
    relative_days: dict[str, int]
    weekday_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    demonyms: frozenset[str] = frozenset()
    markers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [fold(w) for w in value.split()]
    return [fold(str(w)) for w in value or []]


def _numbered(groups: list[list[str]], start: int) -> dict[str, int]:
    return {fold(str(name)): n for n, names in enumerate(groups, start) for name in names}


def _folded_map(mapping: dict[str, int] | None) -> dict[str, int]:
    return {fold(str(k)): int(v) for k, v in (mapping or {}).items()}


def _no_booleans(value: Any, where: str) -> None:
    """YAML reads a bare on/off/yes/no as a boolean: in a word list that is a typo."""
    if isinstance(value, bool):
        raise ValueError(f"{where}: a bare yes/no/on/off is read as a boolean; quote the word")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_booleans(key, where)
            _no_booleans(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _no_booleans(item, where)


def _load(path: Path) -> Language:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    _no_booleans({k: v for k, v in raw.items() if k not in ("numbers", "months")}, path.name)
    detect = raw.get("detect") or {}
    return Language(
        code=str(raw["language"]),
        name=str(raw.get("name", raw["language"])),
        stopwords=frozenset(_words(detect.get("stopwords"))),
        letters=str(detect.get("letters") or ""),
        months=_numbered(raw.get("months") or [], 1),
        ambiguous_months=frozenset(_words(raw.get("ambiguous_months"))),
        weekdays=_numbered(raw.get("weekdays") or [], 0),
        weekday_abbreviations=_folded_map(raw.get("weekday_abbreviations")),
        weekday_abbreviations_cued=_folded_map(raw.get("weekday_abbreviations_cued")),
        numbers=_folded_map(raw.get("numbers")),
        articles=frozenset(_words(raw.get("articles"))),
        day_units=_folded_map(raw.get("day_units")),
        month_units=frozenset(_words(raw.get("month_units"))),
        negators=frozenset(_words(raw.get("negators"))),
        relative_days=_folded_map(raw.get("relative_days")),
        demonyms=frozenset(_words(raw.get("demonyms"))),
        weekday_words={
            k: tuple(fold(str(p)) for p in v or [])
            for k, v in (raw.get("weekday_words") or {}).items()
        },
        markers={k: tuple(_words(v)) for k, v in (raw.get("markers") or {}).items()},
        cues={k: tuple(fold(str(p)) for p in v or []) for k, v in (raw.get("cues") or {}).items()},
    )


@cache
def languages() -> tuple[Language, ...]:
    """Every language file, English first, then by code."""
    found = [_load(p) for p in sorted(HERE.glob("*.yaml"))]
    return tuple(sorted(found, key=lambda lang: (lang.code != "en", lang.code)))


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of folded phrases, whole words, ``*`` as a word wildcard."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = []
        for word in phrase.split():
            if word == "*":  # one to six words: "mark INV-1 and INV-2 as paid"
                words.append(r"[\w'-]{1,40}(?:\s+[\w'-]{1,40}){0,5}?")
            elif word.endswith("*"):
                words.append(re.escape(word[:-1]) + r"[\w'-]{0,20}")
            else:
                words.append(re.escape(word))
        parts.append(r"\s+".join(words))
    return r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])" if parts else r"(?!x)x"


def language_named(folded_text: str) -> str | None:
    """The language whose name or nationality the text uses ("our Italian customers")."""
    for lang in languages():
        if lang.demonyms and re.search(phrase_pattern(sorted(lang.demonyms)), folded_text):
            return lang.code
    return None


@cache
def marker(kind: str) -> re.Pattern[str]:
    """One clause marker of every language (e.g. ``past_payment``), compiled."""
    return re.compile(
        phrase_pattern([p for lang in languages() for p in lang.markers.get(kind, ())])
    )
