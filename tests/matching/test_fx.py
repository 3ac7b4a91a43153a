"""A payment in another currency than its invoice: matched on the reference at the rate it
implies, checked against the statement's or the policy's rate, FX gain/loss proposed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from approvals.executor import execute
from approvals.queue import approve
from ledger.importer import load_ledger_file
from ledger.models import BankTransaction, Invoice
from matching.engine import Matcher
from matching.statement_run import CashApplicationRequest, StatementUpload, run_cash_application
from matching.types import CustomerProfile, MatchSettings, OpenItem, Txn
from policies.config import load_policy

D = Decimal
ITEMS = [OpenItem("INV-5001", "C1", D("10000.00"), "EUR", date(2026, 11, 1))]
PROFILES = [CustomerProfile("C1", "Globex GmbH")]
PAYMENT = Txn(
    "T1", date(2026, 11, 20), D("10850.00"), "USD", payer="GLOBEX GMBH", reference="INV-5001"
)


def test_without_a_rate_to_check_it_is_proposed_for_review_at_the_implied_rate():
    r = Matcher(ITEMS, PROFILES).match_one(PAYMENT)
    assert (r.status, r.customer, r.fx["source"], r.fx["implied_rate"]) == (
        "review",
        "C1",
        "implied",
        "1.085000",
    )


def test_within_the_policy_rate_tolerance_it_is_auto_with_a_gain_line():
    settings = replace(MatchSettings(), fx_rates=(("EURUSD", D("1.0800")),))
    r = Matcher(ITEMS, PROFILES, settings).match_one(PAYMENT)
    assert r.status == "auto" and [(a.invoice, a.amount) for a in r.allocations] == [
        ("INV-5001", D("10000.00"))
    ]
    assert (r.fx["rate"], r.fx["source"], r.fx["gain_loss"]) == ("1.080000", "policy", "50.00")


def test_a_rate_far_from_the_reference_goes_to_review():
    settings = replace(MatchSettings(), fx_rates=(("EURUSD", D("1.2000")),))
    r = Matcher(ITEMS, PROFILES, settings).match_one(PAYMENT)
    assert r.status == "review" and "over the policy's tolerance" in r.reasons[-1]


CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-20T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><CreDtTm>2026-11-20T18:00:00</CreDtTm>
<Acct><Id><Othr><Id>4000123456</Id></Othr></Id><Ccy>USD</Ccy></Acct>
<Ntry><Amt Ccy="USD">10850.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>FX-1</AcctSvcrRef>
<NtryDtls><TxDtls>
<AmtDtls><InstdAmt><Amt Ccy="EUR">10000.00</Amt>
<CcyXchg><SrcCcy>EUR</SrcCcy><TrgtCcy>USD</TrgtCcy><XchgRate>1.0850</XchgRate></CcyXchg></InstdAmt>
<TxAmt><Amt Ccy="USD">10850.00</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>GLOBEX GMBH</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>INV-5001</Ustrd></RmtInf>
</TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>
"""


def test_statement_rate_is_used_and_the_payment_applied_to_the_eur_invoice(db, clock, tmp_path):
    ledger = {
        "currency": "USD",
        "customers": [{"id": "C1", "name": "Globex GmbH"}],
        "invoices": [
            {
                "number": "INV-5001",
                "customer": "C1",
                "issue_date": "2026-10-01",
                "due_date": "2026-11-01",
                "amount": "10000.00",
                "currency": "EUR",
            },
        ],
    }
    path = tmp_path / "l.json"
    path.write_text(json.dumps(ledger))
    with db.transaction() as session:
        load_ledger_file(session, path)
    policy = load_policy()
    with db.transaction() as session:
        run = run_cash_application(
            session,
            CashApplicationRequest(upload=StatementUpload(CAMT.encode(), "fx.xml")),
            settings=MatchSettings.from_policy(policy),
            clock=clock,
            policy=policy,
        )
    (row,) = run.rows
    assert row["status"] == "auto" and row["fx"]["source"] == "statement (instructed amount)"
    assert row["fx"]["gain_loss"] == "0.00"
    approve(db, row["approval"], user="alex", clock=clock)
    assert execute(db, row["approval"], clock=clock).status == "executed"
    with db.session() as session:
        assert session.scalar(select(Invoice.balance)) == 0
        assert session.scalar(select(BankTransaction.status)) == "applied"
