"""Process each Slack event once, even when Slack retries it (``X-Slack-Retry-Num``)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from api.deps import AppContext
from ledger.models import KeyValue


def first_time(ctx: AppContext, event_id: str | None) -> bool:
    """Record ``event_id``; False when it was seen before (by any process sharing the DB)."""
    if not event_id:
        return True
    try:
        with ctx.db.transaction() as session:
            session.add(KeyValue(key=f"slack-event:{event_id}", value={}))
        return True
    except IntegrityError:
        return False
