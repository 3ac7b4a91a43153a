"""Fixtures of the policy tests: the default policy, a session, a small Globex ledger."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

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


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test session; each test gets a copy (migrating is slow)."""
    path = tmp_path_factory.mktemp("policy-template") / "ledger.db"
    Database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db(tmp_path: Path, _migrated_template: Path) -> Iterator[Database]:
    """The shared ``db`` fixture's fresh migrated SQLite database, copied from a template."""
    path = tmp_path / "ledger.db"
    shutil.copyfile(_migrated_template, path)
    database = Database(f"sqlite:///{path}", migrate_schema=False)
    yield database
    database.dispose()


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
