"""Secret handling: new random tokens, their SHA-256 for storage, constant-time comparison.

Tokens carry 256 bits of randomness, so a plain SHA-256 is enough to keep them useless at
rest (no salt or slow hash needed, unlike passwords). Comparison accepts any text or bytes:
a non-ASCII value is simply not equal, never an exception.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(prefix: str = "ar_") -> str:
    return prefix + secrets.token_urlsafe(32)


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def token_hash(token: str | bytes) -> str:
    return hashlib.sha256(_bytes(token)).hexdigest()


def same_secret(offered: str | bytes | None, expected: str | bytes | None) -> bool:
    """Constant-time equality of two secrets of any characters; empty never matches."""
    if not offered or not expected:
        return False
    return hmac.compare_digest(_bytes(offered), _bytes(expected))
