"""Fixtures of the policy tests: the default policy, a session, a small Globex ledger."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from ledger.db import Database
from ledger.models import Contact, Customer, Invoice
from policies.config import load_policy
from policies.schema import Policy
from tests.support import factories


@pytest.fixture
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s
        s.rollback()


@pytest.fixture
def globex(session: Session) -> Customer:
    cust = factories.customer(
        session,
        "C-001",
        "Globex Corporation",
        email="dana@globex.example",
        timezone="America/Chicago",
    )
    cust.contacts.append(Contact(name="Lee Park", email="lee@globex.example", role="finance"))
    session.flush()
    return cust


@pytest.fixture
def inv(session: Session, globex: Customer) -> Invoice:
    return factories.invoice(session, globex, "INV-1042", amount="12400.00", due=date(2026, 10, 1))
