"""Issue 13 F1 and F8: every recipient is checked; edits cannot change what was approved."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from approvals import queue
from approvals.executor import execute
from core.errors import ValidationError
from ledger.models import Approval, Communication, Dispute, Invoice
from policies.actions import EDITABLE_FIELDS, PAYLOAD_MODELS, validate_payload
from tests.approvals.conftest import email


def _queued(db, clock, policy) -> int:
    with db.transaction() as s:
        res = queue.propose(s, email(), clock=clock, policy=policy)
    assert res.approval is not None, res.verdict
    return res.approval.id


def test_a_comma_in_to_is_two_recipients_and_each_is_checked(ledger, clock, policy):
    approval_id = _queued(ledger, clock, policy)
    smuggled = {"to": ["dana@globex.example, attacker@evil.example"]}
    with pytest.raises(Exception, match="attacker@evil.example is not a contact"):
        queue.approve(ledger, approval_id, user="ann", clock=clock, policy=policy, edits=smuggled)
    with ledger.session() as s:
        row = s.get(Approval, approval_id)
        assert row.status == "pending" and row.payload["to"] == ["dana@globex.example"]
        assert s.scalars(select(Communication)).all() == []


def test_a_proposal_with_a_hidden_second_recipient_is_blocked(ledger, clock, policy):
    action = email(payload={"cc": "dana@globex.example; attacker@evil.example"})
    with ledger.transaction() as s:
        res = queue.propose(s, action, clock=clock, policy=policy)
    assert res.blocked and "attacker@evil.example" in " ".join(res.verdict.reasons)


def test_bcc_recipients_are_checked_too(ledger, clock, policy):
    with ledger.transaction() as s:
        res = queue.propose(
            s, email(payload={"bcc": ["spy@evil.example"]}), clock=clock, policy=policy
        )
    assert res.blocked and "spy@evil.example" in " ".join(res.verdict.reasons)


@pytest.mark.parametrize(
    "to",
    [
        '"dana@globex.example" <attacker@evil.example>',
        "dana@globex.example\r\nBcc: attacker@evil.example",
        "not an address",
        "dana@localhost",
    ],
)
def test_recipients_that_are_not_plain_addresses_are_refused_with_the_reason(to):
    payload = {"customer": "C-001", "to": [to], "subject": "s", "body": "b"}
    with pytest.raises(ValidationError, match=r"send_email\.to: .*not .*address"):
        validate_payload("send_email", payload)


def test_turning_a_reminder_into_a_reply_by_edit_is_refused(ledger, clock, policy):
    approval_id = _queued(ledger, clock, policy)
    with ledger.transaction() as s:
        inv = s.scalar(select(Invoice).where(Invoice.number == "INV-1042"))
        s.add(
            Dispute(
                customer_id="C-001", invoice_id=inv.id, reason="pricing", opened=date(2026, 11, 2)
            )
        )
    forged = {"in_reply_to": "<made-up@globex.example>", "stage": None}
    with pytest.raises(
        ValidationError, match="in_reply_to, stage of a send_email cannot be edited"
    ):
        queue.approve(ledger, approval_id, user="ann", clock=clock, policy=policy, edits=forged)
    with ledger.session() as s:
        row = s.get(Approval, approval_id)
        assert row.status == "pending" and row.payload["stage"] == "first"
        assert "in_reply_to" not in row.payload
    # and as approved, it is re-checked at execution against the dispute opened since
    queue.approve(ledger, approval_id, user="ann", clock=clock, policy=policy)
    outcome = execute(ledger, approval_id, clock=clock)
    assert not outcome.ok and "open dispute" in (outcome.error or "")


@pytest.mark.parametrize(
    ("field", "value"),
    [("customer", "C-002"), ("invoices", ["INV-1077"]), ("type", "escalate"), ("stage", "final")],
)
def test_identity_fields_of_an_email_are_not_editable(ledger, clock, policy, field, value):
    approval_id = _queued(ledger, clock, policy)
    with pytest.raises(ValidationError, match="cannot be edited"):
        queue.save_edits(
            ledger, approval_id, user="ann", clock=clock, policy=policy, edits={field: value}
        )


def test_every_action_type_has_an_editable_list_without_identity_fields():
    assert set(EDITABLE_FIELDS) == set(PAYLOAD_MODELS)
    for fields in EDITABLE_FIELDS.values():
        assert not fields & {"type", "customer", "stage", "in_reply_to", "invoice", "invoices"}
