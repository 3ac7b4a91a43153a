"""mail.imap against a real Dovecot on 127.0.0.1: every message once, whoever read it first."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from agent.inbox import process_inbound
from core.errors import ConfigError
from ledger.models import Communication, MailboxState
from mail.health import mail_health
from mail.imap import ImapUnavailable, parse_imap_url, poll_imap
from mail.imap_idle import wait_for_mail
from mail.sink import free_port
from tests.support import factories as f

MSG = b"From: Dana <dana@globex.example>\r\nSubject: paid %d\r\nMessage-ID: <%d@x>\r\n\r\nPaid.\r\n"


def msg(n: int) -> bytes:
    return MSG % (n, n)


def test_a_reply_read_by_a_person_before_the_poll_is_ingested_once(any_db, clock, dovecot, mailbox):
    db = any_db
    with db.transaction() as s:
        c = f.customer(s, "C-001", "Globex", email="dana@globex.example")
        f.invoice(s, c, "INV-1042", amount="12400.00")
    url = dovecot.url(mailbox)

    def ingest(raw: bytes) -> None:
        process_inbound(db, raw, clock=clock, source="imap")

    assert poll_imap(url, ingest, db=db, clock=clock).stored == []  # the first poll: empty
    dovecot.deliver(
        b"From: Dana Ruiz <dana@globex.example>\r\nTo: ar@example.com\r\n"
        b"Subject: RE: Invoice INV-1042\r\nMessage-ID: <dispute-1@globex.example>\r\n\r\n"
        b"We dispute INV-1042: the price is wrong, we were quoted less.\r\n",
        mailbox,
    )
    dovecot.person_reads("INV-1042", mailbox)  # a colleague opened it on a phone
    assert dovecot.uids(mailbox, "UNSEEN") == []
    assert poll_imap(url, ingest, db=db, clock=clock).stored == ["1"]
    assert poll_imap(url, ingest, db=db, clock=clock).stored == []
    with db.session() as s:
        rows = s.scalars(
            select(Communication).where(Communication.message_id == "<dispute-1@globex.example>")
        ).all()
        assert len(rows) == 1 and rows[0].customer_id == "C-001"
        assert rows[0].intent == "dispute"
        state = s.scalars(select(MailboxState)).one()
        assert state.last_uid == 1 and state.mailbox.endswith(f"/{mailbox}")
    assert mail_health(db)["imap"].ok is True


def test_the_first_poll_takes_unseen_mail_and_later_polls_only_new_mail(
    db, clock, dovecot, mailbox
):
    dovecot.deliver(msg(1), mailbox)
    dovecot.deliver(msg(2), mailbox)
    dovecot.person_reads("paid 1", mailbox)  # read before ar-agent ever looked: history
    got: list[bytes] = []
    url = dovecot.url(mailbox)
    assert poll_imap(url, got.append, db=db, clock=clock).stored == ["2"]
    dovecot.deliver(msg(3), mailbox)
    dovecot.person_reads("paid 3", mailbox)
    assert poll_imap(url, got.append, db=db, clock=clock).stored == ["3"]
    assert got == [msg(2), msg(3)]
    assert set(dovecot.uids(mailbox, "SEEN")) == {1, 2, 3}


def test_a_failing_handler_is_retried_then_skipped_and_never_blocks_the_rest(
    db, clock, dovecot, mailbox
):
    url = dovecot.url(mailbox)
    poll_imap(url, lambda raw: None, db=db, clock=clock)
    dovecot.deliver(msg(1), mailbox)
    dovecot.deliver(msg(2), mailbox)
    got: list[bytes] = []

    def handler(raw: bytes) -> None:
        if b"<1@x>" in raw:
            raise RuntimeError("database down")
        got.append(raw)

    first = poll_imap(url, handler, db=db, clock=clock)
    assert first.failed == ["1"] and first.stored == [] and got == []
    assert 1 not in dovecot.uids(mailbox, "SEEN")
    assert poll_imap(url, handler, db=db, clock=clock).failed == ["1"]
    third = poll_imap(url, handler, db=db, clock=clock)
    assert third.skipped == ["1"] and third.stored == ["2"] and got == [msg(2)]


def test_a_renumbered_mailbox_is_read_again_without_double_processing(db, clock, dovecot, mailbox):
    url = dovecot.url(mailbox)
    poll_imap(url, lambda raw: None, db=db, clock=clock)
    dovecot.deliver(msg(1), mailbox)
    seen: list[bytes] = []
    poll_imap(url, seen.append, db=db, clock=clock)
    with db.transaction() as s:  # as if the server had rebuilt its index
        s.scalars(select(MailboxState)).one().uidvalidity += 1
    dovecot.deliver(msg(2), mailbox)
    dovecot.person_reads("paid 2", mailbox)
    again = poll_imap(url, seen.append, db=db, clock=clock)
    assert again.stored == ["1", "2"]  # unseen or since the last poll (Message-ID dedupes)
    assert poll_imap(url, seen.append, db=db, clock=clock).stored == []


def test_ingested_mail_is_moved_to_the_folder_asked_for(db, clock, dovecot, mailbox):
    url = dovecot.url(mailbox)
    poll_imap(url, lambda raw: None, db=db, clock=clock)
    dovecot.deliver(msg(1), mailbox)
    dovecot.deliver(msg(2), mailbox)
    target = f"{mailbox}-done"
    result = poll_imap(url, lambda raw: None, db=db, clock=clock, move_to=target)
    assert result.stored == ["1", "2"]
    assert dovecot.uids(mailbox) == [] and len(dovecot.uids(target)) == 2
    dovecot.deliver(msg(3), mailbox)  # UIDs go on after the move
    assert poll_imap(url, lambda raw: None, db=db, clock=clock, move_to=target).stored == ["3"]


def test_imaps_with_a_private_ca_file_or_verify_off(db, clock, dovecot, mailbox):
    got: list[bytes] = []
    trusted = dovecot.url(mailbox, tls=True, query=f"cafile={dovecot.certificate}")
    poll_imap(trusted, got.append, db=db, clock=clock)
    dovecot.deliver(msg(1), mailbox)
    assert poll_imap(trusted, got.append, db=db, clock=clock).stored == ["1"]
    unchecked = dovecot.url(mailbox, tls=True, query="verify=0")
    assert poll_imap(unchecked, got.append, db=db, clock=clock).stored == []


def test_a_refused_certificate_is_a_configuration_failure_on_the_health(db, clock, dovecot):
    with pytest.raises(ConfigError, match="certificate"):
        poll_imap(dovecot.url(tls=True), lambda raw: None, db=db, clock=clock)
    imap = mail_health(db)["imap"]
    assert (imap.ok, imap.fatal) == (False, True) and "certificate" in imap.reason


def test_a_wrong_password_is_a_configuration_failure(db, clock, dovecot):
    url = dovecot.url().replace(":secret@", ":wrong@")
    with pytest.raises(ConfigError, match="refused login"):
        poll_imap(url, lambda raw: None, db=db, clock=clock)
    assert mail_health(db)["imap"].fatal


def test_an_unreachable_server_is_an_outage_not_a_configuration_failure(db, clock):
    with pytest.raises(ImapUnavailable, match="unreachable"):
        poll_imap(f"imap://u:p@127.0.0.1:{free_port()}/INBOX", lambda r: None, db=db, clock=clock)
    imap = mail_health(db)["imap"]
    assert (imap.ok, imap.fatal) == (False, False)


def test_imap_url_parsing_reads_tls_port_mailbox_escaped_password_and_tls_options(tmp_path):
    s = parse_imap_url("imaps://ar%40acme.example:p%3Ass@mail.acme.example/AR%20Replies")
    assert (s.host, s.port, s.tls, s.user, s.password, s.mailbox, s.verify) == (
        "mail.acme.example",
        993,
        True,
        "ar@acme.example",
        "p:ss",
        "AR Replies",
        True,
    )
    assert parse_imap_url("imap://u:p@h:1143").mailbox == "INBOX"
    assert parse_imap_url("imaps://u:p@h/INBOX?verify=0").verify is False
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    assert parse_imap_url(f"imaps://u:p@h/INBOX?cafile={ca}").cafile == str(ca)
    with pytest.raises(ConfigError, match="cafile"):
        parse_imap_url("imaps://u:p@h/INBOX?cafile=/nonexistent/ca.pem")
    with pytest.raises(ConfigError):
        parse_imap_url("http://h/INBOX")


def test_the_mark_is_kept_per_mailbox(db, clock, dovecot, mailbox):
    other = f"{mailbox}-b"
    dovecot.create(other)
    for box in (mailbox, other):
        poll_imap(dovecot.url(box), lambda raw: None, db=db, clock=clock)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(MailboxState)) == 2


def test_idle_wakes_up_when_new_mail_arrives(dovecot, mailbox):
    url = dovecot.url(mailbox)
    woke: list[bool | None] = []
    waiter = threading.Thread(target=lambda: woke.append(wait_for_mail(url, timeout=30)))
    waiter.start()
    for n in range(1, 30):  # mail that arrives once it IDLEs is announced; keep it coming
        dovecot.deliver(msg(n), mailbox)
        waiter.join(timeout=1)
        if not waiter.is_alive():
            break
    assert woke == [True]


def test_idle_returns_false_when_nothing_came_and_honours_stop(dovecot, mailbox):
    assert wait_for_mail(dovecot.url(mailbox), timeout=0.5) is False
    stop = threading.Event()
    stop.set()
    assert wait_for_mail(dovecot.url(mailbox), timeout=30, stop=stop) is False


def test_the_serve_poller_ingests_new_mail_without_waiting_its_interval(
    db, clock, dovecot, mailbox
):
    from api.server import build_context
    from api.services import poll_imap_forever
    from tests.api.conftest import make_settings

    settings = make_settings(AR_AGENT_IMAP_URL=dovecot.url(mailbox), AR_AGENT_IMAP_INTERVAL=600)
    ctx = build_context(settings, db=db, clock=clock)
    stop = threading.Event()
    poller = threading.Thread(target=poll_imap_forever, args=(ctx, stop), daemon=True)
    poller.start()
    try:
        for _ in range(100):  # the first poll marks the (empty) mailbox's top
            with db.session() as s:
                if s.scalars(select(MailboxState.id)).first():
                    break
            poller.join(timeout=0.2)
        found = False
        for n in range(1, 60):  # the interval is 10 minutes: only IDLE brings these in
            dovecot.deliver(msg(n), mailbox)
            poller.join(timeout=0.5)
            with db.session() as s:
                found = bool(s.scalars(select(Communication.id)).first())
            if found:
                break
        assert found
    finally:
        stop.set()
        poller.join(timeout=30)
    assert not poller.is_alive()
