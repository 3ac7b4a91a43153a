"""Who a Slack user is: the ar-agent account whose ``slack_user_id`` is theirs.

A Slack user with no enabled account may neither chat with the agent nor decide. Deciding
needs the approver (or admin) role; ``AR_AGENT_APPROVERS`` (Slack user ids U…/W… and user
groups S…), when set, narrows further: the clicking user must also be on that list.
"""

from __future__ import annotations

import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from accounts.roles import Identity
from accounts.users import by_slack_id, identity_of
from api.deps import AppContext

GROUP_TTL = 300.0
NO_ACCOUNT = (
    "your Slack user is not linked to an ar-agent account; an admin can link it with "
    "`ar-agent users add NAME --role ROLE --slack {user}`."
)


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


def slack_identity(ctx: AppContext, slack_user_id: str) -> Identity | None:
    """The enabled account linked to this Slack user, or None."""
    if not slack_user_id:
        return None
    with ctx.db.session() as session:
        user = by_slack_id(session, slack_user_id)
        return identity_of(user, "slack") if user else None


def decider(ctx: AppContext, client: WebClient, slack_user_id: str) -> Identity | None:
    """The account that may decide for this Slack user, or None."""
    identity = slack_identity(ctx, slack_user_id)
    if identity is None or not identity.can("decide"):
        return None
    if ctx.settings.approver_ids and slack_user_id not in approvers(ctx, client):
        return None
    return identity


def refusal(user_id: str, reason: str) -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": f"<@{user_id}> {reason}",
    }
