"""One pool connection at a time per unit of work (an HTTP request, a worker pass).

Two rules keep a request from ever holding two connections of the pool at once, the way the
approvals page once deadlocked under load (the page held its session while the layout's
pending badge checked out a second connection):

- A ``with db.session()`` opened while another session of the same database is open *in the
  same context* (thread or task, :mod:`contextvars`) is that open session, lent: leaving the
  inner block does not close it.
- ``with db.transaction()`` entered while a *read* session is open first ends that session's
  read transaction (a commit of nothing: loaded objects stay loaded, ``expire_on_commit`` is
  off), which returns its connection to the pool, so the write checks out one connection, not
  a second one.

:class:`CheckoutScope` counts the connections a context holds; the HTTP middleware opens one
per request and reports any request that held more than one (metric and log).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

FLUSHED = "ar_agent_flushed"  # Session.info key: this transaction has written something
WRITER = "ar_agent_writer"  # Session.info key: a db.transaction() session, never ended early


@dataclass
class CheckoutScope:
    """Connections checked out by one unit of work: ``held`` now, ``peak`` at most."""

    held: int = 0
    peak: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def checked_out(self) -> None:
        with self._lock:
            self.held += 1
            self.peak = max(self.peak, self.held)

    def checked_in(self) -> None:
        with self._lock:
            self.held -= 1


_scope: ContextVar[CheckoutScope | None] = ContextVar("ar_agent_checkout_scope", default=None)


@contextmanager
def checkout_scope() -> Iterator[CheckoutScope]:
    """Count the pool checkouts made in this context (and the threads it hands work to)."""
    scope = CheckoutScope()
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def track_checkouts(engine: Engine) -> None:
    """Attribute every checkout of ``engine``'s pool to the current :class:`CheckoutScope`."""

    @event.listens_for(engine, "checkout")
    def _out(_dbapi: Any, record: Any, _proxy: Any) -> None:
        scope = _scope.get()
        if scope is not None:
            scope.checked_out()
            record.info["ar_agent_scope"] = scope

    @event.listens_for(engine, "checkin")
    def _in(_dbapi: Any, record: Any) -> None:
        scope = record.info.pop("ar_agent_scope", None)
        if scope is not None:
            scope.checked_in()


def track_writes(sessions: sessionmaker[TrackedSession]) -> None:
    """Mark a session whose transaction has flushed a write (it must not be committed early)."""

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _flush: Any) -> None:
        session.info[FLUSHED] = True

    @event.listens_for(sessions, "after_transaction_end")
    def _ended(session: Session, transaction: Any) -> None:
        if transaction.parent is None:
            session.info.pop(FLUSHED, None)


class SharedSessions:
    """The context's open session of one database (see the module docstring)."""

    def __init__(self, name: str) -> None:
        self._open: ContextVar[Session | None] = ContextVar(
            f"ar_agent_session_{name}", default=None
        )

    def current(self) -> Session | None:
        return self._open.get()

    def enter(self, session: Session) -> Token[Session | None]:
        return self._open.set(session)

    def leave(self, token: Token[Session | None]) -> None:
        try:
            self._open.reset(token)
        except ValueError:  # left in another context (a dependency closed by another thread)
            self._open.set(None)

    def release_reads(self) -> None:
        """End the open session's read-only transaction so its connection goes back."""
        session = self._open.get()
        if session is None or session.info.get(WRITER) or session.info.get(FLUSHED):
            return
        if session.new or session.dirty:
            return
        if session.deleted or not session.in_transaction():
            return
        session.commit()


class TrackedSession(Session):
    """A session that, inside ``with``, is the context's open session for nested blocks."""

    def __init__(self, *args: Any, shared: SharedSessions | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shared = shared
        self._token: Token[Session | None] | None = None

    def __enter__(self) -> TrackedSession:
        if self.shared is not None:
            self._token = self.shared.enter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.close()
        finally:
            if self.shared is not None and self._token is not None:
                self.shared.leave(self._token)
                self._token = None


class LentSession:
    """The open session, lent to a nested ``with db.session()``; leaving does not close it."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def __enter__(self) -> Session:
        return self._session

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None  # the owner closes it

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)
