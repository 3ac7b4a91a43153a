from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching.engine import Matcher
from matching.remittance_advice import parse_advice
from matching.types import CustomerProfile, MatchSettings, OpenItem, Txn

D = Decimal
DAY = date(2026, 11, 20)


def item(number: str, customer: str, balance: str, due: int = 1, po: str | None = None) -> OpenItem:
    return OpenItem(number, customer, D(balance), "USD", date(2026, 10, due), po, D(balance))


ITEMS = [
    item("INV-1042", "C1", "12400.00", 1, po="PO-7781"),
    item("INV-1077", "C1", "12400.00", 5),
    item("INV-1080", "C1", "3150.25", 9),
    item("INV-1043", "C2", "730.15"),
    item("INV-1044", "C2", "1999.99"),
    item("INV-2001", "C2", "500.00"),
    item("INV-3001", "C3", "500.00"),
    item("INV-3002", "C3", "8812.40"),
]
PROFILES = [
    CustomerProfile("C1", "Globex Corporation", ["Globex Corp"], ["globex.example"]),
    CustomerProfile("C2", "Initech LLC", past_payers=["Initech Holdings Treasury"]),
    CustomerProfile("C3", "Hooli Inc", accounts=["DE89370400440532013000"]),
]


@pytest.fixture
def matcher() -> Matcher:
    return Matcher(ITEMS, PROFILES)


def txn(
    amount: str, payer: str | None = None, ref: str = "", direction: str = "credit", **kw
) -> Txn:
    return Txn("T1", DAY, D(amount), "USD", direction, payer, ref, **kw)  # type: ignore[arg-type]


def invoices(result) -> list[str]:
    return [a.invoice for a in result.allocations]


@pytest.mark.parametrize(
    "ref",
    [
        "INV-1042",
        "INV1042",
        "Invoice #1042",
        "1042",
        "inv 1042",
        "/REMI/INV 1042/EREF/NOTPROVIDED",
        "SVWZ+RE 1042",
        "PO 7781",
        "INV-001042",
    ],
)
def test_each_reference_format_auto_matches_with_payer_and_amount(matcher, ref) -> None:
    r = matcher.match_one(txn("12400.00", "GLOBEX CORP", ref))
    assert (r.status, r.customer, invoices(r)) == ("auto", "C1", ["INV-1042"])
    assert r.confidence >= 0.95


def test_reference_and_exact_amount_auto_match_even_from_an_unknown_payer(matcher) -> None:
    r = matcher.match_one(txn("3150.25", "BILL.COM PAYABLES", "INV-1080"))
    assert (r.status, invoices(r)) == ("auto", ["INV-1080"])


def test_multi_invoice_list_allocates_each_balance(matcher) -> None:
    r = matcher.match_one(txn("24800.00", "GLOBEX CORP", "INV1042 INV1077"))
    assert r.status == "auto"
    assert [(a.invoice, a.amount) for a in r.allocations] == [
        ("INV-1042", D("12400.00")),
        ("INV-1077", D("12400.00")),
    ]


def test_multi_invoice_without_reference_is_found_by_subset_sum(matcher) -> None:
    r = matcher.match_one(txn("15550.25", "GLOBEX CORPORATION", ""))
    assert r.customer == "C1"
    assert sorted(invoices(r)) in (["INV-1042", "INV-1080"], ["INV-1077", "INV-1080"])
    assert r.status == "review"  # two equally good subsets: a human picks


def test_unique_subset_without_reference_auto_matches() -> None:
    m = Matcher(
        [item("A-1", "C1", "1234.56"), item("A-2", "C1", "789.01"), item("A-3", "C1", "55.00")],
        [CustomerProfile("C1", "Globex Corporation")],
    )
    r = m.match_one(txn("2023.57", "GLOBEX CORP", "PAYMENT"))
    assert (r.status, sorted(invoices(r))) == ("auto", ["A-1", "A-2"])


def test_short_by_a_bank_fee_applies_to_the_named_invoice_and_flags_it(matcher) -> None:
    r = matcher.match_one(txn("3125.25", "GLOBEX CORP", "INV-1080"))
    assert (r.status, invoices(r)) == ("auto", ["INV-1080"])
    assert r.allocations[0].amount == D("3125.25")
    assert r.short_by == D("25.00")


def test_partial_payment_against_a_named_invoice_is_applied_and_flagged(matcher) -> None:
    r = matcher.match_one(txn("5000.00", "GLOBEX CORP", "INV-1042"))
    assert (r.status, invoices(r)) == ("auto", ["INV-1042"])
    assert r.allocations[0].amount == D("5000.00")
    assert r.short_by == D("7400.00")


def test_partial_payment_over_a_list_fills_in_text_order(matcher) -> None:
    r = matcher.match_one(txn("15000.00", "GLOBEX CORP", "INV-1042 INV-1077"))
    assert [(a.invoice, a.amount) for a in r.allocations] == [
        ("INV-1042", D("12400.00")),
        ("INV-1077", D("2600.00")),
    ]
    assert r.short_by == D("9800.00")


def test_amount_within_tolerance_is_an_amount_match(matcher) -> None:
    r = matcher.match_one(txn("1994.99", "INITECH", ""))  # 5.00 short, < 1%
    assert (r.customer, invoices(r)) == ("C2", ["INV-1044"])
    assert r.status in ("auto", "review")


def test_amount_outside_tolerance_without_reference_does_not_match(matcher) -> None:
    r = matcher.match_one(txn("1900.00", "INITECH", ""))
    assert r.status == "unmatched"
    assert r.allocations == []


def test_typo_in_reference_still_finds_the_invoice_payer_and_amount_agree_on(matcher) -> None:
    r = matcher.match_one(txn("730.15", "INITECH LLC", "INV-1034"))  # 1043 with swapped digits
    assert (r.customer, invoices(r)) == ("C2", ["INV-1043"])


def test_typo_pointing_at_an_invoice_whose_amount_and_payer_disagree_does_not_win(matcher) -> None:
    # "INV-1044" exists (Initech, 1999.99) but Hooli pays 8812.40: its own INV-3002.
    r = matcher.match_one(txn("8812.40", "HOOLI INC", "INV-1044"))
    assert r.customer == "C3"
    assert invoices(r) == ["INV-3002"]
    assert "INV-1044" not in invoices(r)


def test_same_amount_open_at_two_customers_goes_to_review_not_auto(matcher) -> None:
    r = matcher.match_one(txn("500.00", "SOMEONE ELSE", "PAYMENT"))
    assert r.status in ("review", "unmatched")
    assert r.status != "auto"
    assert {s.customer for s in r.suggestions} | {r.customer} >= {"C2", "C3"} - {None}


def test_payer_name_decides_between_equal_amounts(matcher) -> None:
    r = matcher.match_one(txn("500.00", "HOOLI INC", ""))
    assert (r.status, r.customer, invoices(r)) == ("auto", "C3", ["INV-3001"])


def test_learned_past_payer_and_account_identify_the_customer(matcher) -> None:
    assert matcher.match_one(txn("730.15", "INITECH HOLDINGS TREASURY", "")).customer == "C2"
    r = matcher.match_one(txn("8812.40", "X", "", payer_account="DE89 3704 0044 0532 0130 00"))
    assert (r.status, r.customer) == ("auto", "C3")


def test_debit_is_unmatched_without_allocations(matcher) -> None:
    r = matcher.match_one(txn("12400.00", "GLOBEX CORP", "INV-1042", direction="debit"))
    assert (r.status, r.allocations, r.customer) == ("unmatched", [], None)


def test_noise_credit_stays_unmatched(matcher) -> None:
    r = matcher.match_one(txn("3.17", "BANK", "INTEREST CREDIT NOV"))
    assert r.status == "unmatched"


def test_overpayment_is_never_auto(matcher) -> None:
    r = matcher.match_one(txn("4000.00", "GLOBEX CORP", "INV-1080"))
    assert r.status != "auto"
    assert r.unapplied == D("849.75")


def test_two_auto_claims_on_one_invoice_leave_the_weaker_for_review(matcher) -> None:
    first = Txn("T1", DAY, D("3150.25"), "USD", "credit", "GLOBEX CORP", "INV-1080")
    second = Txn("T2", DAY, D("3150.25"), "USD", "credit", "GLOBEX", "1080")
    results = matcher.match_all([first, second])
    assert sorted(r.status for r in results) == ["auto", "review"]


def test_remittance_advice_names_the_invoices_the_bank_text_does_not(matcher) -> None:
    advice = parse_advice(
        "Payment advice\nINV-1042   12,400.00\nINV-1080    3,150.25\nTotal 15,550.25"
    )
    m = Matcher(ITEMS, PROFILES, advice=[advice])
    r = m.match_one(txn("15550.25", "GLOBEX CORP", "PAYMENT 88213"))
    assert (r.status, sorted(invoices(r))) == ("auto", ["INV-1042", "INV-1080"])


def test_other_currency_invoices_named_exactly_are_only_reviewed_without_a_rate() -> None:
    m = Matcher([OpenItem("E-1", "C1", D("100.00"), "EUR")], [CustomerProfile("C1", "Globex")])
    r = m.match_one(txn("100.00", "GLOBEX", "E-1"))
    assert r.status == "review" and r.fx is not None and r.fx["source"] == "implied"
    assert m.match_one(txn("100.00", "GLOBEX", "")).status == "unmatched"  # no reference


def test_policy_threshold_is_respected(matcher) -> None:
    strict = Matcher(ITEMS, PROFILES, MatchSettings(auto_threshold=0.99999999))
    assert strict.match_one(txn("500.00", "HOOLI INC", "")).status == "review"


def test_result_serialises_to_the_contract_shape(matcher) -> None:
    d = matcher.match_one(txn("24800.00", "GLOBEX CORP", "INV1042 INV1077")).to_dict()
    assert list(d)[:11] == [
        "transaction",
        "date",
        "amount",
        "currency",
        "payer",
        "reference",
        "status",
        "customer",
        "allocations",
        "confidence",
        "suggestions",
    ]
    assert d["amount"] == "24800.00"
    assert d["allocations"] == [
        {"invoice": "INV-1042", "amount": "12400.00"},
        {"invoice": "INV-1077", "amount": "12400.00"},
    ]
    assert isinstance(d["confidence"], float)


def test_typo_landing_on_another_invoice_of_the_same_payer_is_not_auto_applied(matcher) -> None:
    # Initech pays INV-1043 (730.15) but types INV-1044, its own 1999.99 invoice.
    r = matcher.match_one(txn("730.15", "INITECH LLC", "INV-1044"))
    assert not (r.status == "auto" and invoices(r) == ["INV-1044"])
    assert invoices(r) == ["INV-1043"]


def test_short_invoice_numbers_need_an_invoice_word() -> None:
    m = Matcher(
        [item("INV-7", "C1", "100.00"), item("INV-8", "C1", "100.00")],
        [CustomerProfile("C1", "Globex Corporation")],
    )
    assert invoices(m.match_one(txn("100.00", "GLOBEX", "Invoice 7"))) == ["INV-7"]
    assert m.match_one(txn("100.00", "GLOBEX", "7 boxes")).status != "auto"


def test_customer_id_quoted_in_the_reference_identifies_the_payer() -> None:
    items = [item("A-1", "CUST-0003", "500.00"), item("B-1", "CUST-0004", "500.00")]
    profiles = [
        CustomerProfile("CUST-0003", "Hooli Inc"),
        CustomerProfile("CUST-0004", "Pied Piper"),
    ]
    r = Matcher(items, profiles).match_one(txn("500.00", "TREASURY SVCS", "CUST-0003 NOV"))
    assert (r.status, r.customer, invoices(r)) == ("auto", "CUST-0003", ["A-1"])


# -- rules added with the miss analysis (bench --misses) -------------------------------

RULE_ITEMS = [
    item("INV-510001", "K1", "3804.59"),  # Kestrel: one open item
    item("INV-520001", "W1", "1500.00", 1),  # Warden: recurring 1,500.00
    item("INV-520002", "W1", "1500.00", 2),
    item("INV-520003", "W1", "1500.00", 3),
    item("INV-530001", "O1", "858.71"),  # Orion
    item("INV-540001", "Z1", "1000.37"),  # Zenith: exact and near-miss items
    item("INV-540002", "Z1", "1010.37"),
]
RULE_PROFILES = [
    CustomerProfile("K1", "Kestrel Pharma Corp"),
    CustomerProfile("W1", "Warden Automotive Co"),
    CustomerProfile("O1", "Orion Automotive Inc"),
    CustomerProfile("Z1", "Zenith Retail Ltd"),
]


@pytest.fixture
def rules() -> Matcher:
    return Matcher(RULE_ITEMS, RULE_PROFILES)


def test_no_reference_fee_within_tolerance_from_the_identified_payer_auto_matches(rules) -> None:
    r = rules.match_one(txn("3794.59", "KESTREL PHARMA CORP PAYM"))
    assert (r.status, r.customer, invoices(r)) == ("auto", "K1", ["INV-510001"])
    assert r.short_by == D("10.00")  # flagged, never written off


def test_no_reference_fee_within_tolerance_from_an_unknown_payer_stays_in_review(rules) -> None:
    r = rules.match_one(txn("3794.59", "BILL.COM PAYABLES"))
    assert r.status != "auto"


def test_no_reference_odd_shortfall_within_tolerance_is_not_auto(rules) -> None:
    r = rules.match_one(txn("3794.42", "KESTREL PHARMA CORP"))
    assert r.status != "auto"


def test_an_exact_amount_beats_a_round_shortfall_of_the_same_customer(rules) -> None:
    r = rules.match_one(txn("1000.37", "ZENITH RETAIL LTD"))
    assert (r.status, invoices(r)) == ("auto", ["INV-540001"])


def test_no_fee_bonus_for_a_customer_with_more_items_than_the_subset_search_covers() -> None:
    many = [item(f"INV-6{k:05d}", "H1", f"{100 + 7 * k}.{k % 100:02d}") for k in range(60)]
    many.append(item("INV-699999", "H1", "4693.85"))
    m = Matcher(many, [CustomerProfile("H1", "Horizon International Inc.")])
    r = m.match_one(txn("4678.85", "HORIZON INTERNATIONAL INC."))
    assert r.status != "auto"


def test_typo_with_bank_fee_from_the_identified_payer_auto_matches(rules) -> None:
    r = rules.match_one(txn("833.71", "ORION AUTOMOTIVE INC", "INV-580001"))
    assert (r.status, r.customer, invoices(r)) == ("auto", "O1", ["INV-530001"])
    assert r.short_by == D("25.00")


def test_typo_with_bank_fee_from_an_unknown_payer_is_not_auto(rules) -> None:
    r = rules.match_one(txn("833.71", "AVIDXCHANGE INC", "INV-580001"))
    assert r.status != "auto"


def test_typo_picks_the_one_of_several_recurring_amounts_it_is_one_edit_from(rules) -> None:
    r = rules.match_one(txn("1500.00", "WARDEN AUTOMOTIVE CO", "INV-520009"))
    assert r.status == "review"  # one edit from all three: 520001, 520002, 520003
    r = rules.match_one(txn("1500.00", "WARDEN AUTOMOTIVE CO", "INV-590002"))
    assert (r.status, invoices(r)) == ("auto", ["INV-520002"])


def test_typo_pointing_at_another_customer_than_the_payer_is_not_auto(rules) -> None:
    # one edit from Kestrel's invoice, paid by Orion for Kestrel's amount
    r = rules.match_one(txn("3804.59", "ORION AUTOMOTIVE INC", "INV-910001"))
    assert r.status != "auto"


def test_exact_reference_short_by_a_fee_is_not_doubted_by_its_one_edit_neighbours(rules) -> None:
    # INV-520001 and INV-520003 are one edit away and carry the same balance
    r = rules.match_one(txn("1480.00", "WARDEN AUTOMOTIVE CO", "INV-520002"))
    assert (r.status, invoices(r)) == ("auto", ["INV-520002"])
    assert r.short_by == D("20.00")


def test_unreferenced_set_is_not_auto_when_the_customer_has_more_items_than_were_searched() -> None:
    few = [item("INV-710001", "B1", "4000.11", 1), item("INV-710002", "B1", "3404.21", 2)]
    m = Matcher(few, [CustomerProfile("B1", "Bright Global Aviation LLC")])
    r = m.match_one(txn("7404.32", "BRIGHT GLOBAL AVIATION LLC"))
    assert (r.status, sorted(invoices(r))) == ("auto", ["INV-710001", "INV-710002"])
    # the same payment from a customer with 40 more open items (due later, so unsearched)
    more = few + [item(f"INV-72{k:04d}", "B1", f"{900 + 13 * k}.{k:02d}", 28) for k in range(40)]
    m = Matcher(more, [CustomerProfile("B1", "Bright Global Aviation LLC")])
    r = m.match_one(txn("7404.32", "BRIGHT GLOBAL AVIATION LLC"))
    assert r.status == "review"


def test_an_unreferenced_set_is_trusted_by_how_rarely_its_size_sums_to_an_amount_by_chance() -> (
    None
):
    four = [
        item("INV-810001", "R1", "1210.37", 1),
        item("INV-810002", "R1", "2005.19", 2),
        item("INV-810003", "R1", "1733.58", 3),
        item("INV-810004", "R1", "1647.36", 4),
    ]
    profile = [CustomerProfile("R1", "Rover Textiles Inc")]
    r = Matcher(four, profile).match_one(txn("6596.50", "ROVER TEXTILES INC"))
    assert (r.status, len(r.allocations)) == ("auto", 4)  # the customer's only four items
    # among 28 open items, C(28, 4) = 20,475 four-sets: one summing to the cent is no proof
    pool = four + [
        item(f"INV-82{k:04d}", "R1", f"{300 + 97 * k}.{k + 3:02d}", 5) for k in range(24)
    ]
    r = Matcher(pool, profile).match_one(txn("6596.50", "ROVER TEXTILES INC"))
    assert r.status != "auto"


def test_a_complete_payer_name_that_is_exactly_one_customers_beats_a_shared_first_word() -> None:
    items = [item("INV-910001", "S1", "1000.00"), item("INV-920001", "S2", "1000.00")]
    profiles = [CustomerProfile("S1", "Schmidt SA"), CustomerProfile("S2", "Schmidt Roofing Ltd")]
    r = Matcher(items, profiles).match_one(txn("1000.00", "SCHMIDT ROOFING LTD"))
    assert (r.status, r.customer, invoices(r)) == ("auto", "S2", ["INV-920001"])


def test_a_cut_off_payer_that_equals_a_shorter_name_is_not_decided_by_it() -> None:
    items = [item("INV-930001", "M1", "2000.00"), item("INV-940001", "M2", "2000.00")]
    profiles = [
        CustomerProfile("M1", "Meridian Global"),
        CustomerProfile("M2", "Meridian Global Packaging PLC"),
    ]
    r = Matcher(items, profiles).match_one(txn("2000.00", "MERIDIAN GLOBAL"))
    assert r.status != "auto"
