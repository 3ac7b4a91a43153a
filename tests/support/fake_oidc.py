"""A fake OpenID Connect provider on 127.0.0.1: discovery, authorize, token, JWKS.

It signs ID tokens with a fresh RSA key (RS256), checks the client's secret, the
redirect URI and the PKCE verifier, and echoes the nonce, like a real provider. The
person "signing in" at the provider is whatever ``claims`` holds when /authorize is hit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from mail.sink import free_port


@dataclass
class FakeOidc:
    client_id: str = "ar-agent-test"
    client_secret: str = "oidc-client-secret"
    claims: dict[str, Any] = field(default_factory=dict)
    tamper: bool = False  # sign ID tokens with a key the JWKS does not publish
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        key = self.other_key if self.tamper else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)

    def start(self) -> FakeOidc:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json(200, fake.metadata())
                if url.path == "/jwks":
                    return self._json(200, {"keys": [fake.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    q = {k: v[0] for k, v in parse_qs(url.query).items()}
                    if q.get("client_id") != fake.client_id or q.get("response_type") != "code":
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    fake.codes[code] = q
                    target = (
                        q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.token_requests.append(form)
                if urlsplit(self.path).path != "/token":
                    return self._json(404, {"error": "not_found"})
                basic = self.headers.get("authorization", "")
                expected = base64.b64encode(
                    f"{fake.client_id}:{fake.client_secret}".encode()
                ).decode()
                if basic != f"Basic {expected}":
                    return self._json(401, {"error": "invalid_client"})
                asked = fake.codes.pop(form.get("code", ""), None)
                if asked is None or form.get("redirect_uri") != asked["redirect_uri"]:
                    return self._json(400, {"error": "invalid_grant"})
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge != asked.get("code_challenge"):
                    return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": fake.id_token(asked.get("nonce", "")),
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
