"""Approver edits surfaced as suggestions: counted once per approval, generalised."""

from __future__ import annotations

from dunning.learning import edit_patterns, suggest_changes
from ledger.models import Approval

BODY = (
    "Dear Globex team,\n\nThe following invoice is now overdue. Could you let us know "
    "the date on which we can expect payment?\n\n- {inv}: 1,000.00 USD\n\nKind regards,"
)


def edited(s, n, before_body, after_body, *, stage="first", cc_after=None, subject=None):
    before = {
        "customer": "C-1",
        "to": ["ap@x.example"],
        "cc": [],
        "subject": "Overdue",
        "body": before_body,
        "stage": stage,
        "language": "en",
    }
    after = {**before, "body": after_body, "cc": cc_after or [], "subject": subject or "Overdue"}
    s.add(
        Approval(
            type="send_email",
            payload=after,
            status="executed",
            requested_by="dunning",
            idempotency_key=f"k{n}",
            edits={"before": before, "after": after, "by": "U1"},
        )
    )


def seed(db):
    with db.transaction() as s:
        for n, inv in enumerate(["INV-1042", "INV-2210", "INV-7"]):
            body = BODY.format(inv=inv)
            edited(s, n, body, body.replace("Could you let us know", "Please confirm"))
        body = BODY.format(inv="INV-9")
        # an invoice number edit (generalised to the same pattern twice) and a sign-off change
        edited(s, 10, body, body.replace("INV-9", "INV-10").replace("Kind regards,", "Thanks,"))
        edited(s, 11, body, body.replace("INV-9", "INV-11"), cc_after=["cfo@x.example"])
        edited(s, 12, body, body, stage="final", cc_after=["cfo@x.example"])
        edited(s, 13, body, body, stage="final", cc_after=["lee@x.example"])
        s.add(
            Approval(
                type="send_email",
                payload={},
                status="executed",
                requested_by="dunning",
                idempotency_key="odd",
                edits={"x": 1},
            )
        )  # no before/after: ignored


def test_most_frequent_edit_first_counted_once_per_approval(db):
    seed(db)
    with db.session() as s:
        patterns = edit_patterns(s)
    top = patterns[0]
    assert (top.field, top.stage, top.removed, top.added, top.count) == (
        "body",
        "first",
        "could you let us know",
        "please confirm",
        3,
    )
    keys = {(p.field, p.stage, p.removed, p.added): p.count for p in patterns}
    assert keys[("body", "first", "inv-#:", "inv-##:")] == 2  # INV-9 -> INV-10 / INV-11
    assert keys[("cc", "final", "", "another address")] == 2
    assert ("body", "first", "kind regards,", "thanks,") not in keys  # only once: not a pattern


def test_suggestions_read_as_template_changes(db):
    seed(db)
    with db.session() as s:
        texts = [x.text for x in suggest_changes(s, limit=3)]
    assert texts[0] == (
        'Approvers replaced "could you let us know" with "please confirm" in '
        "the body of first drafts (en) 3 times: consider changing the template."
    )
    assert any("added cc recipients in final drafts (en) 2 times" in t for t in texts)
    with db.session() as s:
        assert len(suggest_changes(s, min_count=1, limit=50)) > len(texts)
