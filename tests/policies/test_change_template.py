"""Applying a suggestion (change_template): a real phrase, and no forbidden words brought in."""

from __future__ import annotations

from policies.actions import ProposedAction
from policies.check import check


def change(added: str, removed: str = "kind regards,") -> ProposedAction:
    return ProposedAction(
        type="change_template",
        requested_by="web:Dana",
        payload={
            "suggestion": "abc",
            "template": "prompts/templates/dunning/reminder.en.j2 (first)",
            "field": "body",
            "stage": "first",
            "language": "en",
            "removed": removed,
            "added": added,
        },
    )


def test_a_plain_phrase_change_passes(session, clock, policy):
    assert check(change("many thanks,"), session, clock, policy=policy).allowed


def test_forbidden_words_and_rewritten_passages_are_refused(session, clock, policy):
    legal = check(change("or we take legal action,"), session, clock, policy=policy)
    assert not legal.allowed and "legal language" in " ".join(legal.reasons)
    rewrite = check(change("(rewritten)", "(a long passage)"), session, clock, policy=policy)
    assert not rewrite.allowed
