"""Fuzzy customer matching."""

from __future__ import annotations

import pytest

from agent.understanding.customers import CustomerName, match_customers, normalise_name

CUSTOMERS = [
    CustomerName("C-001", "Globex Corporation", ("Globex Corp", "GLOBEX")),
    CustomerName("C-002", "Initech LLC", ("Initech",)),
    CustomerName("C-003", "Umbrella Industries GmbH"),
    CustomerName("C-004", "Soylent Foods Inc."),
    CustomerName("C-005", "Dupont & Fils SARL"),
    CustomerName("C-006", "Acme Anvils Ltd"),
    CustomerName("C-007", "Acme Rockets Ltd"),
]


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("how much does globex owe?", "C-001"),
        ("Globex's balance", "C-001"),
        ("GLOBEX CORP", "C-001"),
        ("globx", "C-001"),
        ("Initech's invoices", "C-002"),
        ("initek", "C-002"),
        ("umbrella", "C-003"),
        ("Umbrella Industries", "C-003"),
        ("soylent", "C-004"),
        ("soylent foods inc", "C-004"),
        ("dupont et fils", "C-005"),
        ("Dupont and Fils", "C-005"),
        ("Acme Anvils", "C-006"),
    ],
)
def test_match_customers_finds_the_customer(text, customer):
    match = match_customers(text, CUSTOMERS)
    assert match.candidates and match.candidates[0][0] == customer


def test_ambiguous_name_returns_several_candidates():
    match = match_customers("what does acme owe", CUSTOMERS)
    assert {cid for cid, _ in match.candidates} == {"C-006", "C-007"}
    assert match.query == "acme"


@pytest.mark.parametrize(
    "text", ["how much do they owe?", "show me the aging report", "top 5 debtors", "help"]
)
def test_no_customer_named(text):
    assert match_customers(text, CUSTOMERS).candidates == []


def test_normalise_name_drops_suffixes_and_punctuation():
    assert normalise_name("Dupont & Fils S.A.R.L.") in {"dupont fils s r l", "dupont fils"}
    assert normalise_name("Globex Corporation") == "globex"
    assert normalise_name("Soylent Foods, Inc.") == "soylent foods"
