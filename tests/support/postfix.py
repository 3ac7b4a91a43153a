"""A throw-away Postfix on 127.0.0.1 for the SMTP tests (Debian's ``postfix`` package).

Its own ``main.cf``/``master.cf``, queue and mail folders in a temp folder, started with
``postfix -c DIR start`` (no system service; Postfix's master needs root). It accepts
mail for the virtual domain ``globex.example`` and delivers the known mailboxes
(``mailboxes``) to maildirs; any other address there gets Postfix's own
``550 5.1.1 ... User unknown in virtual mailbox table`` at RCPT. Nothing leaves the machine.

    with TestPostfix(["dana@globex.example"]) as mx:   # .reason says why not
        SmtpTransport.from_url(mx.url) ...
        mx.delivered("dana@globex.example")             # the messages' bytes
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from mail.sink import free_port

DOMAIN = "globex.example"

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test.example
mydomain = test.example
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = {domain}
virtual_mailbox_maps = texthash:{root}/vmailbox
virtual_mailbox_base = {root}/vmail
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
alias_maps =
alias_database =
relayhost =
default_transport = error:no outside mail in tests
smtpd_banner = $myhostname ESMTP
biff = no
"""

MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


class TestPostfix:
    def __init__(self, mailboxes: list[str]) -> None:
        self.mailboxes = mailboxes
        self.reason = ""
        self.root: Path | None = None
        self.port = 0
        self.binary = shutil.which("postfix") or (
            "/usr/sbin/postfix" if Path("/usr/sbin/postfix").exists() else None
        )
        if self.binary is None:
            self.reason = "no Postfix (apt-get install postfix)"
        elif os.geteuid() != 0:
            self.reason = "Postfix's master process must be started as root"

    @property
    def available(self) -> bool:
        return not self.reason

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=10"

    def start(self) -> TestPostfix:
        if not self.available:
            return self
        self.root = root = Path(tempfile.mkdtemp(prefix="ar-agent-postfix-"))
        root.chmod(0o755)
        for folder in ("queue", "data", "vmail"):
            (root / folder).mkdir()
        nobody = pwd.getpwnam("nobody")
        shutil.chown(root / "data", "postfix")
        os.chown(root / "vmail", nobody.pw_uid, nobody.pw_gid)
        (root / "vmailbox").write_text(
            "".join(f"{m} {DOMAIN}/{m.split('@')[0]}/\n" for m in self.mailboxes)
        )
        self.port = free_port()
        (root / "main.cf").write_text(
            MAIN_CF.format(root=root, domain=DOMAIN, uid=nobody.pw_uid, gid=nobody.pw_gid)
        )
        (root / "master.cf").write_text(MASTER_CF.format(port=self.port))
        run = subprocess.run(
            [self.binary, "-c", str(root), "start"],  # type: ignore[list-item]
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        if run.returncode != 0:
            self.reason = f"postfix did not start: {self.log()[-500:]}"
            return self
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        import socket

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.reason = f"postfix did not answer on its port: {self.log()[-500:]}"

    def log(self) -> str:
        path = (self.root or Path("/nonexistent")) / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def delivered(self, address: str, *, wait: float = 10.0) -> list[bytes]:
        """The messages delivered to ``address``'s maildir (waits for the queue)."""
        assert self.root is not None
        folder = self.root / "vmail" / DOMAIN / address.split("@")[0] / "new"
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and not (folder.is_dir() and any(folder.iterdir())):
            time.sleep(0.1)
        return [p.read_bytes() for p in sorted(folder.iterdir())] if folder.is_dir() else []

    def stop(self) -> None:
        if self.root is None or self.binary is None:
            return
        subprocess.run(
            [self.binary, "-c", str(self.root), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TestPostfix:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
