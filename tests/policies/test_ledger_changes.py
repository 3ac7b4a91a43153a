"""record_promise, open_dispute, hold_dunning, update_contact, change_credit, escalate,
and the standing refusal of write-offs and credit notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.clock import FrozenClock
from ledger.models import Contact, Customer, Dispute, Invoice
from policies.actions import ProposedAction
from policies.check import approvals_required, check
from policies.schema import Policy
from tests.policies.helpers import failed
from tests.support import factories

REFUSAL = "only a controller can write off or issue a credit note in the accounting system"


def _action(kind: str, **payload: Any) -> ProposedAction:
    return ProposedAction(type=kind, payload={"customer": "C-001", **payload})


# --- record_promise --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "ok"),
    [
        (date(2026, 11, 22), False),
        (date(2026, 11, 23), True),
        (date(2027, 2, 21), True),
        (date(2027, 2, 22), False),
    ],  # 90 vs 91 days ahead
)
def test_promise_date_window(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, on: date, ok: bool
) -> None:
    verdict = check(
        _action("record_promise", invoices=["INV-1042"], date=on.isoformat()),
        session,
        clock,
        policy=policy,
    )
    assert verdict.allowed is ok, verdict.reasons


def test_promise_messages(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    past = check(
        _action("record_promise", invoices=["INV-1042"], date="2026-11-01"),
        session,
        clock,
        policy=policy,
    )
    assert past.reasons == ["promise date 2026-11-01 is in the past"]
    far = check(
        _action("record_promise", invoices=["INV-1042"], date="2027-06-01"),
        session,
        clock,
        policy=policy,
    )
    assert far.reasons == [
        "promise date 2027-06-01 is more than 90 days ahead: escalate or propose a payment plan"
    ]


def test_promise_invoices_must_be_open_and_owned(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    factories.invoice(session, globex, "INV-PAID", balance="0.00")
    other = factories.customer(session, "C-002", "Initech")
    factories.invoice(session, other, "INV-OTHER")
    verdict = check(
        _action(
            "record_promise", invoices=["INV-PAID", "INV-OTHER", "INV-NONE"], date="2026-11-27"
        ),
        session,
        clock,
        policy=policy,
    )
    assert verdict.reasons == [
        "invoice INV-PAID is already paid (balance 0.00); invoice "
        "INV-OTHER belongs to another customer; invoice INV-NONE not found"
    ]
    empty = check(
        _action("record_promise", invoices=[], date="2026-11-27"), session, clock, policy=policy
    )
    assert "invoices_listed" in failed(empty)


@pytest.mark.parametrize(
    ("amount", "ok"), [("12400.00", True), ("12400.01", False), ("0", False), ("100.00", True)]
)
def test_promise_amount(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, amount: str, ok: bool
) -> None:
    verdict = check(
        _action("record_promise", invoices=["INV-1042"], date="2026-11-27", amount=amount),
        session,
        clock,
        policy=policy,
    )
    assert verdict.allowed is ok


# --- open_dispute ----------------------------------------------------------------------


def test_open_dispute(session: Session, clock: FrozenClock, policy: Policy, inv: Invoice) -> None:
    action = _action("open_dispute", invoice="INV-1042", reason="pricing")
    assert check(action, session, clock, policy=policy).allowed
    session.add(
        Dispute(customer_id="C-001", invoice_id=inv.id, reason="quantity", opened=date(2026, 11, 2))
    )
    session.flush()
    assert check(action, session, clock, policy=policy).reasons == [
        "invoice INV-1042 already has an open dispute (quantity, opened 2026-11-02)"
    ]


def test_dispute_on_foreign_or_missing_invoice(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    other = factories.customer(session, "C-002", "Initech")
    factories.invoice(session, other, "INV-OTHER")
    for number, reason in (("INV-OTHER", "belongs to another customer"), ("INV-NONE", "not found")):
        verdict = check(
            _action("open_dispute", invoice=number, reason="pricing"), session, clock, policy=policy
        )
        assert reason in failed(verdict)["invoices_exist"]


def test_dispute_needs_a_reason(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice
) -> None:
    verdict = check(
        _action("open_dispute", invoice="INV-1042", reason="  "), session, clock, policy=policy
    )
    assert failed(verdict) == {"dispute_reason": "a dispute needs a reason"}


# --- hold_dunning ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "reason", "ok"),
    [
        ("2026-11-24", "out of office", True),
        ("2026-11-23", "out of office", False),
        (None, "insolvency: legal hold", True),
        (None, " ", False),
    ],
)
def test_hold_until(
    session: Session,
    clock: FrozenClock,
    policy: Policy,
    inv: Invoice,
    until: str | None,
    reason: str,
    ok: bool,
) -> None:
    verdict = check(
        _action("hold_dunning", invoices=["INV-1042"], until=until, reason=reason),
        session,
        clock,
        policy=policy,
    )
    assert verdict.allowed is ok, verdict.reasons


def test_hold_whole_customer_even_when_insolvent(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    globex.insolvent = True
    session.flush()
    assert check(
        _action("hold_dunning", reason="insolvency"), session, clock, policy=policy
    ).allowed


def test_hold_on_unknown_customer(session: Session, clock: FrozenClock, policy: Policy) -> None:
    action = ProposedAction(type="hold_dunning", payload={"customer": "C-404", "reason": "x"})
    assert check(action, session, clock, policy=policy).reasons == ["customer 'C-404' not found"]


# --- update_contact --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("sam@globex.example", True),
        ("Sam@GLOBEX.example", True),
        ("sam@globex-payments.example", False),
        ("sam@sub.globex.example", False),
    ],
)
def test_contact_domain(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer, address: str, ok: bool
) -> None:
    verdict = check(
        _action("update_contact", email=address, name="Sam"), session, clock, policy=policy
    )
    assert verdict.allowed is ok
    if not ok:
        assert verdict.reasons[0].startswith("unknown domain: escalate")


def test_free_mail_domain_only_counts_for_addresses_on_file(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    globex.contacts.append(Contact(email="globex.ap@gmail.com"))
    session.flush()
    assert check(
        _action("update_contact", email="globex.ap@gmail.com", opt_out=True),
        session,
        clock,
        policy=policy,
    ).allowed
    verdict = check(
        _action("update_contact", email="attacker@gmail.com"), session, clock, policy=policy
    )
    assert verdict.reasons == ["unknown domain: escalate (a free-mail address not on file)"]


def test_opt_out_of_known_contact(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    assert check(
        _action("update_contact", email="dana@globex.example", opt_out=True),
        session,
        clock,
        policy=policy,
    ).allowed


def test_contact_replaces_must_exist_and_email_must_be_valid(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    verdict = check(
        _action("update_contact", email="sam@globex.example", replaces="ghost@globex.example"),
        session,
        clock,
        policy=policy,
    )
    assert failed(verdict) == {"contact_replaces": "ghost@globex.example is not a contact of C-001"}
    bad = check(_action("update_contact", email="not-an-address"), session, clock, policy=policy)
    assert failed(bad) == {"contact_email": "'not-an-address' is not an email address"}


# --- change_credit ---------------------------------------------------------------------


def test_change_credit(
    session: Session, clock: FrozenClock, policy: Policy, globex: Customer
) -> None:
    globex.credit_limit = Decimal("50000.00")
    session.flush()
    lower = _action("change_credit", credit_limit="20000.00", reason="late payer")
    raise_ = _action("change_credit", credit_limit="60000.00", reason="growth")
    assert check(lower, session, clock, policy=policy).allowed
    assert check(raise_, session, clock, policy=policy).allowed
    assert approvals_required(lower, policy, session) == 1
    assert approvals_required(raise_, policy, session) == 2
    assert approvals_required(lower, policy) == 2  # without the ledger: the safe side
    lift = _action("change_credit", credit_hold=False, reason="paid up")
    hold = _action("change_credit", credit_hold=True, reason="overdue")
    assert approvals_required(lift, policy, session) == 2
    assert approvals_required(hold, policy, session) == 1
    negative = check(
        _action("change_credit", credit_limit="-1", reason="x"), session, clock, policy=policy
    )
    assert failed(negative) == {"credit_limit": "a credit limit must be >= 0"}
    nothing = check(_action("change_credit", reason="x"), session, clock, policy=policy)
    assert failed(nothing) == {"credit_change": "change_credit changes nothing"}


def test_always_four_eyes_types(policy: Policy) -> None:
    strict = policy.with_changes({"approvals": {"always_four_eyes": ["hold_dunning"]}})
    action = _action("hold_dunning", reason="x")
    assert approvals_required(action, policy) == 1
    assert approvals_required(action, strict) == 2


# --- escalate and write-offs -------------------------------------------------------------


def test_escalate_is_always_allowed(session: Session, clock: FrozenClock, policy: Policy) -> None:
    action = ProposedAction(type="escalate", payload={"customer": "C-404", "reason": "??"})
    assert check(action, session, clock, policy=policy).allowed
    bare = ProposedAction(type="escalate", payload={"reason": "unknown sender"})
    assert check(bare, session, clock, policy=policy).allowed


@pytest.mark.parametrize("kind", ["write_off", "credit_note", "Write-Off", "credit memo"])
def test_write_off_and_credit_note_types_are_refused(
    session: Session, clock: FrozenClock, policy: Policy, kind: str
) -> None:
    action = ProposedAction.model_construct(
        type=kind, payload={"customer": "C-001"}, requested_by="agent", context={}
    )
    verdict = check(action, session, clock, policy=policy)
    assert verdict.reasons == [REFUSAL]


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("apply_payment", {"write_off": "15.00"}),
        ("create_payment_plan", {"discount": "100.00"}),
        ("record_promise", {"credit_note": True}),
    ],
)
def test_payload_that_reduces_a_balance_is_refused(
    session: Session, clock: FrozenClock, policy: Policy, inv: Invoice, kind: str, extra: dict
) -> None:
    action = _action(kind, **extra)
    verdict = check(action, session, clock, policy=policy)
    assert len(verdict.reasons) == 1 and verdict.reasons[0].startswith(REFUSAL)


def test_unknown_type_is_refused(session: Session, clock: FrozenClock, policy: Policy) -> None:
    action = ProposedAction.model_construct(
        type="launch_rocket", payload={}, context={}, requested_by="agent"
    )
    assert check(action, session, clock, policy=policy).reasons == [
        "unknown action type 'launch_rocket'"
    ]
