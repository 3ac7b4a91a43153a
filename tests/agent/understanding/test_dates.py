"""Dates resolved against a frozen Monday, 2026-11-23."""

from __future__ import annotations

from datetime import date

import pytest

from agent.understanding.dates import find_dates, parse_date

TODAY = date(2026, 11, 23)  # Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # weekdays
        ("we'll pay Friday", "2026-11-27"),
        ("this Friday", "2026-11-27"),
        ("by Fri", "2026-11-27"),
        ("on Wednesday", "2026-11-25"),
        ("Thurs", "2026-11-26"),
        ("next Friday", "2026-12-04"),
        ("coming Friday", "2026-11-27"),
        ("Monday", "2026-11-30"),
        ("this Monday", "2026-11-23"),
        ("Freitag", "2026-11-27"),
        ("am Freitag", "2026-11-27"),
        ("nächsten Freitag", "2026-12-04"),
        ("kommenden Dienstag", "2026-11-24"),
        ("vendredi", "2026-11-27"),
        ("vendredi prochain", "2026-12-04"),
        ("viernes", "2026-11-27"),
        ("el próximo viernes", "2026-11-27"),  # Spanish "próximo": the next to come (es.yaml)
        ("el viernes que viene", "2026-11-27"),
        ("vrijdag", "2026-11-27"),
        ("venerdì", "2026-11-27"),
        ("Friday next week", "2026-12-04"),
        ("Thursday week", "2026-12-03"),
        # relative
        ("today", "2026-11-23"),
        ("tomorrow", "2026-11-24"),
        ("day after tomorrow", "2026-11-25"),
        ("morgen", "2026-11-24"),
        ("übermorgen", "2026-11-25"),
        ("demain", "2026-11-24"),
        ("mañana", "2026-11-24"),
        ("in 2 weeks", "2026-12-07"),
        ("in two weeks", "2026-12-07"),
        ("within 10 days", "2026-12-03"),
        ("in a week", "2026-11-30"),
        ("in 3 business days", "2026-11-26"),
        ("in zwei Wochen", "2026-12-07"),
        ("innerhalb von 14 Tagen", "2026-12-07"),
        ("dans 15 jours", "2026-12-08"),
        ("d'ici une semaine", "2026-11-30"),
        ("en dos semanas", "2026-12-07"),
        ("dentro de 10 días", "2026-12-03"),
        ("in a month", "2026-12-23"),
        # periods
        ("next week", "2026-11-30"),
        ("early next week", "2026-11-30"),
        ("mid next week", "2026-12-02"),
        ("end of next week", "2026-12-04"),
        ("this week", "2026-11-27"),
        ("end of the week", "2026-11-27"),
        ("nächste Woche", "2026-11-30"),
        ("la semaine prochaine", "2026-11-30"),
        ("la próxima semana", "2026-11-30"),
        ("la semana que viene", "2026-11-30"),
        ("end of the month", "2026-11-30"),
        ("end of month", "2026-11-30"),
        ("EOM", "2026-11-30"),
        ("month-end", "2026-11-30"),
        ("end of next month", "2026-12-31"),
        ("next month", "2026-12-01"),
        ("beginning of next month", "2026-12-01"),
        ("mid-month", "2026-12-15"),
        ("fin de mois", "2026-11-30"),
        ("fin du mois prochain", "2026-12-31"),
        ("début du mois prochain", "2026-12-01"),
        ("Monatsende", "2026-11-30"),
        ("Ende des Monats", "2026-11-30"),
        ("Ende nächsten Monats", "2026-12-31"),
        ("Anfang nächsten Monats", "2026-12-01"),
        ("fin de mes", "2026-11-30"),
        ("a finales de mes", "2026-11-30"),
        ("finales del mes que viene", "2026-12-31"),
        ("eind van de maand", "2026-11-30"),
        ("fine mese", "2026-11-30"),
        ("end of the year", "2026-12-31"),
        ("mid-December", "2026-12-15"),
        ("early December", "2026-12-01"),
        ("end of December", "2026-12-31"),
        ("Mitte Dezember", "2026-12-15"),
        ("Anfang Januar", "2027-01-01"),
        ("mi-décembre", "2026-12-15"),
        ("a mediados de diciembre", "2026-12-15"),
        ("in December", "2026-12-31"),
        # ordinals
        ("the 30th", "2026-11-30"),
        ("on the 1st", "2026-12-01"),
        ("by the 15th", "2026-12-15"),
        ("the 15th of next month", "2026-12-15"),
        ("am 30.", "2026-11-30"),
        ("bis zum 15.", "2026-12-15"),
        ("le 30", "2026-11-30"),
        ("le 1er", "2026-12-01"),
        ("el 30", "2026-11-30"),
        # day + month
        ("1 December", "2026-12-01"),
        ("December 1st", "2026-12-01"),
        ("Dec 1", "2026-12-01"),
        ("Dec. 1, 2026", "2026-12-01"),
        ("1st of December", "2026-12-01"),
        ("1. Dezember", "2026-12-01"),
        ("4. Dez.", "2026-12-04"),
        ("le 4 décembre", "2026-12-04"),
        ("le 1er décembre 2026", "2026-12-01"),
        ("el 4 de diciembre", "2026-12-04"),
        ("4 de diciembre de 2026", "2026-12-04"),
        ("4 dicembre", "2026-12-04"),
        ("4 december", "2026-12-04"),
        ("4 maart", "2027-03-04"),
        ("January 5", "2027-01-05"),
        ("5 janvier", "2027-01-05"),
        ("September 30", "2026-09-30"),
        ("30-Nov-2026", "2026-11-30"),
        # numeric
        ("2026-12-04", "2026-12-04"),
        ("am 4.12.", "2026-12-04"),
        ("am 30.11 überweisen", "2026-11-30"),
        ("le 5.12", "2026-12-05"),
        ("4.12.2026", "2026-12-04"),
        ("04.12.26", "2026-12-04"),
        ("12/04/2026", "2026-12-04"),
        ("13/12/2026", "2026-12-13"),
        ("on 12/4", "2026-12-04"),
    ],
)
def test_parse_date_resolves_common_phrasings(text, expected):
    assert parse_date(text, today=TODAY) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("04/12/2026", "fr", "2026-12-04"),
        ("04/12/2026", "en", "2026-04-12"),
        ("04/12/2026", None, "2026-04-12"),
        ("04/12/2026", "de", "2026-12-04"),
        ("04-12-2026", "es", "2026-12-04"),
        ("04.12.2026", "en", "2026-12-04"),
    ],
)
def test_numeric_dates_follow_separator_and_language(text, lang, expected):
    assert parse_date(text, today=TODAY, lang=lang) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we paid last Friday", "2026-11-20"),
        ("paid yesterday", "2026-11-22"),
        ("gestern", "2026-11-22"),
        ("3 days ago", "2026-11-20"),
        ("vor 3 Tagen", "2026-11-20"),
        ("hace 3 días", "2026-11-20"),
        ("il y a une semaine", "2026-11-16"),
        ("last week", "2026-11-16"),
        ("vendredi dernier", "2026-11-20"),
        ("el viernes pasado", "2026-11-20"),
    ],
)
def test_past_phrases_resolve_to_the_past(text, expected):
    assert parse_date(text, today=TODAY) == date.fromisoformat(expected)


def test_prefer_future_false_reads_bare_weekdays_and_ordinals_as_past():
    assert parse_date("on Friday", today=TODAY, prefer_future=False) == date(2026, 11, 20)
    assert parse_date("on the 20th", today=TODAY, prefer_future=False) == date(2026, 11, 20)
    assert parse_date("November 18", today=TODAY, prefer_future=False) == date(2026, 11, 18)


def test_hier_is_yesterday_only_in_french():
    assert parse_date("nous avons payé hier", today=TODAY) == date(2026, 11, 22)
    assert parse_date("hier ist die Zahlung", today=TODAY, lang="de") is None


@pytest.mark.parametrize(
    "text",
    [
        "invoice INV-1042",
        "INV-2026-12-04",
        "total $4.12",
        "meet at 4.30 pm",
        "call at 14:30",
        "12.5% discount",
        "guten Morgen",
        "por la mañana",
        "we may be late",
        "1/2 of the amount",
        "we paid 1/2 of the invoice",
        "payment of 3/4 now",
        "Rechnung Nr. 4.12",
        "we can pay 12.10 now",
        "PO 12/04",
        "",
    ],
)
def test_things_that_are_not_dates(text):
    assert find_dates(text, today=TODAY) == []


def test_find_dates_reports_spans_kinds_and_order():
    text = "We pay INV-1042 on Friday and the rest by 15 December."
    found = find_dates(text, today=TODAY)
    assert [f.date for f in found] == [date(2026, 11, 27), date(2026, 12, 15)]
    assert [text[f.start : f.end] for f in found] == [f.text for f in found]
    assert [f.kind for f in found] == ["weekday", "day_month"]


def test_invalid_calendar_dates_are_ignored():
    assert parse_date("31.02.2026", today=TODAY) is None
    assert parse_date("February 30", today=TODAY) is None
