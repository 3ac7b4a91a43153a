"""The dunning plan on a fixed ledger and clock: one test per POLICY.md rule."""

from __future__ import annotations

from datetime import date

import pytest

from dunning.run import plan_dunning
from policies.config import load_policy
from tests.dunning import _ledger as L


@pytest.fixture
def policy():
    return load_policy()


def plan(db, clock, policy):
    with db.session() as s:
        return plan_dunning(s, clock=clock, policy=policy)


def emails(p):
    return {a.payload["customer"]: a.payload for a in p.proposals if a.type == "send_email"}


def escalations(p):
    return {a.payload["customer"]: a.payload for a in p.proposals if a.type == "escalate"}


def skips(p):
    return {s.invoice: s.reason for s in p.skipped}


@pytest.mark.parametrize(
    ("days_past_due", "stage"),
    [(-3, "courtesy"), (1, "due"), (6, "due"), (7, "first"), (14, "second"), (30, "final")],
)
def test_stage_follows_cadence_day(db, clock, policy, days_past_due, stage):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-1", days_past_due)
    p = plan(db, clock, policy)
    assert [a.type for a in p.proposals] == ["send_email"]
    assert emails(p)["C-1"]["stage"] == stage
    assert emails(p)["C-1"]["invoices"] == ["INV-1"]


def test_courtesy_starts_three_days_before_due_not_four(db, clock, policy):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1"), "INV-3", -3)
        L.invoice(s, L.customer(s, "C-2"), "INV-4", -4)
        L.invoice(s, L.customer(s, "C-3"), "INV-0", 0)
    p = plan(db, clock, policy)
    assert emails(p)["C-1"]["stage"] == "courtesy"
    assert "C-2" not in emails(p)
    assert emails(p)["C-3"]["stage"] == "courtesy"  # due today: courtesy, "due" comes at +1
    assert p.skipped == []


def test_escalate_stage_proposes_escalation_not_email(db, clock, policy):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-1", "Globex"), "INV-60", 60)
    p = plan(db, clock, policy)
    assert emails(p) == {}
    esc = escalations(p)["C-1"]
    assert esc["stage"] == "escalate" and esc["invoices"] == ["INV-60"]
    assert "Globex" in esc["reason"] and "INV-60" in esc["reason"]


def test_one_message_per_customer_groups_due_invoices_at_most_advanced_stage(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        L.invoice(s, c, "INV-A", 8, amount="100.00")
        L.invoice(s, c, "INV-B", 15, amount="200.00")
        L.invoice(s, c, "INV-C", 2, amount="300.00")
        L.invoice(s, L.customer(s, "C-2"), "INV-D", 8)
    p = plan(db, clock, policy)
    assert len(p.proposals) == 2
    mail = emails(p)["C-1"]
    assert mail["stage"] == "second"
    assert mail["invoices"] == ["INV-B", "INV-A", "INV-C"]  # oldest due date first
    for text in ("INV-A", "INV-B", "INV-C", "100.00 USD", "200.00 USD", "600.00 USD"):
        assert text in mail["body"]
    assert emails(p)["C-2"]["stage"] == "first"


def test_final_copies_secondary_contact_and_asks_for_owner_heads_up(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        L.contact(s, c, "controller@c-1.example")
        L.invoice(s, c, "INV-1", 31)
        c2 = L.customer(s, "C-2")
        L.contact(s, c2, "controller@c-2.example")
        L.invoice(s, c2, "INV-2", 15)
    p = plan(db, clock, policy)
    final = next(a for a in p.proposals if a.payload["customer"] == "C-1")
    assert final.payload["to"] == ["ap@c-1.example"]
    assert final.payload["cc"] == ["controller@c-1.example"]
    assert final.context["notify_owner"] is True
    assert "payment plan" in final.payload["body"]
    assert emails(p)["C-2"]["cc"] == []


def test_disputed_invoice_is_skipped_and_the_rest_still_dunned(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        L.dispute(s, L.invoice(s, c, "INV-D", 20), "pricing")
        L.invoice(s, c, "INV-OK", 8)
    p = plan(db, clock, policy)
    assert emails(p)["C-1"]["invoices"] == ["INV-OK"]
    assert emails(p)["C-1"]["stage"] == "first"
    assert skips(p) == {"INV-D": "disputed (pricing)"}


@pytest.mark.parametrize(("promised_days_ago", "dunned"), [(3, False), (4, True), (0, False)])
def test_promise_protects_until_date_plus_three_grace_days(
    db, clock, policy, promised_days_ago, dunned
):
    on = date.fromordinal(L.TODAY.toordinal() - promised_days_ago)
    with db.transaction() as s:
        inv = L.invoice(s, L.customer(s, "C-1"), "INV-1", 20)
        L.promise(s, [inv], on)
    p = plan(db, clock, policy)
    if dunned:
        assert emails(p)["C-1"]["invoices"] == ["INV-1"]
        assert p.skipped == []
    else:
        assert p.proposals == []
        assert skips(p) == {"INV-1": f"promise to pay until {on} (+3 days grace)"}


def test_broken_promise_status_does_not_protect(db, clock, policy):
    with db.transaction() as s:
        inv = L.invoice(s, L.customer(s, "C-1"), "INV-1", 20)
        L.promise(s, [inv], date(2026, 11, 25), status="broken")
    assert emails(plan(db, clock, policy))["C-1"]["invoices"] == ["INV-1"]


def test_hold_on_invoice_and_on_customer_until_its_date(db, clock, policy):
    with db.transaction() as s:
        c1 = L.customer(s, "C-1")
        L.hold(s, c1, date(2026, 12, 1), inv=L.invoice(s, c1, "INV-H", 10))
        L.invoice(s, c1, "INV-1", 10)
        c2 = L.customer(s, "C-2")
        L.hold(s, c2, None, reason="claims paid")
        L.invoice(s, c2, "INV-2", 10)
        c3 = L.customer(s, "C-3")
        L.hold(s, c3, L.TODAY)  # lifts today
        L.invoice(s, c3, "INV-3", 10)
    p = plan(db, clock, policy)
    assert emails(p)["C-1"]["invoices"] == ["INV-1"]
    assert "C-2" not in emails(p)
    assert emails(p)["C-3"]["invoices"] == ["INV-3"]
    assert skips(p) == {
        "INV-H": "on hold until 2026-12-01: out of office",
        "INV-2": "customer on hold (no end date): claims paid",
    }


def test_plan_invoices_get_only_instalment_reminders(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        a, b = L.invoice(s, c, "INV-P1", 40), L.invoice(s, c, "INV-P2", 35)
        pp = L.plan(
            s,
            [a, b],
            [
                (date(2026, 11, 1), "500.00", "500.00"),
                (date(2026, 11, 20), "500.00", "0"),
                (date(2026, 12, 20), "1000.00", "0"),
            ],
        )
        c2 = L.customer(s, "C-2")
        q = L.plan(s, [L.invoice(s, c2, "INV-Q", 40)], [(date(2026, 11, 25), "1000.00", "0")])
    p = plan(db, clock, policy)
    assert skips(p) == {
        "INV-P1": f"in payment plan #{pp.id}",
        "INV-P2": f"in payment plan #{pp.id}",
        "INV-Q": f"in payment plan #{q.id}",
    }
    late, soon = emails(p)["C-1"], emails(p)["C-2"]
    assert (late["stage"], late["reminder"], late["invoices"]) == (
        "installment",
        "overdue",
        ["INV-P1", "INV-P2"],
    )
    assert late["installments"] == [pp.installments[1].id]  # paid and future ones not reminded
    assert "500.00 USD" in late["body"] and "Nov 20, 2026" in late["body"]
    assert (soon["reminder"], soon["invoices"]) == ("upcoming", ["INV-Q"])


def test_insolvent_customer_is_escalated_never_emailed(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1", insolvent=True)
        L.invoice(s, c, "INV-1", 20)
        L.invoice(s, c, "INV-2", 45)
    p = plan(db, clock, policy)
    assert emails(p) == {}
    assert escalations(p)["C-1"]["invoices"] == ["INV-2", "INV-1"]
    assert "insolvent" in escalations(p)["C-1"]["reason"]
    assert skips(p) == {
        "INV-1": "customer insolvent: escalated",
        "INV-2": "customer insolvent: escalated",
    }


def test_opted_out_primary_uses_another_contact(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        c.contacts[0].opt_out = True
        L.contact(s, c, "billing@c-1.example", role="billing")
        L.invoice(s, c, "INV-1", 31)
    mail = emails(plan(db, clock, policy))["C-1"]
    assert mail["to"] == ["billing@c-1.example"]
    assert mail["cc"] == []  # the opted-out primary is not copied either


def test_all_contacts_opted_out_escalates(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        c.contacts[0].opt_out = True
        L.invoice(s, c, "INV-1", 10)
    p = plan(db, clock, policy)
    assert emails(p) == {}
    assert "opted out" in escalations(p)["C-1"]["reason"]
    assert skips(p) == {"INV-1": "all contacts opted out: escalated"}


def test_a_bouncing_primary_is_skipped_for_another_contact(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        c.contacts[0].bounced_at = clock.now()
        c.contacts[0].bounce_reason = "550 5.1.1 User unknown"
        L.contact(s, c, "billing@c-1.example", role="billing")
        L.invoice(s, c, "INV-1", 31)
    mail = emails(plan(db, clock, policy))["C-1"]
    assert (mail["to"], mail["cc"]) == (["billing@c-1.example"], [])


def test_only_bouncing_contacts_escalates_naming_the_address_and_why(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        c.contacts[0].bounced_at = clock.now()
        c.contacts[0].bounce_reason = "550 5.1.1 User unknown"
        L.invoice(s, c, "INV-1", 10)
        address = c.contacts[0].email
    p = plan(db, clock, policy)
    assert emails(p) == {}
    reason = escalations(p)["C-1"]["reason"]
    assert f"mail to {address} (550 5.1.1 User unknown) bounced" in reason
    assert skips(p) == {"INV-1": "no contact left (mail bounced): escalated"}


def test_frequency_cap_five_days_skips_with_last_email_date(db, clock, policy):
    with db.transaction() as s:
        c1 = L.customer(s, "C-1")
        L.sent_email(s, c1, date(2026, 11, 19))  # 4 days ago
        L.invoice(s, c1, "INV-1", 8)
        c2 = L.customer(s, "C-2")
        L.sent_email(s, c2, date(2026, 11, 18))  # 5 days ago: allowed again
        L.invoice(s, c2, "INV-2", 8)
    p = plan(db, clock, policy)
    assert list(emails(p)) == ["C-2"]
    assert skips(p) == {"INV-1": "frequency cap: last email 2026-11-19"}


def test_frequency_cap_four_emails_in_thirty_days(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        for day in (date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)):
            L.sent_email(s, c, day)
        L.invoice(s, c, "INV-1", 8)
        c2 = L.customer(s, "C-2")
        for day in (date(2026, 10, 24), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)):
            L.sent_email(s, c2, day)  # the first one is 30 days ago: out of the window
        L.invoice(s, c2, "INV-2", 8)
    p = plan(db, clock, policy)
    assert list(emails(p)) == ["C-2"]
    assert skips(p) == {"INV-1": "frequency cap: 4 emails in 30 days (since 2026-10-26)"}


def test_stage_already_sent_is_not_repeated_but_next_stage_is(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        inv = L.invoice(s, c, "INV-1", 10)
        L.sent_email(s, c, date(2026, 11, 16), stage="first", invoices=[inv])
        c2 = L.customer(s, "C-2")
        inv2 = L.invoice(s, c2, "INV-2", 14)
        L.sent_email(s, c2, date(2026, 11, 16), stage="first", invoices=[inv2])
    p = plan(db, clock, policy)
    assert skips(p) == {"INV-1": "stage first already sent on 2026-11-16"}
    assert emails(p)["C-2"]["stage"] == "second"


def test_failed_email_does_not_count_as_sent(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        inv = L.invoice(s, c, "INV-1", 10)
        L.sent_email(s, c, date(2026, 11, 16), stage="first", invoices=[inv], status="failed")
    assert emails(plan(db, clock, policy))["C-1"]["stage"] == "first"


def test_thank_you_when_promised_payment_arrived(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        inv = L.invoice(s, c, "INV-1", 10, amount="2500.00")
        L.promise(s, [inv], date(2026, 11, 20), made=date(2026, 11, 12))
        L.pay(s, inv, "2500.00", date(2026, 11, 19))
        c2 = L.customer(s, "C-2")  # paid, but before promising: no thank-you
        inv2 = L.invoice(s, c2, "INV-2", 10)
        L.pay(s, inv2, "1000.00", date(2026, 11, 11))
        L.promise(s, [inv2], date(2026, 11, 20), made=date(2026, 11, 12))
        c3 = L.customer(s, "C-3")  # partly paid: nothing yet
        inv3 = L.invoice(s, c3, "INV-3", -5)
        L.promise(s, [inv3], date(2026, 11, 20), made=date(2026, 11, 12))
        L.pay(s, inv3, "400.00", date(2026, 11, 20))
    p = plan(db, clock, policy)
    assert list(emails(p)) == ["C-1"]
    mail = emails(p)["C-1"]
    assert (mail["kind"], mail["paid_invoices"], mail["invoices"]) == ("thank_you", ["INV-1"], [])
    assert "stage" not in mail  # not a cadence email: no dunning wording rules apply
    assert mail["subject"].startswith("Thank you") and "2,500.00 USD" in mail["body"]


def test_reminder_is_written_in_the_customer_language(db, clock, policy):
    with db.transaction() as s:
        L.invoice(s, L.customer(s, "C-DE", language="de"), "INV-1", 8, amount="12400.00")
        L.invoice(s, L.customer(s, "C-FR", language="fr-CA"), "INV-2", 8)
        L.invoice(s, L.customer(s, "C-ES", language="es"), "INV-3", 8)
        L.invoice(s, L.customer(s, "C-XX", language="pt"), "INV-4", 8)
    m = emails(plan(db, clock, policy))
    assert m["C-DE"]["subject"].startswith("Überfällige Rechnung INV-1")
    assert "12.400,00 USD" in m["C-DE"]["body"] and "15.11.2026" in m["C-DE"]["body"]
    assert m["C-FR"]["language"] == "fr" and "Facture INV-2 en retard" in m["C-FR"]["subject"]
    assert m["C-ES"]["subject"].startswith("Factura INV-3 vencida")
    assert m["C-XX"]["language"] == "en"


def test_paid_and_not_yet_due_invoices_are_ignored(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-1")
        L.invoice(s, c, "INV-PAID", 20, balance="0")
        L.invoice(s, c, "INV-FUTURE", -10)
    p = plan(db, clock, policy)
    assert p.proposals == [] and p.skipped == []


def test_german_reminders_use_the_singular_for_one_day(db, clock, policy):
    with db.transaction() as s:
        c = L.customer(s, "C-DE", language="de")
        L.invoice(s, c, "INV-1", 1, amount="400.00")
        L.invoice(s, L.customer(s, "C-EN"), "INV-2", 1, amount="400.00")
    m = emails(plan(db, clock, policy))
    assert "(1 Tag überfällig)" in m["C-DE"]["body"] and "Tage" not in m["C-DE"]["body"]
    assert "(1 day overdue)" in m["C-EN"]["body"]
