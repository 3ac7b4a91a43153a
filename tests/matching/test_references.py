from __future__ import annotations

import pytest

from matching.references import extract_tokens, full_key, num_key, rf_valid, typo_variants


def keys(text: str) -> set[str]:
    return {t.num for t in extract_tokens(text) if t.kind != "po"}


@pytest.mark.parametrize(
    "text",
    [
        "INV-1042",
        "INV1042",
        "1042",
        "Invoice #1042",
        "inv no. 1042",
        "Rechnung 1042",
        "/REMI/INV 1042/EREF/NOTPROVIDED",
        "SVWZ+RE 1042 EREF+ABC",
        "INV-001042",
        "payment inv 1042 thank you 12,400.00",
    ],
)
def test_every_invoice_number_format_yields_the_digits(text: str) -> None:
    assert "1042" in keys(text)


def test_prefixed_reference_is_marked_prefixed_and_bare_number_is_bare() -> None:
    (prefixed,) = [t for t in extract_tokens("Invoice #1042")]
    (bare,) = [t for t in extract_tokens("1042")]
    assert prefixed.kind == "prefixed"
    assert bare.kind == "bare"


def test_lists_slashes_and_connectors_name_every_invoice() -> None:
    assert {"1042", "1077"} <= keys("inv 1042/1077")
    assert {"1042", "1077", "1080"} <= keys("Invoices 1042, 1077 and 1080")


def test_range_expands_to_each_number_including_short_form() -> None:
    assert {"1042", "1043", "1044", "1045"} <= keys("INV 1042-1045")
    assert {"1042", "1043", "1044", "1045"} <= keys("INV 1042-45")


def test_absurd_range_is_not_expanded() -> None:
    assert "5000" not in keys("INV 1042-9000")


def test_amounts_and_dates_are_not_invoice_numbers() -> None:
    found = keys("paid 12,400.00 on 2026-11-20 and 05.02.2021")
    assert not found & {"12400", "1240000", "2026", "20261120", "400", "2021"}


def test_po_number_is_a_po_token_not_an_invoice() -> None:
    tokens = extract_tokens("PO 7781 payment")
    assert [(t.kind, t.num) for t in tokens] == [("po", "7781")]
    assert [t.kind for t in extract_tokens("PO PO-2678")] == ["po"]


def test_valid_structured_creditor_reference_yields_its_body() -> None:
    assert rf_valid("RF18539007547034")
    assert not rf_valid("RF19539007547034")
    assert any(
        t.kind == "rf" and t.full == "539007547034" for t in extract_tokens("RF18539007547034")
    )


def test_keys_drop_separators_and_leading_zeros() -> None:
    assert full_key("inv-001042") == "INV001042"
    assert num_key("INV-001042") == "1042"
    assert num_key("ABC") is None


def test_typo_variants_cover_substitution_swap_deletion_insertion() -> None:
    v = typo_variants("1042")
    assert {"1043", "1402", "142", "10942"} <= v
    assert "1042" not in v
