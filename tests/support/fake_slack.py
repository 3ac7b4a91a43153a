"""A fake Slack Web API on 127.0.0.1 that records every call the real slack_sdk client makes.

Point ``WebClient(base_url=fake.base_url)`` (or ``AR_AGENT_SLACK_API_URL``) at it. Replies
are shaped like Slack's (``ok``, ``ts``, ``channel``...). It also serves files for
``url_private_download`` so uploads can be tested without the network.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0  # 0: any free port
    _ts: Any = field(default_factory=lambda: count(1))

    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                name = self.path.rsplit("/", 1)[-1]
                data = fake.files.get(name)
                self.send_response(200 if data is not None else 404)
                self.end_headers()
                self.wfile.write(data or b"not found")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("content-type") or ""):
                    args = json.loads(raw or "{}")
                else:
                    args = {k: v[0] for k, v in parse_qs(raw).items()}
                    for key in ("blocks", "view"):
                        if isinstance(args.get(key), str):
                            args[key] = json.loads(args[key])
                method = self.path.rsplit("/", 1)[-1]
                body = fake.reply(method, args)
                with fake.lock:
                    fake.calls.append(Call(method, args, dict(self.headers)))
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def file_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/files/{name}"

    def stop(self) -> None:
        self.server.shutdown()

    def reply(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "ar-agent",
                "team_id": "T111",
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"{1700000000 + next(self._ts)}.000100"
            return {
                "ok": True,
                "channel": args.get("channel", "C0"),
                "ts": ts,
                "message": {"text": args.get("text", ""), "ts": ts},
            }
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "permalink": f"https://example.slack.com/archives/{args.get('channel')}/p1",
            }
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.usergroups.get(args.get("usergroup", ""), [])}
        if method == "files.info":
            return {
                "ok": True,
                "file": {
                    "id": args.get("file"),
                    "name": args.get("file"),
                    "url_private_download": self.file_url(str(args.get("file"))),
                },
            }
        if method in ("views.open", "views.update", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **(args.get("view") or {})}}
        return {"ok": True}

    def called(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, method: str, n: int = 1, timeout: float = 10.0, where: Any = None
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.called(method) if where is None or where(c)]
            if len(found) >= n:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {n} {method} call(s), saw {[c.method for c in self.calls]}")
