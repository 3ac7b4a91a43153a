"""Guess the language of a short business email from stopword profiles.

Each language file (``languages/*.yaml``) lists frequent function words (articles,
pronouns, prepositions, auxiliaries) plus a few collections-domain words. The language whose words cover most
tokens wins; special letters (ß, ñ, ç, ij) break ties. Short or unknown text is English.
"""

from __future__ import annotations

import re

from agent.understanding._text import fold
from agent.understanding.lexicon import languages

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = tuple(lang.code for lang in languages())
_PROFILES: dict[str, frozenset[str]] = {lang.code: lang.stopwords for lang in languages()}
_LETTER_HINTS = {lang.code: lang.letters for lang in languages()}
_WORD = re.compile(r"[a-zß]+(?:'[a-z]+)?")


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the language file that best fits ``text``."""
    tokens = _WORD.findall(fold(text))
    if not tokens:
        return "en"
    scores: dict[str, float] = dict.fromkeys(_PROFILES, 0.0)
    for token in tokens:
        for lang, profile in _PROFILES.items():
            if token in profile:
                scores[lang] += 1
    lowered = text.lower()
    for lang, letters in _LETTER_HINTS.items():
        scores[lang] += 0.5 * sum(lowered.count(ch) for ch in letters)
    if "ij" in lowered:
        scores["nl"] += 0.3 * lowered.count("ij")
    best, best_score = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "en"), default=("en", 0))
    return best if best_score >= 1 else "en"
