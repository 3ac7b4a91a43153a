"""Text helpers shared by the understanding modules.

``fold`` lower-cases and strips accents *character by character*, so the folded text
has exactly the length of the original and a regex span found in it is also a span of
the original. All vocabularies in this package are written in folded form ("marz",
"decembre", "proximo").
"""

from __future__ import annotations

import re

from agent.understanding._fold import fold
from agent.understanding.vocab import ARTICLE_NUMBERS, NUMBER_WORDS


def alternation(words: object) -> str:
    """Return a regex alternation of ``words``, longest first, escaped."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


_NUMBER_WORD_RE = re.compile(r"\b(" + alternation(NUMBER_WORDS) + r")\b")


def number_value(token: str) -> int | None:
    """Return the integer a digit string or a number word ("four", "vier") stands for."""
    token = fold(token.strip())
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


NUMBER = r"(?:\d{1,3}|" + alternation(set(NUMBER_WORDS) - ARTICLE_NUMBERS) + r")"
"""Regex fragment: a small number written in digits or as a word."""


def words(text: str) -> list[str]:
    """Split a space-separated word list (keeps long vocabularies readable)."""
    return text.split()


_ABBREVIATIONS = frozenset(
    words(
        "nr no nos mr mrs ms dr st inc ltd co corp vs etc approx ca bzw z.b u.a usw ggf inkl "
        "zzgl evtl sr sra mme cf env jan feb mar apr jun jul aug sep sept oct okt nov dec dez "
        "tel fax ref inv"
    )
)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s)")


def sentences(text: str) -> list[str]:
    """Split text into sentences and lines, keeping "4.12.", "Nr. 5" and "Inc." intact."""
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            before = line[start : m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            if m.group(0) == "." and (last in _ABBREVIATIONS or re.fullmatch(r"[\d.]+|\w", last)):
                continue
            out.append(line[start : m.end()])
            start = m.end()
        out.append(line[start:])
    return [p.strip() for p in out if p.strip()]


_SHORTHAND = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "pl": "please",
    "thx": "thanks",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "abt": "about",
    "b4": "before",
    "w/": "with",
    "w/o": "without",
    "stmt": "statement",
    "stmts": "statements",
    "acct": "account",
    "accts": "accounts",
    "cust": "customer",
    "custs": "customers",
    "bal": "balance",
    "amt": "amount",
    "amts": "amounts",
    "wk": "week",
    "wks": "weeks",
    "mo": "month",
    "mos": "months",
    "yr": "year",
    "msg": "message",
    "rn": "right now",
    "asap": "as soon as possible",
    "info": "information",
    "sez": "says",
    "ppl": "people",
    "whos": "who is",
    "whats": "what is",
    "hows": "how is",
    "wheres": "where is",
    "cant": "can't",
    "dont": "don't",
    "wont": "won't",
    "didnt": "didn't",
    "isnt": "isn't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "doesnt": "doesn't",
    "arent": "aren't",
    "shouldnt": "shouldn't",
    "theyre": "they're",
    "gimme": "give me",
    "lemme": "let me",
    "gonna": "going to",
    "til": "until",
    "till": "until",
    "thru": "through",
    "qty": "quantity",
    "govt": "government",
    "todays": "today's",
    "yday": "yesterday",
    "wat": "what",
    "wht": "what",
    "hw": "how",
    "mgr": "manager",
    "approvl": "approval",
    "approvls": "approvals",
    "remind'": "remind",
}
_SHORTHAND_RE = re.compile(r"(?<![\w/@.-])(" + alternation(_SHORTHAND) + r")(?![\w/@-])")


def expand_shorthand(folded: str) -> str:
    """Expand chat shorthand in folded text ("can u pls" -> "can you please").

    The result is *not* the same length as the input: use it for voting only, never for
    spans that index into the original text.
    """
    return _SHORTHAND_RE.sub(lambda m: _SHORTHAND[m.group(1)], folded)


_KEYWORDS = tuple(  # a tuple, not a set: the first close keyword must not depend on hashing
    words(
        "aging ageing balance balances invoice invoices overdue reminder reminders remind "
        "dispute disputes disputing promise promised promises payment payments approval "
        "approvals escalate outstanding statement unpaid customer customers instalments "
        "installments history timeline oldest debtors schedule collections receivables "
        "reconcile write-off"
    )
)


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def correct_typos(folded: str) -> str:
    """Replace words one typo away from a domain keyword ("agng" -> "aging", "remnder").

    Only words of 4+ letters that start with the keyword's letter are touched, so names
    and ordinary words ("contract", "sending") are left alone. For voting text only.
    """

    def fix(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in _KEYWORDS:
            return token
        for keyword in _KEYWORDS:
            if keyword[0] == token[0] and len(keyword) >= 5 and _one_edit(token, keyword):
                return keyword
        return token

    return re.sub(r"\b[a-z]{4,}\b", fix, folded)
