"""store_statements: rows written once, re-imports deduplicated, id collisions kept apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from ledger.bankfiles import parse_bank_file
from ledger.bankfiles import store as store_module
from ledger.bankfiles.model import Statement, StatementLine
from ledger.bankfiles.store import store_statements
from ledger.models import BankTransaction

MT940 = (
    b":20:S1\n:25:NL91ABNA0417164300\n:28C:1\n:60F:C261119EUR0,00\n"
    b":61:2611201120C500,00NTRFNONREF//BANK-1\n:86:/NAME/GLOBEX/REMI/INV-1042/\n"
    b":61:2611201120C75,00NTRFNONREF\n:86:/NAME/INITECH/REMI/INV-7/\n"
    b":61:2611201120C75,00NTRFNONREF\n:86:/NAME/INITECH/REMI/INV-7/\n"
    b":62F:C261120EUR650,00\n"
)


def _count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(BankTransaction))


def test_lines_are_stored_with_their_fields(db):
    statements = parse_bank_file(MT940, name="nov.sta")
    with db.transaction() as s:
        result = store_statements(s, statements, source_file="nov.sta")
    assert (result.new, result.duplicates) == (3, 0)
    with db.transaction() as s:
        row = s.scalars(select(BankTransaction).where(BankTransaction.bank_id == "BANK-1")).one()
        assert (row.amount, row.currency, row.direction, row.booking_date) == (
            Decimal("500.00"),
            "EUR",
            "credit",
            date(2026, 11, 20),
        )
        assert (row.payer_name, row.reference, row.account, row.source_file) == (
            "GLOBEX",
            "INV-1042",
            "NL91ABNA0417164300",
            "nov.sta",
        )
        assert (row.status, row.raw["format"]) == ("new", "mt940")


def test_reimport_of_the_same_file_adds_nothing(any_db):
    db = any_db
    for _ in range(2):
        statements = parse_bank_file(MT940, name="nov.sta")
        with db.transaction() as s:
            result = store_statements(s, statements)
    assert (result.new, result.duplicates) == (0, 3)
    assert result.all_keys[0] == "BANK-1" and len(result.all_keys) == 3
    assert _count(db) == 3


def test_identical_lines_without_bank_id_are_two_transactions_with_stable_keys(db):
    statements = parse_bank_file(MT940, name="nov.sta")
    with db.transaction() as s:
        first = store_statements(s, statements)
    synthetic = [k for k in first.bank_ids if k != "BANK-1"]
    assert len(set(synthetic)) == 2 and all(k.startswith("2026-11-20/") for k in synthetic)
    # an overlapping file where the same payment sits at another position keeps its key
    shifted = MT940.replace(
        b":61:2611201120C500,00NTRFNONREF//BANK-1\n:86:/NAME/GLOBEX/REMI/INV-1042/\n", b""
    )
    with db.transaction() as s:
        again = store_statements(s, parse_bank_file(shifted, name="x.sta"))
    assert (again.new, again.duplicates) == (0, 2)


def test_same_bank_id_on_another_account_is_not_a_duplicate(db):
    statements = parse_bank_file(MT940, name="a.sta")
    other = parse_bank_file(
        MT940.replace(b"NL91ABNA0417164300", b"DE02120300000000202051"), name="b.sta"
    )
    with db.transaction() as s:
        store_statements(s, statements)
    with db.transaction() as s:
        result = store_statements(s, other)
    assert result.new == 3
    assert "DE02120300000000202051:BANK-1" in result.bank_ids
    assert result.all_keys == result.bank_ids


def test_duplicate_inside_one_import_is_counted_once(db):
    line = StatementLine(
        bank_id="R-1",
        booking_date=date(2026, 11, 20),
        amount=Decimal("1.00"),
        currency="EUR",
        direction="credit",
    )
    statement = Statement(format="camt053", account="A", currency="EUR", lines=[line])
    with db.transaction() as s:
        result = store_statements(s, [statement, statement])
    assert (result.new, result.duplicates) == (1, 1)


def test_large_imports_show_a_progress_bar_on_stderr(db, capsys, monkeypatch):
    monkeypatch.setattr(store_module, "PROGRESS_THRESHOLD", 1)
    with db.transaction() as s:
        store_statements(s, parse_bank_file(MT940, name="nov.sta"))
    assert "bank lines" in capsys.readouterr().err


def test_corpus_reimport_dedups_every_file(db, corpora):
    path = corpora / "bankfiles" / "camt053" / "viafintech__053_valid_example_v4_postfinance.xml"
    statements = parse_bank_file(path)
    with db.transaction() as s:
        assert store_statements(s, statements, str(path)).new == 32
    with db.transaction() as s:
        assert store_statements(s, parse_bank_file(path), str(path)).duplicates == 32
    assert _count(db) == 32
