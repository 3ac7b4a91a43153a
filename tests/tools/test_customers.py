from tests.support import factories as f
from tools.customers import find_customer, normalise


def test_normalise_drops_legal_forms_and_punctuation():
    assert normalise("Globex Corp.") == "globex"
    assert normalise("Müller Maschinenbau GmbH") == "müller maschinenbau"


def test_finds_by_alias_typo_invoice_and_domain(ctx, globex):
    assert find_customer(ctx, "GLOBEX").customer.id == "C-001"
    assert find_customer(ctx, "Globx").customer.id == "C-001"
    assert find_customer(ctx, "INV-1077").customer.id == "C-001"
    assert find_customer(ctx, "someone@globex.example").customer.id == "C-001"


def test_two_close_names_are_ambiguous(ctx, session):
    f.customer(session, "C-6", "Acme Industries")
    f.customer(session, "C-7", "Acme Corporation")
    lookup = find_customer(ctx, "Acme")
    assert lookup.status == "ambiguous"
    assert {c.id for c in lookup.candidates} == {"C-6", "C-7"}


def test_unknown_name_is_not_found(ctx, globex):
    assert find_customer(ctx, "Cyberdyne Systems").status == "not_found"
