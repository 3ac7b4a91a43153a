"""mail.inbound: every raw message stored first, deduplicated by Message-ID, malformed escalated."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import UnsupportedFile
from ledger.models import Communication
from mail.inbound import ingest, raw_bytes, store_inbound, synthetic_message_id
from tests.support import factories

REPLY = (
    b"From: Dana Ruiz <dana@globex.example>\r\n"
    b"To: AR <ar+tok123abc@acme.example>\r\n"
    b"Subject: RE: Invoice INV-1042 is 30 days overdue\r\n"
    b"Message-ID: <reply-1@globex.example>\r\n"
    b"In-Reply-To: <out-1@acme.example>\r\n"
    b"Date: Mon, 23 Nov 2026 09:12:00 -0600\r\n"
    b"\r\n"
    b"We'll pay INV-1042 this Friday.\r\n\r\nThanks,\r\nDana\r\n\r\n"
    b"On Mon, Nov 23, 2026 at 8:00 AM AR Team <ar@acme.example> wrote:\r\n"
    b"> Invoice INV-1042 for $12,400.00 is 30 days overdue.\r\n"
)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Communication))


def test_store_keeps_raw_parsed_fields_and_reply_text(any_db, clock) -> None:
    with any_db.transaction() as s:
        result = store_inbound(s, REPLY, clock=clock, source="test")
        c = result.communication
        assert not result.duplicate
        assert (c.direction, c.status, c.channel) == ("in", "received", "email")
        assert c.message_id == "<reply-1@globex.example>"
        assert c.in_reply_to == "<out-1@acme.example>"
        assert c.from_addr == "dana@globex.example"
        assert c.to_addrs == ["ar+tok123abc@acme.example"]
        assert c.thread_token == "tok123abc"
        assert c.reply_text == "We'll pay INV-1042 this Friday.\n\nThanks,"
        assert c.meta["signature"] == "Dana"
        assert raw_bytes(c) == REPLY
        assert c.received_at is not None


def test_same_message_id_twice_returns_the_stored_row_as_duplicate(any_db, clock) -> None:
    with any_db.transaction() as s:
        first = store_inbound(s, REPLY, clock=clock)
        second = store_inbound(s, REPLY.replace(b"Friday", b"Monday"), clock=clock)
        assert second.duplicate and second.communication.id == first.communication.id
        assert _count(s) == 1


def test_message_without_message_id_gets_a_stable_synthetic_one(any_db, clock) -> None:
    raw = b"From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n"
    with any_db.transaction() as s:
        first = store_inbound(s, raw, clock=clock)
        assert first.communication.message_id == synthetic_message_id(raw)
        assert store_inbound(s, raw, clock=clock).duplicate
        assert not store_inbound(s, raw + b"again\r\n", clock=clock).duplicate
        assert _count(s) == 2


def test_malformed_mime_is_stored_and_escalated_with_the_reason(any_db, clock) -> None:
    raw = (
        b"From: x@globex.example\r\nMessage-ID: <m@x>\r\nContent-Type: multipart/mixed; "
        b'boundary="declared"\r\n\r\n--other\r\nContent-Type: text/plain\r\n\r\nhi\r\n--other--\r\n'
    )
    with any_db.transaction() as s:
        c = store_inbound(s, raw, clock=clock).communication
        assert c.status == "escalated"
        assert "boundary" in c.error


def test_non_utf8_raw_bytes_are_kept_losslessly(any_db, clock) -> None:
    raw = (
        b"From: x@y.example\r\nMessage-ID: <l1@y>\r\nContent-Type: text/plain; charset=latin-1"
        b"\r\n\r\nGr\xfc\xdfe, wir zahlen am Freitag.\r\n"
    )
    with any_db.transaction() as s:
        c = store_inbound(s, raw, clock=clock).communication
        assert raw_bytes(c) == raw
        assert c.reply_text == "Grüße, wir zahlen am Freitag."


def test_empty_input_is_refused(any_db, clock) -> None:
    with any_db.transaction() as s, pytest.raises(UnsupportedFile):
        store_inbound(s, b"  \r\n", clock=clock)


def test_header_less_garbage_is_still_stored_and_escalated(any_db, clock) -> None:
    with any_db.transaction() as s:
        c = store_inbound(s, b"\x00\x01 this is not an email at all", clock=clock).communication
        assert c.id is not None and c.status == "escalated"


def test_auto_reply_is_recorded_in_meta(any_db, clock) -> None:
    raw = (
        b"From: dana@globex.example\r\nMessage-ID: <ooo@x>\r\nAuto-Submitted: auto-replied\r\n"
        b"Subject: Automatic reply: Invoice INV-1042\r\n\r\nI am out of the office until "
        b"December 1 with limited access to email.\r\n"
    )
    with any_db.transaction() as s:
        c = store_inbound(s, raw, clock=clock).communication
        assert c.meta["auto_reply"]["kind"] == "out_of_office"


def test_ingest_links_the_customer_and_escalates_unknown_senders(any_db, clock) -> None:
    with any_db.transaction() as s:
        globex = factories.customer(s, "C-001", "Globex Corporation", email="dana@globex.example")
        factories.invoice(s, globex, "INV-1042")
        linked = ingest(s, REPLY, clock=clock)
        assert linked.link.customer_id == "C-001"
        assert linked.communication.customer_id == "C-001"
        assert [i.number for i in linked.communication.invoices] == ["INV-1042"]
        assert linked.communication.status == "received"

        stranger = b"From: who@nowhere.example\r\nMessage-ID: <s@n>\r\n\r\nHello?\r\n"
        unknown = ingest(s, stranger, clock=clock)
        assert unknown.link.customer_id is None
        assert unknown.communication.status == "escalated"
        assert _count(s) == 2


def test_a_linking_failure_keeps_the_stored_message_escalated(any_db, clock, monkeypatch) -> None:
    import mail.inbound

    def broken(*args, **kwargs):
        raise RuntimeError("bug in linking")

    monkeypatch.setattr(mail.inbound, "link_message", broken)
    with any_db.transaction() as s:
        result = ingest(s, REPLY, clock=clock)
        assert result.link.method == "error" and result.communication.status == "escalated"
        assert "linking failed" in result.communication.error
    with any_db.transaction() as s:
        assert _count(s) == 1
