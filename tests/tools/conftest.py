"""Fixtures for tool tests: a ToolContext on a small ledger."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from policies.config import load_policy
from tests.support import factories as f
from tools.context import ToolContext


@pytest.fixture
def session(db):  # noqa: ANN001, ANN201
    with db.transaction() as s:
        yield s


@pytest.fixture
def ctx(session, clock) -> Iterator[ToolContext]:  # noqa: ANN001
    yield ToolContext(session=session, clock=clock, policy=load_policy())


@pytest.fixture
def globex(session):  # noqa: ANN001, ANN201
    c = f.customer(
        session,
        "C-001",
        "Globex Corporation",
        email="dana@globex.example",
        aliases=["Globex Corp", "GLOBEX"],
    )
    f.invoice(session, c, "INV-1042", amount="12400.00", due=date(2026, 10, 1))
    f.invoice(session, c, "INV-1077", amount="3100.00", due=date(2026, 11, 10))
    return c
