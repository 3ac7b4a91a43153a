"""Relative dates for ``dates.find_dates``: "tomorrow", "in 2 weeks", "end of next month",
"Monatsende", "fin de mois", "mid-December", "early next week".

Works on folded text (see ``_text.fold``) and returns ``(date, start, end, kind)``
tuples; ``dates`` merges them with the absolute dates. The rules are documented in the
``dates`` module docstring.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from agent.understanding._text import NUMBER, alternation, fold, number_value, words
from agent.understanding.vocab import DAY_UNITS, MONTH_UNITS, MONTHS, RELATIVE_DAYS

Found = tuple[date, int, int, str]

_DAY_WORDS = {
    "today": 0,
    "tonight": 0,
    "this afternoon": 0,
    "this evening": 0,
    "end of day": 0,
    "end of today": 0,
    "eod": 0,
    "cob": 0,
    "close of business": 0,
    "end of business": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "tomorow": 1,
    "tommorow": 1,
    "tomorrow's": 1,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "yesterday": -1,
    "the day before yesterday": -2,
    "heute": 0,
    "heut": 0,
    "morgen": 1,
    "ubermorgen": 2,
    "gestern": -1,
    "vorgestern": -2,
    "aujourd'hui": 0,
    "aujourd hui": 0,
    "ce soir": 0,
    "demain": 1,
    "apres-demain": 2,
    "apres demain": 2,
    "hier": -1,
    "avant-hier": -2,
    "hoy": 0,
    "manana": 1,
    "pasado manana": 2,
    "ayer": -1,
    "anteayer": -2,
    "antier": -2,
    "vandaag": 0,
    "overmorgen": 2,
    "gisteren": -1,
    "eergisteren": -2,
    "oggi": 0,
    "domani": 1,
    "dopodomani": 2,
    "ieri": -1,
    "stasera": 0,
    **RELATIVE_DAYS,  # the language files' own day words
}
# "Morgen"/"mañana" also mean "morning"; "hier" is "here" in German and Dutch.
_MORNING_BEFORE = re.compile(
    r"(?:guten|am|jeden|heute|diesen|gestern|la|esta|por\s+la|de\s+la|goede|ogni)\s+$"
)
_DAY_WORD_RE = re.compile(r"(?<![\w'])(" + alternation(_DAY_WORDS) + r")(?![\w'])")

_COUNT = (
    r"(?P<n>" + NUMBER + r"|a|an|one|a\s+couple\s+of|a\s+few|couple\s+of|few|ein\s+paar|"
    r"einer|einem|einen|eine|ein|une|un|una|un\s+par\s+de|unos|een\s+paar|een|un\s+paio\s+di|"
    r"quelques)"
)
_UNIT = (
    r"(?P<unit>"
    + alternation(
        list(DAY_UNITS)
        + list(MONTH_UNITS)
        + [
            "jours ouvres",
            "jours ouvrables",
            "dias habiles",
            "werktage",
            "werkdagen",
            "giorni lavorativi",
            "year",
            "years",
            "jahr",
            "jahren",
            "an",
            "ans",
            "ano",
            "anos",
        ]
    )
    + r")"
)
_IN = (
    r"(?:in|within|inside\s+of|in\s+the\s+next|innerhalb(?:\s+von)?|binnen|dans|d'ici|"
    r"sous|en|dentro\s+de|en\s+el\s+plazo\s+de|en\s+un\s+plazo\s+de|tra|fra|entro|over)"
)
_OFFSET_RES = [
    (1, re.compile(r"\b" + _IN + r"\s+" + _COUNT + r"\s+" + _UNIT + r"\b")),
    (1, re.compile(r"\b" + _COUNT + r"\s+" + _UNIT + r"\s+(?:from\s+(?:now|today)|later|out)\b")),
    (-1, re.compile(r"\b(?:vor|il\s+y\s+a|hace|ha)\s+" + _COUNT + r"\s+" + _UNIT + r"\b")),
    (-1, re.compile(r"\b" + _COUNT + r"\s+" + _UNIT + r"\s+(?:ago|geleden|fa)\b")),
]

_POS = {
    "end": "end",
    "close": "end",
    "late": "end",
    "later": "end",
    "ende": "end",
    "fin": "end",
    "finales": "end",
    "fines": "end",
    "final": "end",
    "eind": "end",
    "fine": "end",
    "beginning": "start",
    "start": "start",
    "early": "start",
    "anfang": "start",
    "beginn": "start",
    "debut": "start",
    "principios": "start",
    "inicios": "start",
    "comienzos": "start",
    "begin": "start",
    "inizio": "start",
    "primi": "start",
    "mid": "mid",
    "middle": "mid",
    "mitte": "mid",
    "mi": "mid",
    "milieu": "mid",
    "mediados": "mid",
    "mitad": "mid",
    "midden": "mid",
    "half": "mid",
    "meta": "mid",
}
_PREP = r"(?:\s*-\s*|\s+)(?:(?:of|de|du|del|des|d'|van|della|dello|dei|des|al|a)\s*)?"
_DET = r"(?:(?:the|la|le|el|der|den|dem|de|il|lo|het)\s+)?"
_NEXT = words(
    "next following coming nachsten nachster nachste nachstes kommenden kommender "
    "kommende folgenden proximo proxima volgende prossimo prossima siguiente"
)
_THIS = words("this current diese dieser diesen dieses cette ce este esta deze questo questa")
_PAST = words(
    "last previous past letzten letzte letzter vergangenen vorige vorigen afgelopen scorso scorsa"
)
_NEXT_POST = [
    "prochain",
    "prochaine",
    "que viene",
    "proximo",
    "proxima",
    "siguiente",
    "prossimo",
    "prossima",
    "entrant",
]
_PAST_POST = ["dernier", "derniere", "pasado", "pasada", "passe", "passee", "scorso", "scorsa"]
_WEEK = {"week", "woche", "semaine", "semana", "settimana"}
_MONTH = {"month", "monats", "monat", "mois", "mes", "maand", "mese"}
_YEAR = {"year", "jahres", "jahr", "annee", "ano", "jaar", "anno"}
_PERIOD_RE = re.compile(
    r"(?<![\w'])(?:(?P<pos>"
    + alternation(_POS)
    + r")"
    + _PREP
    + r")?"
    + _DET
    + r"(?:(?P<next>"
    + alternation(_NEXT)
    + r")\s+|(?P<this>"
    + alternation(_THIS)
    + r")\s+|(?P<past>"
    + alternation(_PAST)
    + r")\s+)?"
    + r"(?P<unit>"
    + alternation(_WEEK | _MONTH | _YEAR)
    + r")(?!\w)"
    + r"(?:\s+(?P<npost>"
    + alternation(_NEXT_POST)
    + r")|\s+(?P<ppost>"
    + alternation(_PAST_POST)
    + r"))?(?!\w)"
)
_COMPOUNDS = {
    "monatsende": ("end", "month"),
    "monatsanfang": ("start", "month"),
    "monatsbeginn": ("start", "month"),
    "monatsmitte": ("mid", "month"),
    "ultimo": ("end", "month"),
    "month-end": ("end", "month"),
    "month end": ("end", "month"),
    "eom": ("end", "month"),
    "end-of-month": ("end", "month"),
    "jahresende": ("end", "year"),
    "year-end": ("end", "year"),
    "year end": ("end", "year"),
    "eow": ("end", "week"),
    "wochenende": ("weekend", "week"),
    "weekend": ("weekend", "week"),
    "week-end": ("weekend", "week"),
    "fin de semana": ("weekend", "week"),
}
_COMPOUND_RE = re.compile(
    r"(?<![\w'])(?:(?P<next>next|this|nachstes|dieses|ce|este)\s+)?(?P<word>"
    + alternation(_COMPOUNDS)
    + r")(?!\w)"
)
_FULL_MONTHS = [m for m in MONTHS if len(m) >= 4 or m in {"may", "mai", "mei"}]
_MONTH_PERIOD_RE = re.compile(
    r"(?<![\w'])(?P<pos>"
    + alternation(_POS)
    + r")"
    + _PREP
    + _DET
    + r"(?P<month>"
    + alternation(_FULL_MONTHS)
    + r")(?!\w)(?:\s+(?P<year>20\d\d))?"
)
_IN_MONTH_RE = re.compile(
    r"(?<![\w'])(?:in|im|en|au\s+mois\s+d[e']\s*|durante|nel\s+mese\s+di|nel|a|in\s+de\s+maand)"
    r"\s+(?P<month>" + alternation(_FULL_MONTHS) + r")(?!\w)(?:\s+(?P<year>20\d\d))?"
)


def find_periods(
    folded: str, *, today: date, prefer_future: bool = True, lang: str | None = None
) -> list[Found]:
    """Return the relative dates and periods written in already-folded text."""
    found: list[Found] = []
    for m in _DAY_WORD_RE.finditer(folded):
        word = re.sub(r"\s+", " ", m.group(1))
        if word in {"morgen", "manana"} and _MORNING_BEFORE.search(folded[: m.start()]):
            continue
        if word == "hier" and lang != "fr":
            continue
        found.append((today + timedelta(days=_DAY_WORDS[word]), m.start(), m.end(), "relative"))
    for sign, regex in _OFFSET_RES:
        for m in regex.finditer(folded):
            if m.group(0).startswith("over") and lang != "nl":
                continue
            value = _offset(today, sign, m["n"], m["unit"])
            if value is not None:
                found.append((value, m.start(), m.end(), "relative"))
    for m in _PERIOD_RE.finditer(folded):
        value = _period(m, today, prefer_future)
        if value is not None:
            found.append((value, m.start(), m.end(), "period"))
    for m in _COMPOUND_RE.finditer(folded):
        pos, unit = _COMPOUNDS[re.sub(r"\s+", " ", m["word"])]
        shift = 1 if m["next"] in {"next", "nachstes"} else 0
        value = _position(today, unit, pos, shift, prefer_future, explicit=bool(m["next"]))
        found.append((value, m.start(), m.end(), "period"))
    for m in _MONTH_PERIOD_RE.finditer(folded):
        found.append(
            (_in_month(m, today, _POS[m["pos"]], prefer_future), m.start(), m.end(), "period")
        )
    for m in _IN_MONTH_RE.finditer(folded):
        found.append((_in_month(m, today, "end", prefer_future), m.start(), m.end(), "period"))
    return found


def _offset(today: date, sign: int, count: str, unit: str) -> date | None:
    count = re.sub(r"\s+", " ", count)
    if count in {"a couple of", "couple of", "ein paar", "un par de", "een paar", "un paio di"}:
        n = 2
    elif count in {"a few", "few", "quelques", "unos"}:
        n = 3
    elif count in {
        "a",
        "an",
        "one",
        "ein",
        "eine",
        "einer",
        "einem",
        "einen",
        "une",
        "un",
        "una",
        "een",
    }:
        n = 1
    else:
        n = number_value(count) or 0
    if not 0 < n <= 400:
        return None
    unit = re.sub(r"\s+", " ", unit)
    if unit in MONTH_UNITS:
        return _add_months_to(today, sign * n)
    if unit in {"year", "years", "jahr", "jahren", "an", "ans", "ano", "anos"}:
        return _add_months_to(today, sign * 12 * n)
    if unit in {
        "business days",
        "working days",
        "jours ouvres",
        "jours ouvrables",
        "dias habiles",
        "werktage",
        "werktagen",
        "werkdagen",
        "giorni lavorativi",
        "werktag",
    }:
        return _add_business_days(today, sign * n)
    return today + timedelta(days=sign * n * DAY_UNITS[unit])


def _period(m: re.Match[str], today: date, prefer_future: bool) -> date | None:
    if not (m["pos"] or m["next"] or m["this"] or m["past"] or m["npost"] or m["ppost"]):
        return None
    unit_word = m["unit"]
    unit = "week" if unit_word in _WEEK else "month" if unit_word in _MONTH else "year"
    shift = 1 if (m["next"] or m["npost"]) else -1 if (m["past"] or m["ppost"]) else 0
    pos = _POS[m["pos"]] if m["pos"] else None
    if pos is None:
        pos = "start" if shift else "end"
    explicit = bool(m["this"] or shift)
    return _position(today, unit, pos, shift, prefer_future, explicit=explicit)


def _position(
    today: date, unit: str, pos: str, shift: int, prefer_future: bool, *, explicit: bool
) -> date:
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
        value = monday + timedelta(days={"start": 0, "mid": 2, "end": 4, "weekend": 5}[pos])
        if value < today and prefer_future and not explicit:
            value += timedelta(weeks=1)
        return value
    if unit == "month":
        year, month = _shift_month(today.year, today.month, shift)
        value = _month_position(year, month, pos)
        if value < today and prefer_future and not explicit:
            year, month = _shift_month(year, month, 1)
            value = _month_position(year, month, pos)
        return value
    year = today.year + shift
    return {"start": date(year, 1, 1), "mid": date(year, 7, 1)}.get(pos, date(year, 12, 31))


def _in_month(m: re.Match[str], today: date, pos: str, prefer_future: bool) -> date:
    month = MONTHS[m["month"]]
    if m["year"]:
        return _month_position(int(m["year"]), month, pos)
    options = [_month_position(y, month, pos) for y in (today.year - 1, today.year, today.year + 1)]

    def cost(d: date) -> int:
        delta = (d - today).days
        return (
            (-2 * delta if delta < 0 else delta)
            if prefer_future
            else (2 * delta if delta > 0 else -delta)
        )

    return min(options, key=cost)


def _month_position(year: int, month: int, pos: str) -> date:
    if pos == "start":
        return date(year, month, 1)
    if pos == "mid":
        return date(year, month, 15)
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + offset
    return index // 12, index % 12 + 1


def _add_months_to(today: date, months: int) -> date:
    year, month = _shift_month(today.year, today.month, months)
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _add_business_days(today: date, days: int) -> date:
    step = 1 if days > 0 else -1
    value, left = today, abs(days)
    while left:
        value += timedelta(days=step)
        if value.weekday() < 5:
            left -= 1
    return value


def offset_date(today: date, count: str, unit: str) -> date | None:
    """Return ``today`` moved forward by ``count`` units ("2", "weeks"), or None."""
    return _offset(today, 1, fold(count), fold(unit))
