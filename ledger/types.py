"""Column types: exact decimal amounts and timezone-aware UTC datetimes on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

_FOUR = Decimal("0.0001")
_TWO = Decimal("0.01")
_SCALE = Decimal(10000)


class Amount(TypeDecorator[Decimal]):
    """A money amount: ``NUMERIC(19,4)`` on PostgreSQL, integer ten-thousandths on SQLite.

    SQLite has no decimal type (NUMERIC would store a float), so amounts are stored
    there as exact integers of 1/10,000 of the unit: comparisons, ORDER BY and SUM stay
    exact in SQL. Floats are refused on the way in. Values come back with two decimals
    unless they carry more (3-decimal currencies).
    """

    impl = Numeric(19, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(19, 4, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal, not float")
        value = Decimal(value).quantize(_FOUR)
        return int(value * _SCALE) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            amount = (Decimal(int(value)) / _SCALE).quantize(_FOUR)
        else:
            amount = Decimal(str(value)).quantize(_FOUR)
        short = amount.quantize(_TWO)
        return short if short == amount else amount.normalize()


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
