"""Security headers on every HTTP response (pure ASGI, so streaming bodies pass untouched).

CSP allows only this site's own scripts (no inline script or ``on*=`` handlers), forbids
framing; ``Referrer-Policy: no-referrer`` keeps a login link's path out of other sites'
logs; ``X-Content-Type-Options: nosniff``; HSTS when served over HTTPS.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN with an inline script.
DOCS_PATHS = ("/docs", "/redoc")
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; worker-src blob:; frame-ancestors 'none'"
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.https or scope.get("scheme") == "https"
        extra = [*HEADERS, HSTS] if secure else list(HEADERS)
        if scope.get("path", "").startswith(DOCS_PATHS):
            extra[0] = (b"content-security-policy", DOCS_CSP.encode())

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in extra if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
