"""``api.services.match_statement``: a bank file in, matched rows and queued approvals out."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from api.server import build_context
from api.services import match_statement, poll_imap_forever
from core import health
from ledger.importer import load_ledger_file
from ledger.models import BankTransaction
from mail.sink import free_port
from tests.api.conftest import FIXTURES, make_settings


def test_csv_without_a_currency_is_read_in_the_ledgers_currency_and_matched(db, clock) -> None:
    ctx = build_context(make_settings(), db=db, clock=clock)
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    data = b"Date,Amount,Payer,Reference\n2026-11-20,12400.00,GLOBEX CORP,INV1042\n"
    out = match_statement(ctx, data, filename="no-currency.csv")
    (row,) = out.rows
    assert (row["currency"], row["status"]) == ("USD", "auto")
    assert [a["invoice"] for a in row["allocations"]] == ["INV-1042"]
    with db.session() as session:
        assert session.scalars(select(BankTransaction.currency)).all() == ["USD"]


def test_an_unreachable_imap_server_is_reported_and_retried_with_backoff(db, clock) -> None:
    health.reset()
    port = free_port()  # nothing listens there
    ctx = build_context(
        make_settings(AR_AGENT_IMAP_URL=f"imap://u:p@127.0.0.1:{port}/INBOX"), db=db, clock=clock
    )
    stop = threading.Event()
    poller = threading.Thread(target=poll_imap_forever, args=(ctx, stop), daemon=True)
    started = time.monotonic()
    poller.start()
    try:
        deadline = started + 20
        while health.snapshot()["imap"]["state"] != "degraded" and time.monotonic() < deadline:
            time.sleep(0.05)
        imap = health.snapshot()["imap"]
        assert imap["state"] == "degraded", imap
        assert "Connection refused" in imap["reason"] or "ConnectionRefused" in imap["reason"]
    finally:
        stop.set()
        poller.join(10)
    assert not poller.is_alive()  # the backoff wait ends when asked to stop
