"""Small helpers shared by the offline brain's controller and customer-reply halves."""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from agent.state import ToolCall

_ids = itertools.count(1)


def call(tool: str, /, **args: Any) -> ToolCall:
    """A tool call with JSON-ready arguments (None values dropped)."""
    return {
        "id": f"call_{next(_ids)}",
        "name": tool,
        "args": {k: jsonable(v) for k, v in args.items() if v is not None},
    }


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {k: jsonable(v) for k, v in vars(value).items() if not k.startswith("_")}
    return value


def field(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name`` tolerant of absent attributes (the understanding may grow fields)."""
    value = getattr(obj, name, default) if obj is not None else default
    return default if value is None else value


def results_of(state: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [r for r in state.get("results") or [] if r.get("name") == name]


def all_queued(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for r in state.get("results") or [] for q in r.get("queued") or []]


def all_blocked(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for r in state.get("results") or [] for b in r.get("blocked") or []]


_DIGITS = re.compile(r"\d{2,}")


def known_invoices_for(
    session: Any, text: str, *, customer: str | None = None, limit: int = 300
) -> list[str]:
    """Ledger invoice numbers that could be the ones ``text`` mentions (by digit runs),
    plus the customer's own: the reference reader then resolves formats like "inv 1042"."""
    from sqlalchemy import func, or_, select

    from ledger.models import Invoice

    runs = sorted({m.lstrip("0") or "0" for m in _DIGITS.findall(text)}, key=len, reverse=True)[:12]
    found: list[str] = []
    if runs:
        stmt = select(Invoice.number).where(or_(*[Invoice.number.like(f"%{r}%") for r in runs]))
        found = list(session.scalars(stmt.limit(limit)))
    if customer:
        found += list(
            session.scalars(
                select(Invoice.number).where(Invoice.customer_id == customer).limit(limit)
            )
        )
    # One number per prefix, so the reader knows the ledger's numbering schemes and does
    # not take "over 90" or "PO 7781" for an invoice.
    found += list(
        session.scalars(
            select(func.min(Invoice.number)).group_by(func.substr(Invoice.number, 1, 3)).limit(50)
        )
    )
    return list(dict.fromkeys(found))
