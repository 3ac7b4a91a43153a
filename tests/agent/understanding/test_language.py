"""Language detection from stopword profiles."""

from __future__ import annotations

import pytest

from agent.understanding.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We will pay the invoice on Friday, thanks.", "en"),
        ("Wir werden die Rechnung am Freitag bezahlen.", "de"),
        ("Sehr geehrte Damen und Herren, anbei die Zahlung.", "de"),
        ("Nous allons régler la facture vendredi.", "fr"),
        ("Bonjour, merci pour votre message.", "fr"),
        ("Vamos a pagar la factura el viernes.", "es"),
        ("Hola, gracias por su correo.", "es"),
        ("Wij zullen de factuur vrijdag betalen.", "nl"),
        ("Pagheremo la fattura venerdì, grazie.", "it"),
        ("", "en"),
        ("12345", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang
