"""Who may decide: ``AR_AGENT_APPROVERS`` lists Slack user ids (U…/W…) and user groups (S…)."""

from __future__ import annotations

import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from api.deps import AppContext

GROUP_TTL = 300.0


def approvers(ctx: AppContext, client: WebClient) -> set[str]:
    """Individual approver ids, with user groups expanded (cached for five minutes)."""
    ids = ctx.settings.approver_ids
    users = {i for i in ids if not i.startswith("S")}
    cache: dict[str, tuple[float, set[str]]] = ctx.extras.setdefault("slack_groups", {})
    for group in (i for i in ids if i.startswith("S")):
        cached = cache.get(group)
        if cached is None or time.monotonic() - cached[0] > GROUP_TTL:
            try:
                members = set(client.usergroups_users_list(usergroup=group).get("users", []))
            except SlackApiError:
                members = cached[1] if cached else set()
            cache[group] = (time.monotonic(), members)
        users |= cache[group][1]
    return users


def may_decide(ctx: AppContext, client: WebClient, user_id: str) -> bool:
    return user_id in approvers(ctx, client)


def refusal(user_id: str, reason: str) -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": f"<@{user_id}> {reason}",
    }
