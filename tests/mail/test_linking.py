"""mail.linking: a known sender (address, domain) links, with its thread; strangers only claim."""

from __future__ import annotations

import pytest

from ledger.models import Communication, Contact
from mail.linking import link_message, link_sender, name_variants
from mail.parse import parse_message
from tests.support import factories


def _msg(
    frm: str,
    body: str = "Hello",
    *,
    to: str = "ar@acme.example",
    subject: str = "Re: hi",
    headers: str = "",
):
    raw = f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\n{headers}\r\n{body}\r\n"
    return parse_message(raw.encode())


@pytest.fixture
def ledger(db):
    with db.transaction() as s:
        globex = factories.customer(
            s, "C-001", "Globex Corporation", email="dana@globex.example", aliases=["Globex Corp"]
        )
        initech = factories.customer(s, "C-002", "Initech LLC", email="bill@initech.example")
        hooli = factories.customer(s, "C-003", "Hooli", email="gavin.hooli@gmail.com")
        inv1042 = factories.invoice(s, globex, "INV-1042")
        factories.invoice(s, globex, "INV-1077")
        factories.invoice(s, initech, "INV-2001")
        factories.invoice(s, hooli, "INV-3001")
        out = Communication(
            direction="out",
            status="sent",
            customer_id="C-001",
            message_id="<out-1@acme.example>",
            thread_token="tokGLOBEX1",
            subject="Invoice INV-1042 overdue",
        )
        out.invoices = [inv1042]
        s.add(out)
    return db


def test_thread_token_links_a_known_sender_of_that_customer(ledger) -> None:
    msg = _msg("ap@globex.example", to="AR <ar+tokGLOBEX1@acme.example>")
    with ledger.transaction() as s:
        link = link_message(s, msg, "We will pay Friday")
        assert (link.customer_id, link.method) == ("C-001", "thread_token")
        assert link.invoice_numbers == ["INV-1042"]  # inherited from the thread
        assert link.thread_communication_id is not None


def test_a_thread_token_does_not_outweigh_who_wrote(ledger) -> None:
    msg = _msg("bill@initech.example", to="AR <ar+tokGLOBEX1@acme.example>")
    with ledger.transaction() as s:
        link = link_message(s, msg, "We will pay Friday")
        assert (link.customer_id, link.method) == ("C-002", "sender_address")


def test_in_reply_to_from_a_free_mail_stranger_is_not_linked(ledger) -> None:
    msg = _msg("someone@gmail.com", headers="In-Reply-To: <out-1@acme.example>\r\n")
    with ledger.transaction() as s:
        link = link_message(s, msg, "paid INV-1077 too")
        assert (link.customer_id, link.method) == (None, "stranger")
        assert link.claimed_customer_id == "C-001"
        assert "stranger" in link.stranger_reason("Globex Corporation")


def test_references_link_a_colleague_on_the_customer_domain(ledger) -> None:
    msg = _msg(
        "x@globex.example",
        headers="In-Reply-To: <nope@x>\r\nReferences: <out-1@acme.example> <nope@x>\r\n",
    )
    with ledger.transaction() as s:
        assert link_message(s, msg, "ok").method == "references"


def test_exact_sender_address_then_company_domain(ledger) -> None:
    with ledger.transaction() as s:
        exact = link_message(s, _msg("Bill <BILL@initech.example>"), "hi")
        assert (exact.customer_id, exact.method) == ("C-002", "sender_address")
        colleague = link_message(s, _msg("peter@initech.example"), "hi")
        assert (colleague.customer_id, colleague.method) == ("C-002", "sender_domain")
        subdomain = link_message(s, _msg("ap@eu.globex.example"), "hi")
        assert (subdomain.customer_id, subdomain.method) == ("C-001", "sender_domain")


def test_free_mail_domains_never_link_by_domain(ledger) -> None:
    with ledger.transaction() as s:
        link = link_message(s, _msg("stranger@gmail.com"), "hello there")
        assert link.customer_id is None and link.method == "stranger"
        assert link.claimed_customer_id is None


def test_the_gmail_stranger_is_not_linked_to_the_customer_with_a_gmail_contact(ledger) -> None:
    """Issue 17 item 3: Hooli's only contact is on gmail.com; another gmail user is a stranger."""
    with ledger.transaction() as s:
        link = link_message(s, _msg("stranger@gmail.com"), "We have paid everything.")
        assert link.customer_id is None and link.method == "stranger"
        via_agent = link_sender(s, "stranger@gmail.com", "We have paid everything.")
        assert via_agent.customer_id is None and via_agent.method == "stranger"
        contact = link_sender(s, "Gavin <gavin.hooli@gmail.com>", "We have paid.")
        assert (contact.customer_id, contact.method) == ("C-003", "sender_address")


@pytest.mark.parametrize(
    "text", ["Paid INV1042 yesterday", "re invoice #1042", "Rechnung Nr. 1042", "facture n° 1042"]
)
def test_invoice_numbers_from_a_stranger_are_a_claim_not_a_link(ledger, text) -> None:
    with ledger.transaction() as s:
        link = link_message(s, _msg("new.person@gmail.com"), text)
        assert (link.customer_id, link.method) == (None, "stranger")
        assert (link.claimed_customer_id, link.claimed_invoices) == ("C-001", ["INV-1042"])
        assert link.invoice_numbers == []


def test_invoice_numbers_only_in_the_quoted_history_are_a_claim_too(ledger) -> None:
    body = "Will pay next week.\n\nOn Mon, Nov 23, 2026 at 8:00 AM AR <ar@acme.example> wrote:\n> INV-2001 is overdue"
    with ledger.transaction() as s:
        link = link_message(s, _msg("temp@gmail.com", body), "Will pay next week.")
        assert (link.customer_id, link.claimed_customer_id) == (None, "C-002")


def test_customer_name_from_a_stranger_is_a_claim(ledger) -> None:
    body = "Please send me the statement.\n\nMaria\nAccounts Payable, Globex Corp"
    with ledger.transaction() as s:
        link = link_message(s, _msg("maria@yahoo.com", body), "Please send me the statement.")
        assert (link.customer_id, link.method, link.claimed_customer_id) == (
            None,
            "stranger",
            "C-001",
        )


def test_an_address_shared_by_two_customers_is_settled_by_invoice_numbers(ledger) -> None:
    with ledger.transaction() as s:
        s.add(Contact(customer_id="C-002", email="dana@globex.example", name="Dana"))
        s.flush()
        link = link_message(s, _msg("dana@globex.example"), "INV-2001 is paid")
        assert (link.customer_id, link.method) == ("C-002", "sender_address")
        unsure = link_message(s, _msg("dana@globex.example"), "hello")
        assert unsure.customer_id is None and set(unsure.candidates) == {"C-001", "C-002"}
        assert unsure.method == "ambiguous"


def test_name_variants_drop_the_legal_form() -> None:
    assert name_variants("Initech LLC") == {"initech llc", "initech"}
    assert name_variants("Globex Corporation") == {"globex corporation", "globex"}


def test_a_bounce_links_through_the_returned_original_message(ledger) -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example\r\nTo: ar@acme.example\r\nSubject: Undelivered Mail\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nUser unknown.\r\n"
        b"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: ar@acme.example\r\n"
        b"Message-ID: <out-1@acme.example>\r\nSubject: Invoice INV-1042 overdue\r\n--r--\r\n"
    )
    with ledger.transaction() as s:
        link = link_message(s, parse_message(raw), "User unknown.")
        assert (link.customer_id, link.method) == (None, "stranger")
        assert link.claimed_customer_id == "C-001"  # the bounce is about our mail to Globex


def test_invoice_numbers_in_a_csv_remittance_attachment(ledger) -> None:
    raw = (
        b"From: ap@unknown-payer.example\r\nTo: ar@acme.example\r\nSubject: Remittance\r\n"
        b'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\n'
        b"See attached.\r\n--m\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; "
        b"filename=r.csv\r\n\r\ninvoice,amount\r\nINV-1042,12400.00\r\nINV-1077,1.00\r\n--m--\r\n"
    )
    with ledger.transaction() as s:
        link = link_message(s, parse_message(raw), "See attached.")
        assert (link.customer_id, link.method) == (None, "stranger")
        assert sorted(link.claimed_invoices) == ["INV-1042", "INV-1077"]


@pytest.mark.parametrize(
    ("domain", "free"),
    [
        ("gmail.com", True),
        ("yahoo.co.jp", True),
        ("hotmail.it", True),
        ("web.de", True),
        ("orange.fr", True),
        ("gmx.fr", True),
        ("globex.example", False),
        ("eu.globex.co.uk", False),
    ],
)
def test_free_mail_providers_under_any_country_suffix(domain, free) -> None:
    from mail.linking import is_free_mail

    assert is_free_mail(domain) is free
