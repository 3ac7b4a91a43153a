"""Issue 13 item 9: long runs of characters are read in linear time, or not at all.

(How long reading takes is measured by ``python -m bench long_tokens``, not here.)
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from agent.inbox import process_inbound
from core.textguard import MAX_BLANKS, MAX_TOKEN, bound_runs
from ledger.db import in_memory
from ledger.importer import load_ledger
from ledger.models import Communication
from tests.security.test_fuzz_parsers import FIXTURES


def _db():  # type: ignore[no-untyped-def]
    db = in_memory()
    with db.transaction() as session:
        load_ledger(session, json.loads((FIXTURES / "ledger_globex.json").read_text()))
    return db


def _reply(body: str, key: str) -> bytes:
    return (
        "From: Dana Ruiz <dana@globex.example>\r\nTo: ar@acme.example\r\nSubject: Re: INV-1042\r\n"
        f"Message-ID: <{key}@globex.example>\r\n\r\n{body}\r\n"
    ).encode()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1.@-_ \t\n>"), max_size=3000))
def test_bound_runs_leaves_no_long_token_or_blank_run(text: str) -> None:
    out = bound_runs(text)
    assert all(len(token) <= MAX_TOKEN for token in out.split())
    assert " " * (MAX_BLANKS + 1) not in out and "\t" * (MAX_BLANKS + 1) not in out
    assert out.split() == bound_runs(out).split()  # stable
    assert "".join(out.split()) == "".join(text.split())  # nothing but blanks changes


def test_a_reply_with_a_64_kb_token_is_read(clock) -> None:
    db = _db()
    body = "We will pay INV-1042 on Friday.\r\n" + "x" * 65536
    out = process_inbound(db, _reply(body, "t64k"), clock=clock)
    assert out["intent"] == "promise_to_pay" and not out.get("error")


def test_a_reply_with_a_1_mb_token_is_stored_and_escalated_as_too_large(clock) -> None:
    db = _db()
    out = process_inbound(db, _reply("a" * (1 << 20), "t1m"), clock=clock)
    assert "too large to read" in out["error"]
    assert [p["type"] for p in out["proposals"]] == ["escalate"]
    with db.session() as session:
        row = session.get(Communication, out["communication"])
        assert row.status == "escalated" and len(row.raw) > 1 << 20  # stored whole


def test_a_message_past_its_time_budget_is_escalated_as_too_large(clock) -> None:
    db = _db()
    out = process_inbound(db, _reply("We will pay Friday.", "slow"), clock=clock, budget_seconds=0)
    assert out["error"].startswith("too large to read: reading took longer than")
