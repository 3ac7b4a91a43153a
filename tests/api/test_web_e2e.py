"""End-to-end in headless Chromium (Debian's, driven by Playwright): the demo company served
for real, a real SMTP sink, the approvals worker running. Screenshots go to docs/screenshots."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.sessions import issue_login_link
from api.demo import prepare_demo, seed_demo_users
from api.main import create_app
from api.server import build_context, start_background
from ledger.db import Database
from ledger.models import Approval
from mail.sink import SmtpSink, free_port
from mail.smtp import SmtpTransport
from tests.api.conftest import make_settings

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# `AR_AGENT_UPDATE_SCREENSHOTS=1 make test` refreshes the README's screenshots; otherwise they go to /tmp
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("AR_AGENT_UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "ar-agent-screenshots"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.clock import FrozenClock

    sink = SmtpSink().start()
    settings = make_settings(AR_AGENT_SMTP_URL=sink.url)
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('web') / 'demo.db'}")
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago")))
    ctx = build_context(settings, db=db, clock=clock)
    prepare_demo(ctx, customers=60, say=lambda _: None)
    seed_demo_users(ctx)
    app = create_app(settings, ctx=ctx)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    background = start_background(ctx, transport=SmtpTransport.from_url(sink.url), interval=0.2)
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "ctx": ctx, "sink": sink}
    background.stop()
    server.should_exit = True
    thread.join(5)
    sink.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(f"{served['base']}/login?next=/approvals")
    pg.fill("input[name=username]", "alice")
    pg.fill("input[name=password]", "alice-demo-pass")
    pg.click("form[action='/login'] button[type=submit]")
    pg.wait_for_url("**/approvals")
    yield pg
    context.close()


def test_wrong_password_is_refused(browser, served):
    pg = browser.new_page()
    pg.goto(f"{served['base']}/approvals")
    assert "/login" in pg.url
    pg.fill("input[name=username]", "alice")
    pg.fill("input[name=password]", "guess-guess-guess")
    pg.click("form[action='/login'] button[type=submit]")
    assert "do not match" in pg.content()
    pg.close()


def test_edit_and_approve_a_draft_then_see_it_in_the_outbox(page, served):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "approvals.png"))
    card = page.locator("article.approval[data-type=send_email]").first
    card_id = card.get_attribute("id").split("-")[1]
    card.locator("a", has_text="Edit").click()
    page.wait_for_url(f"**/approvals/{card_id}/edit")
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value() + "\n\nPS: edited by Dana in the browser test.")
    page.click("button[value=approve]")
    page.wait_for_url("**/approvals*")
    assert f"#{card_id} approved" in page.locator(".flash").inner_text()
    page.goto(f"{served['base']}/outbox")
    assert "edited by Dana in the browser test" in page.content()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
        "edited by Dana" in m.get_body(("plain",)).get_content() for m in served["sink"].messages
    ):
        time.sleep(0.1)
    delivered = [
        m
        for m in served["sink"].messages
        if "edited by Dana" in m.get_body(("plain",)).get_content()
    ]
    assert len(delivered) == 1
    with served["ctx"].db.session() as session:
        approval = session.get(Approval, int(card_id))
        assert approval.status == "executed" and approval.decided_by == "alice" and approval.edits


def test_reject_with_a_reason(page, served):
    card = page.locator("article.approval").first
    card_id = int(card.get_attribute("id").split("-")[1])
    card.locator("summary", has_text="Reject").click()
    card.locator("input[name=reason]").fill("Customer called: paid by cheque yesterday")
    card.locator("form[action$=reject] button").click()
    card.locator(".outcome").wait_for()  # decided in place, no reload
    assert f"#{card_id} rejected" in card.locator(".outcome").inner_text()
    page.goto(f"{served['base']}/approvals?view=decided")
    row = page.locator("tr", has_text="paid by cheque yesterday")
    assert row.count() == 1 and "rejected" in row.inner_text()
    with served["ctx"].db.session() as session:
        assert session.get(Approval, card_id).status == "rejected"


def test_chat_who_owes_us_the_most(page, served):
    from tools.context import ToolContext
    from tools.top_debtors import top_debtors

    with served["ctx"].db.session() as session:
        top = top_debtors(ToolContext(session=session, clock=served["ctx"].clock), limit=1).debtors[
            0
        ]
    page.goto(f"{served['base']}/chat")
    page.fill("#chat-input", "who owes us the most?")
    page.click("#chat-form button[type=submit]:not([name])")
    # a locator, not wait_for_function: the page's CSP forbids evaluating strings
    expect(page.locator(".turn.agent:last-child .text")).not_to_contain_text("thinking")
    answer = page.locator(".turn.agent .text").last.inner_text()
    assert top.customer_name in answer


def test_chat_works_without_javascript(browser, served):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    with served["ctx"].db.transaction() as session:
        link = issue_login_link(session, "carol")
    pg.goto(f"{served['base']}/login/link/{link}")
    pg.goto(f"{served['base']}/chat")
    pg.fill("#chat-input", "aging")
    pg.click("#chat-form button[type=submit]:not([name])")
    pg.wait_for_url("**/chat")
    assert "90+" in pg.locator(".turn.agent .text").last.inner_text()
    context.close()


def test_dashboard_charts_render(page, served):
    page.goto(f"{served['base']}/dashboard")
    charts = page.locator("svg.chart")
    assert charts.count() >= 4
    assert page.locator("svg.chart rect").count() >= 5  # aging bars and forecast bars
    assert page.locator("svg.chart polyline").count() >= 1  # DSO trend
    assert page.locator("svg.chart rect").first.bounding_box()["height"] > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)


def test_bulk_approve_rechecks_each(page, served):
    with served["ctx"].db.session() as session:
        pending = session.scalars(
            select(Approval.id).where(Approval.status == "pending", Approval.type == "send_email")
        ).all()[:2]
    page.goto(f"{served['base']}/approvals")
    for approval_id in pending:
        page.check(f"input[name=ids][value='{approval_id}']")
    page.click("button[value=approve]")
    page.wait_for_url("**/approvals*")
    with served["ctx"].db.session() as session:
        statuses = {session.get(Approval, a).status for a in pending}
    assert statuses <= {"executed", "failed"} and statuses


def test_bank_upload_matches_and_queues(page, served):
    from ledger.models import BankTransaction

    path = Path(tempfile.gettempdir()) / "ar-agent-e2e-statement.csv"
    with served["ctx"].db.session() as session:
        rows = (
            session.execute(select(Approval.payload).where(Approval.type == "send_email"))
            .scalars()
            .all()
        )
    invoice = rows[0]["invoices"][0]
    with served["ctx"].db.session() as session:
        from ledger.models import Customer, Invoice

        inv = session.scalars(select(Invoice).where(Invoice.number == invoice)).one()
        payer = session.get(Customer, inv.customer_id).name.upper()
        path.write_text(
            "Date,Amount,Currency,Counterparty,Reference,Transaction ID\n"
            f"2026-11-22,{inv.balance},USD,{payer},{invoice},E2E-1\n"
        )
    page.goto(f"{served['base']}/bank")
    page.set_input_files("input[type=file]", str(path))
    page.click("form[action='/bank'] button[type=submit]")
    page.wait_for_selector("h2")
    assert "1 matched" in page.locator("h2").first.inner_text()
    row = page.locator("tr.status-auto", has_text="E2E-1")
    assert row.count() == 1 and invoice in row.inner_text()
    with served["ctx"].db.session() as session:
        assert (
            session.scalars(select(BankTransaction).where(BankTransaction.bank_id == "E2E-1"))
            .one()
            .status
            == "proposed"
        )


AXE = Path(__file__).resolve().parents[1] / "support" / "axe.min.js"


def every_page(served: dict) -> list[str]:
    """One URL of every page a user can reach (with real ids from the demo company)."""
    with served["ctx"].db.session() as session:
        pending = session.scalars(
            select(Approval.id).where(Approval.status == "pending", Approval.type == "send_email")
        ).first()
        customer = session.scalars(
            select(Approval.customer_id).where(Approval.customer_id.is_not(None))
        ).first()
    return [
        "/approvals",
        "/approvals?type=send_email&sort=amount",
        "/approvals?view=decided",
        "/approvals?view=blocked",
        "/approvals/bulk?type=send_email",
        f"/approvals/{pending}/edit",
        "/escalations",
        "/suggestions",
        "/chat",
        "/dashboard",
        "/customers",
        f"/customers/{customer}",
        "/outbox",
        "/bank",
    ]


def logged_in(browser, served, **context_args):
    context = browser.new_context(**context_args)
    pg = context.new_page()
    pg.goto(f"{served['base']}/login?next=/approvals")
    pg.fill("input[name=username]", "alice")
    pg.fill("input[name=password]", "alice-demo-pass")
    pg.click("form[action='/login'] button[type=submit]")
    pg.wait_for_url("**/approvals")
    return context, pg


def test_every_page_has_no_serious_accessibility_violation(browser, served):
    """axe-core (WCAG 2.1 A and AA rules) on every page: no serious or critical violation."""
    source = AXE.read_text(encoding="utf-8")
    context, pg = logged_in(
        browser, served, viewport={"width": 1366, "height": 900}, bypass_csp=True
    )
    found = {}
    for path in every_page(served):
        pg.goto(f"{served['base']}{path}")
        pg.add_script_tag(content=source)
        result = pg.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        bad = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[path] = bad
    context.close()
    assert not found, found


def test_phone_width_has_no_horizontal_overflow(browser, served):
    context, pg = logged_in(browser, served, viewport={"width": 375, "height": 812})
    overflowing = {}
    for path in every_page(served):
        pg.goto(f"{served['base']}{path}")
        widths = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            overflowing[path] = widths
    pg.goto(f"{served['base']}/approvals")
    assert not pg.locator("#main-nav a[href='/bank']").is_visible()  # the menu is collapsed
    pg.click(".menu-toggle")
    assert pg.locator("#main-nav a[href='/bank']").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.goto(f"{served['base']}/dashboard")
    pg.screenshot(path=str(SCREENSHOTS / "phone-dashboard.png"))
    context.close()
    assert not overflowing, overflowing


def test_dashboard_tiles_are_not_clipped(browser, served):
    for width in (375, 768, 1366):
        context, pg = logged_in(browser, served, viewport={"width": width, "height": 900})
        pg.goto(f"{served['base']}/dashboard")
        clipped = pg.evaluate(
            "[...document.querySelectorAll('.kpi .value')]"
            ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)"
        )
        assert clipped == [], (width, clipped)
        assert "partial" in pg.locator("figure", has_text="Collected vs promised").inner_text()
        context.close()


def test_inbox_filters_search_and_decides_in_place(browser, served):
    context, pg = logged_in(browser, served, viewport={"width": 1366, "height": 900})
    pg.goto(f"{served['base']}/approvals")
    assert pg.locator("article.approval").count() <= 50
    pg.select_option("select[name=type]", "send_email")  # a filter applies on change
    pg.wait_for_url("**/approvals?type=send_email*")
    types = set(
        pg.eval_on_selector_all("article.approval", "cards => cards.map(c => c.dataset.type)")
    )
    assert types == {"send_email"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / "approvals.png"))
    first = pg.locator("article.approval").first
    number = first.locator(".email").inner_text().split("INV-")[1].split(":")[0].split()[0]
    pg.fill("input[name=q]", f"INV-{number}")
    pg.press("input[name=q]", "Enter")
    pg.wait_for_url("**q=INV-*")
    assert 1 <= pg.locator("article.approval").count() < 10
    assert f"INV-{number}" in pg.locator("article.approval").first.inner_text()

    pg.goto(f"{served['base']}/approvals?type=change_credit")
    pg.keyboard.press("Tab")  # the skip link goes straight to the cards
    assert pg.evaluate("document.activeElement.textContent") == "Skip to the approvals"
    pg.keyboard.press("Enter")
    stops = 0
    while stops < 8 and not pg.evaluate("document.activeElement.classList.contains('approve')"):
        pg.keyboard.press("Tab")
        stops += 1
    assert stops <= 5, "the first Approve button should be a few Tab stops after the skip link"
    pg.goto(f"{served['base']}/approvals?type=change_credit")
    pg.evaluate("window.__stayed = true")  # gone if the page reloads
    cards = pg.locator("article.approval")
    first_id, second_id = cards.nth(0).get_attribute("id"), cards.nth(1).get_attribute("id")
    pg.keyboard.press("j")  # focus the first card
    assert pg.evaluate("document.activeElement.id") == first_id
    pg.keyboard.press("a")  # approve it
    pg.locator(f"#{first_id} .outcome").wait_for()
    assert "approved" in pg.locator(f"#{first_id} .outcome").inner_text()
    assert pg.evaluate("window.__stayed") is True
    pg.wait_for_function(f"document.activeElement.id === '{second_id}'")
    pg.keyboard.press("r")  # reject opens the reason on the focused card
    assert pg.locator(f"#{second_id} input[name=reason]").evaluate(
        "e => e === document.activeElement"
    )
    with served["ctx"].db.session() as session:
        assert session.get(Approval, int(first_id.split("-")[1])).status == "executed"
    context.close()


def test_escalations_page_and_screenshot(page, served):
    page.goto(f"{served['base']}/escalations")
    task = page.locator("article.task").first
    task.locator("form[action$=assign] button").click()
    page.wait_for_url("**/escalations*")
    assert "Assigned to" in page.locator("article.task").first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "escalations.png"))
