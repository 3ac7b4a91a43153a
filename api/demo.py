"""Set up the demo company: seed the ledger, read customer replies, match yesterday's bank
file and run one dunning cycle, so drafts wait for approval when the page opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from accounts.sessions import issue_login_link
from accounts.users import add_user, find_user
from api.deps import AppContext
from core.clock import today
from ledger.demo import generate
from ledger.importer import load_ledger
from ledger.models import Approval, Customer

# (username, role, display name, password): known passwords, for the demo only
DEMO_USERS = (
    ("alice", "approver", "Alice Approver", "alice-demo-pass"),
    ("bob", "approver", "Bob Approver", "bob-demo-pass"),
    ("carol", "controller", "Carol Controller", "carol-demo-pass"),
    ("victor", "viewer", "Victor Viewer", "victor-demo-pass"),
)


def seed_demo_users(ctx: AppContext) -> list[tuple[str, str, str]]:
    """Add the demo's named accounts when missing; returns (username, role, password)."""
    with ctx.db.transaction() as session:
        for username, role, name, password in DEMO_USERS:
            if find_user(session, username) is None:
                add_user(session, username, role=role, password=password, display_name=name)
    return [(u, r, p) for u, r, _, p in DEMO_USERS]


def admin_login_link(ctx: AppContext) -> str:
    """A single-use secret that signs the browser in as ``admin`` (valid 60 minutes)."""
    with ctx.db.transaction() as session:
        return issue_login_link(session, "admin", lifetime=timedelta(minutes=60))


@dataclass
class DemoSummary:
    seeded: bool
    customers: int
    pending: int


def prepare_demo(
    ctx: AppContext, *, customers: int = 240, say: Callable[[str], None] = print
) -> DemoSummary:
    """Seed an empty database with the demo company (idempotent: a seeded one is left alone)."""
    from agent.inbox import process_inbound
    from api.services import agent_service, match_statement
    from dunning.schedule import run_today
    from policies.config import load_policy

    with ctx.db.session() as session:
        existing = session.scalar(select(func.count()).select_from(Customer)) or 0
    if existing:
        return DemoSummary(False, existing, _pending(ctx))
    company = generate(today(ctx.clock), customers=customers)
    with ctx.db.transaction() as session:
        summary = load_ledger(session, company.ledger, source="demo company")
    say(f"  ledger: {summary.describe()}")
    result = match_statement(ctx, company.bank_csv.encode(), filename="demo-bank-statement.csv")
    say(f"  bank statement: {result.summary}")
    service = agent_service(ctx)
    intents = [
        process_inbound(ctx.db, raw, clock=ctx.clock, service=service, source="demo")["intent"]
        for raw in company.replies
    ]
    say(f"  customer replies read: {', '.join(str(i) for i in intents)}")
    run = run_today(ctx.db, ctx.clock, policy=load_policy(ctx.settings.policy_path))
    say(
        f"  dunning run {run.run_id}: {len(run.queued)} proposals queued, "
        f"{len(run.skipped)} overdue invoices skipped; credit review done"
    )
    return DemoSummary(True, len(company.ledger["customers"]), _pending(ctx))


def _pending(ctx: AppContext) -> int:
    with ctx.db.session() as session:
        return (
            session.scalar(
                select(func.count()).select_from(Approval).where(Approval.status == "pending")
            )
            or 0
        )
