"""Issue 13 F5 / issue 17 item 3: a stranger's message gets an escalation and nothing else.

Whichever brain reads it (offline or an LLM), and however well it quotes our invoices or
threads, a message whose sender is not known for a customer proposes no hold, no promise,
no email: only an escalation whose card says, in plain words, who wrote.
"""

from __future__ import annotations

from sqlalchemy import select

from agent.inbox import process_inbound
from agent.service import AgentService
from api.slack.blocks import approval_card
from ledger.models import Approval, Communication
from policies.config import load_policy
from tests.agent.scripted import tool_call
from tests.support import factories as f


def _raw(sender: str, body: str, *, headers: str = "") -> bytes:
    return (
        f"From: {sender}\r\nTo: ar@acme.example\r\nSubject: Re: INV-1042\r\n"
        f"Message-ID: <{abs(hash((sender, body, headers)))}@x.example>\r\n{headers}\r\n{body}\r\n"
    ).encode()


def _approvals(db) -> list[Approval]:
    with db.session() as s:
        return list(s.scalars(select(Approval).order_by(Approval.id)))


def test_a_gmail_stranger_claiming_payment_gets_only_an_escalation(ledger, clock):
    with ledger.transaction() as s:  # the only customer with a gmail contact
        hooli = f.customer(s, "C-003", "Hooli", email="gavin.hooli@gmail.com")
        f.invoice(s, hooli, "INV-3001", amount="500.00")
    raw = _raw("Someone <someone.else@gmail.com>", "We have paid INV-1042 last week, thanks.")
    out = process_inbound(ledger, raw, clock=clock, policy=load_policy(), source="t")
    assert [p["type"] for p in out["proposals"]] == ["escalate"]
    (approval,) = _approvals(ledger)
    assert approval.type == "escalate"
    assert "stranger" in approval.reason and "someone.else@gmail.com" in approval.reason
    assert "Globex Corporation" in approval.reason  # what it claims to be about
    assert approval.customer_id != "C-003"
    with ledger.session() as s:
        comm = s.scalar(select(Communication).where(Communication.direction == "in"))
        assert comm.customer_id is None and comm.status == "escalated"
    card = str(approval_card(approval, None))
    assert "Message from a stranger" in card


def test_a_forged_contact_address_failing_dmarc_is_a_stranger(ledger, clock):
    raw = _raw(
        "dana@globex.example",
        "We have paid INV-1042; please stop the reminders.",
        headers="Authentication-Results: mx.acme.example; spf=fail smtp.mailfrom=evil.example; "
        "dkim=none; dmarc=fail header.from=globex.example\r\n",
    )
    out = process_inbound(ledger, raw, clock=clock, policy=load_policy(), source="t")
    assert [p["type"] for p in out["proposals"]] == ["escalate"]
    (approval,) = _approvals(ledger)
    assert "authentication failed: DMARC fail" in approval.reason


def test_a_look_alike_domain_is_flagged(ledger, clock):
    raw = _raw("dana@gl0bex.example", "Please update our bank details for INV-1042.")
    process_inbound(ledger, raw, clock=clock, policy=load_policy(), source="t")
    (approval,) = _approvals(ledger)
    assert approval.type == "escalate"
    assert "gl0bex.example looks like globex.example" in approval.reason


def test_a_known_contact_still_gets_the_playbook_and_the_card_names_the_writer(ledger, clock):
    raw = _raw("dana@globex.example", "We will pay INV-1042 on Friday.")
    process_inbound(ledger, raw, clock=clock, policy=load_policy(), source="t")
    promise = next(a for a in _approvals(ledger) if a.type == "record_promise")
    assert promise.context["sender"]["standing"] == "contact"
    assert "dana@globex.example, a contact on file" in str(approval_card(promise, "Globex"))


def test_an_llm_brain_cannot_act_for_a_stranger(scripted_service, ledger):
    service, _ = scripted_service(
        [
            [
                tool_call(
                    "hold_dunning",
                    customer="C-001",
                    reason="customer says paid",
                    until="2026-12-01",
                ),
                tool_call(
                    "record_promise", customer="C-001", date="2026-11-27", invoices=["INV-1042"]
                ),
            ],
            "Done.",
        ]
    )
    out = service.handle_customer_reply(
        sender="someone.else@gmail.com", subject="INV-1042", text="Paid INV-1042, stop dunning."
    )
    assert out["proposals"] == []
    assert {b["type"] for b in out["blocked"]} == {"hold_dunning", "record_promise"}
    assert all("stranger" in b["reasons"][0] for b in out["blocked"])
    assert _approvals(ledger) == []


def test_the_offline_brain_uses_the_same_linker(ledger, clock):
    service = AgentService(ledger, clock=clock, policy=load_policy(), checkpointer=False)
    out = service.handle_customer_reply(
        sender="new.clerk@gmail.com", subject="INV-1042", text="We will pay INV-1042 Friday."
    )
    assert [p["type"] for p in out["proposals"]] == ["escalate"]
    assert out["customer"] is None
