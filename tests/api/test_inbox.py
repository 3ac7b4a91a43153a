"""Issue 15 on the demo company: the approvals inbox (paged, filtered, counted, one connection
per request), escalations as tasks, chat asking which customer, documents as PDF, suggestions."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import event, func, select

from accounts.users import add_user
from api.demo import prepare_demo, seed_demo_users
from api.main import create_app
from api.server import build_context
from api.services import agent_service
from approvals.executor import execute
from approvals.queue import approve
from core.clock import FrozenClock
from dunning.drafts import Draft
from dunning.phrases import apply_phrases, load_phrase_rules
from ledger.db import Database
from ledger.models import Approval, EscalationTask, Invoice
from mail.outbox import deliver_due
from mail.smtp import SmtpTransport
from tests.api.conftest import make_settings
from tests.support.smtp import SmtpSink

CARD = re.compile(r'<article class="card approval"')


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    sink = SmtpSink().start()
    settings = make_settings(AR_AGENT_SMTP_URL=sink.url)
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('inbox') / 'demo.db'}")
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago")))
    ctx = build_context(settings, db=db, clock=clock)
    prepare_demo(ctx, say=lambda _: None)  # the full 240-customer demo company
    seed_demo_users(ctx)  # alice and bob approve, carol is a controller
    with ctx.db.transaction() as session:
        add_user(session, "dave", role="approver", password="dave-password")
    yield ctx, sink
    sink.stop()


@pytest.fixture(scope="module")
def client(demo):
    ctx, _ = demo
    return signed_in(ctx, "alice", "alice-demo-pass")


def signed_in(ctx, username: str, password: str) -> TestClient:
    c = TestClient(create_app(ctx.settings, ctx=ctx))
    response = c.post("/login", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return c


def csrf(client: TestClient) -> str:
    page = client.get("/approvals").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_first_view_is_small_paged_and_counted(client, demo):
    ctx, _ = demo
    response = client.get("/approvals")
    assert response.status_code == 200
    assert len(response.content) < 300_000
    assert len(CARD.findall(response.text)) == 50
    with ctx.db.session() as session:
        emails = session.scalar(
            select(func.count())
            .select_from(Approval)
            .where(Approval.status == "pending", Approval.type == "send_email")
        )
    assert f'value="send_email" >send email ({emails})</option>' in response.text
    assert 'data-type="escalate"' not in response.text  # escalations are tasks, elsewhere
    second = client.get("/approvals?page=2")
    ids = set(re.findall(r'id="approval-(\d+)"', response.text))
    assert ids.isdisjoint(re.findall(r'id="approval-(\d+)"', second.text))


def test_filters_search_and_sort(client, demo):
    ctx, _ = demo
    emails = client.get("/approvals?type=send_email&sort=amount").text
    types = set(re.findall(r'data-type="(\w+)"', emails))
    assert types == {"send_email"}
    amounts = [
        float(a.replace(",", ""))
        for a in re.findall(r'<span class="amount">([\d,.]+) USD</span>', emails)
    ]
    assert amounts and amounts == sorted(amounts, reverse=True)
    with ctx.db.session() as session:
        number = session.scalars(
            select(Approval.payload).where(
                Approval.status == "pending", Approval.type == "send_email"
            )
        ).first()["invoices"][0]
    found = client.get(f"/approvals?q={number}").text
    assert number in found and 1 <= len(CARD.findall(found)) < 10
    some_id = re.search(r'id="approval-(\d+)"', emails).group(1)
    by_id = client.get(f"/approvals?q=%23{some_id}").text
    assert f'id="approval-{some_id}"' in by_id
    big = client.get("/approvals?min_amount=50000").text
    small = client.get("/approvals?max_amount=100").text
    assert len(CARD.findall(big)) + len(CARD.findall(small)) < 100
    bad = client.get("/approvals?min_amount=lots")
    assert (
        bad.status_code == 200 and "min amount: &#39;lots&#39; is not a decimal amount" in bad.text
    )


def test_the_page_never_holds_two_connections(client, demo):
    """The layout's badge and flash read through the page's own session (no second
    connection while the first is held)."""
    ctx, _ = demo
    held, most = [0], [0]

    def checkout(*_):
        held[0] += 1
        most[0] = max(most[0], held[0])

    def checkin(*_):
        held[0] -= 1

    event.listen(ctx.db.engine, "checkout", checkout)
    event.listen(ctx.db.engine, "checkin", checkin)
    try:
        assert client.get("/approvals?sort=risk").status_code == 200
    finally:
        event.remove(ctx.db.engine, "checkout", checkout)
        event.remove(ctx.db.engine, "checkin", checkin)
    assert most[0] == 1


def test_decision_answers_json_for_the_page(client, demo):
    ctx, _ = demo
    with ctx.db.session() as session:
        approval_id = session.scalars(
            select(Approval.id).where(Approval.status == "pending", Approval.type == "hold_dunning")
        ).first()
    token = csrf(client)
    response = client.post(
        f"/approvals/{approval_id}/reject",
        data={"csrf": token, "reason": "handled by phone"},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {
        "id": approval_id,
        "ok": True,
        "status": "rejected",
        "message": f"#{approval_id} rejected",
    }
    again = client.post(
        f"/approvals/{approval_id}/approve",
        data={"csrf": token},
        headers={"Accept": "application/json"},
    )
    assert again.status_code == 409 and again.json()["ok"] is False


def test_bulk_preview_lists_the_filtered_group(client):
    preview = client.get("/approvals/bulk?type=apply_payment").text
    assert "Approve these" in preview
    assert preview.count('name="ids"') == len(re.findall(r"<td>apply payment</td>", preview))
    assert "send email" not in preview


def test_escalations_are_tasks(client, demo):
    ctx, _ = demo
    page = client.get("/escalations").text
    task_id = int(re.search(r'id="task-(\d+)"', page).group(1))
    token = csrf(client)
    for action, data in [
        ("assign", {"assignee": "me"}),
        ("comment", {"text": "Called their AP, waiting for the CFO"}),
        ("snooze", {"until": "2026-11-30"}),
    ]:
        response = client.post(
            f"/escalations/{task_id}/{action}", data={"csrf": token, **data}, follow_redirects=False
        )
        assert response.status_code == 303
        assert 'class="flash ok"' in client.get(response.headers["location"]).text
    assert f'id="task-{task_id}"' not in client.get("/escalations").text  # snoozed
    assert f'id="task-{task_id}"' in client.get("/escalations?snoozed=1").text
    client.post(
        f"/escalations/{task_id}/resolve",
        data={"csrf": token, "outcome": "payment_arranged", "note": "pays 1 Dec"},
    )
    with ctx.db.session() as session:
        task = session.get(EscalationTask, task_id)
        assert task.assignee == "alice" and task.outcome == "payment_arranged"
        assert [c["text"] for c in task.comments][1] == "Called their AP, waiting for the CFO"
        assert session.get(Approval, task_id).status == "executed"


def test_chat_asks_which_globex_and_queues_nothing(demo):
    ctx, _ = demo
    service = agent_service(ctx)
    with ctx.db.session() as session:
        before = session.scalar(select(func.count()).select_from(Approval))
    reply = service.chat("show me Globex's open invoices", conversation_id="g1", user="web:Dana")
    assert reply.text.startswith("Which customer do you mean? 7 match")
    assert "Globex Manufacturing LLC (C-0180), owes 122,276.75 USD" in reply.text
    plan = service.chat(
        "propose a 4-month plan for Tailspin", conversation_id="t1", user="web:Dana"
    )
    assert "5 match" in plan.text and not plan.proposals
    with ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Approval)) == before
    answer = service.chat("C-0180", conversation_id="g1", user="web:Dana")
    assert "Globex Manufacturing LLC" in answer.text and "INV-12414" in answer.text
    assert "Globex Labs" not in answer.text  # the chosen customer's invoices only


def test_chat_points_to_the_waiting_escalation(demo):
    ctx, _ = demo
    with ctx.db.session() as session:
        waiting = session.scalars(
            select(Approval).where(
                Approval.status == "pending",
                Approval.type == "escalate",
                Approval.customer_id == "C-0008",
            )
        ).one()
    reply = agent_service(ctx).chat(
        "escalate Litware Logistics", conversation_id="e1", user="web:Dana"
    )
    assert "Already waiting for approval, not queued again" in reply.text
    assert f"#{waiting.id} escalation C-0008" in reply.text
    assert [p["id"] for p in reply.proposals] == [waiting.id]


def test_invoice_and_statement_pdfs(client):
    response = client.get("/api/invoices/INV-12420/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "INV-12420" in text and "21,616.00 USD" in text and "https://pay.example.com" in text
    german = client.get("/api/invoices/INV-12420/pdf?language=de").content
    assert "21.616,00 USD" in PdfReader(io.BytesIO(german)).pages[0].extract_text()
    statement = client.get("/api/customers/C-0180/statement.pdf")
    assert "INV-12414" in PdfReader(io.BytesIO(statement.content)).pages[0].extract_text()
    assert client.get("/api/invoices/NOPE-1/pdf").status_code == 404


def test_document_request_reply_carries_the_pdf(demo):
    ctx, sink = demo
    with ctx.db.session() as session:
        draft = next(
            a
            for a in session.scalars(
                select(Approval).where(Approval.status == "pending", Approval.type == "send_email")
            )
            if a.payload.get("attachments")
        )
        number = draft.payload["attachments"][0]["invoice"]
        invoice = session.scalars(select(Invoice).where(Invoice.number == number)).one()
    assert draft.payload["language"] == "en"  # the customer wrote in English
    approve(ctx.db, draft.id, user="web:Alex", clock=ctx.clock)
    assert execute(ctx.db, draft.id, clock=ctx.clock, settings=ctx.settings).ok
    deliver_due(ctx.db, clock=ctx.clock, transport=SmtpTransport.from_url(sink.url))
    sent = next(m for m in sink.messages if m["X-AR-Agent-Approval"] == str(draft.id))
    pdfs = [p for p in sent.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert [p.get_filename() for p in pdfs] == [f"{number}.pdf"]
    text = PdfReader(io.BytesIO(pdfs[0].get_content())).pages[0].extract_text()
    assert number in text and f"{invoice.amount:,.2f} {invoice.currency}" in text


def test_three_approvers_similar_edits_become_a_suggestion(client, demo, capsys, monkeypatch):
    ctx, _ = demo
    with ctx.db.session() as session:
        drafts = [
            a
            for a in session.scalars(
                select(Approval)
                .where(Approval.status == "pending", Approval.type == "send_email")
                .order_by(Approval.id)
            )
            if a.payload.get("stage") == "courtesy"
            and a.payload.get("language") == "en"
            and "Kind regards," in a.payload["body"]
        ][:3]
    assert len(drafts) == 3
    approvers = [("alice", "alice-demo-pass"), ("bob", "bob-demo-pass"), ("dave", "dave-password")]
    for draft, (approver, password) in zip(drafts, approvers, strict=True):
        own = signed_in(ctx, approver, password)
        edit = own.get(f"/approvals/{draft.id}/edit").text
        token = re.search(r'name="csrf" value="([^"]+)"', edit).group(1)
        response = own.post(
            f"/approvals/{draft.id}/edit",
            data={
                "csrf": token,
                "to": ", ".join(draft.payload["to"]),
                "subject": draft.payload["subject"],
                "body": draft.payload["body"].replace("Kind regards,", "Many thanks,"),
                "then": "save",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert "saved and re-validated" in own.get(response.headers["location"]).text
    page = client.get("/suggestions").text
    assert "kind regards," in page and "many thanks," in page
    for draft in drafts:
        assert f"#{draft.id} · {draft.customer_id}" in page
    from cli.main import main
    from core.settings import get_settings

    monkeypatch.setenv("AR_AGENT_DATABASE_URL", str(ctx.db.url))
    get_settings.cache_clear()
    try:
        assert main(["suggestions", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        mine = [s for s in listed if s["added"] == "many thanks,"]
        assert mine and {e["by"] for e in mine[0]["edits"]} == {"alice", "bob", "dave"}
        key = mine[0]["key"]
        apply = client.post(
            f"/suggestions/{key}/apply", data={"csrf": csrf(client)}, follow_redirects=False
        )
        assert "queued for approval" in client.get(apply.headers["location"]).text
        with ctx.db.session() as session:
            change = session.scalars(
                select(Approval).where(Approval.type == "change_template")
            ).one()
        assert change.requested_by == "alice" and change.payload["added"] == "many thanks,"
        assert "Waiting for approval as" in client.get("/suggestions").text
        approve(ctx.db, change.id, user="bob", clock=ctx.clock)
        assert execute(ctx.db, change.id, clock=ctx.clock, settings=ctx.settings).ok
        capsys.readouterr()
        assert main(["suggestions", "--json"]) == 0
        assert not [s for s in json.loads(capsys.readouterr().out) if s["key"] == key]
    finally:
        get_settings.cache_clear()
    with ctx.db.session() as session:
        rules = load_phrase_rules(session)
    draft = Draft("Reminder", "Hello Dana,\n\nKind regards,\nAR", "en", "friendly")
    assert apply_phrases(rules, "courtesy", draft).body == "Hello Dana,\n\nMany thanks,\nAR"
    assert apply_phrases(rules, "final", draft) == draft  # other stages keep their words
    assert f'id="suggestion-{key}"' not in client.get("/suggestions").text


def test_a_dismissed_suggestion_stays_dismissed(db, clock):
    from api.suggestions import decide, open_suggestions
    from tests.dunning.test_learning import seed

    seed(db)
    with db.transaction() as session:
        first = open_suggestions(session)[0]
        decide(session, first.key, decision="dismissed", user="web:Dana", clock=clock)
    with db.session() as session:
        assert first.key not in {s.key for s in open_suggestions(session)}


def test_pages_format_money_in_the_viewers_language(client):
    german = client.get("/customers/C-0180", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    english = client.get("/customers/C-0180", headers={"Accept-Language": "en-US"}).text
    assert "122.276,75 USD" in german and "122,276.75 USD" in english
    cards = client.get("/approvals", headers={"Accept-Language": "de"}).text
    assert re.search(r"Open balance <strong>[\d.]+,\d\d USD</strong>", cards)
