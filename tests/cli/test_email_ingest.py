"""``ar-agent email ingest``: every corpus message goes through; the JSON has the contract's keys."""

from __future__ import annotations

import json
from pathlib import Path

from cli.main import main
from policies.actions import INTENTS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CONTRACT_KEYS = {"customer", "invoices", "intent", "reply_text", "proposals"}


def test_every_corpus_email_is_ingested_without_a_traceback(corpora, capsys, monkeypatch):
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    files = sorted(
        str(p) for p in (corpora / "emails").rglob("*") if p.is_file() and p.name != "SOURCES.md"
    )
    assert len(files) >= 150
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
