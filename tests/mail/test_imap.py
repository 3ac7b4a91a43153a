"""mail.imap against a fake IMAP server on 127.0.0.1: fetch unseen, mark seen after storing."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from mail.imap import parse_imap_url, poll_imap
from tests.mail.fake_imap import FakeImap

MSG = b"From: Dana <dana@globex.example>\r\nSubject: paid\r\nMessage-ID: <%d@x>\r\n\r\nPaid.\r\n"


def test_poll_hands_every_unseen_message_to_the_handler_and_marks_it_seen() -> None:
    with FakeImap() as box:
        box.add(MSG % 1)
        box.add(MSG % 2)
        seen_before = box.add(MSG % 3)
        box.messages[seen_before][1].add("\\Seen")
        got: list[bytes] = []
        result = poll_imap(box.url, got.append)
        assert got == [MSG % 1, MSG % 2]
        assert result.stored == ["1", "2"] and result.failed == []
        assert all("\\Seen" in flags for _, flags in box.messages.values())
        assert any("BODY.PEEK[]" in line for line in box.log)


def test_a_failing_handler_leaves_the_message_unseen_for_the_next_poll() -> None:
    with FakeImap() as box:
        box.add(MSG % 1)
        box.add(MSG % 2)

        def handler(raw: bytes) -> None:
            if b"<1@x>" in raw:
                raise RuntimeError("database down")

        result = poll_imap(box.url, handler)
        assert result.failed == ["1"] and result.stored == ["2"]
        assert "\\Seen" not in box.messages[1][1]
        again: list[bytes] = []
        poll_imap(box.url, again.append)
        assert again == [MSG % 1]


def test_wrong_password_is_a_one_line_config_error() -> None:
    with FakeImap(password="right") as box:
        url = box.url.replace(":right@", ":wrong@")
        with pytest.raises(ConfigError, match="refused login"):
            poll_imap(url, lambda raw: None)


def test_imap_url_parsing_reads_tls_port_mailbox_and_escaped_password() -> None:
    s = parse_imap_url("imaps://ar%40acme.example:p%3Ass@mail.acme.example/AR%20Replies")
    assert (s.host, s.port, s.tls, s.user, s.password, s.mailbox) == (
        "mail.acme.example",
        993,
        True,
        "ar@acme.example",
        "p:ss",
        "AR Replies",
    )
    assert parse_imap_url("imap://u:p@h:1143").mailbox == "INBOX"
    with pytest.raises(ConfigError):
        parse_imap_url("http://h/INBOX")
