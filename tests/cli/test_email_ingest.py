"""``ar-agent email ingest``: every corpus message goes through; the JSON has the contract's keys."""

from __future__ import annotations

import json
from pathlib import Path

from cli.main import main
from mail.sniff import not_an_email
from policies.actions import INTENTS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CONTRACT_KEYS = {"customer", "invoices", "intent", "reply_text", "proposals"}


def test_every_corpus_email_is_ingested_without_a_traceback(corpora, capsys, monkeypatch):
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    every = sorted(
        p for p in (corpora / "emails").rglob("*") if p.is_file() and p.name != "SOURCES.md"
    )
    # the corpus also holds bare reply bodies and HTML fragments: not messages, refused
    files = [str(p) for p in every if not_an_email(p.read_bytes()) is None]
    assert len(every) >= 150 and len(files) >= 75
    code = main(
        ["email", "ingest", "--ledger", str(FIXTURES / "ledger_globex.json"), "--json", *files]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "Traceback" not in err
    results = json.loads(out)
    assert len(results) == len(files)
    for result in results:
        assert result.keys() >= CONTRACT_KEYS, result["file"]
        assert result["intent"] in INTENTS or result.get("duplicate"), result
        if result["customer"] is None and not result.get("duplicate"):
            # nothing links it to a customer: a human is asked, never dropped
            assert any(p["type"] == "escalate" for p in result["proposals"]), result["file"]


def test_customer_reply_is_linked_classified_and_proposed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    eml = tmp_path / "reply.eml"
    eml.write_bytes(
        b"From: Bill Lumbergh <bill@initech.example>\r\nTo: ar@example.com\r\n"
        b"Subject: RE: Invoice INV-2001\r\nMessage-ID: <r1@initech.example>\r\n\r\n"
        b"Hi,\r\n\r\nWe paid INV-2001 last week by wire, trace 4471.\r\n\r\nBill Lumbergh\r\nInitech LLC\r\n"
        b"\r\n-----Original Message-----\r\nFrom: AR\r\nSent: Monday\r\nSubject: Invoice INV-2001\r\n\r\n"
        b"INV-2001 is overdue.\r\n"
    )
    assert (
        main(
            [
                "email",
                "ingest",
                "--ledger",
                str(FIXTURES / "ledger_globex.json"),
                "--json",
                str(eml),
            ]
        )
        == 0
    )
    [result] = json.loads(capsys.readouterr().out)
    assert result["customer"] == "C-002" and result["invoices"] == ["INV-2001"]
    assert result["intent"] == "claims_paid"
    assert "Original Message" not in result["reply_text"] and "trace 4471" in result["reply_text"]
    kinds = {p["type"] for p in result["proposals"]}
    assert {
        "hold_dunning",
        "send_email",
    } <= kinds  # no bank transaction found: hold and ask for details


def test_missing_file_is_one_line_exit_1(capsys):
    assert main(["email", "ingest", "no-such.eml"]) == 1
    assert capsys.readouterr().err.strip() == "ar-agent: no-such.eml: no such file"


def test_a_file_that_is_not_an_email_is_refused_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    readme = Path(__file__).resolve().parents[2] / "README.md"
    good = FIXTURES / "emails" / "outlook_en_promise_cp1252.eml"
    code = main(["email", "ingest", str(good), str(readme)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip().splitlines() == [
        f"ar-agent: {readme}: not an email message (it starts with '# ar-agent', "
        "not a header like From:)"
    ]
    assert out == ""  # refused before the good file was read: nothing stored


def test_files_that_are_not_messages_are_refused():
    sniff = not_an_email
    assert sniff(b"") == "empty file, not an email message"
    assert sniff(b"%PDF-1.7\n...").startswith("not an email message (it starts with '%PDF")
    assert "no From, To" in sniff(b"Title: notes\nAuthor: me\n\nbody")
    assert sniff(b"From: a@b.example\nSubject: hi\n\nbody") is None
    assert sniff(b"From a@b Sat Jan  3 01:05:34 1996\nFrom: a@b.example\n\nx") is None
    assert sniff(b"\xef\xbb\xbfReceived: from x\n  by y\nTo: c@d.example\n\nx") is None
