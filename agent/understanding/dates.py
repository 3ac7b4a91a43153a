"""Find and resolve dates in free text (EN/DE/FR/ES, NL/IT basics) against ``today``.

Resolution rules (documented because people disagree):

* Numbers with separators: ``2026-12-04`` is ISO. A dot means day first
  (``04.12.2026``, ``am 4.12.``). With ``/`` or ``-`` a part above 12 decides; otherwise
  English (or unknown language) reads month first (US ``12/04/2026``) and every other
  language reads day first. Short ``12/4`` without a year needs a cue word before it
  ("on", "by", "bis", "le", ...), so fractions and ratios are not taken for dates.
* No year given: the year that puts the date closest to today, where distances on the
  unwanted side count double (``prefer_future``). In November "January 5" is next
  year, while "September 30" stays in the recent past.
* Weekdays: "Friday" is the next Friday after today; "this Friday" may be today;
  "next Friday" is the Friday of next week (as Duckling reads it); "coming Friday" is
  the next one; "last Friday" the previous one. The same holds in every language
  ("nächsten Freitag", "vendredi prochain", "el próximo viernes").
* Periods: "next week" / "early next week" is the Monday of next week, "mid" the
  Wednesday, "end of (next) week" the Friday; "this week" is its Friday. Months: start
  is the 1st, mid the 15th, end the last day; "next month" is the 1st of next month,
  "this month" its last day. "early/mid/late December" are the 1st/15th/last day.
* Ordinals ("the 30th", "am 30.", "le 30") are that day of this month, or of the next
  month when it has passed (or does not exist).
* Not dates: invoice codes, amounts (``$4.12``), times (``4.30 pm``, ``14:30``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from agent.understanding import _periods
from agent.understanding._text import alternation, fold
from agent.understanding.language import detect_language
from agent.understanding.vocab import (
    AMBIGUOUS_MONTHS,
    MONTHS,
    WEEKDAY_ABBR,
    WEEKDAY_ABBR_CUED,
    WEEKDAY_WORDS,
    WEEKDAYS,
)

__all__ = ["FoundDate", "dates_written", "find_dates", "parse_date"]


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: the resolved ``date`` and where it was written."""

    date: date
    start: int
    end: int
    text: str
    kind: str  # iso | numeric | day_month | weekday | relative | period | ordinal


@dataclass(frozen=True, slots=True)
class _Ctx:
    today: date
    lang: str | None
    prefer_future: bool


_MONTH = r"(?P<month>" + alternation(MONTHS) + r")\.?"
_YEAR = r"(?:\s*,?\s*(?:de\s+|del\s+)?(?P<year>(?:19|20)\d{2})(?!\d))?"
_CUE = (
    r"(?:on|by|until|till|til|before|after|due|from|dated|date:?|due:|am|bis|zum|vom|ab|le|au|du|"
    r"pay|pays|paying|paid|payment|zahlung|paiement|pago|"
    r"el|al|del|hasta|antes\s+del|op|tot|il|entro\s+il|" + alternation(WEEKDAYS) + r")"
)
_BEFORE_WEEKDAY = (
    WEEKDAY_WORDS.get("next", frozenset())
    | WEEKDAY_WORDS.get("coming", frozenset())
    | WEEKDAY_WORDS.get("this", frozenset())
    | WEEKDAY_WORDS.get("last", frozenset())
    | WEEKDAY_WORDS.get("cue", frozenset())
)
_AFTER_WEEKDAY = (
    WEEKDAY_WORDS.get("next_after", frozenset())
    | WEEKDAY_WORDS.get("coming_after", frozenset())
    | WEEKDAY_WORDS.get("last_after", frozenset())
)
_NOT_AFTER = r"(?!\s*(?:%|am\b|pm\b|a\.m|p\.m|uhr\b|h\b|hrs\b|\d|[.,]\d))"

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"(?<![\w/.-])(?P<y>\d{4})-(?P<a>\d{1,2})-(?P<b>\d{1,2})(?![\w-]|\.\d)"),
    ("iso", r"(?<![\w/.-])(?P<y>\d{4})/(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\w/]|\.\d)"),
    (
        "numeric",
        r"(?<![\w/.,$€£-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)"
        r"(?P<y>\d{4}|\d{2})(?![\w/-]|[.,]\d)",
    ),
    ("numeric", r"(?<![\w/.,$€£-])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?!\d)" + _NOT_AFTER),
    (
        "numeric",
        r"(?<=\b)" + _CUE + r"\s+(?:the\s+)?(?!(?:1/[2-4]|2/3|3/4)\b)(?P<a>\d{1,2})/(?P<b>\d{1,2})"
        r"(?![\d/])",
    ),
    (
        "numeric",
        r"(?<![\w])(?:am|bis|zum|bis zum|vom|ab|le|el|il|op|on|by|until|due|dated|date:?|per)\s+"
        r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})(?![\d]|[.,]\d)",
    ),
    (
        "day_month",
        r"(?<![\w.,])(?P<day>\d{1,2})(?:st|nd|rd|th|er|eme|e|º|°|o|\.)?\s*(?:of\s+|de\s+|-\s*)?"
        + _MONTH
        + r"(?![a-z])"
        + _YEAR,
    ),
    (
        "day_month",
        r"(?<![a-z])" + _MONTH + r"\s+(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d:.,]\d)"
        r"(?![a-z\d])" + _YEAR,
    ),
    (
        "weekday",
        r"(?:(?<![\w])(?P<pre>" + alternation(_BEFORE_WEEKDAY) + r")\s+)?"
        r"(?<![\w])(?P<wd>" + alternation(list(WEEKDAYS) + list(WEEKDAY_ABBR)) + r")(?![a-z])\.?"
        r"(?:,?\s+(?P<post>week(?!\w)|" + alternation(_AFTER_WEEKDAY) + r")(?![\w]))?",
    ),
    (
        "weekday",
        r"(?<![\w])(?P<pre>"
        + alternation(_BEFORE_WEEKDAY)
        + r")\s+(?P<wd>"
        + alternation(WEEKDAY_ABBR_CUED)
        + r")\b\.?",
    ),
    (
        "ordinal",
        r"(?:\bthe\s+)?(?<![\w.,/$€£-])(?P<day>\d{1,2})(?:st|nd|rd|th)\b"
        r"(?:\s+of\s+(?P<which>this|the|next)\s+month)?",
    ),
    ("ordinal", r"\bthe\s+(?P<day>\d{1,2})(?![\d.,/:%])\b(?!\s*(?:%|[a-z]))"),
    (
        "ordinal",
        r"\b(?:am|zum|bis\s+zum|vom|ab\s+dem)\s+(?P<day>\d{1,2})\.(?!\d)(?!\s*[a-z])",
    ),
    (
        "ordinal",
        r"\b(?:le|au|du|jusqu'au|avant\s+le|el|al|del|antes\s+del|hasta\s+el|dia|il|entro\s+il)"
        r"\s+(?P<day>\d{1,2})(?:er|º|o)?(?![\d,/:%]|\.\d)(?!\s*(?:%|[a-z€$£]))",
    ),
]
_COMPILED = [(kind, re.compile(rx)) for kind, rx in _PATTERNS]


def find_dates(
    text: str, *, today: date, lang: str | None = None, prefer_future: bool = True
) -> list[FoundDate]:
    """Return every date written in ``text``, resolved against ``today``, in text order."""
    folded = fold(text)
    ctx = _Ctx(today=today, lang=lang, prefer_future=prefer_future)
    found: list[FoundDate] = []
    for kind, regex in _COMPILED:
        for m in regex.finditer(folded):
            resolved = _RESOLVERS[kind](m, ctx)
            if resolved is not None and not _is_excluded(folded, m.start(), m.end()):
                found.append(
                    FoundDate(resolved, m.start(), m.end(), text[m.start() : m.end()], kind)
                )
    if lang is None and re.search(r"\bhier\b", folded):
        lang = detect_language(text)
    periods = _periods.find_periods(folded, today=today, prefer_future=prefer_future, lang=lang)
    for period in periods:
        value, start, end, kind = period
        found.append(FoundDate(value, start, end, text[start:end], kind))
    return _named_weekday_dropped(_without_overlaps(found), folded)


def _named_weekday_dropped(found: list[FoundDate], folded: str) -> list[FoundDate]:
    """ "Monday 14 December", "Fri, 4.12.": the written date decides; its weekday only names it."""
    dropped = {
        i
        for i, (day, written) in enumerate(zip(found, found[1:], strict=False))
        if day.kind == "weekday"
        and written.kind in ("day_month", "numeric", "iso", "ordinal")
        and re.fullmatch(
            r"[\s,.]{0,3}(?:the\s+|den\s+|le\s+|el\s+|il\s+|de\s+)?",
            folded[day.end : written.start],
        )
    }
    return [f for i, f in enumerate(found) if i not in dropped]


def dates_written(text: str, *, today: date, lang: str | None = None) -> set[date]:
    """Every date ``text`` can mean, read towards the future and towards the past: what a
    quote may be checked against ("Friday" is this coming one or the one just gone)."""
    return {
        d.date
        for future in (True, False)
        for d in find_dates(text, today=today, lang=lang, prefer_future=future)
    }


def parse_date(
    text: str, *, today: date, lang: str | None = None, prefer_future: bool = True
) -> date | None:
    """Return the first date written in ``text`` resolved against ``today``, else None."""
    found = find_dates(text, today=today, lang=lang, prefer_future=prefer_future)
    return found[0].date if found else None


def _without_overlaps(found: list[FoundDate]) -> list[FoundDate]:
    kept: list[FoundDate] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)


def _is_excluded(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 12) : start]
    # Invoice and reference codes: "INV-2026-12-04", "#12/04", "no. 4.12".
    return bool(re.search(r"(?:[a-z]{2,}[-#/]|#|\bn[or]\.?\s*|\bnr\.?\s*|n°\s*)$", before))


def _resolve_iso(m: re.Match[str], ctx: _Ctx) -> date | None:
    return _safe(int(m["y"]), int(m["a"]), int(m["b"]))


def _resolve_numeric(m: re.Match[str], ctx: _Ctx) -> date | None:
    a, b = int(m["a"]), int(m["b"])
    groups = m.groupdict()
    sep = groups.get("sep") or ("." if "." in m.group(0) else "/")
    if sep == "." or a > 12:
        day, month = a, b
    elif b > 12 or ctx.lang in (None, "en"):
        day, month = b, a
    else:
        day, month = a, b
    year_text = groups.get("y")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return _safe(year, month, day)
    return _closest_year(month, day, ctx)


def _resolve_day_month(m: re.Match[str], ctx: _Ctx) -> date | None:
    month_word = m["month"]
    if month_word in AMBIGUOUS_MONTHS and month_word == "may" and not m["day"]:
        return None
    month, day = MONTHS[month_word], int(m["day"])
    if m["year"]:
        return _safe(int(m["year"]), month, day)
    return _closest_year(month, day, ctx)


def _resolve_weekday(m: re.Match[str], ctx: _Ctx) -> date | None:
    word = m["wd"]
    weekday = WEEKDAYS.get(word, WEEKDAY_ABBR.get(word, WEEKDAY_ABBR_CUED.get(word)))
    if weekday is None:
        return None
    pre = re.sub(r"\s+", " ", m["pre"] or "")
    post = re.sub(r"\s+", " ", m.groupdict().get("post") or "")
    today = ctx.today
    ahead = (weekday - today.weekday()) % 7
    words = WEEKDAY_WORDS.get
    if post == "week":  # British "Thursday week": a week after the coming Thursday
        return today + timedelta(days=(ahead or 7) + 7)
    if pre in words("next", ()) or post in words("next_after", ()):
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    if pre in words("last", ()) or post in words("last_after", ()):
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    if pre in words("this", ()):
        return today + timedelta(days=ahead)
    if pre in words("coming", ()) or post in words("coming_after", ()):
        return today + timedelta(days=ahead or 7)
    if ctx.prefer_future:
        return today + timedelta(days=ahead or 7)
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _resolve_ordinal(m: re.Match[str], ctx: _Ctx) -> date | None:
    day = int(m["day"])
    if not 1 <= day <= 31:
        return None
    which = m.groupdict().get("which")
    today = ctx.today
    if which == "next":
        year, month = _add_months(today.year, today.month, 1)
        return _safe(year, month, day)
    candidates = []
    for offset in (-2, -1, 0, 1, 2):
        year, month = _add_months(today.year, today.month, offset)
        value = _safe(year, month, day)
        if value is not None:
            candidates.append(value)
    if ctx.prefer_future:
        return min((d for d in candidates if d >= today), default=None)
    return max((d for d in candidates if d <= today), default=None)


def _closest_year(month: int, day: int, ctx: _Ctx) -> date | None:
    candidates = [
        d
        for y in (ctx.today.year - 1, ctx.today.year, ctx.today.year + 1)
        if (d := _safe(y, month, day)) is not None
    ]
    return _closest(candidates, ctx)


def _closest(candidates: list[date], ctx: _Ctx) -> date | None:
    """Pick the candidate nearest today; the unwanted side counts double."""

    def cost(d: date) -> int:
        delta = (d - ctx.today).days
        if ctx.prefer_future:
            return -2 * delta if delta < 0 else delta
        return 2 * delta if delta > 0 else -delta

    return min(candidates, key=cost) if candidates else None


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _safe(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return date(year, month, day)


_RESOLVERS: dict[str, Callable[[re.Match[str], _Ctx], date | None]] = {
    "iso": _resolve_iso,
    "numeric": _resolve_numeric,
    "day_month": _resolve_day_month,
    "weekday": _resolve_weekday,
    "ordinal": _resolve_ordinal,
}
