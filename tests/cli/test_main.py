"""The ``ar-agent`` entry point: one-line errors with exit 1, help, the analytics command."""

from __future__ import annotations

import pytest

from cli.main import main
from ledger.importer import load_ledger_file
from tests.api.conftest import FIXTURES


@pytest.mark.parametrize(
    "argv", [["bogus"], ["import", "no-such.json"], ["match"], ["approvals", "approve", "x"]]
)
def test_bad_usage_is_one_line_and_exit_1(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("ar-agent") and "\n" not in err and "Traceback" not in err


def test_every_command_has_help(capsys):
    for command in [
        "demo",
        "serve",
        "import",
        "match",
        "dunning-run",
        "email",
        "eval",
        "approvals",
        "worklist",
        "analytics",
        "chat",
        "users",
    ]:
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0
        assert "usage: ar-agent" in capsys.readouterr().out


def test_analytics_prints_months_aging_and_forecast(db, monkeypatch, capsys):
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    monkeypatch.setenv("AR_AGENT_DATABASE_URL", db.url)
    monkeypatch.setenv("AR_AGENT_CLOCK", "2026-11-23T09:00:00-06:00")
    assert main(["analytics", "--months", "3"]) == 0
    out = capsys.readouterr().out
    assert "2026-11" in out and "Aging today" in out and "Cash-in forecast" in out
    assert "25,000.50" in out  # open total: 12,400 + 7,600 + 3,200 + 1,800.50
