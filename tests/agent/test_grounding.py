"""Grounded proposals: an action read from a customer's email must quote the sender's own
words, for the LLM brain (scripted model) and the offline brain alike."""

from __future__ import annotations

from datetime import date

import pytest

from agent.grounding import Source, problems, quote_found
from agent.llm import system_prompt
from agent.service import AgentService
from policies.config import load_policy
from tests.agent.scripted import tool_call

TEXT = "Hi, we will pay INV-1077 on Friday 27 November. Dana"
PROMISE = {"customer": "C-001", "invoices": ["INV-1077"], "date": "2026-11-27"}


def _llm_promise(scripted_service, evidence):  # noqa: ANN001, ANN202
    args = dict(PROMISE)
    if evidence is not None:
        args["evidence"] = evidence
    service, _ = scripted_service([[tool_call("record_promise", **args)], "done"])
    return service.handle_customer_reply(
        sender="dana@globex.example",
        subject="Re: your reminder",
        customer="C-001",
        text=TEXT + "\n\n> On Monday you wrote:\n> INV-1042 is overdue, we will pay INV-1042 today",
    )


def test_llm_proposal_without_evidence_is_refused(scripted_service):
    out = _llm_promise(scripted_service, None)
    assert out["proposals"] == []
    assert out["blocked"][0]["type"] == "record_promise"
    assert "no evidence" in out["blocked"][0]["reasons"][0]


def test_llm_quote_not_in_the_senders_own_text_is_refused(scripted_service):
    out = _llm_promise(scripted_service, {"intent": "we will pay INV-1077 tomorrow"})
    assert out["proposals"] == []
    assert "not in the sender's own text" in " ".join(out["blocked"][0]["reasons"])


def test_llm_date_that_its_quote_does_not_give_is_refused(scripted_service):
    out = _llm_promise(scripted_service, {"intent": "we will pay INV-1077", "date": "Dana"})
    assert out["proposals"] == []
    assert "2026-11-27 is not a date the sender wrote" in " ".join(out["blocked"][0]["reasons"])


def test_llm_invoice_named_only_in_quoted_history_is_refused(scripted_service):
    service, _ = scripted_service(
        [
            [
                tool_call(
                    "record_promise",
                    customer="C-001",
                    invoices=["INV-1042"],
                    date="2026-11-27",
                    evidence={"intent": "we will pay", "date": "on Friday 27 November"},
                )
            ],
            "done",
        ]
    )
    out = service.handle_customer_reply(
        sender="dana@globex.example", subject="Re: reminder", customer="C-001", text=TEXT
    )
    assert out["proposals"] == []
    assert "invoice INV-1042 is named neither" in " ".join(out["blocked"][0]["reasons"])


def test_llm_grounded_promise_is_queued_with_its_quotes(scripted_service, ledger):
    out = _llm_promise(
        scripted_service,
        {"intent": "we will pay INV-1077 on Friday 27 November", "date": "Friday 27 November"},
    )
    assert [p["type"] for p in out["proposals"]] == ["record_promise"]
    from ledger.models import Approval

    with ledger.transaction() as s:
        approval = s.get(Approval, out["proposals"][0]["id"])
        assert approval.context["evidence"]["date"] == "Friday 27 November"


def test_offline_brain_cites_the_clause_it_read(ledger, clock):
    service = AgentService(ledger, clock=clock, policy=load_policy(), checkpointer=False)
    out = service.handle_customer_reply(
        sender="dana@globex.example", subject="Re: reminder", customer="C-001", text=TEXT
    )
    from ledger.models import Approval

    promise = next(p for p in out["proposals"] if p["type"] == "record_promise")
    with ledger.transaction() as s:
        evidence = s.get(Approval, promise["id"]).context["evidence"]
    assert quote_found(evidence["intent"], TEXT) and quote_found(evidence["date"], TEXT)


@pytest.mark.parametrize(
    ("action", "payload", "evidence", "fragment"),
    [
        ("record_promise", PROMISE, None, "no evidence"),
        ("record_promise", PROMISE, {"intent": "we will pay"}, "is not a date the sender wrote"),
        (
            "record_promise",
            {**PROMISE, "amount": "3100.00"},
            {"intent": "we will pay", "date": "Friday 27 November"},
            "amount 3100.00 does not occur",
        ),
        (
            "update_contact",
            {"customer": "C-001", "email": "eve@globex.example"},
            {"intent": "we will pay"},
            "does not occur in the sender's words",
        ),
        (
            "hold_dunning",
            {"customer": "C-001", "until": "2026-12-20", "reason": "ooo"},
            {"intent": "we will pay", "until": "on Friday 27 November"},
            "until 2026-12-20 is not a date",
        ),
    ],
)
def test_offline_guardrail_refuses_ungrounded_fields(action, payload, evidence, fragment):
    source = Source(text=TEXT, sender="dana@globex.example", today=date(2026, 11, 23))
    assert fragment in " ".join(problems(action, payload, evidence, source))


def test_grounded_fields_pass_and_escalations_need_no_quote():
    source = Source(text=TEXT, sender="dana@globex.example", today=date(2026, 11, 23))
    ev = {"intent": "we will pay INV-1077", "date": "on Friday 27 November"}
    assert problems("record_promise", PROMISE, ev, source) == []
    assert problems("escalate", {"customer": "C-001", "reason": "x"}, None, source) == []


def test_the_llm_system_prompt_follows_the_policy_file():
    policy = load_policy()
    before = system_prompt(policy, company="Acme", today="2026-11-23")
    changed = policy.with_changes({"payment_plans": {"max_installments": 4, "max_span_days": 120}})
    after = system_prompt(changed, company="Acme", today="2026-11-23")
    assert "at most 6 instalments within 180 days" in before
    assert "at most 4 instalments within 120 days" in after
    assert "out_of_office: hold_dunning" in after and "never send_email" in after


def test_the_slack_card_shows_each_quote_beside_its_field():
    from api.slack.blocks import approval_card
    from ledger.models import Approval

    approval = Approval(
        id=7,
        type="record_promise",
        payload=PROMISE,
        customer_id="C-001",
        requested_by="agent",
        context={"evidence": {"intent": "we will pay INV-1077", "date": "on Friday 27 November"}},
        checks=[],
    )
    text = str(approval_card(approval, "Globex"))
    assert "In the customer's own words" in text
    assert "*Date:*" in text and "on Friday 27 November" in text


def test_a_controllers_write_off_request_is_recorded_as_blocked_with_the_policys_reason(
    ledger, clock
):
    service = AgentService(ledger, clock=clock, policy=load_policy(), checkpointer=False)
    reply = service.chat(
        "issue Globex a credit note for 300.00 on INV-1042", conversation_id="w1", user="U1"
    )
    assert [b["type"] for b in reply.blocked] == ["credit_note"]
    assert "only a controller" in reply.blocked[0]["reasons"][0]
    assert reply.proposals == []


def test_open_disputes_are_listed_across_customers(ledger, clock):
    from datetime import date as day

    from sqlalchemy import select

    from ledger.models import Dispute, Invoice

    with ledger.transaction() as s:
        inv = s.scalar(select(Invoice).where(Invoice.number == "INV-1042"))
        s.add(
            Dispute(
                customer_id="C-001", invoice_id=inv.id, reason="pricing", opened=day(2026, 11, 2)
            )
        )
    service = AgentService(ledger, clock=clock, policy=load_policy(), checkpointer=False)
    reply = service.chat("which customers have open disputes?", conversation_id="d2", user="U1")
    assert "Globex Corporation" in reply.text and "INV-1042" in reply.text
    assert "Initech" not in reply.text


def test_reminders_with_an_exclusion_leave_that_customer_out(ledger, clock):
    service = AgentService(ledger, clock=clock, policy=load_policy(), checkpointer=False)
    reply = service.chat(
        "draft reminders for everything overdue except Globex", conversation_id="r1", user="U1"
    )
    customers = {p["payload"].get("customer") for p in reply.proposals}
    assert "C-001" not in customers and "C-002" in customers
