"""``ar-agent match``: CONTRACTS.md §4 output on a ledger file and on the database."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from core.settings import get_settings

LEDGER = {
    "currency": "USD",
    "customers": [
        {
            "id": "C-001",
            "name": "Globex Corporation",
            "aliases": ["Globex Corp"],
            "contacts": [{"name": "Dana Ruiz", "email": "dana@globex.example", "primary": True}],
        },
        {"id": "C-002", "name": "Initech LLC"},
        {"id": "C-003", "name": "Hooli Inc"},
    ],
    "invoices": [
        {
            "number": "INV-1042",
            "customer": "C-001",
            "issue_date": "2026-09-01",
            "due_date": "2026-10-01",
            "amount": "12400.00",
        },
        {
            "number": "INV-1077",
            "customer": "C-001",
            "issue_date": "2026-09-05",
            "due_date": "2026-10-05",
            "amount": "12400.00",
        },
        {
            "number": "INV-1080",
            "customer": "C-001",
            "issue_date": "2026-09-09",
            "due_date": "2026-10-09",
            "amount": "3150.25",
        },
        {
            "number": "INV-2001",
            "customer": "C-002",
            "issue_date": "2026-09-05",
            "due_date": "2026-10-05",
            "amount": "500.00",
        },
        {
            "number": "INV-3001",
            "customer": "C-003",
            "issue_date": "2026-09-05",
            "due_date": "2026-10-05",
            "amount": "500.00",
        },
    ],
}
BANK = (
    "Date,Amount,Currency,Payer,Reference\n"
    "2026-11-20,24800.00,USD,GLOBEX CORP,INV1042 INV1077\n"
    "2026-11-20,3125.25,USD,GLOBEX CORP INTL PAYM,Invoice #1080\n"
    "2026-11-20,500.00,USD,SOMEBODY,PAYMENT\n"
    "2026-11-21,-120.00,USD,OFFICE DEPOT,SUPPLIES\n"
)
KEYS = [
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


@pytest.fixture
def files(tmp_path, monkeypatch):
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(LEDGER))
    bank = tmp_path / "bank.csv"
    bank.write_text(BANK)
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", f"sqlite:///{tmp_path / 'ar.db'}")
    get_settings.cache_clear()
    yield ledger, bank
    get_settings.cache_clear()


def test_json_output_has_the_contract_shape_for_every_line(files, capsys):
    ledger, bank = files
    assert main(["match", str(bank), "--ledger", str(ledger), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 4
    for item in out:
        assert list(item)[: len(KEYS)] == KEYS
        assert isinstance(item["amount"], str) and isinstance(item["confidence"], float)
    both, fee, ambiguous, debit = out
    assert both["status"] == "auto" and both["customer"] == "C-001"
    assert both["allocations"] == [
        {"invoice": "INV-1042", "amount": "12400.00"},
        {"invoice": "INV-1077", "amount": "12400.00"},
    ]
    assert (
        both["amount"] == "24800.00" and both["currency"] == "USD" and both["date"] == "2026-11-20"
    )
    assert fee["allocations"] == [{"invoice": "INV-1080", "amount": "3125.25"}]
    assert fee["short_by"] == "25.00"
    assert ambiguous["status"] != "auto"
    assert (
        debit["status"] == "unmatched" and debit["allocations"] == [] and debit["customer"] is None
    )


def test_human_output_is_a_table_with_a_summary(files, capsys):
    ledger, bank = files
    assert main(["match", str(bank), "--ledger", str(ledger)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].split()[:5] == ["transaction", "date", "amount", "payer", "status"]
    assert "INV-1042, INV-1077" in text
    assert "auto 2 (27,925.25 USD)" in text and "1 debit(s) not matched" in text


def test_against_the_database_queues_apply_payment_once(files, capsys):
    ledger, bank = files
    assert main(["import", str(ledger)]) == 0
    capsys.readouterr()
    assert main(["match", str(bank), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert [o["transaction"] for o in first] == [
        f"2026-11-2{d}/000{n}" for d, n in ((0, 1), (0, 2), (0, 3), (1, 4))
    ]
    assert all(o["bank_transaction"] for o in first)  # the stored key the approval names
    queued = [o for o in first if "approval" in o]
    assert len(queued) >= 2 and all(o["status"] in ("auto", "review") for o in queued)
    assert main(["match", str(bank), "--json"]) == 0  # re-import: same lines, same approvals
    again = json.loads(capsys.readouterr().out)
    assert [o.get("approval") for o in again] == [o.get("approval") for o in first]


def test_bad_bank_file_exits_1_with_one_line(files, capsys, tmp_path):
    ledger, _ = files
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not a bank statement\n")
    assert main(["match", str(junk), "--ledger", str(ledger)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("ar-agent: ") and "\n" not in err and "junk.txt" in err


def test_missing_file_is_refused_by_argparse(files, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["match", "/nonexistent/bank.xml"])
    assert exc.value.code == 1  # bad input: one line, exit 1 (CONTRACTS §1)
    assert "no such file" in capsys.readouterr().err


def test_remittance_advice_file_is_used(files, capsys, tmp_path):
    ledger, _ = files
    bank = tmp_path / "bank2.csv"
    bank.write_text(
        "Date,Amount,Currency,Payer,Reference\n2026-11-20,15550.25,USD,GLOBEX,ACH 88213\n"
    )
    advice = tmp_path / "advice.txt"
    advice.write_text("Hi, paid today:\nINV-1042  12,400.00\nINV-1080   3,150.25\n")
    assert (
        main(["match", str(bank), "--ledger", str(ledger), "--advice", str(advice), "--json"]) == 0
    )
    (item,) = json.loads(capsys.readouterr().out)
    assert item["status"] == "auto"
    assert [a["invoice"] for a in item["allocations"]] == ["INV-1042", "INV-1080"]


def test_database_mode_reads_a_csv_without_currency_in_the_ledgers_currency(
    files, capsys, tmp_path
):
    from sqlalchemy import select

    from ledger.db import Database
    from ledger.models import BankTransaction

    ledger, _ = files
    eur = tmp_path / "ledger_eur.json"
    eur.write_text(json.dumps(LEDGER | {"currency": "EUR"}))
    assert main(["import", str(eur)]) == 0
    bank = tmp_path / "no_currency.csv"
    bank.write_text("Date,Amount,Payer,Reference\n2026-11-20,3150.25,GLOBEX CORP,INV-1080\n")
    capsys.readouterr()
    assert main(["match", str(bank), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["currency"], row["status"], row["customer"]) == ("EUR", "auto", "C-001")
    db = Database(get_settings().database_url)
    try:
        with db.session() as session:
            assert session.scalars(select(BankTransaction.currency)).all() == ["EUR"]
    finally:
        db.dispose()


HEADERLESS = (
    "20.11.2026;24.800,00;1.000,00;GLOBEX CORP;INV1042 INV1077\n"
    "21.11.2026;500,00;1.500,00;SOMEBODY;PAYMENT\n"
)


def test_columns_and_currency_read_a_headerless_export(files, capsys, tmp_path):
    ledger, _ = files
    bank = tmp_path / "export.csv"
    bank.write_text(HEADERLESS)
    assert main(["match", str(bank), "--ledger", str(ledger), "--json"]) == 1
    assert "--columns" in capsys.readouterr().err  # two amount columns: which one?
    args = ["--columns", "date=1,amount=2,payer=4,reference=5", "--currency", "usd"]
    assert main(["match", str(bank), "--ledger", str(ledger), "--json", *args]) == 0
    both, other = json.loads(capsys.readouterr().out)
    assert (both["amount"], both["currency"], both["status"]) == ("24800.00", "USD", "auto")
    assert [a["invoice"] for a in both["allocations"]] == ["INV-1042", "INV-1077"]
    assert other["payer"] == "SOMEBODY"


def test_saved_bank_profile_is_used_next_time(files, capsys, tmp_path):
    ledger, _ = files
    bank = tmp_path / "export.csv"
    bank.write_text(HEADERLESS)
    profile = tmp_path / "acme-bank.yaml"
    args = ["--columns", "date=1,amount=2,payer=4,reference=5", "--currency", "USD"]
    assert (
        main(["match", str(bank), "--ledger", str(ledger), *args, "--save-profile", str(profile)])
        == 0
    )
    capsys.readouterr()
    assert "columns:" in profile.read_text() and "USD" in profile.read_text()
    assert (
        main(["match", str(bank), "--ledger", str(ledger), "--json", "--profile", str(profile)])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [r["amount"] for r in rows] == ["24800.00", "500.00"]


def test_bad_columns_spec_exits_1_naming_it(files, capsys):
    ledger, bank = files
    assert main(["match", str(bank), "--ledger", str(ledger), "--columns", "when=1,amount=2"]) == 1
    assert "'when' is not one of" in capsys.readouterr().err


def test_mistyped_amount_refuses_the_file_and_proposes_nothing(files, capsys, tmp_path):
    bank = tmp_path / "typo.csv"
    bank.write_text(BANK.replace("24800.00", '"24,80O.00"'))
    assert main(["match", str(bank), "--json"]) == 1
    err = capsys.readouterr().err
    assert "typo.csv: CSV row 2: amount '24,80O.00' is not a number" in err
    assert main(["approvals", "list"]) == 0
    assert "apply_payment" not in capsys.readouterr().out


def test_statement_that_does_not_reconcile_is_refused_naming_the_difference(files, capsys, corpora):
    ledger, _ = files
    path = corpora / "bankfiles" / "mt940" / "zilverline__abn_abn_sepa_overboeking.sta"
    assert main(["match", str(path), "--ledger", str(ledger), "--json"]) == 1
    assert "(difference 0.50); nothing imported" in capsys.readouterr().err
