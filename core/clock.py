"""Clocks. Everything that depends on "now" takes one; tests and evals freeze it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from core.errors import ConfigError


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FrozenClock:
    """A clock that says the same time until moved with :meth:`advance`."""

    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            self.at = self.at.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at = self.at + timedelta(**delta)


def parse_clock(value: str | None) -> Clock:
    """Build a clock from ``AR_AGENT_CLOCK`` (an ISO datetime or date), or the real one."""
    if not value:
        return SystemClock()
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"AR_AGENT_CLOCK: {value!r} is not an ISO datetime") from exc
    return FrozenClock(at)


def today(clock: Clock) -> date:
    """The calendar date of ``clock.now()`` in the clock's own offset."""
    return clock.now().date()
