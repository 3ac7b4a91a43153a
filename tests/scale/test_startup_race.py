"""Several processes starting at once on an empty PostgreSQL database all come up.

Without the advisory locks in ``ledger.db.migrate`` and ``agent.memory`` the racers fail
with ``UniqueViolation`` (alembic's DDL, the checkpointer's ``checkpoint_migrations``).
"""

from __future__ import annotations

import multiprocessing

import psycopg
import pytest
from langgraph.checkpoint.postgres import PostgresSaver

from tests.scale.conftest import fresh_database
from tests.scale.racers import start_like_a_server

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("scale")]

RACERS = 3


def test_three_processes_migrate_and_set_up_memory_on_one_fresh_database(postgres_server):
    url = fresh_database(postgres_server, "race")
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(RACERS), spawn.Queue()
    procs = [
        spawn.Process(target=start_like_a_server, args=(url, barrier, results, f"p{i}"))
        for i in range(RACERS)
    ]
    for p in procs:
        p.start()
    try:
        outcomes = sorted(results.get(timeout=90) for _ in procs)
    finally:
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join(5)
    assert outcomes == [(f"p{i}", "ok", "ok") for i in range(RACERS)], outcomes

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        heads = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        versions = [r[0] for r in conn.execute("SELECT v FROM checkpoint_migrations ORDER BY v")]
    assert len(heads) == 1
    assert versions == list(range(len(PostgresSaver.MIGRATIONS)))
