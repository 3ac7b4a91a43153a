from __future__ import annotations

import pytest

from matching.names import NameIndex, domain_name, name_tokens, similarity
from matching.types import CustomerProfile as P


@pytest.fixture
def index() -> NameIndex:
    return NameIndex(
        [
            P("C1", "Globex Corporation", aliases=["Globex Corp"], domains=["globex.example"]),
            P("C2", "Initech Solutions LLC"),
            P("C3", "International Business Machines"),
            P("C4", "Acme Roofing & Supply Co"),
            P("C5", "Acme Plumbing Inc"),
            P("C6", "Müller Bau GmbH", domains=["mueller-bau.de"]),
            P("C7", "Vandelay Industries", past_payers=["Kramerica Holdings"]),
        ]
    )


def best(index: NameIndex, payer: str) -> tuple[str, float]:
    c, score, _ = index.match(payer)[0]
    return c, score


@pytest.mark.parametrize(
    ("payer", "customer"),
    [
        ("GLOBEX CORP INTL PAYM", "C1"),
        ("GLOBEX CORPORATION INTERNAT", "C1"),
        ("ORIG CO NAME:GLOBEX CORP CO ENTRY DESCR:PAYMENT", "C1"),
        ("INITECH SOLUT", "C2"),
        ("IBM", "C3"),
        ("ACME PLUMBING", "C5"),
        ("MULLER BAU GMBH", "C6"),
        ("KRAMERICA HOLDINGS", "C7"),
    ],
)
def test_truncated_abbreviated_and_learned_payers_find_their_customer(
    index, payer, customer
) -> None:
    c, score = best(index, payer)
    assert c == customer
    assert score >= 85


def test_legal_suffixes_and_rail_noise_are_dropped() -> None:
    assert name_tokens("Globex Corporation, Inc.") == ["globex"]
    assert name_tokens("ACH CREDIT GLOBEX LLC PAYMENT") == ["globex"]


def test_email_domain_names_the_company_but_freemail_does_not() -> None:
    assert domain_name("ap.globex-corp.com") == "globex corp"
    assert domain_name("gmail.com") is None


def test_unknown_payer_matches_nobody(index) -> None:
    assert index.match("TIPALTI PAYMENTS") == []


def test_payer_ending_in_a_legal_suffix_is_not_treated_as_truncated(index) -> None:
    scores = {c: s for c, s, _ in index.match("ACME INC")}
    assert scores.get("C4", 0) < 90  # "Acme Inc" is not "Acme Roofing & Supply Co" cut short


def test_account_seen_on_a_past_payment_identifies_the_customer() -> None:
    idx = NameIndex([P("C1", "Globex", accounts=["DE89 3704 0044 0532 0130 00"])])
    assert idx.customers_for_account("DE89370400440532013000") == {"C1"}


def test_truncated_payer_scores_high_against_the_longer_name() -> None:
    from matching.names import similarity

    assert similarity(["heritage", "natl"], name_tokens("Heritage National Holdings GmbH")) >= 90


def test_north_is_a_word_not_a_cut_off_fragment() -> None:
    payer = name_tokens("GRINGOTTS NORTH")
    assert similarity(payer, name_tokens("Gringotts North Hospitality BV")) > similarity(
        payer, name_tokens("Gringotts Printing Corporation")
    )


def test_a_payer_cut_off_inside_an_abbreviated_word_still_truncates_it() -> None:
    assert (
        similarity(name_tokens("WAYNE NORTH PAR"), name_tokens("Wayne North Partners Corp")) >= 90
    )
    assert similarity(name_tokens("SAPPHIRE NOR"), name_tokens("Sapphire North Printing Inc")) >= 65


def test_a_customer_left_off_the_top_list_is_still_scored() -> None:
    names = [f"Gringotts {w} Inc" for w in ("Bank", "Dental", "Media", "Labs", "Retail")]
    profiles = [P(f"C{k}", n) for k, n in enumerate(names)]
    profiles.append(P("C9", "Gringotts North Hospitality BV"))
    idx = NameIndex(profiles)
    assert [c for c, _, _ in idx.match("GRINGOTTS NORTH", limit=1)] == ["C9"]
    full = {c: sc for c, sc, _ in idx.match("GRINGOTTS NORTH", limit=10)}
    assert idx.score("GRINGOTTS NORTH", "C3") == full["C3"] > 0
    assert idx.score("GRINGOTTS NORTH", "nobody") == 0.0
