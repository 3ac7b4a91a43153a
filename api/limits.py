"""A streaming size limit for every request body, chunked uploads included (issue 13, F6).

:class:`BodySizeLimit` is plain ASGI middleware. A ``Content-Length`` over the limit is
answered 413 before a byte of the body is read; otherwise it counts the bytes as the
server hands them over and, the moment the count passes the limit, stops reading and
answers 413 (whatever the endpoint was doing with the body). Limits are per path
prefix (the email webhook and bank uploads take more than a form post) and come from
the settings (``AR_AGENT_MAX_BODY_BYTES``, ``AR_AGENT_MAX_EMAIL_BYTES``,
``AR_AGENT_MAX_UPLOAD_BYTES``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from core.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
MULTIPART_ROOM = 256 * 1024  # form fields and part headers around an uploaded file


class BodyTooLarge(Exception):
    """Raised inside the app's ``receive`` once the body passed its limit."""


@dataclass(frozen=True)
class BodyLimits:
    """The byte limit of a request body: the first matching path prefix, else the default."""

    default: int
    by_prefix: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> BodyLimits:
        return cls(
            default=settings.max_body_bytes,
            by_prefix=(
                ("/email/inbound", settings.max_email_bytes),
                ("/bank", settings.max_upload_bytes + MULTIPART_ROOM),
            ),
        )

    def for_path(self, path: str) -> int:
        for prefix, limit in self.by_prefix:
            if path == prefix or path.startswith(prefix + "/"):
                return limit
        return self.default


class BodySizeLimit:
    """ASGI middleware: 413 for a body over its limit, read no further than the limit."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        received = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a cut-off body (400, 500) gives way to our 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _too_large(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body over the limit of {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
