"""Fixtures of the mail tests: a real Dovecot and Postfix (skipped only where not installed)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

import pytest

from tests.conftest import IN_CI
from tests.support.dovecot import TestDovecot
from tests.support.postfix import TestPostfix

_boxes = count(1)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[TestDovecot]:
    server = TestDovecot().start()
    yield server
    server.stop()


@pytest.fixture
def dovecot(dovecot_server: TestDovecot) -> TestDovecot:
    if not dovecot_server.available:
        if IN_CI:
            pytest.fail(f"Dovecot is required in CI: {dovecot_server.reason}")
        pytest.skip(f"Dovecot unavailable: {dovecot_server.reason}")
    return dovecot_server


@pytest.fixture
def mailbox(dovecot: TestDovecot) -> str:
    """A fresh, empty mailbox of its own for each test."""
    name = f"Replies{next(_boxes)}"
    dovecot.create(name)
    return name


@pytest.fixture(scope="session")
def postfix_server() -> Iterator[TestPostfix]:
    server = TestPostfix(["dana@globex.example", "lee@globex.example"]).start()
    yield server
    server.stop()


@pytest.fixture
def postfix(postfix_server: TestPostfix) -> TestPostfix:
    if not postfix_server.available:
        if IN_CI:
            pytest.fail(f"Postfix is required in CI: {postfix_server.reason}")
        pytest.skip(f"Postfix unavailable: {postfix_server.reason}")
    return postfix_server
