"""``ar-agent dunning-run``: CONTRACTS.md §1 output on a ledger file and on the database."""

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
            "timezone": "America/Chicago",
            "contacts": [
                {
                    "name": "Dana Ruiz",
                    "email": "dana@globex.example",
                    "role": "ap",
                    "primary": True,
                },
                {"name": "Lee Chen", "email": "lee@globex.example", "role": "controller"},
            ],
        },
        {
            "id": "C-002",
            "name": "Initech",
            "language": "de",
            "timezone": "Europe/Berlin",
            "contacts": [{"email": "ap@initech.example", "primary": True}],
        },
        {"id": "C-003", "name": "Umbrella", "contacts": [{"email": "ap@umbrella.example"}]},
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
            "issue_date": "2026-10-15",
            "due_date": "2026-11-14",
            "amount": "800.00",
        },
        {
            "number": "INV-2001",
            "customer": "C-002",
            "issue_date": "2026-10-01",
            "due_date": "2026-11-15",
            "amount": "5000.00",
            "currency": "EUR",
        },
        {
            "number": "INV-3001",
            "customer": "C-003",
            "issue_date": "2026-10-01",
            "due_date": "2026-11-10",
            "amount": "300.00",
        },
        {
            "number": "INV-3002",
            "customer": "C-003",
            "issue_date": "2026-10-20",
            "due_date": "2026-11-19",
            "amount": "700.00",
        },
    ],
    "promises": [{"customer": "C-003", "invoices": ["INV-3001", "INV-3002"], "date": "2026-11-27"}],
}


@pytest.fixture
def ledger_file(tmp_path, monkeypatch):
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(LEDGER))
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", f"sqlite:///{tmp_path / 'ar.db'}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_json_lists_proposals_with_flat_payload_and_skipped_invoices(ledger_file, capsys):
    assert main(["dunning-run", "--ledger", str(ledger_file), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    emails = {o["customer"]: o for o in out if o.get("type") == "send_email"}
    assert set(emails) == {"C-001", "C-002"}
    globex = emails["C-001"]
    assert globex["stage"] == "final"  # INV-1042 is 53 days late, the most advanced
    assert globex["invoices"] == ["INV-1042", "INV-1077"]
    assert globex["to"] == ["dana@globex.example"] and globex["cc"] == ["lee@globex.example"]
    assert "12,400.00 USD" in globex["body"] and globex["subject"]
    assert emails["C-002"]["stage"] == "first" and "5.000,00 EUR" in emails["C-002"]["body"]
    skipped = [o for o in out if "skipped" in o]
    assert skipped == [
        {
            "invoice": "INV-3001",
            "customer": "C-003",
            "skipped": "promise to pay until 2026-11-27 (+3 days grace)",
        },
        {
            "invoice": "INV-3002",
            "customer": "C-003",
            "skipped": "promise to pay until 2026-11-27 (+3 days grace)",
        },
    ]


def test_run_against_database_queues_once(ledger_file, capsys):
    assert main(["import", str(ledger_file)]) == 0
    capsys.readouterr()
    assert main(["dunning-run", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert sorted(o["approval"] for o in first if "type" in o) == [1, 2]
    assert main(["dunning-run"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Dunning run 2026-11-23: queued 0 (0 emails, 0 escalations)")
    assert "INV-1042" in text and "stage final already queued on 2026-11-23" in text


def test_human_summary_of_a_dry_run(ledger_file, capsys):
    assert main(["dunning-run", "--ledger", str(ledger_file), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == (
        "Dunning run 2026-11-23 (dry run): would queue 2 (2 emails, "
        "0 escalations); 2 overdue invoices left out"
    )
    assert "C-001" in text and "final" in text and "dana@globex.example" in text
    assert "INV-3001" in text and "promise to pay until 2026-11-27" in text


def test_missing_ledger_file_is_a_one_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["dunning-run", "--ledger", str(tmp_path / "nope.json")])
    assert exc.value.code != 0
    assert "no such file" in capsys.readouterr().err


def test_proposal_refused_by_policy_is_listed_as_skipped(db, clock):
    from cli.dunning import to_json
    from dunning.run import run_dunning
    from policies.config import load_policy
    from tests.dunning import _ledger as L

    base = load_policy()
    phrases = base.model_dump(mode="json")["wording"]["forbidden"]["concessions"]["phrases"]
    strict = base.with_changes(
        {
            "wording": {
                "forbidden": {
                    "concessions": {"phrases": {**phrases, "en": [*phrases["en"], "kind regards"]}}
                }
            }
        }
    )
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-1", 8)
    result = run_dunning(db, clock=clock, policy=strict, dry_run=True)
    assert [a.payload["customer"] for a, _ in result.blocked] == ["C-1"]
    (item,) = to_json(result)
    assert item["invoice"] == "INV-1" and item["customer"] == "C-1"
    assert item["skipped"].startswith("blocked by policy: forbidden wording")
    assert "'kind regards'" in item["skipped"]
