"""A throw-away Dovecot IMAP server on 127.0.0.1 for the mailbox tests.

Started from Debian's ``dovecot-imapd`` with its own config in a temp folder (no system
service): plain IMAP and IMAPS (a self-signed certificate) on free loopback ports, one
user ``ar`` whose mail lives in a maildir under that folder. Mail is put in with IMAP
APPEND; :meth:`TestDovecot.person_reads` opens a message the way a colleague's phone
would (a plain ``FETCH BODY[]``, which sets ``\\Seen``).

    with TestDovecot() as server:      # .reason says why not, when it cannot start
        server.deliver(raw)
        url = server.url()             # imap://ar:secret@127.0.0.1:PORT/INBOX
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from mail.sink import free_port
from tests.support.smtp import self_signed_certificate

USER, PASSWORD = "ar", "secret"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class TestDovecot:
    def __init__(self) -> None:
        self.reason = ""
        self.root: Path | None = None
        self.imap_port = self.imaps_port = 0
        self.certificate: Path | None = None
        binary = shutil.which("dovecot") or (
            "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
        )
        if binary is None:
            self.reason = "no Dovecot (apt-get install dovecot-imapd)"
            return
        self.binary = binary

    @property
    def available(self) -> bool:
        return not self.reason

    def start(self) -> TestDovecot:
        if not self.available:
            return self
        self.root = Path(tempfile.mkdtemp(prefix="ar-agent-dovecot-"))
        self.root.chmod(0o755)
        self.certificate, key = self_signed_certificate()
        self.imap_port, self.imaps_port = free_port(), free_port()
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        home = self.root / "home"
        home.mkdir()
        if os.geteuid() == 0:  # Dovecot will not keep mail as root: use nobody
            internal, login = "dovecot", "dovenull"
            nobody = pwd.getpwnam("nobody")
            mail_user, mail_group = str(nobody.pw_uid), str(nobody.pw_gid)
            os.chown(home, nobody.pw_uid, nobody.pw_gid)
        else:  # everything as the user running the tests
            me = pwd.getpwuid(os.geteuid())
            internal = login = me.pw_name
            mail_user, mail_group = str(me.pw_uid), str(me.pw_gid)
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                cert=self.certificate,
                key=key,
                internal=internal,
                login=login,
                mail_user=mail_user,
                mail_group=mail_group,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
            )
        )
        output = self.root / "start.log"
        with output.open("wb") as out:  # the daemon keeps its inherited outputs: a file, not a pipe
            run = subprocess.run(
                [self.binary, "-c", str(config)], stdout=out, stderr=out, timeout=60
            )
        if run.returncode != 0:
            self.reason = f"dovecot did not start: {output.read_text().strip()}"
            return self
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.connect().logout()
                return
            except OSError:
                time.sleep(0.1)
        self.reason = "dovecot did not answer on its port"

    def url(self, mailbox: str = "INBOX", *, tls: bool = False, query: str = "") -> str:
        scheme, port = ("imaps", self.imaps_port) if tls else ("imap", self.imap_port)
        return f"{scheme}://{USER}:{PASSWORD}@127.0.0.1:{port}/{mailbox}" + (
            f"?{query}" if query else ""
        )

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def deliver(self, raw: bytes, mailbox: str = "INBOX") -> None:
        conn = self.connect()
        try:
            typ, data = conn.append(mailbox, None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def person_reads(self, subject_contains: str, mailbox: str = "INBOX") -> None:
        """Open the message the way a mail app does: FETCH BODY[] sets \\Seen."""
        conn = self.connect()
        try:
            conn.select(mailbox)
            typ, data = conn.search(None, "SUBJECT", f'"{subject_contains}"')
            for num in data[0].split():
                conn.fetch(num.decode(), "(BODY[])")
        finally:
            conn.logout()

    def uids(self, mailbox: str = "INBOX", *criteria: str) -> list[int]:
        conn = self.connect()
        try:
            conn.select(mailbox)
            typ, data = conn.uid("SEARCH", *(criteria or ("ALL",)))  # type: ignore[arg-type]
            return [int(u) for u in data[0].split()] if data and data[0] else []
        finally:
            conn.logout()

    def create(self, mailbox: str) -> None:
        conn = self.connect()
        try:
            conn.create(mailbox)
        finally:
            conn.logout()

    def stop(self) -> None:
        if self.root is None:
            return
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TestDovecot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
