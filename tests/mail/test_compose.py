"""mail.compose: headers as recorded, both body parts, attachments."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

import pytest

from core.errors import ValidationError
from ledger.models import Communication
from mail.compose import build_message, invoice_attachments, text_to_html
from tests.support import factories as f


def _comm(**over) -> Communication:
    fields = dict(
        id=7,
        direction="out",
        status="outbox",
        message_id="<abc123@ar.example>",
        thread_token="t0k3n",
        from_addr="Accounts Receivable <ar@example.com>",
        to_addrs=["dana@globex.example"],
        cc_addrs=[],
        subject="INV-1042 is overdue",
        body_text="Hi Dana,\n\nINV-1042 (12,400.00 USD) is overdue.\nPay at https://pay.example.com/x",
        approval_id=3,
        created_at=datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
    )
    fields.update(over)
    return Communication(**fields)


def test_headers_carry_the_recorded_message_id_and_the_reply_token():
    msg = build_message(_comm(), from_addr="ignored@example.com", reply_domain="reply.example")
    assert msg["Message-ID"] == "<abc123@ar.example>"
    assert msg["Reply-To"] == "ar+t0k3n@reply.example"
    assert msg["From"] == "Accounts Receivable <ar@example.com>"
    assert msg["To"] == "dana@globex.example"
    assert msg["Date"] == "Mon, 23 Nov 2026 15:00:00 +0000"
    assert msg["In-Reply-To"] is None and msg["References"] is None


def test_follow_up_has_in_reply_to_and_references():
    msg = build_message(
        _comm(in_reply_to="<b@x>", references="<a@x> <b@x>", cc_addrs=["k@x.example"]),
        from_addr="ar@example.com",
        reply_domain="reply.example",
    )
    assert msg["In-Reply-To"] == "<b@x>"
    assert msg["References"] == "<a@x> <b@x>"
    assert msg["Cc"] == "k@x.example"


def test_reply_domain_defaults_to_the_sender_domain():
    msg = build_message(_comm(), from_addr="x@y", reply_domain=None)
    assert msg["Reply-To"] == "ar+t0k3n@example.com"


def test_plain_text_and_html_alternative_survive_a_round_trip():
    raw = build_message(_comm(), from_addr="a@b", reply_domain="r.example").as_bytes()
    parsed = message_from_bytes(raw, policy=default)
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert "12,400.00 USD" in text
    assert "<p>Hi Dana,</p>" in html
    assert '<a href="https://pay.example.com/x">' in html


def test_html_escapes_customer_text():
    assert "&lt;script&gt;" in text_to_html("<script>alert(1)</script>")


def test_invoice_pdfs_are_attached(db, tmp_path):
    pdf = tmp_path / "INV-1042.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake")
    with db.transaction() as s:
        c = f.customer(s, "C-001", "Globex")
        inv = f.invoice(s, c, "INV-1042", document_path=str(pdf))
        missing = f.invoice(s, c, "INV-1077", document_path=str(tmp_path / "gone.pdf"))
        comm = _comm(invoices=[inv, missing])
        files = invoice_attachments(comm)
        msg = build_message(comm, from_addr="a@b", reply_domain="r.example", attachments=files)
    parsed = message_from_bytes(msg.as_bytes(), policy=default)
    assert parsed.get_content_type() == "multipart/mixed"
    (att,) = list(parsed.iter_attachments())
    assert att.get_filename() == "INV-1042.pdf"
    assert att.get_content_type() == "application/pdf"
    assert att.get_content() == b"%PDF-1.4 fake"


def test_a_message_without_recipient_is_refused():
    with pytest.raises(ValidationError, match="communication 7 has no recipient"):
        build_message(_comm(to_addrs=[]), from_addr="a@b", reply_domain="r")
