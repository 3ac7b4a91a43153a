"""Decoding bytes and header values that claim (or fail to claim) a charset.

Mail in the wild lies about its charset: "iso-8859-1" that is really Windows-1252,
"big5" that is really UTF-8, "gb2312" text using GB18030 characters, raw 8-bit bytes
in headers, charsets Python has never heard of. These helpers never raise: they try
the declared charset strictly, then UTF-8, then fall back with replacement characters.
"""

from __future__ import annotations

import codecs
from email.header import decode_header

# Declared name -> the superset that decodes what senders actually produce.
SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "iso8859-1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8",
    "x-unknown": "utf-8",
    "unknown-8bit": "utf-8",
    "cp-850": "cp850",
}


def codec_for(charset: str | None) -> str | None:
    """Return a Python codec name for a declared charset, or None if unknown/absent."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode ``data`` using the declared charset, sniffing UTF-8 when the label lies."""
    codec = codec_for(charset)
    attempts = [c for c in (codec, "utf-8") if c]
    for name in attempts:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    if codec and codec not in ("ascii", "utf-8"):
        return data.decode(codec, errors="replace")
    return data.decode("cp1252" if _looks_western(data) else "utf-8", errors="replace")


def _looks_western(data: bytes) -> bool:
    """True when high bytes look like single-byte Latin text rather than broken UTF-8."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def clean_text(value: str) -> str:
    """Turn surrogate-escaped raw bytes (from 8-bit headers) back into real text."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    return decode_bytes(raw)


def decode_header_value(value: str | None) -> str:
    """Decode RFC 2047 encoded words (also unquoted or glued ones) into plain text."""
    if value is None:
        return ""
    value = clean_text(str(value))
    if "=?" in value:
        try:
            parts = []
            for chunk, cs in decode_header(value):
                if isinstance(chunk, bytes):
                    parts.append(decode_bytes(chunk, cs))
                else:
                    parts.append(chunk)
            value = "".join(parts) if parts else value
        except Exception:  # malformed encoded words: keep the raw header text
            pass
    return " ".join(value.split())
