"""``ar-agent approvals`` from a terminal: list, show, approve (executes, sends), reject."""

from __future__ import annotations

import json

import pytest

from approvals import queue
from cli.main import main
from core.settings import get_settings
from ledger.db import Database
from tests.approvals.conftest import action, email
from tests.support import factories as f
from tests.support.smtp import SmtpSink


@pytest.fixture
def cli_db(tmp_path, monkeypatch, clock, policy):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", url)
    monkeypatch.setenv("AR_AGENT_CLOCK", clock.now().isoformat())
    monkeypatch.delenv("AR_AGENT_SMTP_URL", raising=False)
    get_settings.cache_clear()
    db = Database(url)
    with db.transaction() as s:
        c = f.customer(
            s, "C-001", "Globex", email="dana@globex.example", timezone="America/Chicago"
        )
        f.invoice(s, c, "INV-1042", amount="12400.00")
        queue.propose(s, email(), clock=clock, policy=policy)
        queue.propose(
            s, action("escalate", reason="asks for a discount"), clock=clock, policy=policy
        )
    yield db
    db.dispose()
    get_settings.cache_clear()


def test_list_prints_a_table_of_pending(cli_db, capsys):
    assert main(["approvals"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["ID", "STATUS", "TYPE", "CUSTOMER"]
    assert "send_email" in out[1] and "to dana@globex.example" in out[1]
    assert "escalate" in out[2] and "asks for a discount" in out[2]


def test_list_json(cli_db, capsys):
    assert main(["approvals", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["type"] for r in rows] == ["send_email", "escalate"]


def test_approve_executes_and_sends_through_smtp(cli_db, capsys, monkeypatch):
    with SmtpSink() as sink:
        monkeypatch.setenv("AR_AGENT_SMTP_URL", sink.url)
        get_settings.cache_clear()
        assert main(["approvals", "approve", "1", "--user", "ann"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("approval 1 executed: email <") and "sent now" in out
        assert main(["approvals", "approve", "1", "--user", "ann"]) == 0
        assert "already executed" in capsys.readouterr().out
    assert len(sink.messages) == 1


def test_approve_with_edit_and_show_history(cli_db, capsys):
    assert (
        main(["approvals", "approve", "1", "--user", "ann", "--edit", "subject=Friendly reminder"])
        == 0
    )
    assert "in the outbox" in capsys.readouterr().out
    assert main(["approvals", "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["payload"]["subject"] == "Friendly reminder"
    assert [h["event"] for h in shown["history"]] == ["proposed", "edited", "approved", "executed"]


def test_reject_then_approve_is_one_line_error(cli_db, capsys):
    assert main(["approvals", "reject", "2", "--reason", "handled by phone", "--user", "ann"]) == 0
    assert capsys.readouterr().out.strip() == "approval 2 rejected"
    assert main(["approvals", "approve", "2", "--user", "bob"]) == 1
    assert capsys.readouterr().err.strip() == (
        "ar-agent: cannot approve approval 2: it is already rejected"
    )


def test_approving_your_own_request_is_refused(cli_db, capsys):
    assert main(["approvals", "approve", "1", "--user", "agent"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "someone else must approve" in err


def test_bad_edit_is_one_line_error(cli_db, capsys):
    assert main(["approvals", "approve", "1", "--user", "ann", "--edit", "oops"]) == 1
    assert "expected FIELD=VALUE" in capsys.readouterr().err
