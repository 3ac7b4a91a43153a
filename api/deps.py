"""Shared FastAPI dependencies: the database, clock, policy and settings of the running app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from core.clock import Clock
from core.settings import Settings
from ledger.db import Database


@dataclass
class AppContext:
    """Everything a request handler needs, built once per app."""

    settings: Settings
    db: Database
    clock: Clock
    extras: dict[str, Any] = field(default_factory=dict)  # agent service, slack app, smtp sink...


def get_context(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def get_session(ctx: Annotated[AppContext, Depends(get_context)]) -> Iterator[Session]:
    with ctx.db.session() as session:
        yield session


ContextDep = Annotated[AppContext, Depends(get_context)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_user(request: Request) -> str:
    from api.auth import require_user

    return require_user(request)


UserDep = Annotated[str, Depends(get_user)]
