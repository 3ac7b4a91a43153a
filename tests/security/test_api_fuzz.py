"""Issue 13 item 10: schemathesis over the OpenAPI schema: no request gets a 500.

Every operation of the REST API is called with cases schemathesis generates from the
schema (bounded: a dozen per operation, fixed seed), authenticated, on a small ledger.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.main import create_app
from api.server import build_context
from ledger.db import in_memory
from ledger.importer import load_ledger_file
from tests.api.conftest import FIXTURES, make_settings

HEADERS = {"Authorization": "Bearer test-token", "X-AR-Agent-Secret": "inbound-secret"}


def _schema() -> Any:
    from core.clock import parse_clock

    db = in_memory()
    with db.transaction() as session:
        load_ledger_file(session, FIXTURES / "ledger_globex.json")
    ctx = build_context(make_settings(), db=db, clock=parse_clock("2026-11-23T09:00:00-06:00"))
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(ctx.settings, ctx=ctx))


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_request_gets_a_server_error(operation: Any) -> None:
    @settings(
        max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        response = case.call(headers=HEADERS)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])

    check()
