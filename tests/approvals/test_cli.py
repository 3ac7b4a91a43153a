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
from tests.support.accounts import add_account
from tests.support.smtp import SmtpSink

TOKENS: dict[str, str] = {}


@pytest.fixture
def as_user(monkeypatch):
    """Act as a person at the terminal: their API token in AR_AGENT_TOKEN."""

    def use(name: str) -> None:
        monkeypatch.setenv("AR_AGENT_TOKEN", TOKENS[name])
        get_settings.cache_clear()

    return use


@pytest.fixture
def cli_db(tmp_path, monkeypatch, clock, policy):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", url)
    monkeypatch.setenv("AR_AGENT_CLOCK", clock.now().isoformat())
    monkeypatch.delenv("AR_AGENT_SMTP_URL", raising=False)
    monkeypatch.delenv("AR_AGENT_TOKEN", raising=False)
    get_settings.cache_clear()
    db = Database(url)
    TOKENS.update(ann=add_account(db, "ann"), bob=add_account(db, "bob"))
    with db.transaction() as s:
        c = f.customer(
            s, "C-001", "Globex", email="dana@globex.example", timezone="America/Chicago"
        )
        f.invoice(s, c, "INV-1042", amount="12400.00")
        queue.propose(s, email(requested_by="agent:bob"), clock=clock, policy=policy)
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


def test_approve_executes_and_sends_through_smtp(cli_db, capsys, monkeypatch, as_user):
    with SmtpSink() as sink:
        monkeypatch.setenv("AR_AGENT_SMTP_URL", sink.url)
        as_user("ann")
        assert main(["approvals", "approve", "1"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("approval 1 executed: email <") and "sent now" in out
        assert main(["approvals", "approve", "1", "--as", "ann"]) == 0
        assert "already executed" in capsys.readouterr().out
    assert len(sink.messages) == 1


def test_approve_with_edit_and_show_history(cli_db, capsys, as_user):
    as_user("ann")
    assert main(["approvals", "approve", "1", "--edit", "subject=Friendly reminder"]) == 0
    assert "in the outbox" in capsys.readouterr().out
    assert main(["approvals", "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["payload"]["subject"] == "Friendly reminder"
    assert [h["event"] for h in shown["history"]] == ["proposed", "edited", "approved", "executed"]


def test_reject_then_approve_is_one_line_error(cli_db, capsys, as_user):
    as_user("ann")
    assert main(["approvals", "reject", "2", "--reason", "handled by phone"]) == 0
    assert capsys.readouterr().out.strip() == "approval 2 rejected"
    as_user("bob")
    assert main(["approvals", "approve", "2"]) == 1
    assert capsys.readouterr().err.strip() == (
        "ar-agent: cannot approve approval 2: it is already rejected"
    )


def test_approving_your_own_request_is_refused(cli_db, capsys, as_user):
    as_user("bob")  # bob asked the agent for approval 1
    assert main(["approvals", "approve", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "someone else must approve" in err


def test_bad_edit_is_one_line_error(cli_db, capsys, as_user):
    as_user("ann")
    assert main(["approvals", "approve", "1", "--edit", "oops"]) == 1
    assert "expected FIELD=VALUE" in capsys.readouterr().err


def test_a_name_alone_decides_nothing(cli_db, capsys):
    """F2 at the terminal: --as names an account, but without its credential nothing happens."""
    assert main(["approvals", "approve", "1", "--as", "ann"]) == 1  # no terminal for a password
    assert "AR_AGENT_TOKEN" in capsys.readouterr().err
    assert main(["approvals", "approve", "1"]) == 1
    assert "who is deciding" in capsys.readouterr().err
    with cli_db.session() as s:
        assert queue.get_approval(s, 1).status == "pending"


def test_one_token_cannot_pose_as_another_account(cli_db, capsys, as_user):
    as_user("ann")
    assert main(["approvals", "approve", "1", "--as", "bob"]) == 1
    assert "belongs to ann, not bob" in capsys.readouterr().err
