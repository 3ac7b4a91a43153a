"""Several real ``ar-agent serve`` processes on one PostgreSQL database, for the scale tests.

    with Cluster(database_url, smtp_url=sink.url, size=2, workdir=tmp) as cluster:
        cluster.servers[0].client.get("/api/approvals")

Each server is ``python -m cli.main serve`` on a free loopback port with its own log file,
a fixed web token, a frozen clock inside the send window and ``PGAPPNAME`` set, so
``pg_stat_activity`` tells its connections apart. ``stop()`` sends SIGTERM, waits a bounded
time and only then kills; a server whose test process dies (even by SIGKILL) gets SIGTERM
from the kernel. Also the scale ledger (N customers, one overdue invoice each) and the
reminder drafts the policy accepts, shared with ``bench/scale.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from mail.sink import free_port
from policies.actions import ProposedAction

REPO = Path(__file__).resolve().parents[2]
TOKEN = "scale-test-token"
CLOCK = "2026-11-23T10:00:00-06:00"  # a Monday, inside every US send window
APP_NAME = "ar-agent-scale"
READY_SECONDS = 90.0
STOP_SECONDS = 15.0


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _die_with_parent() -> None:
    """In the child (Linux): get SIGTERM when the parent dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def server_env(database_url: str, smtp_url: str, name: str, **extra: str) -> dict[str, str]:
    """The parent's environment without any ar-agent/Slack/OpenAI setting, plus ours."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AR_AGENT_", "SLACK_", "OPENAI_", "PG"))
    }
    env.update(
        AR_AGENT_DATABASE_URL=database_url,
        AR_AGENT_WEB_TOKEN=TOKEN,
        AR_AGENT_SMTP_URL=smtp_url,
        AR_AGENT_CLOCK=CLOCK,
        AR_AGENT_REPLY_DOMAIN="ar.example.com",
        AR_AGENT_DUNNING_TIME="23:59",
        PGAPPNAME=f"{APP_NAME}-{name}",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class Server:
    """One ``ar-agent serve`` subprocess (``args``: more options, e.g. ``--no-worker``)."""

    name: str
    env: dict[str, str]
    workdir: Path
    args: tuple[str, ...] = ()
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    killed: bool = False  # True when SIGTERM was not enough
    client: httpx.Client = field(init=False)

    @property
    def log_path(self) -> Path:
        return self.workdir / f"serve-{self.name}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.port = free_port()
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *self.args,
            ],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        log.close()
        self.client = httpx.Client(
            base_url=self.base_url,
            timeout=30.0,
            headers={"Authorization": f"Bearer {TOKEN}"},
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
        )
        return self

    def wait_ready(self, deadline: float) -> None:
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"serve {self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                if self.client.get("/healthz", timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"serve {self.name} not ready on {self.base_url}:\n{self.log_tail()}")

    def stop(self, timeout: float = STOP_SECONDS) -> int | None:
        """SIGTERM, a bounded wait, then SIGKILL; the exit code (None if never started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                self.killed = True
        self.client.close()
        return self.proc.returncode

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class Worker:
    """One ``ar-agent worker`` subprocess."""

    name: str
    env: dict[str, str]
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.workdir / f"worker-{self.name}.log"

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "worker", "--interval", "0.5"],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        log.close()
        return self

    def stop(self, timeout: float = STOP_SECONDS) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


class Cluster:
    """``size`` servers on one database, started at the same moment (racing the migration).

    ``workers``: that many ``ar-agent worker`` processes beside servers started with
    ``--no-worker`` (the deployment of compose.yaml); 0: each server runs its own worker.
    """

    def __init__(
        self,
        database_url: str,
        *,
        smtp_url: str,
        workdir: Path,
        size: int = 2,
        workers: int = 0,
        **env: str,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        names = [chr(ord("a") + i) for i in range(size)]
        args = ("--no-worker",) if workers else ()
        self.servers = [
            Server(n, server_env(database_url, smtp_url, n, **env), workdir, args) for n in names
        ]
        self.workers = [
            Worker(f"w{i}", server_env(database_url, smtp_url, f"w{i}", **env), workdir)
            for i in range(workers)
        ]
        self.startup_seconds = 0.0

    def start(self) -> Cluster:
        started = time.monotonic()
        try:
            for server in self.servers:
                server.start()
            deadline = started + READY_SECONDS
            for server in self.servers:
                server.wait_ready(deadline)
            for worker in self.workers:  # after the servers: they have migrated by now
                worker.start()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self

    def stop(self) -> list[int | None]:
        return [worker.stop() for worker in self.workers] + [
            server.stop() for server in self.servers
        ]

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def scale_ledger(n: int) -> dict[str, Any]:
    """``n`` customers (S-0001…) with one invoice each, 53 days overdue on the frozen clock."""
    customers, invoices = [], []
    for i in range(1, n + 1):
        cid = f"S-{i:04d}"
        customers.append(
            {
                "id": cid,
                "name": f"Scaletest Customer {i:04d}",
                "timezone": "America/Chicago",
                "contacts": [
                    {
                        "name": f"Payables {i:04d}",
                        "role": "ap",
                        "primary": True,
                        "email": f"ap{i:04d}@scale{i:04d}.example",
                    }
                ],
            }
        )
        invoices.append(
            {
                "number": f"INV-S{i:04d}",
                "customer": cid,
                "issue_date": "2026-09-01",
                "due_date": "2026-10-01",
                "amount": f"{1000 + i}.00",
                "currency": "USD",
            }
        )
    return {"currency": "USD", "customers": customers, "invoices": invoices}


def reminder(i: int, *, run_id: str | None = None) -> ProposedAction:
    """A first reminder for customer ``i`` of :func:`scale_ledger` that the policy accepts."""
    body = (
        f"Dear Payables {i:04d},\n\nINV-S{i:04d} for {1000 + i:,}.00 USD was due on "
        "2026-10-01 and is still open. You can pay at https://pay.example.com. If you "
        "dispute it, reply to this email.\n\nThanks"
    )
    return ProposedAction(
        type="send_email",
        reason="first reminder",
        run_id=run_id,
        payload={
            "customer": f"S-{i:04d}",
            "to": [f"ap{i:04d}@scale{i:04d}.example"],
            "subject": f"Invoice INV-S{i:04d} is overdue",
            "body": body,
            "invoices": [f"INV-S{i:04d}"],
            "stage": "first",
        },
    )


@dataclass
class Click:
    approval_id: int
    server: str
    user: str
    status: int
    detail: str
    seconds: float


_TOKENS: dict[tuple[str, str], str] = {}
_TOKENS_LOCK = threading.Lock()


def user_token(database_url: str, user: str) -> str:
    """An API token of approver account ``user`` (created on first use)."""
    from accounts.tokens import issue_token
    from accounts.users import add_user, find_user
    from ledger.db import Database

    with _TOKENS_LOCK:
        key = (database_url, user)
        if key not in _TOKENS:
            db = Database(database_url)
            try:
                with db.transaction() as session:
                    if find_user(session, user) is None:
                        add_user(session, user, role="approver")
                    _TOKENS[key] = issue_token(session, user, label="scale")[1]
            finally:
                db.dispose()
        return _TOKENS[key]


def hammer(
    clickers: list[tuple[Server, str]],
    approval_ids: list[int],
    *,
    concurrency: int | None = None,
) -> list[Click]:
    """Approve every approval once per ``(server, user)`` clicker, all clickers at once.

    ``concurrency`` approvals are in flight together (all of them by default); each has one
    thread per clicker, released together by a barrier, so two users on two processes
    click "approve" on the same row at the same moment.
    """
    groups = min(concurrency or len(approval_ids), len(approval_ids)) or 1
    clicks: list[Click] = []
    lock = threading.Lock()

    def clicker(group: int, server: Server, user: str, barrier: threading.Barrier) -> None:
        token = user_token(server.env["AR_AGENT_DATABASE_URL"], user)
        for aid in approval_ids[group::groups]:
            barrier.wait(timeout=60)
            t0 = time.perf_counter()
            try:
                r = server.client.post(
                    f"/api/approvals/{aid}/approve",
                    json={"edits": None},
                    headers={"Authorization": f"Bearer {token}"},
                )
                status, detail = r.status_code, r.text
            except httpx.HTTPError as exc:
                status, detail = 0, f"{type(exc).__name__}: {exc}"
            done = Click(aid, server.name, user, status, detail, time.perf_counter() - t0)
            with lock:
                clicks.append(done)

    threads = []
    for group in range(groups):
        barrier = threading.Barrier(len(clickers))
        for server, user in clickers:
            threads.append(
                threading.Thread(target=clicker, args=(group, server, user, barrier), daemon=True)
            )
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return clicks
