"""TLS options shared by the SMTP and IMAP URLs: ``verify=0`` and ``cafile=PATH``.

``?verify=0`` turns certificate checks off (test servers with throw-away certificates);
``?cafile=/path/ca.pem`` trusts a private CA or a self-signed certificate instead of
turning checks off. A certificate that cannot be verified is a configuration problem,
not an outage: :func:`is_certificate_error` tells the callers which is which.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError

TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class TlsOptions:
    verify: bool = True
    cafile: str | None = None

    @classmethod
    def from_query(cls, query: dict[str, str], setting: str) -> TlsOptions:
        """Read ``verify`` and ``cafile`` from a URL's query (``setting`` names the variable)."""
        cafile = query.get("cafile") or None
        if cafile is not None and not Path(cafile).is_file():
            raise ConfigError(f"{setting}: cafile {cafile!r} is not a readable file")
        return cls(verify=query.get("verify", "1").lower() in TRUE, cafile=cafile)

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.cafile)
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context


def is_certificate_error(exc: BaseException) -> bool:
    """True for a certificate the client refused (unknown CA, wrong host, expired)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
