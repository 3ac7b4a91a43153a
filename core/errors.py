"""The error hierarchy. Raised anywhere, translated at the edges.

The CLI prints ``str(error)`` on one line and exits 1; the API turns it into an HTTP
error; Slack replies with it in the thread; the agent hands it to the model as a tool
error it can read.
"""


class ARAgentError(Exception):
    """Base of every error ar-agent raises on purpose."""

    http_status = 400


class ConfigError(ARAgentError):
    """A setting or the policy file is invalid."""


class ValidationError(ARAgentError):
    """Input data (ledger file, action payload, form) is invalid."""


class NotFound(ARAgentError):
    """A customer, invoice, approval or other record does not exist."""

    http_status = 404


class Ambiguous(ARAgentError):
    """A name matched several records; the user must say which."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class PolicyViolation(ARAgentError):
    """The policy forbids the action."""

    http_status = 422

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or [message]


class ConflictError(ARAgentError):
    """The record changed state under us (already decided, already executed)."""

    http_status = 409


class PermissionDenied(ARAgentError):
    """The user may not do this (not an approver, approving their own request)."""

    http_status = 403


class UnsupportedFile(ARAgentError):
    """A file the product cannot read (unknown bank-file dialect, broken MIME)."""


class DeliveryError(ARAgentError):
    """Sending an email failed; the outbox will retry."""
