"""The phrase matcher's pre-filter and the element checks' regex-free matchers give the
same answers as the plain regexes they replace."""

from __future__ import annotations

import _sre
import random
import re
import sys
from datetime import date
from decimal import Decimal
from re._casefix import _EXTRA_CASES

import pytest

from policies import phrases
from policies.config import load_policy
from policies.phrases import compile_phrases, find_all
from policies.rules.elements import (
    _mentions_date,
    date_variants,
    invoice_numbers,
    mentions_money,
    money_pattern,
)


def _plain_find_all(pattern: re.Pattern[str], text: str) -> list[str]:
    seen: list[str] = []
    for match in pattern.finditer(text):
        found = " ".join(match.group(0).lower().split())
        if found not in seen:
            seen.append(found)
    return seen


def test_case_odd_holds_every_character_lowercasing_disagrees_with_ignorecase() -> None:
    odd = set()
    for cp in range(sys.maxunicode + 1):
        lower = _sre.unicode_tolower(cp)
        representative = min([lower, *_EXTRA_CASES.get(lower, ())])
        if chr(cp).lower() != chr(representative):
            odd.add(chr(cp))
    assert odd <= phrases._CASE_ODD


def _policy_patterns() -> list[re.Pattern[str]]:
    wording = load_policy().wording
    found = [c.pattern for c in wording.forbidden.values()]
    found += [wording.required_in_dunning_emails.pay_pattern]
    found += [wording.required_in_dunning_emails.dispute_pattern]
    return [p for p in found if p is not None]


def _random_text(rng: random.Random, words: list[str]) -> str:
    extras = ["ſue", "İ", "court", "courtesy", "LAWYERS", "write-off", "Σ", "\n", "x", "é"]
    pieces = [rng.choice(words + extras) for _ in range(rng.randint(0, 40))]
    seps = [" ", " ", "-", "  ", ", ", ".", "\n"]
    out = ""
    for piece in pieces:
        if rng.random() < 0.3:
            piece = piece.upper() if rng.random() < 0.5 else piece.title()
        if rng.random() < 0.2 and len(piece) > 3:
            piece = piece[: rng.randint(1, len(piece) - 1)]
        out += piece + rng.choice(seps)
    return out


def test_find_all_with_the_prefilter_equals_the_full_alternation() -> None:
    rng = random.Random(7)
    patterns = _policy_patterns()
    wording = load_policy().wording
    words = [
        w
        for c in wording.forbidden.values()
        for ps in c.phrases.values()
        for p in ps
        for w in p.replace("*", "").split()
    ]
    for _ in range(1500):
        text = _random_text(rng, words)
        for pattern in patterns:
            assert find_all(pattern, text) == _plain_find_all(pattern, text), text


def test_find_all_keeps_the_phrase_rules() -> None:
    pattern = compile_phrases(["court", "lawyer*", "write off"])
    assert find_all(pattern, "Our LAWYERS, a write-off; courtesy") == ["lawyers", "write-off"]
    assert find_all(pattern, "nothing to see") == []
    assert find_all(pattern, "we will ſue in coURT") == ["court"]


def test_mentions_money_equals_the_money_regex() -> None:
    rng = random.Random(3)
    cases = [
        (Decimal("12400.00"), "USD"),
        (Decimal("800.5"), "EUR"),
        (Decimal("125000"), "JPY"),
        (Decimal("1234567.89"), "CHF"),
        (Decimal("7.00"), "CAD"),
    ]
    bits = [
        "12,400.00",
        "12.400,00",
        "12400",
        "12 400,00",
        "800,50",
        "800.50",
        "125,000",
        "1'234'567.89",
        "7.00",
        "7",
        "USD",
        "usd",
        "US$",
        "$",
        "€",
        "EUR",
        "¥",
        "円",
        "Fr.",
        "fr.",
        "CHF",
        "C$",
        "CAD",
        " ",
        "",
        "1",
        "0",
        ".",
        ",",
        "\u00a0",
        "x",
    ]
    for amount, currency in cases:
        regex = money_pattern(amount, currency)
        for _ in range(3000):
            text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 8)))
            assert mentions_money(text, amount, currency) == bool(regex.search(text)), (
                amount,
                currency,
                text,
            )


def test_mentions_date_equals_one_regex_per_spelling() -> None:
    rng = random.Random(5)
    d = date(2026, 10, 1)
    spellings = date_variants(d)
    bits = [*spellings, "1", "2026", "10/01/20261", " ", "x", "01.10.2026"]
    for _ in range(3000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 4)))
        expected = any(re.search(rf"(?<!\d){re.escape(v)}(?!\d)", text) for v in spellings)
        assert _mentions_date(text, d) == expected, text


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("about inv-1042.", True),
        ("about XINV-1042", False),
        ("about -INV-1042", False),
        ("about INV-10421", False),
        ("about ınv-1042", True),  # dotless i is an i for re.IGNORECASE
        ("INV-1042", True),
    ],
)
def test_invoice_numbers_match_case_insensitively_as_whole_words(text: str, ok: bool) -> None:
    expected = bool(re.search(r"(?<![\w-])INV\-1042(?!\w)", text, re.IGNORECASE))
    assert expected == ok
    assert invoice_numbers(text, ["INV-1042"]).passed == ok
