"""A tiny IMAP4rev1 server on 127.0.0.1 speaking just what ``mail.imap`` uses.

LOGIN, SELECT, UID SEARCH UNSEEN, UID FETCH (BODY.PEEK[]), UID STORE +FLAGS, LOGOUT.
Messages live in ``FakeImap.messages`` as {uid: [raw bytes, set of flags]}.
"""

from __future__ import annotations

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        box = self.server.box
        self.send("* OK [CAPABILITY IMAP4rev1] fake ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            words = rest.split(" ")
            cmd = words[0].upper()
            box.log.append(rest)
            if cmd == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
            elif cmd == "LOGIN":
                user, password = (w.strip('"') for w in words[1:3])
                if (user, password) != (box.user, box.password):
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] bad credentials")
                    continue
            elif cmd == "SELECT":
                self.send(f"* {len(box.messages)} EXISTS")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed")
                continue
            elif cmd == "UID":
                self._uid(tag, words[1].upper(), words[2:])
                continue
            elif cmd == "LOGOUT":
                self.send("* BYE bye")
                self.send(f"{tag} OK LOGOUT completed")
                return
            self.send(f"{tag} OK {cmd} completed")

    def _uid(self, tag: str, sub: str, args: list[str]) -> None:
        box = self.server.box
        if sub == "SEARCH":
            unseen = [
                str(u) for u, (_, flags) in sorted(box.messages.items()) if "\\Seen" not in flags
            ]
            self.send("* SEARCH " + " ".join(unseen))
        elif sub == "FETCH":
            uid = int(args[0])
            raw, _ = box.messages[uid]
            self.wfile.write(f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode())
            self.wfile.write(raw + b")\r\n")
        elif sub == "STORE":
            uid = int(args[0])
            box.messages[uid][1].add("\\Seen")
            self.send(f"* {uid} FETCH (UID {uid} FLAGS (\\Seen))")
        self.send(f"{tag} OK UID {sub} completed")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    box: FakeImap


class FakeImap:
    """Start with ``with FakeImap(user, password) as box:``; ``box.url`` to connect."""

    def __init__(self, user: str = "ar", password: str = "secret") -> None:
        self.user, self.password = user, password
        self.messages: dict[int, list] = {}
        self.log: list[str] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.box = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = [raw, set()]
        return uid

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"imap://{self.user}:{self.password}@{host}:{port}/INBOX"

    def __enter__(self) -> FakeImap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
