"""mail.health: the last SMTP/IMAP outcome, shared through the database, summed up for /readyz."""

from __future__ import annotations

from datetime import timedelta

from ledger.db import Database
from mail.health import mail_health, record_failure, record_success


def test_states_from_unknown_to_ok_degraded_failing_and_misconfigured(db, clock):
    now = clock.now()
    assert mail_health(db)["smtp"].state(now) == "unknown"
    record_success(db, "smtp", now)
    assert mail_health(db)["smtp"].state(now) == "ok"
    record_failure(db, "smtp", now, "SMTP mx:25: cannot connect")
    smtp = mail_health(db)["smtp"]
    assert smtp.state(now) == "degraded" and smtp.reason == "SMTP mx:25: cannot connect"
    assert smtp.state(now + timedelta(minutes=11)) == "failing"
    record_failure(db, "smtp", now, "535 bad credentials", fatal=True)
    assert mail_health(db)["smtp"].state(now) == "misconfigured"
    record_success(db, "smtp", now + timedelta(minutes=1))
    assert mail_health(db)["smtp"].as_json(now)["state"] == "ok"
    assert mail_health(db)["imap"].state(now) == "unknown"  # each channel on its own


def test_another_process_sees_the_same_state(db, clock):
    record_failure(db, "imap", clock.now(), "IMAP mx:993 refused login", fatal=True)
    other = Database(db.url, migrate_schema=False)  # as the web server would
    try:
        assert mail_health(other)["imap"].fatal
    finally:
        other.dispose()
