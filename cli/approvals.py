"""``ar-agent approvals [list|show ID|approve ID|reject ID --reason R]``: the queue from a terminal.

``approve`` executes right away (and, with ``AR_AGENT_SMTP_URL`` set, delivers a
due email) and prints the outcome. ``--json`` prints machine-readable output. Deciding
needs a credential (``cli.identity``): ``AR_AGENT_TOKEN``, or ``--as USER`` and a password.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from accounts.roles import Identity
from application import decisions
from approvals import queue
from approvals.audit import history
from approvals.executor import Execution, snapshot_of
from cli.common import clock, existing_file, open_database, settings
from cli.identity import cli_identity
from core.errors import ConflictError, ValidationError
from ledger.models import Approval

STATUSES = ("pending", "approved", "executed", "failed", "rejected", "expired", "all")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "approvals",
        help="list, show, approve or reject queued actions",
        description="The approval queue. Nothing is sent or written until a "
        "human approves; approve executes immediately.",
    )
    p.set_defaults(func=run, action="list", status="pending", json=False)
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    ls = acts.add_parser("list", help="a table of approvals (pending by default)")
    ls.add_argument("--status", choices=STATUSES, default="pending")
    ls.add_argument("--customer", help="only this customer id")
    ls.add_argument("--limit", type=int, default=100)
    show = acts.add_parser("show", help="one approval with its payload and history")
    show.add_argument("id", type=int)
    ok = acts.add_parser("approve", help="approve (and execute) one approval")
    ok.add_argument("id", type=int)
    ok.add_argument(
        "--edit",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="change a payload field first (VALUE as JSON, else text); repeatable",
    )
    ok.add_argument("--body-file", type=existing_file, help="replace the email body with this file")
    ok.add_argument("--note", help="a note kept with the decision")
    no = acts.add_parser("reject", help="reject one approval")
    no.add_argument("id", type=int)
    no.add_argument("--reason", required=True, help="why (kept in the audit log)")
    for parser in (p, ls, show, ok, no):
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USER",
            default=argparse.SUPPRESS,
            help="decide as this account (its password is asked; default $AR_AGENT_CLI_USER); "
            "or set AR_AGENT_TOKEN to your API token",
        )
        parser.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
        )


def run(args: argparse.Namespace) -> int:
    db = open_database()
    try:
        if args.action == "show":
            return _show(db, args)
        if args.action == "approve":
            return _approve(db, args)
        if args.action == "reject":
            decisions.decide_approval(
                db,
                decisions.Decision(args.id, approve=False, reason=args.reason),
                actor=_actor(db, args),
                clock=clock(),
                settings=settings(),
            )
            with db.session() as session:
                snapshot = snapshot_of(queue.get_approval(session, args.id))
            _print(args, snapshot, f"approval {args.id} rejected")
            return 0
        return _list(db, args)
    finally:
        db.dispose()


def _actor(db: Any, args: argparse.Namespace) -> Identity:
    return cli_identity(db, settings(), getattr(args, "as_user", None))


def _print(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, indent=2, default=str) if getattr(args, "json", False) else text)


def _list(db: Any, args: argparse.Namespace) -> int:
    status = None if args.status == "all" else args.status
    with db.session() as s:
        rows = queue.list_approvals(
            s, status, customer=getattr(args, "customer", None), limit=getattr(args, "limit", 100)
        )
        if getattr(args, "json", False):
            print(json.dumps([snapshot_of(a) for a in rows], indent=2, default=str))
            return 0
        print(table(rows) if rows else f"no {args.status} approvals")
    return 0


def table(rows: list[Approval]) -> str:
    """A fixed-width table: id, status, type, customer, summary, requested by, created."""
    head = ("ID", "STATUS", "TYPE", "CUSTOMER", "SUMMARY", "REQUESTED BY", "CREATED")
    body = [
        (
            str(a.id),
            a.status,
            a.type,
            a.customer_id or "-",
            summary(a)[:60],
            a.requested_by,
            a.created_at.strftime("%Y-%m-%d %H:%M"),
        )
        for a in rows
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *body]
    )


def summary(a: Approval) -> str:
    p = a.payload
    numbers = p.get("invoices") or ([p["invoice"]] if p.get("invoice") else [])
    invs = ", ".join(numbers)
    return {
        "send_email": lambda: f"to {', '.join(p.get('to', []))}: {p.get('subject', '')}",
        "record_promise": lambda: f"{invs} by {p.get('date')} {p.get('amount', '')}".rstrip(),
        "open_dispute": lambda: f"{invs}: {p.get('reason')}",
        "create_payment_plan": lambda: f"{invs}: {len(p.get('installments', []))} instalments",
        "apply_payment": lambda: f"{p.get('amount')} from {p.get('transaction')} to {invs}",
        "update_contact": lambda: f"{p.get('email')}" + (" opt-out" if p.get("opt_out") else ""),
        "hold_dunning": lambda: f"{invs or 'all invoices'} until {p.get('until', '-')}",
        "escalate": lambda: str(p.get("reason", "")),
        "change_credit": lambda: (
            f"limit {p.get('credit_limit', '-')} hold {p.get('credit_hold', '-')}"
        ),
    }.get(a.type, lambda: "")()


def _show(db: Any, args: argparse.Namespace) -> int:
    with db.session() as s:
        approval = queue.get_approval(s, args.id)
        snap = snapshot_of(approval)
        snap["history"] = [
            {
                "at": e.at.isoformat(),
                "event": e.event,
                "actor": e.actor,
                "from": e.from_status,
                "to": e.to_status,
                "detail": e.detail,
            }
            for e in history(s, args.id)
        ]
        snap["checks"] = approval.checks
    lines = [
        f"approval {snap['id']}: {snap['type']} for {snap['customer'] or '-'} "
        f"[{snap['status']}], requested by {snap['requested_by']}"
    ]
    if snap["reason"]:
        lines.append(f"reason: {snap['reason']}")
    lines += [f"  {k}: {v}" for k, v in snap["payload"].items() if k != "body"]
    if "body" in snap["payload"]:
        lines += ["  body:", *("    " + line for line in snap["payload"]["body"].splitlines())]
    if snap["error"]:
        lines.append(f"error: {snap['error']}")
    lines.append("history:")
    lines += [f"  {h['at'][:19]}  {h['event']:<16} {h['actor']}" for h in snap["history"]]
    _print(args, snap, "\n".join(lines))
    return 0


def parse_edits(items: list[str], body_file: Any = None) -> dict[str, Any]:
    """``FIELD=VALUE`` pairs (VALUE read as JSON when it parses, else as text)."""
    edits: dict[str, Any] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise ValidationError(f"--edit {item!r}: expected FIELD=VALUE")
        try:
            edits[field.strip()] = json.loads(value)
        except json.JSONDecodeError:
            edits[field.strip()] = value
    if body_file is not None:
        edits["body"] = body_file.read_text(encoding="utf-8")
    return edits


def _approve(db: Any, args: argparse.Namespace) -> int:
    edits = parse_edits(args.edit, args.body_file) or None
    actor = _actor(db, args)
    try:
        decided = decisions.decide_approval(
            db,
            decisions.Decision(args.id, approve=True, edits=edits, note=args.note),
            actor=actor,
            clock=clock(),
            settings=settings(),
        )
        outcome = decided.execution
    except ConflictError as conflict:
        outcome = _already_done(db, args.id, conflict)  # a re-run: say what happened
    assert outcome is not None  # an approval always has an execution outcome
    delivered = _deliver_now(db, outcome)
    data = {
        "id": outcome.approval_id,
        "status": outcome.status,
        "result": outcome.result,
        "error": outcome.error,
        "note": outcome.note,
        "already": outcome.already,
        "delivery": delivered,
    }
    _print(args, data, describe(outcome, delivered))
    return 0 if outcome.status != "failed" else 1


def _already_done(db: Any, approval_id: int, conflict: ConflictError) -> Execution:
    with db.session() as session:
        a = queue.get_approval(session, approval_id)
        if a.status not in ("executed", "failed"):
            raise conflict
        return Execution(a.id, a.status, result=a.result, error=a.error, already=True)


def _deliver_now(db: Any, outcome: Execution) -> str | None:
    if not (outcome.ok and outcome.result and "communication_id" in outcome.result):
        return None
    url = settings().smtp_url
    if not url:
        return None
    from approvals.bounces import escalate_refusals
    from approvals.executors.send_email import still_sendable
    from mail.outbox import deliver_due
    from mail.smtp import SmtpTransport

    report = deliver_due(
        db, clock=clock(), transport=SmtpTransport.from_url(url), precheck=still_sendable
    )
    escalate_refusals(db, report.sent + report.failed, clock=clock(), policy=None)
    cid = outcome.result["communication_id"]
    if cid in report.sent:
        return "sent"
    if cid in report.unknown:
        return f"delivery unknown (resend or close it on the Outbox page): {report.errors[cid]}"
    if cid in report.failed:
        return f"failed: {report.errors.get(cid, 'refused')}"
    return f"retrying: {report.errors[cid]}" if cid in report.errors else None


def describe(outcome: Execution, delivered: str | None = None) -> str:
    """One line for a human: what happened to the approval."""
    n = outcome.approval_id
    if outcome.status == "pending":
        return f"approval {n}: approval recorded; {outcome.note or 'another approver is needed'}"
    if outcome.status == "failed":
        return f"approval {n} failed: {outcome.error}"
    prefix = f"approval {n} was already executed" if outcome.already else f"approval {n} executed"
    r = outcome.result or {}
    if "message_id" in r:
        when = {"sent": "sent now"}.get(
            delivered or "", f"in the outbox for {r.get('next_attempt_at')}"
        )
        if delivered and delivered.startswith("retrying"):
            when = f"in the outbox, {delivered}"
        elif delivered and delivered != "sent":
            when = delivered
        return f"{prefix}: email {r['message_id']} {when}"
    details = ", ".join(f"{k}={v}" for k, v in r.items() if not isinstance(v, dict | list))
    return f"{prefix}" + (f": {details}" if details else "")
