"""``queue.propose_many`` leaves the queue and the audit log exactly as ``propose`` called
once per action does: verdicts, duplicates (in the batch and from earlier runs),
blocked records, re-proposed rejections, ids and audit events in the same order."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from approvals import queue
from ledger.db import Database
from ledger.models import Approval, AuditEvent
from tests.approvals.conftest import action, email
from tests.support import factories as f


def _ledger(path, template) -> Database:
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}", migrate_schema=False)
    with db.transaction() as s:
        c = f.customer(
            s, "C-001", "Globex", email="dana@globex.example", timezone="America/Chicago"
        )
        f.invoice(s, c, "INV-1042", amount="12400.00")
        f.invoice(s, c, "INV-1077", amount="800.00")
    return db


@pytest.fixture
def twins(tmp_path, _migrated_sqlite, clock, policy):
    """Two identical ledgers, each with a rejected and a pending proposal already queued."""
    dbs = [_ledger(tmp_path / f"l{i}.db", _migrated_sqlite) for i in (1, 2)]
    for db in dbs:
        with db.transaction() as s:
            rejected = queue.propose(
                s, email(conversation_id="conv-rej"), clock=clock, policy=policy
            )
            queue.propose(s, email(conversation_id="conv-live"), clock=clock, policy=policy)
        queue.reject(db, rejected.approval.id, user="ann", clock=clock, reason="tone")
    yield dbs
    for db in dbs:
        db.dispose()


def _batch():
    threat = email(payload={"body": "Pay now or we start legal action."})
    return [
        email(),
        email(),  # the same again in the batch: a duplicate of the first
        threat,
        email(conversation_id="conv-rej"),  # rejected before: queued again
        email(conversation_id="conv-live"),  # pending before: a duplicate
        threat,  # blocked twice, recorded twice
        email(conversation_id="conv-rej"),  # a duplicate of the re-proposed one
        action("escalate", reason="customer asked for a call"),
        email(payload={"to": ["nobody@elsewhere.example"]}, conversation_id="conv-3"),
    ]


def _outcome(res):
    return (
        res.approval.id if res.approval is not None else None,
        res.blocked,
        res.duplicate,
        res.verdict.allowed,
        [str(r) for r in res.verdict.reasons],
    )


def _state(db):
    with db.session() as s:
        approvals = [
            (
                a.id,
                a.type,
                a.payload,
                a.status,
                a.idempotency_key,
                a.checks,
                a.customer_id,
                a.requested_by,
                a.conversation_id,
                a.created_at,
            )
            for a in s.scalars(select(Approval).order_by(Approval.id))
        ]
        events = [
            (e.id, e.approval_id, e.event, e.actor, e.from_status, e.to_status, e.detail, e.at)
            for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    return approvals, events


def test_propose_many_equals_propose_one_by_one(twins, clock, policy):
    one_by_one, batched = twins
    with one_by_one.transaction() as s:
        expected = [_outcome(queue.propose(s, a, clock=clock, policy=policy)) for a in _batch()]
    with batched.transaction() as s:
        got = [_outcome(r) for r in queue.propose_many(s, _batch(), clock=clock, policy=policy)]
    assert got == expected
    assert [(b, d) for _, b, d, _, _ in got].count((True, False)) == 3
    assert [(b, d) for _, b, d, _, _ in got].count((False, True)) == 3
    assert _state(batched) == _state(one_by_one)


def test_propose_many_of_nothing_changes_nothing(twins, clock, policy):
    db = twins[0]
    before = _state(db)
    with db.transaction() as s:
        assert queue.propose_many(s, [], clock=clock, policy=policy) == []
    assert _state(db) == before
