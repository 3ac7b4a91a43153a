"""Shared FastAPI dependencies: the database, clock, policy, settings and the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from accounts.roles import Identity
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


def get_user(request: Request) -> Identity:
    from api.auth import require_user  # api.auth imports AppContext from here: a real cycle

    return require_user(request)


def allowed_to(permission: str) -> Callable[[Request], Identity]:
    """A dependency: the caller, who must hold ``permission`` (403 otherwise)."""

    def dependency(request: Request) -> Identity:
        return get_user(request).require(permission)

    return dependency


UserDep = Annotated[Identity, Depends(get_user)]
ProposerDep = Annotated[Identity, Depends(allowed_to("propose"))]
DeciderDep = Annotated[Identity, Depends(allowed_to("decide"))]
