"""Identity from credentials only (F2), any bytes in a credential (F7), sessions and headers (F9).

Each test here failed against the product before accounts existed: REST callers chose
their name with ``X-AR-User``, the web login took any typed name, a non-ASCII token was a
500, cookies had no ``Secure`` and outlived logout, and ``?flash=`` printed any text.
"""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.server import build_context
from approvals.queue import propose
from ledger.importer import load_ledger_file
from ledger.models import Approval, AuditEvent
from policies.actions import ProposedAction
from tests.api.conftest import FIXTURES, make_settings
from tests.support.accounts import add_account, bearer

PASSWORDS = {"alice": "alice-password", "bob": "bob-password-2"}


@pytest.fixture
def ctx(db, clock):
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    return ctx


@pytest.fixture
def tokens(ctx) -> dict[str, str]:
    return {
        "alice": add_account(ctx.db, "alice", "approver", password=PASSWORDS["alice"]),
        "bob": add_account(ctx.db, "bob", "approver", password=PASSWORDS["bob"]),
        "carl": add_account(ctx.db, "carl", "controller"),
        "vic": add_account(ctx.db, "vic", "viewer"),
    }


@pytest.fixture
def client(ctx) -> TestClient:
    return TestClient(create_app(ctx.settings, ctx=ctx))


def queue_action(ctx, type_: str, requested_by: str = "agent", **payload) -> int:
    with ctx.db.transaction() as session:
        result = propose(
            session,
            ProposedAction(
                type=type_,
                payload={"customer": "C-001", **payload},
                requested_by=requested_by,
                reason="test",
            ),
            clock=ctx.clock,
        )
        assert result.approval is not None, result.verdict
        return result.approval.id


def raise_credit(ctx, requested_by: str = "agent") -> int:
    """A credit-limit raise: four-eyes (two different people)."""
    return queue_action(
        ctx, "change_credit", requested_by, credit_limit="5000000.00", reason="100x raise"
    )


def status(ctx, approval_id: int) -> Approval:
    with ctx.db.session() as session:
        return session.get(Approval, approval_id)


def sign_in(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )


def csrf_of(client: TestClient) -> str:
    client.get("/approvals")
    return client.cookies.get("ar_csrf")


# F2: identity is the credential's, in every channel -------------------------------------------


def test_rest_ignores_a_self_declared_user(client, ctx, tokens):
    """One token holder cannot pass four-eyes as "alice" then "bob"."""
    credit = raise_credit(ctx)
    first = client.post(
        f"/api/approvals/{credit}/approve",
        json={},
        headers={**bearer(tokens["alice"]), "X-AR-User": "alice"},
    )
    assert first.status_code == 200 and first.json()["approvals_by"] == ["alice"]
    second = client.post(
        f"/api/approvals/{credit}/approve",
        json={},
        headers={**bearer(tokens["alice"]), "X-AR-User": "bob"},
    )
    assert second.status_code == 409 and "alice already approved" in second.json()["detail"]
    assert status(ctx, credit).status == "pending"
    done = client.post(f"/api/approvals/{credit}/approve", json={}, headers=bearer(tokens["bob"]))
    assert done.json()["status"] == "executed" and done.json()["approvals_by"] == ["alice", "bob"]


def test_a_token_holder_cannot_approve_their_own_request(client, ctx, tokens):
    asked = client.post(
        "/api/chat",
        json={"text": "put a hold on globex until 2026-12-15", "conversation_id": "c1"},
        headers=bearer(tokens["alice"]),
    )
    assert asked.status_code == 200
    own = queue_action(ctx, "escalate", requested_by="agent:alice", reason="asked by alice")
    refused = client.post(
        f"/api/approvals/{own}/approve",
        json={},
        headers={**bearer(tokens["alice"]), "X-AR-User": "bob"},
    )
    assert refused.status_code == 403 and "someone else must approve" in refused.json()["detail"]
    assert status(ctx, own).status == "pending"


def test_the_web_login_takes_no_name_only_a_password(client, ctx, tokens):
    assert sign_in(client, "bob", PASSWORDS["alice"]).status_code == 401
    assert sign_in(client, "alice", PASSWORDS["alice"]).status_code == 303
    credit = raise_credit(ctx)
    csrf = csrf_of(client)
    client.post(f"/approvals/{credit}/approve", data={"csrf": csrf})
    client.post(f"/approvals/{credit}/approve", data={"csrf": csrf})  # alice again
    approval = status(ctx, credit)
    assert approval.status == "pending" and approval.approvals_by == ["alice"]
    with ctx.db.session() as session:
        actors = {
            e.actor for e in session.query(AuditEvent).filter(AuditEvent.approval_id == credit)
        }
    assert "alice" in actors and not any(a.startswith("web:") for a in actors)


def test_roles_are_enforced(client, ctx, tokens):
    hold = queue_action(ctx, "escalate", reason="look at it")
    for who in ("vic", "carl"):
        refused = client.post(
            f"/api/approvals/{hold}/approve", json={}, headers=bearer(tokens[who])
        )
        assert refused.status_code == 403 and "may not approve" in refused.json()["detail"]
    viewer_chat = client.post(
        "/api/chat", json={"text": "aging", "conversation_id": "v"}, headers=bearer(tokens["vic"])
    )
    assert viewer_chat.status_code == 403
    assert client.get("/api/customers", headers=bearer(tokens["vic"])).status_code == 200
    controller_chat = client.post(
        "/api/chat", json={"text": "aging", "conversation_id": "c"}, headers=bearer(tokens["carl"])
    )
    assert controller_chat.status_code == 200
    assert status(ctx, hold).status == "pending"


def test_the_web_token_is_the_admin_account(client, ctx):
    hold = queue_action(ctx, "escalate", reason="look at it")
    done = client.post(
        f"/api/approvals/{hold}/approve",
        json={},
        headers={**bearer("test-token"), "X-AR-User": "someone"},
    )
    assert done.json()["decided_by"] == "admin"


def test_a_revoked_token_or_disabled_account_stops_working(client, ctx, tokens):
    from accounts.tokens import list_tokens, revoke_token
    from accounts.users import set_disabled

    assert client.get("/api/customers", headers=bearer(tokens["bob"])).status_code == 200
    with ctx.db.transaction() as session:
        revoke_token(session, list_tokens(session, "bob")[0][0].id)
        set_disabled(session, "alice")
    assert client.get("/api/customers", headers=bearer(tokens["bob"])).status_code == 401
    assert client.get("/api/customers", headers=bearer(tokens["alice"])).status_code == 401
    assert sign_in(client, "alice", PASSWORDS["alice"]).status_code == 401


# F7: credentials of any bytes are refused with 401, never a 500 -------------------------------


NON_ASCII = "Bearer t\u00f6ken-\u00e9\u00e8".encode("latin-1")


def test_a_non_ascii_bearer_token_is_401(client):
    response = client.get("/api/customers", headers={"Authorization": NON_ASCII})
    assert response.status_code == 401
    utf8 = client.get("/api/customers", headers={"Authorization": "Bearer 🔑".encode()})
    assert utf8.status_code == 401


def test_a_non_ascii_inbound_secret_is_401(client):
    for headers in (
        {"X-AR-Agent-Secret": "s\u00e9cret".encode("latin-1")},
        {"Authorization": b"Basic " + base64.b64encode("x:s\u00e9cret".encode())},
        {"Authorization": "Basic \u00e9\u00e9".encode("latin-1")},
    ):
        response = client.post(
            "/email/inbound", content=b"From: a@b.example\n\nhi", headers=headers
        )
        assert response.status_code == 401, headers


def test_a_non_ascii_login_link_or_cookie_is_refused(client):
    assert client.get("/login/link/t\u00f6ken").status_code == 401
    cookie = {"Cookie": "ar_session=caf\u00e9".encode("latin-1")}
    assert client.get("/approvals", headers=cookie, follow_redirects=False).status_code == 303
    assert client.get("/api/customers", headers=cookie).status_code == 401


# F9: sessions, cookies, flash and headers ---------------------------------------------------------


def test_a_copied_session_cookie_stops_working_at_logout(client, ctx, tokens):
    sign_in(client, "alice", PASSWORDS["alice"])
    stolen = client.cookies.get("ar_session")
    assert client.get("/approvals", follow_redirects=False).status_code == 200
    client.post("/logout", data={"csrf": csrf_of(client)})
    thief = TestClient(client.app)
    thief.cookies.set("ar_session", stolen)
    assert thief.get("/approvals", follow_redirects=False).status_code == 303
    assert thief.get("/api/approvals").status_code == 401


def test_cookies_are_secure_behind_https(ctx, tokens):
    ctx.settings.public_url = "https://ar.example.com"
    client = TestClient(create_app(ctx.settings, ctx=ctx))
    response = sign_in(client, "alice", PASSWORDS["alice"])
    cookie = response.headers["set-cookie"]
    assert "ar_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    page = client.get(
        "/approvals", headers={"Cookie": f"ar_session={response.cookies['ar_session']}"}
    )
    assert all("Secure" in c for c in page.headers.get_list("set-cookie"))
    assert "max-age" in page.headers["strict-transport-security"]


def test_plain_http_cookies_are_not_secure_but_https_requests_are(ctx, tokens):
    plain = TestClient(create_app(ctx.settings, ctx=ctx))
    assert "Secure" not in sign_in(plain, "alice", PASSWORDS["alice"]).headers["set-cookie"]
    tls = TestClient(create_app(ctx.settings, ctx=ctx), base_url="https://testserver")
    assert "Secure" in sign_in(tls, "alice", PASSWORDS["alice"]).headers["set-cookie"]


def test_no_page_prints_text_from_the_url(client, tokens):
    sign_in(client, "alice", PASSWORDS["alice"])
    page = client.get("/approvals", params={"flash": "Call 555-0100 to approve", "kind": "ok"})
    assert "555-0100" not in page.text


def test_messages_after_a_decision_come_from_the_session(client, ctx, tokens):
    sign_in(client, "alice", PASSWORDS["alice"])
    hold = queue_action(ctx, "escalate", reason="look at it")
    redirected = client.post(
        f"/approvals/{hold}/approve", data={"csrf": csrf_of(client)}, follow_redirects=False
    )
    assert redirected.headers["location"] == "/approvals"
    first = client.get("/approvals").text
    assert f"#{hold} approved" in first
    assert f"#{hold} approved" not in client.get("/approvals").text  # shown once


def test_security_headers_on_pages_and_api(client):
    for path in ("/login", "/api/customers", "/static/app.css"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self';" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"


def test_credentials_in_urls_are_ignored(client):
    """The web token opens nothing from a URL; the inbound secret is not read from one."""
    assert client.get("/login", params={"token": "test-token", "name": "x"}).status_code == 200
    assert client.get("/approvals", follow_redirects=False).status_code == 303
    assert client.get("/api/customers", params={"token": "test-token"}).status_code == 401
    response = client.post(
        "/email/inbound", params={"secret": "inbound-secret"}, content=b"From: a@b.example\n\nhi"
    )
    assert response.status_code == 401


def test_a_login_link_works_once_and_expires(client, ctx, tokens):
    from datetime import timedelta

    from accounts.sessions import issue_login_link
    from ledger.models import utcnow

    with ctx.db.transaction() as session:
        link = issue_login_link(session, "alice")
        stale = issue_login_link(session, "bob", now=utcnow() - timedelta(hours=1))
    assert client.get(f"/login/link/{link}", follow_redirects=False).status_code == 303
    assert "alice · approver" in client.get("/approvals").text
    again = TestClient(client.app)
    assert again.get(f"/login/link/{link}", follow_redirects=False).status_code == 401
    assert again.get(f"/login/link/{stale}", follow_redirects=False).status_code == 401


def test_a_viewer_is_told_on_the_page_what_their_role_does_not_allow(client, ctx, tokens):
    from accounts.users import set_password

    with ctx.db.transaction() as session:
        set_password(session, "vic", "viewer-password")
    sign_in(client, "vic", "viewer-password")
    csrf = csrf_of(client)
    refused = client.post(
        "/chat", data={"csrf": csrf, "text": "aging"}, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 403 and "controller role" in refused.json()["text"]
    upload = client.post(
        "/bank", data={"csrf": csrf}, files={"file": ("s.csv", b"date,amount\n", "text/csv")}
    )
    assert upload.status_code == 403 and "controller role" in upload.text
    hold = queue_action(ctx, "escalate", reason="look at it")
    shown = client.post(f"/approvals/{hold}/approve", data={"csrf": csrf})  # → /approvals
    assert "vic is a viewer and may not approve" in shown.text
    assert status(ctx, hold).status == "pending"


def test_password_guessing_is_throttled_per_account(client, ctx, tokens):
    from accounts import throttle

    for _ in range(throttle.MAX_FAILURES):
        assert sign_in(client, "alice", "guess-guess-guess").status_code == 401
    locked = sign_in(client, "alice", PASSWORDS["alice"])
    assert locked.status_code == 401 and "Too many wrong passwords" in locked.text
    assert sign_in(client, "bob", PASSWORDS["bob"]).status_code == 303  # others unaffected
