"""OpenID Connect sign-in against a fake provider on 127.0.0.1, through the real Authlib client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.server import build_context
from tests.api.conftest import make_settings
from tests.support.accounts import add_account
from tests.support.fake_oidc import FakeOidc


@pytest.fixture
def provider() -> Iterator[FakeOidc]:
    fake = FakeOidc().start()
    yield fake
    fake.stop()


@pytest.fixture
def client(db, clock, provider) -> TestClient:
    settings = make_settings(
        AR_AGENT_OIDC_DISCOVERY_URL=provider.discovery_url,
        AR_AGENT_OIDC_CLIENT_ID=provider.client_id,
        AR_AGENT_OIDC_CLIENT_SECRET=provider.client_secret,
        AR_AGENT_OIDC_NAME="Okta",
    )
    ctx = build_context(settings, db=db, clock=clock)
    add_account(db, "alice", "approver", email="alice@example.com")
    add_account(db, "sam", "controller", slack="U0SAM")
    return TestClient(create_app(settings, ctx=ctx))


def sign_in(client: TestClient, provider: FakeOidc, **claims: object) -> httpx.Response:
    """Click "Sign in with …", let the provider authenticate, follow its redirect back."""
    provider.claims = dict(claims)
    start = client.get("/login/oidc", params={"next": "/customers"}, follow_redirects=False)
    assert start.status_code == 302
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302
    return client.get(at_provider.headers["location"], follow_redirects=False)


def test_the_login_page_offers_the_provider(client):
    assert "Sign in with Okta" in client.get("/login").text


def test_a_verified_email_of_an_account_signs_in(client, provider):
    back = sign_in(client, provider, sub="okta|1", email="Alice@Example.com", email_verified=True)
    assert back.status_code == 303 and back.headers["location"] == "/customers"
    page = client.get("/approvals")
    assert page.status_code == 200 and "alice · approver" in page.text
    # PKCE was used and the code exchanged once
    assert provider.token_requests[0]["code_verifier"]


def test_sign_in_with_slack_maps_the_slack_user_id(client, provider):
    back = sign_in(client, provider, sub="U0SAM", **{"https://slack.com/user_id": "U0SAM"})
    assert back.status_code == 303
    assert "sam · controller" in client.get("/approvals").text


def test_an_unknown_or_unverified_person_is_refused(client, provider):
    stranger = sign_in(client, provider, sub="okta|9", email="mallory@example.com")
    assert stranger.status_code == 401 and "no enabled account" in stranger.text
    unverified = sign_in(
        client, provider, sub="okta|2", email="alice@example.com", email_verified=False
    )
    assert unverified.status_code == 401
    assert client.get("/approvals", follow_redirects=False).status_code == 303


def test_a_token_signed_with_another_key_is_refused(client, provider):
    provider.tamper = True
    back = sign_in(client, provider, sub="okta|1", email="alice@example.com")
    assert back.status_code == 401
    assert client.get("/approvals", follow_redirects=False).status_code == 303


def test_a_callback_from_another_browser_is_refused(client, provider, db, clock):
    provider.claims = {"sub": "okta|1", "email": "alice@example.com"}
    start = client.get("/login/oidc", follow_redirects=False)
    callback = httpx.get(start.headers["location"], follow_redirects=False).headers["location"]
    other_browser = TestClient(client.app)
    refused = other_browser.get(callback, follow_redirects=False)
    assert refused.status_code == 401 and "not started from this browser" in refused.text
