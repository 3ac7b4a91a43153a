"""``fold``: lower case without accents, character by character (same length as the input),
so a span found in folded text is also a span of the original."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold"]


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()
    if len(lowered) != 1:
        return char
    base = "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )
    if len(base) == 1:
        return base
    return lowered


_TYPOGRAPHIC = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
    }
)


def fold(text: str) -> str:
    """Return ``text`` lower-cased without accents, same length as the input."""
    return "".join(_fold_char(c) for c in text.translate(_TYPOGRAPHIC))
