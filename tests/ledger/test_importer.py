"""ledger/importer.py: validation naming file/row/field, all-or-nothing, upsert, replace, CSV."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.errors import ValidationError
from ledger import models as m
from ledger.importer import load_ledger, load_ledger_file

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ledger_small.json"


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {
            t.__name__: s.scalar(select(func.count()).select_from(t))
            for t in (
                m.Customer,
                m.Contact,
                m.Invoice,
                m.Payment,
                m.Allocation,
                m.Promise,
                m.Dispute,
            )
        }


def write(tmp_path: Path, doc: dict, name: str = "ledger.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_valid_ledger_loads_every_section(any_db):
    with any_db.transaction() as s:
        summary = load_ledger_file(s, FIXTURE)
    assert (summary.customers, summary.invoices, summary.payments) == (1, 2, 1)
    with any_db.session() as s:
        inv = s.scalar(select(m.Invoice).where(m.Invoice.number == "INV-1042"))
        assert inv.balance == Decimal("12400.00") and inv.po_number == "PO-7781"
        cust = s.get(m.Customer, "C-001")
        assert cust.aliases == ["Globex Corp", "GLOBEX"] and cust.timezone == "America/Chicago"
        assert cust.extra == {"segment": "enterprise"}  # unknown keys are kept
        assert cust.contacts[0].email == "dana@globex.example" and cust.contacts[0].primary
        promise = s.scalar(select(m.Promise))
        assert [i.number for i in promise.invoices] == ["INV-1042"]


def test_invalid_amount_names_file_row_and_field_and_writes_nothing(any_db, tmp_path):
    with any_db.transaction() as s:
        load_ledger_file(s, FIXTURE)
    before = counts(any_db)
    doc = json.loads(FIXTURE.read_text())
    doc["customers"].append({"id": "C-002", "name": "Initech"})
    doc["invoices"] += [
        {
            "number": f"N-{i}",
            "customer": "C-002",
            "issue_date": "2026-01-01",
            "due_date": "2026-02-01",
            "amount": "10.00",
        }
        for i in range(5)
    ]
    doc["invoices"][5]["amount"] = "12,40O.00"
    with pytest.raises(ValidationError) as err, any_db.transaction() as s:
        load_ledger_file(s, write(tmp_path, doc))
    assert str(err.value) == "ledger.json: invoices[5].amount: '12,40O.00' is not a decimal amount"
    assert counts(any_db) == before


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["invoices"][0].update(customer="C-404"),
            "invoices[0].customer: 'C-404' is not a known customer id",
        ),
        (
            lambda d: d["invoices"][0].update(due_date="01/10/2026"),
            "invoices[0].due_date: '01/10/2026' is not an ISO date",
        ),
        (
            lambda d: d["invoices"][0].update(balance="99999.00"),
            "invoices[0].balance: '99999.00' must be between 0 and the amount",
        ),
        (
            lambda d: d["invoices"][1].update(number="INV-1042"),
            "invoices[1].number: 'INV-1042' appears twice",
        ),
        (
            lambda d: d["invoices"][0].update(amount=12400.0),
            "invoices[0].amount: 12400.0 is not a decimal amount",
        ),
        (
            lambda d: d["customers"][0].update(timezone="Mars/Olympus"),
            "customers[0].timezone: 'Mars/Olympus' is not an IANA",
        ),
        (
            lambda d: d["customers"][0]["contacts"][0].update(email="dana-at-globex"),
            "customers[0].contacts[0].email",
        ),
        (
            lambda d: d["payments"][0]["allocations"][0].update(invoice="INV-9"),
            "payments[0].allocations[0].invoice: 'INV-9'",
        ),
        (lambda d: d.pop("invoices"), "invoices: is required"),
    ],
)
def test_each_bad_field_is_named(db, tmp_path, mutate, message):
    doc = json.loads(FIXTURE.read_text())
    mutate(doc)
    with (
        pytest.raises(ValidationError, match=r"^ledger\.json: " + __import__("re").escape(message)),
        db.transaction() as s,
    ):
        load_ledger_file(s, write(tmp_path, doc))
    assert counts(db)["Customer"] == 0


def test_several_errors_are_reported_together(db, tmp_path):
    doc = json.loads(FIXTURE.read_text())
    doc["invoices"][0]["amount"] = "x"
    doc["invoices"][1]["due_date"] = "soon"
    with pytest.raises(ValidationError) as err, db.transaction() as s:
        load_ledger_file(s, write(tmp_path, doc))
    assert "invoices[0].amount" in str(err.value) and "invoices[1].due_date" in str(err.value)


def test_broken_json_reports_line(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"customers": [\n  {"id": "C-1",}\n]}')
    with pytest.raises(ValidationError, match=r"broken\.json: invalid JSON at line 2"):
        load_ledger_file(db.session(), path)


def test_reimport_updates_balances_without_duplicating(db):
    with db.transaction() as s:
        load_ledger_file(s, FIXTURE)
    doc = json.loads(FIXTURE.read_text())
    doc["invoices"][0]["balance"] = "400.00"
    with db.transaction() as s:
        summary = load_ledger(s, doc)
    assert summary.updated_invoices == 2 and summary.invoices == 0 and summary.skipped_payments == 1
    assert counts(db) == {
        "Customer": 1,
        "Contact": 1,
        "Invoice": 2,
        "Payment": 1,
        "Allocation": 1,
        "Promise": 1,
        "Dispute": 1,
    }
    with db.session() as s:
        assert s.scalar(select(m.Invoice.balance).where(m.Invoice.number == "INV-1042")) == Decimal(
            "400.00"
        )


def test_replace_empties_the_books_and_expires_pending_approvals(db):
    with db.transaction() as s:
        load_ledger_file(s, FIXTURE)
        s.add(
            m.Approval(
                type="escalate", payload={"reason": "x"}, requested_by="agent", idempotency_key="k1"
            )
        )
    doc = {
        "customers": [{"id": "C-9", "name": "Umbrella"}],
        "invoices": [
            {
                "number": "U-1",
                "customer": "C-9",
                "issue_date": "2026-01-01",
                "due_date": "2026-01-31",
                "amount": "5.00",
            }
        ],
    }
    with db.transaction() as s:
        load_ledger(s, doc, replace=True)
    assert counts(db)["Customer"] == 1 and counts(db)["Payment"] == 0
    with db.session() as s:
        assert s.scalar(select(m.Approval.status)) == "expired"
        assert s.scalar(select(m.AuditEvent.event)) == "expired"


def test_csv_export_loads_with_customer_columns(db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Invoice Number;Customer ID;Customer Name;Invoice Date;Due Date;Amount;Balance;Currency;Contact Email\n"
        "A-1;C-1;Acme GmbH;2026-09-01;2026-10-01;100.00;40.00;EUR;ap@acme.example\n"
        "A-2;C-1;Acme GmbH;2026-09-05;2026-10-05;50.00;;EUR;ap@acme.example\n"
    )
    with db.transaction() as s:
        summary = load_ledger_file(s, path)
    assert (summary.customers, summary.invoices) == (1, 2)
    with db.session() as s:
        a2 = s.scalar(select(m.Invoice).where(m.Invoice.number == "A-2"))
        assert a2.balance == Decimal("50.00") and a2.currency == "EUR"
        assert s.get(m.Customer, "C-1").contacts[0].email == "ap@acme.example"


def test_csv_error_names_the_row(db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "number,customer,issue_date,due_date,amount\nA-1,C-1,2026-09-01,2026-10-01,100\n"
        "A-2,C-1,2026-09-01,2026-10-01,1OO.00\n"
    )
    with pytest.raises(
        ValidationError, match=r"^export\.csv: row 3: amount: '1OO\.00' is not a decimal amount"
    ):
        load_ledger_file(db.session(), path)


def test_csv_missing_columns_are_listed(db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("foo,bar\n1,2\n")
    with pytest.raises(ValidationError, match="missing column.*number"):
        load_ledger_file(db.session(), path)
