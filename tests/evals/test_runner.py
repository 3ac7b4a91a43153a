"""The eval runner on small inline suites, and the CLI's exit codes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cli.main import main
from evals.runner import run_suite
from evals.suite import load_suite

LEDGER = """
ledger:
  currency: USD
  customers:
    - {id: C-001, name: Globex Corporation, language: en,
       contacts: [{name: Dana, email: dana@globex.example, role: ap, primary: true}]}
  invoices:
    - {number: INV-1042, customer: C-001, issue_date: "2026-09-01", due_date: "2026-10-01", amount: "12400.00"}
"""


def _suite(tmp_path: Path, cases: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(
        textwrap.dedent('suite: t\nclock: "2026-11-23T09:00:00-06:00"\n')
        + LEDGER
        + "cases:\n"
        + textwrap.indent(textwrap.dedent(cases), "  ")
    )
    return path


CASES = """
- id: good
  customer_email:
    from: "Dana <dana@globex.example>"
    subject: "Re: INV-1042"
    body: |
      We'll pay INV-1042 this Friday.

      On Mon, Nov 16, 2026 at 9:00 AM AR <ar@example.com> wrote:
      > INV-1042 is overdue, this is a dispute notice
  expect:
    intent: promise_to_pay
    queued: [{type: record_promise, invoice: INV-1042, date: "2026-11-27"}]
    not_queued: [open_dispute]
- id: wrong-on-purpose
  customer_email: {from: dana@globex.example, subject: "Re: INV-1042", body: "We'll pay INV-1042 this Friday."}
  expect:
    queued: [{type: record_promise, date: "2026-12-25"}]
"""


def test_runner_scores_each_case(tmp_path):
    results = run_suite(load_suite(_suite(tmp_path, CASES)))
    assert [(r.id, r.passed) for r in results] == [("good", True), ("wrong-on-purpose", False)]
    assert "2026-12-25" in results[1].failures[0]


def test_cli_prints_lines_and_the_closing_count(tmp_path, capsys):
    assert main(["eval", str(_suite(tmp_path, CASES))]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("PASS t/good") and out[1].startswith("FAIL t/wrong-on-purpose")
    assert out[-1] == "1 passed, 1 failed"


def test_invalid_suite_exits_1_with_one_line(tmp_path, capsys):
    bad = _suite(tmp_path, "- id: x\n  expect: {}\n")
    assert main(["eval", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "customer_email or controller_message" in err


def test_ledger_path_is_relative_to_the_suite(tmp_path):
    (tmp_path / "l.json").write_text('{"customers": [{"id": "C-1", "name": "X"}], "invoices": []}')
    (tmp_path / "s.yaml").write_text(
        'clock: "2026-11-23T09:00:00Z"\nledger: l.json\ncases:\n'
        "  - {id: a, controller_message: {text: hi}}\n"
    )
    assert load_suite(tmp_path / "s.yaml").ledger["customers"][0]["id"] == "C-1"


def test_model_option_runs_the_same_suite_against_an_openai_compatible_server(
    tmp_path, capsys, monkeypatch
):
    from tests.agent.fake_openai import FakeOpenAI, answer, tool_calls

    case = """
    - id: via-model
      customer_email: {from: dana@globex.example, subject: "Re: INV-1042", body: "Paying Friday."}
      expect:
        intent: promise_to_pay
        queued: [{type: record_promise, invoice: INV-1042, date: "2026-11-27"}]
    """
    script = [
        tool_calls(
            ("classify_reply", {"intent": "promise_to_pay"}),
            (
                "record_promise",
                {
                    "customer": "C-001",
                    "date": "2026-11-27",
                    "evidence": {"intent": "Paying Friday.", "date": "Friday"},
                },
            ),
        ),
        answer("Recorded the promise for approval."),
    ]
    with FakeOpenAI(script) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        assert main(["eval", str(_suite(tmp_path, case)), "--model", "openai:fake"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1 passed, 0 failed"
    assert "<customer_email>" in server.requests[0]["body"]["messages"][1]["content"]
    tools = {t["function"]["name"]: t for t in server.requests[0]["body"]["tools"]}
    assert "evidence" in tools["record_promise"]["function"]["parameters"]["properties"]


def test_a_ledger_that_does_not_load_makes_the_suite_invalid(tmp_path, capsys):
    (tmp_path / "bad.json").write_text(
        '{"customers": [{"id": "C-1", "name": "X"}], '
        '"invoices": [{"number": "I-1", "customer": "C-404", "issue_date": "2026-01-01", '
        '"due_date": "2026-02-01", "amount": "10.00"}]}'
    )
    (tmp_path / "s.yaml").write_text(
        'clock: "2026-11-23T09:00:00Z"\nledger: bad.json\ncases:\n'
        "  - {id: a, controller_message: {text: hi}}\n"
    )
    assert main(["eval", str(tmp_path / "s.yaml")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ledger" in err
