"""Word lists shared by the finders, merged from every language file (``lexicon``).

Months, weekdays, number words, units of time and negators of all languages, folded.
"""

from __future__ import annotations

from agent.understanding.lexicon import languages

__all__ = [
    "AMBIGUOUS_MONTHS",
    "ARTICLE_NUMBERS",
    "DAY_UNITS",
    "MONTHS",
    "MONTH_UNITS",
    "NEGATORS",
    "NUMBER_WORDS",
    "RELATIVE_DAYS",
    "WEEKDAYS",
    "WEEKDAY_ABBR",
    "WEEKDAY_ABBR_CUED",
    "WEEKDAY_WORDS",
]

_ALL = languages()
MONTHS: dict[str, int] = {w: n for lang in _ALL for w, n in lang.months.items()}
# Abbreviations too short or too common to stand alone without a digit next to them.
AMBIGUOUS_MONTHS = frozenset(w for lang in _ALL for w in lang.ambiguous_months)
WEEKDAYS: dict[str, int] = {w: n for lang in _ALL for w, n in lang.weekdays.items()}
# Abbreviations safe on their own, and those that need a cue word before them
# ("mon" is French for "my", "sat"/"sun" are English words).
WEEKDAY_ABBR = {w: n for lang in _ALL for w, n in lang.weekday_abbreviations.items()}
WEEKDAY_ABBR_CUED = {w: n for lang in _ALL for w, n in lang.weekday_abbreviations_cued.items()}
NUMBER_WORDS: dict[str, int] = {}
for _lang in _ALL:
    for _word, _number in _lang.numbers.items():
        NUMBER_WORDS.setdefault(_word, _number)
# "a"/"an"/"un"/"een"... only count as numbers before a unit ("a week", "un mois").
ARTICLE_NUMBERS = frozenset(w for lang in _ALL for w in lang.articles)
# Units of time, to the number of days (months and years are handled apart).
DAY_UNITS = {w: n for lang in _ALL for w, n in lang.day_units.items()}
MONTH_UNITS = frozenset(w for lang in _ALL for w in lang.month_units)
NEGATORS = frozenset(w for lang in _ALL for w in lang.negators)
# Day words a language file adds ("amanhã": 1); the finders also know their own.
RELATIVE_DAYS = {w: n for lang in _ALL for w, n in lang.relative_days.items()}
# Words around a weekday, by meaning: next, coming, this, last, cue (before it) and
# next_after, coming_after, last_after ("vendredi prochain", "martes pasado").
WEEKDAY_WORDS: dict[str, frozenset[str]] = {}
for _lang in _ALL:
    for _meaning, _phrases in _lang.weekday_words.items():
        WEEKDAY_WORDS[_meaning] = WEEKDAY_WORDS.get(_meaning, frozenset()) | frozenset(_phrases)
