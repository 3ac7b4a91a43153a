"""End to end on hand-written AR replies (tests/fixtures/emails): parse, strip, classify, link.

Each fixture imitates one mail client's real output (Outlook desktop with cp1252 and a
header box, Gmail with a wrapped German attribution, iPhone in French with base64,
Outlook on the web HTML-only in Spanish, Thunderbird format=flowed in Dutch, a CSV
remittance, a German out-of-office, a Latin-1 message without a Message-ID).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mail.autoreply import detect_auto_reply
from mail.inbound import ingest
from mail.parse import parse_message
from mail.reply_text import extract_reply
from tests.support import factories

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "emails"

EXPECTED = {
    "outlook_en_promise_cp1252.eml": (
        "Hi team,\n\nWe’ll pay INV-1042 on Friday 27 November via ACH – the remaining balance of "
        "INV-1077 follows next week.\n\nBest regards,"
    ),
    "gmail_de_dispute_qp.eml": (
        "Guten Tag,\n\ndie Rechnung INV-2001 ist falsch: Wir haben nur 40 Stück erhalten, nicht "
        "50. Bitte schicken Sie eine Gutschrift.\n\nMit freundlichen Grüßen"
    ),
    "iphone_fr_paid_base64.eml": (
        "Bonjour,\n\nLa facture INV-3001 a été réglée le 20/11 par virement (réf. VIR 88213)."
    ),
    "outlook_es_plan_html_only.eml": (
        "Buenos días:\n\nNo podemos pagar todo ahora. ¿Podemos pagar la factura INV-4001 en tres "
        "cuotas mensuales?\n\nSaludos,"
    ),
    "thunderbird_nl_flowed.eml": (
        "Goedemiddag,\n\nFactuur INV-5001 wordt volgende week dinsdag betaald.\n\n"
        "Met vriendelijke groet,"
    ),
    "remittance_csv_attachment.eml": (
        "Please find attached the remittance advice for our ACH payment 88213."
    ),
    "outlook_es_latin1_no_message_id.eml": (
        "Hola,\n\nYa pagamos la factura INV-4001 el viernes pasado.\n\nUn saludo,"
    ),
}


def _parts(name: str):
    msg = parse_message((FIXTURES / name).read_bytes(), source=name)
    return msg, extract_reply(msg.text, html=msg.html)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reply_text_of_each_client_fixture(name) -> None:
    msg, parts = _parts(name)
    assert not msg.malformed
    assert parts.reply == EXPECTED[name]
    assert detect_auto_reply(msg, parts.reply) is None


def test_outlook_signature_and_disclaimer_are_separated() -> None:
    _, parts = _parts("outlook_en_promise_cp1252.eml")
    assert parts.signature.startswith("Dana Ruiz\nAccounts Payable Manager")
    assert "CONFIDENTIALITY NOTICE" in parts.signature
    assert "30 days overdue" in parts.quoted


def test_outlook_html_alternative_gives_the_same_reply() -> None:
    msg, _ = _parts("outlook_en_promise_cp1252.eml")
    html_only = extract_reply("", html=msg.html)
    assert html_only.reply == EXPECTED["outlook_en_promise_cp1252.eml"]


def test_german_out_of_office_fixture() -> None:
    msg, parts = _parts("ooo_de_auto_submitted.eml")
    assert detect_auto_reply(msg, parts.reply).kind == "out_of_office"


def test_csv_remittance_text_is_available() -> None:
    msg, _ = _parts("remittance_csv_attachment.eml")
    (att,) = msg.attachments
    assert att.filename == "remittance_88213.csv" and "INV-1077,3000.00" in att.text


def test_fixtures_link_to_their_customers(db, clock) -> None:
    with db.transaction() as s:
        globex = factories.customer(s, "C-001", "Globex Corporation", email="dana@globex.example")
        initech = factories.customer(s, "C-002", "Initech GmbH", email="ap@initech.example")
        umbrella = factories.customer(s, "C-004", "Umbrella SL", email="pagos@umbrella.example")
        factories.invoice(s, globex, "INV-1042")
        factories.invoice(s, globex, "INV-1077")
        factories.invoice(s, initech, "INV-2001")
        factories.invoice(s, umbrella, "INV-4001")
        expected = {
            "outlook_en_promise_cp1252.eml": ("C-001", "sender_address", ["INV-1042", "INV-1077"]),
            "gmail_de_dispute_qp.eml": ("C-002", "sender_domain", ["INV-2001"]),
            "outlook_es_plan_html_only.eml": ("C-004", "sender_domain", ["INV-4001"]),
            "iphone_fr_paid_base64.eml": (None, "stranger", []),
        }
        for name, (customer, method, invoices) in expected.items():
            result = ingest(s, (FIXTURES / name).read_bytes(), clock=clock, source=name)
            assert (result.link.customer_id, result.link.method) == (customer, method), name
            assert sorted(result.link.invoice_numbers) == invoices, name
        assert result.communication.status == "escalated"  # unknown sender, unknown invoice
