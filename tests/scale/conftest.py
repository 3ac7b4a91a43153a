"""Fixtures for the scale tests: a fresh PostgreSQL database, an SMTP sink, two servers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from ledger.db import Database
from tests.conftest import IN_CI
from tests.scale.cluster import Cluster
from tests.support.postgres import TestPostgres
from tests.support.smtp import SmtpSink


def fresh_database(server: TestPostgres, prefix: str) -> str:
    """The URL of a new, empty (unmigrated) database; skipped without PostgreSQL, failed in CI."""
    if not server.url:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {server.reason}")
        pytest.skip(f"PostgreSQL unavailable: {server.reason}")
    return server.new_database(f"{prefix}_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="module")
def scale_db_url(postgres_server: TestPostgres) -> str:
    return fresh_database(postgres_server, "scale")


@pytest.fixture(scope="module")
def scale_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def cluster(
    scale_db_url: str, scale_sink: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Two ``ar-agent serve`` processes started together on the unmigrated database."""
    workdir = tmp_path_factory.mktemp("scale")
    with Cluster(scale_db_url, smtp_url=scale_sink.url, workdir=workdir, size=2) as running:
        yield running


@pytest.fixture(scope="module")
def scale_db(cluster: Cluster, scale_db_url: str) -> Iterator[Database]:
    """The test's own handle on the servers' database (already migrated by them)."""
    database = Database(scale_db_url)
    yield database
    database.dispose()
