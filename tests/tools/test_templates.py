"""Every message template renders in every language it exists in, with the must-haves."""

from __future__ import annotations

import pytest

from policies.config import load_policy
from tools._templates import TEMPLATES, render

VALUES = dict(
    invoices=[
        {
            "number": "INV-1",
            "balance": "1,000.00 USD",
            "amount": "1,000.00 USD",
            "due_date": "2026-10-01",
            "days_overdue": 53,
        }
    ],
    total="1,000.00 USD",
    contact_name="Dana",
    customer_name="Globex",
    company="Example Co.",
    pay_link="https://pay.example.com",
    plan_text="3 payments",
    hold_days=7,
)
FILES = sorted(p.name for p in TEMPLATES.glob("*.txt.j2"))


@pytest.mark.parametrize("name", FILES)
def test_template_renders_with_subject_and_invoice(name):
    stem, lang = name.split(".")[0], name.split(".")[1]
    subject, body, used = render(stem, lang, **VALUES)
    assert used == lang and subject and "INV-1" in body


@pytest.mark.parametrize("name", [f for f in FILES if f.startswith("reminder_")])
def test_reminders_have_the_required_elements_and_no_forbidden_words(name):
    policy = load_policy()
    stem, lang = name.split(".")[0], name.split(".")[1]
    stage = stem.removeprefix("reminder_")
    _, body, _ = render(stem, lang, **VALUES)
    required = policy.wording.required_in_dunning_emails
    assert required.pay_pattern.search(body) and required.dispute_pattern.search(body)
    assert "1,000.00 USD" in body and "2026-10-01" in body
    for category, words in policy.wording.forbidden.items():
        if not policy.wording_allowed(category, stage):
            assert not words.pattern.search(body), f"{category} words in {name}"
