"""Issue 13: a malformed SMTP or IMAP URL is refused without printing its password."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.redact import mask_url
from mail.imap import parse_imap_url
from mail.smtp import SmtpTransport

SECRET = "hunter2-s3cret"


@pytest.mark.parametrize(
    "url",
    [
        f"smtp://ar:{SECRET}@mail.example:notaport",
        f"smtpx://ar:{SECRET}@mail.example:587",
        f"ar:{SECRET}@mail.example",
        f"smtp://ar:{SECRET}@mail.example:587?timeout=soon",
    ],
)
def test_a_bad_smtp_url_error_masks_the_password(url):
    with pytest.raises(ConfigError) as caught:
        SmtpTransport.from_url(url)
    assert SECRET not in str(caught.value)
    assert "***" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [f"imaps://ar:{SECRET}@imap.example:99999x/INBOX", f"pop3://ar:{SECRET}@imap.example/INBOX"],
)
def test_a_bad_imap_url_error_masks_the_password(url):
    with pytest.raises(ConfigError) as caught:
        parse_imap_url(url)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("smtp://ar:pw@host:25", "smtp://ar:***@host:25"),
        ("imaps://a%40b:p@ss/w@host/INBOX", "imaps://a%40b:***@host/INBOX"),
        ("smtp://host:25", "smtp://host:25"),
        ("smtp://user@host", "smtp://user@host"),
    ],
)
def test_mask_url(url, shown):
    assert mask_url(url) == shown
