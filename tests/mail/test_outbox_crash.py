"""kill -9 between the server's 250 and the ``sent`` commit: no second copy, delivery unknown."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from ledger.models import Communication
from mail.outbox import deliver_due
from mail.smtp import SmtpTransport
from tests.mail.test_outbox_edge import _queue, _row
from tests.support.smtp import SmtpSink

REPO = Path(__file__).resolve().parents[2]

SENDER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime
    from core.clock import FrozenClock
    from ledger.db import Database
    import mail.outbox
    from mail.smtp import SmtpTransport

    def die(*args, **kwargs):  # the 250 arrived; the process dies before recording it
        os.kill(os.getpid(), signal.SIGKILL)

    mail.outbox.mark_sent = die
    db = Database(sys.argv[1], migrate_schema=False)
    clock = FrozenClock(datetime.fromisoformat(sys.argv[2]))
    mail.outbox.deliver_due(db, clock=clock, transport=SmtpTransport.from_url(sys.argv[3]))
    """
)


def test_a_sender_killed_after_the_250_leaves_one_copy_and_delivery_unknown(db, clock):
    cid = _queue(db, clock)
    with SmtpSink() as sink:
        died = subprocess.run(
            [sys.executable, "-c", SENDER, db.url, clock.now().isoformat(), sink.url],
            cwd=REPO,
            capture_output=True,
            timeout=120,
        )
        assert died.returncode == -9, died.stderr.decode()[-2000:]
        assert _row(db, cid).status == "submitting" and len(sink.messages) == 1
        transport = SmtpTransport.from_url(sink.url)
        assert deliver_due(db, clock=clock, transport=transport).claimed == 0  # lease runs
        clock.advance(minutes=1)
        assert deliver_due(db, clock=clock, transport=transport).unknown == [cid]
        for _ in range(3):
            clock.advance(hours=8)
            assert deliver_due(db, clock=clock, transport=transport).claimed == 0
        assert len(sink.messages) == 1
    row: Communication = _row(db, cid)
    assert row.status == "delivery_unknown" and "stopped while handing" in row.error
