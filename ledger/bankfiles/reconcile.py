"""Balances checked after parsing: a statement whose own balances disagree with its lines
was not read right (or the file is damaged), so its import stops with the difference named.

``opening + credits - debits = closing`` must hold to the cent for every statement that
gives both balances; a running-balance column a parser found inconsistent
(``Statement.balance_problem``) stops it too. Statements without balances pass.
"""

from __future__ import annotations

from decimal import Decimal

from ledger.bankfiles.common import fail
from ledger.bankfiles.model import Statement


def check_balances(statements: list[Statement], name: str) -> None:
    """Raise ``UnsupportedFile`` naming the first statement that does not reconcile."""
    for number, statement in enumerate(statements, start=1):
        label = statement.statement_id or statement.account or f"statement {number}"
        if len(statements) > 1 and label != f"statement {number}":
            label = f"statement {number} ({label})"
        if statement.balance_problem:
            raise fail(name, f"{label}: {statement.balance_problem}; nothing imported")
        difference = statement.balance_difference()
        if difference is None or difference == 0:
            continue
        opening, closing = statement.opening_balance, statement.closing_balance
        assert opening is not None and closing is not None
        movements = sum(
            (x.amount if x.direction == "credit" else -x.amount for x in statement.lines),
            Decimal(0),
        )
        raise fail(
            name,
            f"{label} does not reconcile: opening balance {opening} + movements {movements} "
            f"= {opening + movements}, but the closing balance is {closing} "
            f"(difference {difference}); nothing imported",
        )
