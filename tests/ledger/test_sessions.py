"""One pool connection at a time: nested sessions share, a write releases the read first."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from ledger.models import Customer, KeyValue
from ledger.sessions import checkout_scope


def test_a_nested_session_is_the_open_one_and_stays_open(any_db):
    with checkout_scope() as pool, any_db.session() as outer:
        outer.scalar(select(func.count()).select_from(Customer))
        with any_db.session() as inner:
            assert inner is outer
            inner.scalar(select(func.count()).select_from(KeyValue))
        # leaving the inner block did not close the outer session
        assert outer.scalar(select(func.count()).select_from(Customer)) == 0
    assert pool.peak == 1 and pool.held == 0


def test_a_write_inside_a_read_session_uses_one_connection_and_commits(any_db):
    with checkout_scope() as pool, any_db.session() as reading:
        reading.scalar(select(func.count()).select_from(Customer))
        with any_db.transaction() as writing:
            writing.add(KeyValue(key="k", value={"v": 1}))
        assert reading.scalar(select(KeyValue.value).where(KeyValue.key == "k")) == {"v": 1}
    assert pool.peak == 1
    with any_db.session() as fresh:
        assert fresh.scalar(select(KeyValue.value).where(KeyValue.key == "k")) == {"v": 1}


def test_a_failed_write_rolls_back_and_leaves_the_read_session_usable(any_db):
    with any_db.session() as reading:
        try:
            with any_db.transaction() as writing:
                writing.add(KeyValue(key="gone", value={}))
                writing.flush()
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert reading.scalar(select(func.count()).select_from(KeyValue)) == 0


def test_sessions_in_other_threads_are_their_own(any_db):
    seen: list[object] = []
    with any_db.session() as mine:
        thread = threading.Thread(target=lambda: seen.append(_open_session(any_db)))
        thread.start()
        thread.join()
    assert seen and seen[0] is not mine


def _open_session(db):  # type: ignore[no-untyped-def]
    with db.session() as session:
        return session
