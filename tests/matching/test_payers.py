"""Payers who are not the customer: AP platforms, a group's parent, a third party an
approver linked to the customer before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.models import Customer, Payment
from matching.engine import Matcher
from matching.payers import customer_platforms, effective_payer, is_platform
from matching.service import load_profiles
from matching.types import CustomerProfile, OpenItem, Txn

D = Decimal
DAY = date(2026, 11, 20)
ITEMS = [
    OpenItem("INV-301", "C1", D("4311.17"), "USD", date(2026, 10, 1)),
    OpenItem("INV-302", "C2", D("977.45"), "USD", date(2026, 10, 1)),
    OpenItem("INV-303", "C3", D("977.45"), "USD", date(2026, 10, 1)),
]
PROFILES = [
    CustomerProfile("C1", "Globex Corporation"),
    CustomerProfile("C2", "Acme Retail Ltd", parent="C9"),
    CustomerProfile("C3", "Initech LLC"),
    CustomerProfile("C9", "Acme Holdings plc"),
]


def test_platform_names_are_read_for_the_customer_behind_them():
    assert effective_payer("PAYMODE-X ON BEHALF OF GLOBEX CORP") == ("GLOBEX CORP", "Paymode-X")
    assert is_platform("BILL.COM") and not is_platform("Globex Corp")
    # a ledger that sells to PayPal reads "PAYPAL" as that customer
    assert effective_payer("PAYPAL", customer_platforms(["PayPal Europe S.a r.l."]))[1] is None


def test_a_platform_payment_matches_on_the_customer_it_names():
    r = Matcher(ITEMS, PROFILES).match_one(
        Txn("T1", DAY, D("4311.17"), "USD", payer="BILL.COM GLOBEX CORPORATION")
    )
    assert (r.status, r.customer) == ("auto", "C1")


def test_a_platform_alone_neither_helps_nor_hurts():
    r = Matcher(ITEMS, PROFILES).match_one(Txn("T2", DAY, D("4311.17"), "USD", payer="TIPALTI"))
    assert r.customer == "C1" and "payer not recognised" not in " ".join(r.reasons)


def test_the_parent_company_paying_a_childs_invoice():
    r = Matcher(ITEMS, PROFILES).match_one(
        Txn("T3", DAY, D("977.45"), "USD", payer="ACME HOLDINGS PLC")
    )
    # the same amount is open at Initech too: the parent's name decides for its child
    assert r.customer == "C2" and r.status in ("auto", "review")


def test_an_approved_third_party_payer_is_learned_but_a_platform_is_not(db):
    with db.transaction() as session:
        _learned(session)


def _learned(session) -> None:  # type: ignore[no-untyped-def]
    session.add(Customer(id="C-7", name="Kramerica Industries"))
    session.flush()
    for pid, name in (("P-1", "VANDELAY TREASURY SERVICES"), ("P-2", "BILL.COM")):
        session.add(Payment(id=pid, customer_id="C-7", date=DAY, amount=D("1.00"), payer_name=name))
    session.flush()
    profile = next(p for p in load_profiles(session) if p.id == "C-7")
    assert profile.past_payers == ["VANDELAY TREASURY SERVICES"]


def test_the_exact_legal_name_decides_between_two_entities_of_one_group():
    items = [
        OpenItem("INV-1", "A", D("1000.00"), "USD", date(2026, 10, 1)),
        OpenItem("INV-2", "B", D("1000.00"), "USD", date(2026, 10, 1)),
    ]
    group = [
        CustomerProfile("A", "Schmidt Roofing GmbH"),
        CustomerProfile("B", "Schmidt Roofing Ltd"),
    ]
    m = Matcher(items, group)

    def pay(payer: str):  # type: ignore[no-untyped-def]
        return m.match_one(Txn("T", DAY, D("1000.00"), "USD", payer=payer))

    assert (pay("SCHMIDT ROOFING LIMITED").status, pay("SCHMIDT ROOFING LIMITED").customer) == (
        "auto",
        "B",
    )
    assert pay("SCHMIDT ROOFING GMBH").customer == "A"
    assert pay("SCHMIDT ROOFING").status == "review"  # no legal form: either entity
