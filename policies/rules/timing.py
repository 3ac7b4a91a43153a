"""The send window: when an approved email may leave, in the customer's time zone.

Outside the window an email is not refused: the verdict carries ``wait_until``, the
next opening, and the outbox holds the message until then.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from policies.results import CheckResult
from policies.rules.context import RuleContext
from policies.schema import SendWindow


def next_send_time(now: datetime, tz: ZoneInfo, window: SendWindow) -> datetime | None:
    """None when ``now`` is inside the window, else the next opening (aware, in ``tz``)."""
    local = now.astimezone(tz)
    days = window.weekdays
    if local.weekday() in days and window.start <= local.time() < window.end:
        return None
    day = local.date()
    if not (local.weekday() in days and local.time() < window.start):
        day += timedelta(days=1)
        while day.weekday() not in days:
            day += timedelta(days=1)
    return datetime.combine(day, window.start, tzinfo=tz)


def send_window(ctx: RuleContext) -> tuple[CheckResult, datetime | None]:
    """Always passes; says whether the email goes now or waits for the window."""
    window = ctx.policy.send_window
    wait = next_send_time(ctx.clock.now(), ctx.timezone, window)
    span = f"{window.start:%H:%M}-{window.end:%H:%M} {'/'.join(window.days)} {ctx.timezone.key}"
    if wait is None:
        return CheckResult.ok("send_window", f"inside the send window ({span})"), None
    return CheckResult.ok(
        "send_window", f"outside the send window ({span}): waits until {wait.isoformat()}"
    ), wait
