"""A newer pending proposal for the same thing supersedes the older pending one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent.inbox import process_inbound
from approvals import queue
from core.errors import ConflictError
from ledger.models import Approval, AuditEvent, Communication
from tests.approvals.conftest import action, email


def _propose(db, proposed, clock, policy):
    with db.transaction() as s:
        result = queue.propose(s, proposed, clock=clock, policy=policy)
        assert result.approval is not None, result.verdict
        return result.approval.id


def _get(db, approval_id) -> Approval:
    with db.session() as s:
        return s.get(Approval, approval_id)


def promise(when: str, invoices: list[str], conversation: str):
    proposed = action("record_promise", invoices=invoices, date=when)
    return proposed.model_copy(update={"conversation_id": conversation})


def dunning_email(run_id: str):
    return email().model_copy(update={"run_id": run_id, "conversation_id": None})


@pytest.fixture
def db(ledger):
    return ledger


def test_a_newer_promise_for_the_same_invoices_supersedes_the_older(db, clock, policy):
    first = _propose(db, promise("2026-11-27", ["INV-1042", "INV-1077"], "email:1"), clock, policy)
    second = _propose(db, promise("2026-12-04", ["INV-1077", "INV-1042"], "email:2"), clock, policy)
    older, newer = _get(db, first), _get(db, second)
    assert (older.status, older.superseded_by) == ("superseded", second)
    assert older.decision_note.startswith(f"superseded by #{second}")
    assert newer.status == "pending" and newer.context["supersedes"] == [first]
    with db.session() as s:
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.event == "superseded"))
        assert (event.approval_id, event.detail) == (first, {"superseded_by": second})
    with pytest.raises(ConflictError, match="superseded"):
        queue.approve(db, first, user="ann", clock=clock, policy=policy)


def test_a_promise_for_other_invoices_supersedes_nothing(db, clock, policy):
    first = _propose(db, promise("2026-11-27", ["INV-1042"], "email:1"), clock, policy)
    _propose(db, promise("2026-11-30", ["INV-1077"], "email:2"), clock, policy)
    assert _get(db, first).status == "pending"


def test_dunning_emails_and_escalations_are_never_superseded(db, clock, policy):
    first = _propose(db, dunning_email("run-1"), clock, policy)
    raised = _propose(db, action("escalate", reason="call them"), clock, policy)
    clock.advance(days=7)
    _propose(db, dunning_email("run-2"), clock, policy)
    _propose(db, action("escalate", reason="call them again"), clock, policy)
    assert _get(db, first).status == _get(db, raised).status == "pending"


def test_three_we_paid_emails_leave_one_pending_hold_and_one_reply(db, clock):
    with db.transaction() as s:
        s.add(
            Communication(
                customer_id="C-001",
                direction="out",
                status="sent",
                message_id="<reminder@ar.example>",
                thread_token="tok",
                to_addrs=["dana@globex.example"],
                subject="Invoice INV-1042 is overdue",
            )
        )
    for n in range(3):  # on three days: each hold runs to a different date
        clock.advance(days=1)
        process_inbound(
            db,
            (
                "From: Dana <dana@globex.example>\r\nTo: ar@example.com\r\n"
                "Subject: RE: Invoice INV-1042 is overdue\r\n"
                f"Message-ID: <paid-{n}@globex.example>\r\n"
                "In-Reply-To: <reminder@ar.example>\r\n\r\n"
                f"We paid INV-1042 already{'!' * n}, please check.\r\n"
            ).encode(),
            clock=clock,
        )
    with db.session() as s:
        rows = list(s.scalars(select(Approval).order_by(Approval.id)))
    pending = [(a.type, a.id) for a in rows if a.status == "pending"]
    superseded = [a for a in rows if a.status == "superseded"]
    assert sorted(t for t, _ in pending) == ["hold_dunning", "send_email"], pending
    assert len(superseded) == 4
    newest = dict(pending)
    for kind in ("hold_dunning", "send_email"):
        ids = [a.id for a in rows if a.type == kind]
        assert newest[kind] == max(ids)
        chain = {a.id: a.superseded_by for a in superseded if a.type == kind}
        assert chain == dict(zip(ids[:-1], ids[1:], strict=True))


def test_a_superseded_card_says_by_which_newer_proposal(db, clock, policy):
    from api.slack.blocks import decided_card

    first = _propose(db, promise("2026-11-27", ["INV-1042"], "email:1"), clock, policy)
    second = _propose(db, promise("2026-11-30", ["INV-1042"], "email:2"), clock, policy)
    text = str(decided_card(_get(db, first), "Globex"))
    assert f"Superseded by #{second}" in text


def test_the_newer_card_says_what_it_replaces(db, clock, policy):
    from api.slack.blocks import approval_card

    first = _propose(db, promise("2026-11-27", ["INV-1042"], "email:1"), clock, policy)
    second = _propose(db, promise("2026-11-30", ["INV-1042"], "email:2"), clock, policy)
    assert f"Replaces #{first}" in str(approval_card(_get(db, second), "Globex"))
