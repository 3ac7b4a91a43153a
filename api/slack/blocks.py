"""Block Kit for approval cards, run summaries, modals and App Home.

Every string that a customer (or the ledger, which customers' data fills) controls is
put through :func:`escape` before it goes into ``mrkdwn``: ``&``, ``<`` and ``>`` are
Slack's control characters, so ``<!channel>``, ``<@U123>`` or ``<http://x|Approve>`` in an
email show as text, never as a mention or a link. Text objects are ``verbatim`` too, so
Slack does not turn bare URLs or channel names into links either.
"""

from __future__ import annotations

from typing import Any

from agent.grounding import evidence_rows
from ledger.models import Approval
from policies.actions import EDITABLE_FIELDS

SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text
TYPE_LABELS = {
    "send_email": ":email: Send email",
    "record_promise": ":handshake: Record promise to pay",
    "open_dispute": ":warning: Open dispute",
    "create_payment_plan": ":calendar: Payment plan",
    "apply_payment": ":moneybag: Apply payment",
    "reverse_payment": ":leftwards_arrow_with_hook: Reverse returned payment",
    "update_contact": ":bust_in_silhouette: Update contact",
    "hold_dunning": ":double_vertical_bar: Hold dunning",
    "escalate": ":rotating_light: Escalate",
    "change_credit": ":credit_card: Change credit",
    "change_template": ":pencil2: Change template wording",
}


def escape(value: object) -> str:
    """Text for Slack mrkdwn that renders as written: no mentions, links or commands."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text(value: str, *, mrkdwn: bool = True) -> dict[str, Any]:
    if not mrkdwn:
        return {"type": "plain_text", "text": value[:SECTION_LIMIT] or " "}
    return {"type": "mrkdwn", "text": _cut(value) or " ", "verbatim": True}


def _cut(value: str) -> str:
    """At most SECTION_LIMIT characters, never ending inside an ``&amp;``-style entity."""
    if len(value) <= SECTION_LIMIT:
        return value
    cut = value[:SECTION_LIMIT]
    amp = cut.rfind("&", max(0, SECTION_LIMIT - 5))
    return cut[:amp] if amp >= 0 and ";" not in cut[amp:] else cut


def section(value: str) -> dict[str, Any]:
    return {"type": "section", "text": text(value)}


def _chunks(value: str) -> list[str]:
    """Escaped text in pieces that fit a section (the code fence takes 6 characters)."""
    size = SECTION_LIMIT - 6
    pieces = [value[i : i + size // 5] for i in range(0, len(value), size // 5)] or [""]
    chunks: list[str] = []
    current = ""
    for piece in pieces:  # escaping can grow a piece fivefold; pack escaped pieces
        escaped = escape(piece)
        if current and len(current) + len(escaped) > size:
            chunks.append(current)
            current = ""
        current += escaped
    return [*chunks, current]


def _quote(value: str) -> str:
    return "\n".join("> " + escape(line) for line in value.splitlines()) or "> "


def _listed(value: object) -> str:
    return escape(", ".join(map(str, value)) if isinstance(value, list) else value)


def describe_payload(a: Approval) -> list[dict[str, Any]]:
    p = a.payload
    if a.type == "send_email":
        head = f"*To:* {_listed(p.get('to', []))}" + (
            f"\n*Cc:* {_listed(p['cc'])}" if p.get("cc") else ""
        )
        if p.get("bcc"):
            head += f"\n*Bcc:* {_listed(p['bcc'])}"
        head += f"\n*Subject:* {escape(p.get('subject', ''))}"
        return [section(head)] + [section(f"```{chunk}```") for chunk in _chunks(p.get("body", ""))]
    if a.type == "create_payment_plan":
        rows = "\n".join(
            f"• {escape(i.get('date'))}: {escape(i.get('amount'))}"
            for i in p.get("installments", [])
            if isinstance(i, dict)
        )
        return [
            section(
                f"*Invoices:* {_listed(p.get('invoices', []))}\n*Down payment:* "
                f"{escape(p.get('down_payment', '0'))}\n{rows}"
            )
        ]
    fields = [
        f"*{escape(str(k).replace('_', ' ').capitalize())}:* {_listed(v)}"
        for k, v in p.items()
        if k != "customer" and v not in (None, "", [])
    ]
    return [section("\n".join(fields) or "_no details_")]


def approval_card(a: Approval, customer_name: str | None) -> list[dict[str, Any]]:
    """The card an approver sees: what, for whom, why, checks, the draft, the buttons."""
    who = customer_name or a.customer_id or "no customer"
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": text(f"{TYPE_LABELS.get(a.type, a.type)} — {who}"[:150], mrkdwn=False),
        },
        {
            "type": "context",
            "elements": [
                text(
                    f"#{a.id} · requested by {_mention(a.requested_by)}"
                    + (f" · run {escape(a.run_id)}" if a.run_id else "")
                )
            ],
        },
    ]
    if a.reason:
        blocks.append(section(f"*Why:* {escape(a.reason)}"))
    sender = (a.context or {}).get("sender")
    if isinstance(sender, dict) and sender.get("summary"):
        blocks.append(section(f"*Written by:* {escape(sender['summary'])}"))
    replaced = (a.context or {}).get("supersedes")
    if replaced:
        listed = ", ".join(f"#{escape(i)}" for i in replaced)
        blocks.append(section(f"_Replaces {listed}, an older proposal for the same thing._"))
    evidence = evidence_rows(a.context)
    if evidence:
        lines = [f"*{escape(label)}:* " + _quote(quote[:400]) for label, quote in evidence]
        blocks.append(section("*In the customer's own words:*\n" + "\n".join(lines)))
    blocks += describe_payload(a)
    checks = a.checks or []
    if checks:
        passed = sum(1 for c in checks if c.get("passed"))
        blocks.append(
            {
                "type": "context",
                "elements": [
                    text(
                        f":white_check_mark: {passed}/{len(checks)} policy checks passed: "
                        + escape(", ".join(str(c.get("rule", "?")) for c in checks)[:1800])
                    )
                ],
            }
        )
    if a.approvals_by:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    text(
                        f":eyes: Approved by {', '.join(_mention(u) for u in a.approvals_by)}; a second approver is needed."
                    )
                ],
            }
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": f"approval:{a.id}",
            "elements": [
                {
                    "type": "button",
                    "action_id": "approval_approve",
                    "text": text("Approve", mrkdwn=False),
                    "style": "primary",
                    "value": str(a.id),
                },
                {
                    "type": "button",
                    "action_id": "approval_edit",
                    "text": text("Edit", mrkdwn=False),
                    "value": str(a.id),
                },
                {
                    "type": "button",
                    "action_id": "approval_reject",
                    "text": text("Reject", mrkdwn=False),
                    "style": "danger",
                    "value": str(a.id),
                },
            ],
        }
    )
    return blocks


def decided_card(a: Approval, customer_name: str | None) -> list[dict[str, Any]]:
    """The card after a decision: the buttons give way to who, when and the outcome."""
    blocks = [b for b in approval_card(a, customer_name) if b.get("type") != "actions"]
    when = a.decided_at.strftime("%Y-%m-%d %H:%M UTC") if a.decided_at else ""
    outcome = {
        "executed": ":white_check_mark: Approved and executed",
        "approved": ":hourglass: Approved, executing",
        "rejected": ":x: Rejected",
        "failed": ":warning: Approved but could not run",
        "expired": ":zzz: Expired",
        "superseded": f":arrows_counterclockwise: Superseded by #{a.superseded_by}",
    }.get(a.status, a.status)
    detail = a.error or a.decision_note or ""
    blocks.append(
        section(
            f"*{outcome}* by {_mention(a.decided_by or '')} {when}"
            + (f"\n{escape(detail)}" if detail else "")
        )
    )
    return blocks


def run_summary(run_id: str, count: int, customers: int) -> list[dict[str, Any]]:
    return [
        section(
            f":inbox_tray: *Dunning run {run_id}*: {count} proposals for {customers} customers. "
            "The cards are in this thread; each is re-checked against the policy and the ledger when it runs."
        ),
        {
            "type": "actions",
            "block_id": f"run:{run_id}",
            "elements": [
                {
                    "type": "button",
                    "action_id": "approval_approve_all",
                    "style": "primary",
                    "text": text(f"Approve all {count}", mrkdwn=False),
                    "value": run_id,
                    "confirm": {
                        "title": text("Approve all?", mrkdwn=False),
                        "text": text(
                            f"Approve all {count} pending proposals of this run?", mrkdwn=False
                        ),
                        "confirm": text("Approve all", mrkdwn=False),
                        "deny": text("Cancel", mrkdwn=False),
                    },
                },
            ],
        },
    ]


def edit_modal(a: Approval) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if a.type == "send_email":
        blocks.append(_input("subject", "Subject", a.payload.get("subject", "")))
        blocks.append(_input("body", "Body", a.payload.get("body", ""), multiline=True))
    else:
        for key, value in a.payload.items():
            if key not in EDITABLE_FIELDS.get(a.type, ()):
                continue  # the proposal's identity: reject and propose anew to change it
            shown = (
                ", ".join(map(str, value))
                if isinstance(value, list) and key != "installments"
                else value
            )
            if key == "installments":
                import json

                shown = json.dumps(value)
            blocks.append(
                _input(
                    key,
                    key.replace("_", " ").capitalize(),
                    "" if shown is None else str(shown),
                    multiline=key == "installments",
                )
            )
    return {
        "type": "modal",
        "callback_id": "approval_edit_submit",
        "private_metadata": str(a.id),
        "title": text("Edit proposal", mrkdwn=False),
        "submit": text("Save", mrkdwn=False),
        "close": text("Cancel", mrkdwn=False),
        "blocks": blocks,
    }


def reject_modal(a: Approval) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "approval_reject_submit",
        "private_metadata": str(a.id),
        "title": text("Reject proposal", mrkdwn=False),
        "submit": text("Reject", mrkdwn=False),
        "close": text("Cancel", mrkdwn=False),
        "blocks": [_input("reason", "Why are you rejecting it?", "", multiline=True)],
    }


def _input(block_id: str, label: str, initial: str, *, multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = initial[:3000]
    return {
        "type": "input",
        "block_id": block_id,
        "label": text(label, mrkdwn=False),
        "element": element,
    }


def _mention(user: str) -> str:
    """A Slack user id as a mention; anything else (a web user name, "agent") as text."""
    if user[:1] in ("U", "W") and user.isascii() and user.isalnum():
        return f"<@{user}>"
    return escape(user)
