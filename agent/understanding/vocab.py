"""Word lists shared by the finders: months, weekdays, numbers (folded, six languages).

Everything is lower case without accents (see ``_text.fold``). Languages: English,
German, French, Spanish, Dutch, Italian.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {}
_MONTH_NAMES = [
    # en, de, fr, es, nl, it, and common abbreviations
    ("january jan janu januar janner jan janvier janv enero ene januari gennaio gen", 1),
    ("february feb febr februar fevrier fevr fev febrero februari febbraio", 2),
    ("march mar marz maerz mrz mars marzo maart mrt", 3),
    ("april apr avril avr abril abr aprile", 4),
    ("may mai mayo mei maggio mag", 5),
    ("june jun juni juin junio giugno giu", 6),
    ("july jul juli juillet juil julio luglio lug", 7),
    ("august aug aout agosto ago augustus", 8),
    ("september sep sept septembre septiembre setiembre settembre set", 9),
    ("october oct okt oktober octobre octubre ottobre ott", 10),
    ("november nov novembre noviembre", 11),
    ("december dec dez dezember decembre diciembre dic dicembre", 12),
]
for _names, _number in _MONTH_NAMES:
    for _name in _names.split():
        MONTHS[_name] = _number

# Abbreviations too short or too common to stand alone without a digit next to them.
AMBIGUOUS_MONTHS = frozenset({"mar", "may", "mai", "set", "gen", "ago", "mag", "jan"})

WEEKDAYS: dict[str, int] = {}
_WEEKDAY_NAMES = [
    ("monday montag lundi lunes maandag lunedi", 0),
    ("tuesday dienstag mardi martes dinsdag martedi", 1),
    ("wednesday mittwoch mercredi miercoles woensdag mercoledi", 2),
    ("thursday donnerstag jeudi jueves donderdag giovedi", 3),
    ("friday freitag vendredi viernes vrijdag venerdi", 4),
    ("saturday samstag sonnabend samedi sabado zaterdag", 5),
    ("sunday sonntag dimanche domingo zondag domenica", 6),
]
for _names, _number in _WEEKDAY_NAMES:
    for _name in _names.split():
        WEEKDAYS[_name] = _number
# Abbreviations safe on their own, and those that need a cue word before them
# ("mon" is French for "my", "sat"/"sun" are English words).
WEEKDAY_ABBR = {"tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4}
WEEKDAY_ABBR_CUED = {"mon": 0, "sat": 5, "sun": 6}

NUMBER_WORDS: dict[str, int] = {}
_NUMBERS = [
    ("one a an single eins ein eine einen un une uno una een uno", 1),
    ("two couple zwei deux dos twee due", 2),
    ("three drei trois tres drie tre", 3),
    ("four vier quatre cuatro quattro", 4),
    ("five funf fuenf cinq cinco vijf cinque", 5),
    ("six sechs seis zes sei", 6),
    ("seven sieben sept siete zeven sette", 7),
    ("eight acht huit ocho otto", 8),
    ("nine neun neuf nueve negen nove", 9),
    ("ten zehn dix diez tien dieci", 10),
    ("eleven elf onze once undici", 11),
    ("twelve zwolf zwoelf douze doce twaalf dodici dozen", 12),
    ("fifteen funfzehn quinze quince vijftien quindici", 15),
    ("eighteen achtzehn dix-huit dieciocho achttien diciotto", 18),
    ("twenty zwanzig vingt veinte twintig venti", 20),
    ("twenty-four vierundzwanzig", 24),
    ("thirty dreissig dreißig trente treinta dertig trenta", 30),
    ("forty-five", 45),
    ("sixty sechzig soixante sesenta zestig sessanta", 60),
    ("ninety neunzig quatre-vingt-dix noventa negentig novanta", 90),
    ("hundred hundert cent cien ciento honderd cento", 100),
]
for _names, _number in _NUMBERS:
    for _name in _names.split():
        NUMBER_WORDS.setdefault(_name.lower(), _number)
# "a"/"an"/"un"/"een"... only count as numbers before a unit ("a week", "un mois").
ARTICLE_NUMBERS = frozenset(
    {"a", "an", "un", "une", "uno", "una", "een", "ein", "eine", "einen", "single"}
)

# Units of time, to the number of days (months and years are handled apart).
DAY_UNITS = {
    "day": 1,
    "days": 1,
    "tag": 1,
    "tage": 1,
    "tagen": 1,
    "werktag": 1,
    "werktagen": 1,
    "jour": 1,
    "jours": 1,
    "dia": 1,
    "dias": 1,
    "dag": 1,
    "dagen": 1,
    "giorno": 1,
    "giorni": 1,
    "business day": 1,
    "business days": 1,
    "working days": 1,
    "week": 7,
    "weeks": 7,
    "wk": 7,
    "wks": 7,
    "woche": 7,
    "wochen": 7,
    "semaine": 7,
    "semaines": 7,
    "semana": 7,
    "semanas": 7,
    "weken": 7,
    "settimana": 7,
    "settimane": 7,
    "fortnight": 14,
}
MONTH_UNITS = {
    "month",
    "months",
    "monat",
    "monate",
    "monaten",
    "mois",
    "mes",
    "meses",
    "maand",
    "maanden",
    "mese",
    "mesi",
    "mo",
    "mos",
}

NEGATORS = frozenset(
    {
        "not",
        "never",
        "no",
        "cannot",
        "cant",
        "can't",
        "wont",
        "won't",
        "don't",
        "dont",
        "didn't",
        "didnt",
        "haven't",
        "havent",
        "hasn't",
        "hasnt",
        "isn't",
        "isnt",
        "wasn't",
        "wasnt",
        "weren't",
        "aren't",
        "couldn't",
        "wouldn't",
        "shouldn't",
        "unable",
        "nor",
        "without",
        "neither",
        "hadn't",
        "doesn't",
        "doesnt",
        "nothing",
        "nichts",
        "rien",
        "nada",
        "niets",
        "niente",
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keiner",
        "keinem",
        "nie",
        "niemals",
        "pas",
        "ne",
        "n'",
        "jamais",
        "aucun",
        "aucune",
        "sans",
        "nunca",
        "jamas",
        "ningun",
        "ninguna",
        "tampoco",
        "sin",
        "niet",
        "geen",
        "nooit",
        "non",
        "nessun",
        "nessuna",
        "senza",
    }
)
