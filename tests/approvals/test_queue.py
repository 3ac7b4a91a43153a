"""The queue's state machine: propose, approve (edits, four-eyes), reject, expire."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals import queue
from core.errors import ConflictError, PermissionDenied, PolicyViolation, ValidationError
from ledger.models import Approval, AuditEvent, BankTransaction, Invoice
from policies.actions import ProposedAction
from tests.approvals.conftest import action, email


def _propose(db, action, clock, policy):
    with db.transaction() as s:
        return queue.propose(s, action, clock=clock, policy=policy)


def _events(db, approval_id):
    with db.session() as s:
        return [
            (e.event, e.from_status, e.to_status)
            for e in s.scalars(
                select(AuditEvent)
                .where(AuditEvent.approval_id == approval_id)
                .order_by(AuditEvent.id)
            )
        ]


def test_propose_queues_a_pending_approval_with_checks(ledger, clock, policy):
    res = _propose(ledger, email(), clock, policy)
    assert not res.blocked and not res.duplicate
    assert res.approval.status == "pending"
    assert res.approval.customer_id == "C-001"
    assert res.approval.checks, "the policy checks are stored with the approval"
    assert _events(ledger, res.approval.id) == [("proposed", None, "pending")]


def test_propose_refuses_an_invalid_payload(ledger, clock, policy):
    bad = ProposedAction(type="record_promise", payload={"customer": "C-001", "invoices": []})
    with pytest.raises(ValidationError, match="record_promise.date"):
        _propose(ledger, bad, clock, policy)


def test_blocked_proposal_is_recorded_not_queued(ledger, clock, policy):
    threat = email(payload={"body": "Pay now or we start legal action."})
    res = _propose(ledger, threat, clock, policy)
    assert res.blocked and res.approval is None
    with ledger.session() as s:
        assert s.scalars(select(Approval)).all() == []
        blocked = queue.blocked_proposals(s, conversation_id="conv-1")
        assert queue.blocked_proposals(s, conversation_id="other") == []
        assert queue.blocked_proposals(s, since=clock.now() + timedelta(seconds=1)) == []
    assert len(blocked) == 1
    assert blocked[0].type == "send_email" and blocked[0].reasons
    assert blocked[0].payload["body"].endswith("legal action.")


def test_identical_proposal_is_a_duplicate(ledger, clock, policy):
    first = _propose(ledger, email(), clock, policy)
    again = _propose(ledger, email(), clock, policy)
    other_conversation = _propose(ledger, email(conversation_id="conv-2"), clock, policy)
    assert again.duplicate and again.approval.id == first.approval.id
    assert not other_conversation.duplicate
    with ledger.session() as s:
        assert len(queue.list_approvals(s, "pending")) == 2


def test_a_rejected_proposal_may_be_proposed_again(ledger, clock, policy):
    first = _propose(ledger, email(), clock, policy)
    queue.reject(ledger, first.approval.id, user="ann", clock=clock, reason="tone")
    again = _propose(ledger, email(), clock, policy)
    assert not again.duplicate and again.approval.id != first.approval.id


def test_approve_moves_pending_to_approved_and_audits(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    done = queue.approve(ledger, a.id, user="ann", clock=clock, note="fine", policy=policy)
    assert done.status == "approved" and done.decided_by == "ann"
    assert done.approvals_by == ["ann"]
    assert _events(ledger, a.id)[-1] == ("approved", "pending", "approved")


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_deciding_twice_is_a_conflict(ledger, clock, policy, second):
    a = _propose(ledger, email(), clock, policy).approval
    queue.approve(ledger, a.id, user="ann", clock=clock, policy=policy)
    with pytest.raises(
        ConflictError, match=f"cannot {second} approval {a.id}: it is already approved"
    ):
        if second == "approve":
            queue.approve(ledger, a.id, user="bob", clock=clock, policy=policy)
        else:
            queue.reject(ledger, a.id, user="bob", clock=clock, reason="no")


def test_rejected_cannot_be_approved(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    queue.reject(ledger, a.id, user="ann", clock=clock, reason="wrong contact")
    with pytest.raises(ConflictError, match="already rejected"):
        queue.approve(ledger, a.id, user="bob", clock=clock, policy=policy)
    with ledger.session() as s:
        assert queue.get_approval(s, a.id).decision_note == "wrong contact"


def test_reject_needs_a_reason(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    with pytest.raises(ValidationError, match="needs a reason"):
        queue.reject(ledger, a.id, user="ann", clock=clock, reason="  ")


def test_nobody_approves_their_own_request(ledger, clock, policy):
    a = _propose(ledger, email(requested_by="U-CONTROLLER"), clock, policy).approval
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        queue.approve(ledger, a.id, user="U-CONTROLLER", clock=clock, policy=policy)
    with ledger.session() as s:
        assert queue.get_approval(s, a.id).status == "pending"


def test_four_eyes_needs_two_distinct_approvers(ledger, clock, policy):
    with ledger.transaction() as s:
        s.scalars(select(Invoice).where(Invoice.number == "INV-1042")).one().balance = Decimal(
            "60000.00"
        )
        s.add(
            BankTransaction(
                bank_id="T-1",
                booking_date=date(2026, 11, 20),
                amount=Decimal("60000.00"),
                currency="USD",
                direction="credit",
            )
        )
    big = ProposedAction(
        type="apply_payment",
        requested_by="matcher",
        payload={
            "customer": "C-001",
            "transaction": "T-1",
            "invoice": "INV-1042",
            "amount": "60000.00",
        },
    )
    a = _propose(ledger, big, clock, policy).approval
    first = queue.approve(ledger, a.id, user="ann", clock=clock, policy=policy)
    assert first.status == "pending" and first.approvals_by == ["ann"]
    assert "1 of 2" in first.decision_note
    with pytest.raises(ConflictError, match="ann already approved"):
        queue.approve(ledger, a.id, user="ann", clock=clock, policy=policy)
    second = queue.approve(ledger, a.id, user="bob", clock=clock, policy=policy)
    assert second.status == "approved" and second.approvals_by == ["ann", "bob"]
    assert [e[0] for e in _events(ledger, a.id)] == ["proposed", "approved_partial", "approved"]


def test_approve_with_edits_keeps_before_and_after(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    done = queue.approve(
        ledger,
        a.id,
        user="ann",
        clock=clock,
        policy=policy,
        edits={"subject": "Friendly reminder: INV-1042"},
    )
    assert done.payload["subject"] == "Friendly reminder: INV-1042"
    assert done.edits["before"]["subject"] == "Invoice INV-1042 is overdue"
    assert done.edits["after"]["subject"] == "Friendly reminder: INV-1042"


def test_edit_adding_a_threat_is_refused_and_stays_pending(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    with pytest.raises(PolicyViolation, match="refused"):
        queue.approve(
            ledger,
            a.id,
            user="ann",
            clock=clock,
            policy=policy,
            edits={"body": "Pay today or we file a lawsuit."},
        )
    with ledger.session() as s:
        row = queue.get_approval(s, a.id)
        assert row.status == "pending" and row.edits is None
        assert "lawsuit" not in row.payload["body"]
    assert _events(ledger, a.id)[-1] == ("edit_refused", "pending", "pending")


def test_edit_with_an_invalid_field_is_refused(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    with pytest.raises(ValidationError, match="send_email.to"):
        queue.approve(ledger, a.id, user="ann", clock=clock, policy=policy, edits={"to": 5})


def test_expire_stale_only_touches_old_pending(ledger, clock, policy):
    old = _propose(ledger, email(), clock, policy).approval
    clock.advance(days=15)
    fresh = _propose(ledger, email(conversation_id="c2"), clock, policy).approval
    assert queue.expire_stale(ledger, clock=clock) == [old.id]
    assert queue.expire_stale(ledger, clock=clock) == []
    with ledger.session() as s:
        assert queue.get_approval(s, old.id).status == "expired"
        assert queue.get_approval(s, fresh.id).status == "pending"
    with pytest.raises(ConflictError, match="already expired"):
        queue.approve(ledger, old.id, user="ann", clock=clock, policy=policy)


def test_unknown_approval_is_not_found(ledger, clock, policy):
    from core.errors import NotFound

    with pytest.raises(NotFound, match="approval 999 does not exist"):
        queue.approve(ledger, 999, user="ann", clock=clock, policy=policy)


def test_the_same_proposal_from_ten_threads_is_queued_once(ledger, clock, policy):
    import threading

    barrier = threading.Barrier(10)
    results = []

    def go():
        barrier.wait()
        with ledger.transaction() as s:
            res = queue.propose(s, email(), clock=clock, policy=policy)
            results.append((res.approval.id, res.duplicate))

    threads = [threading.Thread(target=go) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 10
    assert len({approval_id for approval_id, _ in results}) == 1
    assert sum(not dup for _, dup in results) == 1
    with ledger.session() as s:
        assert len(queue.list_approvals(s)) == 1


def test_save_edits_keeps_it_pending_and_the_first_draft(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    drafted = dict(a.payload)
    queue.save_edits(
        ledger,
        a.id,
        user="ann",
        clock=clock,
        policy=policy,
        edits={"subject": "Reminder: INV-1042"},
    )
    row = queue.save_edits(
        ledger,
        a.id,
        user="bob",
        clock=clock,
        policy=policy,
        edits={"subject": "Second try: INV-1042"},
    )
    assert row.status == "pending"
    assert row.edits["before"] == drafted
    assert row.edits["after"]["subject"] == "Second try: INV-1042" and row.edits["by"] == "bob"
    with pytest.raises(PolicyViolation):
        queue.save_edits(
            ledger,
            a.id,
            user="bob",
            clock=clock,
            policy=policy,
            edits={"body": "We will see you in court."},
        )
    assert [e[0] for e in _events(ledger, a.id)] == ["proposed", "edited", "edited", "edit_refused"]


def test_an_edit_after_the_first_of_two_approvals_restarts_the_count(ledger, clock, policy):
    a = _propose(
        ledger, action("change_credit", credit_limit="90000.00", reason="good payer"), clock, policy
    ).approval
    assert queue.approve(ledger, a.id, user="ann", clock=clock, policy=policy).status == "pending"
    row = queue.save_edits(
        ledger, a.id, user="bob", clock=clock, policy=policy, edits={"credit_limit": "80000.00"}
    )
    assert row.approvals_by == []
    assert queue.approve(ledger, a.id, user="bob", clock=clock, policy=policy).status == "pending"
    assert queue.approve(ledger, a.id, user="ann", clock=clock, policy=policy).status == "approved"


def test_replaying_an_executed_proposal_is_a_duplicate_not_a_block(ledger, clock, policy):
    from approvals.executor import approve_and_execute

    a = _propose(ledger, email(), clock, policy).approval
    assert approve_and_execute(ledger, a.id, user="ann", clock=clock, policy=policy).ok
    replay = _propose(ledger, email(), clock, policy)
    assert replay.duplicate and not replay.blocked and replay.approval.id == a.id
    fresh = _propose(ledger, email(conversation_id="conv-9"), clock, policy)
    assert fresh.blocked, "a new reminder within 5 days is refused by the frequency cap"


def test_decisions_accept_a_session_factory_as_well_as_a_database(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    done = queue.approve(ledger.sessions, a.id, user="ann", clock=clock, policy=policy)
    assert done.status == "approved"
    with pytest.raises(TypeError, match="expected a Database or a sessionmaker"):
        queue.reject(object(), a.id, user="ann", clock=clock, reason="x")


def test_the_customer_of_an_approval_cannot_be_edited(ledger, clock, policy):
    a = _propose(ledger, email(), clock, policy).approval
    with pytest.raises(ValidationError, match="the customer cannot be edited"):
        queue.approve(
            ledger, a.id, user="ann", clock=clock, policy=policy, edits={"customer": "C-999"}
        )
    with ledger.session() as s:
        assert queue.get_approval(s, a.id).status == "pending"
