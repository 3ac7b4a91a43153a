"""Secrets never printed: URLs shown with their password masked.

Works on malformed URLs too (that is when they are shown, in the error that refuses
them): everything between the first ``:`` of the user-info and its last ``@`` is masked.
"""

from __future__ import annotations

MASK = "***"


def mask_url(url: str) -> str:
    """``smtp://ar:s3cret@mail.example:587`` -> ``smtp://ar:***@mail.example:587``."""
    text = str(url)
    start = text.find("://")
    head, rest = (text[: start + 3], text[start + 3 :]) if start >= 0 else ("", text)
    at = rest.rfind("@")
    if at < 0:
        return text
    userinfo = rest[:at]
    colon = userinfo.find(":")
    if colon < 0:
        return text
    return f"{head}{userinfo[: colon + 1]}{MASK}{rest[at:]}"
