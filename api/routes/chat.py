"""REST: talk to the agent (the same agent and memory as Slack and the web console)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import ContextDep, ProposerDep
from api.services import agent_service

router = APIRouter(prefix="/api/chat", tags=["chat"])


class ChatIn(BaseModel):
    text: str
    conversation_id: str


class ChatOut(BaseModel):
    text: str
    intent: str | None = None
    proposals: list[dict[str, Any]] = []
    blocked: list[dict[str, Any]] = []


@router.post("", response_model=ChatOut)
def chat(body: ChatIn, ctx: ContextDep, user: ProposerDep) -> ChatOut:
    reply = agent_service(ctx).chat(
        body.text, conversation_id=body.conversation_id, user=user.username
    )
    return ChatOut(
        text=reply.text,
        intent=getattr(reply, "intent", None),
        proposals=[_jsonable(p) for p in getattr(reply, "proposals", [])],
        blocked=[_jsonable(b) for b in getattr(reply, "blocked", [])],
    )


def _jsonable(item: Any) -> dict[str, Any]:
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")  # type: ignore[no-any-return]
    if isinstance(item, dict):
        return item
    return {"value": str(item)}
