"""Who the bot is, learnt from ``auth.test`` in the background instead of at start-up.

slack-bolt calls ``auth.test`` when the app is built and refuses to start when Slack's API
cannot be reached; a Slack outage during a deploy would then take the web page and the
email webhook down with it. Here the app authorizes every request with the configured bot
token at once and fills in the bot's ids once ``auth.test`` answers: :func:`watch_slack`
calls it with exponential backoff (tenacity) and reports Slack as ``ok`` or ``degraded``
on ``/readyz``. Requests are verified with the signing secret either way.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from api.monitors import watch
from core import health

log = logging.getLogger("ar_agent.slack")


class BotIdentity(Authorize):
    """Authorizes with the bot token; bot ids from the last successful ``auth.test``."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.auth: dict[str, Any] = {}

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
    ) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id or self.auth.get("enterprise_id"),
            team_id=team_id or self.auth.get("team_id"),
            bot_token=self.token,
            bot_id=self.auth.get("bot_id"),
            bot_user_id=self.auth.get("user_id"),
            user_id=user_id,
        )

    def verify(self, client: WebClient) -> None:
        """Call ``auth.test``; raises while Slack cannot be reached or refuses the token."""
        response = client.auth_test()
        self.auth = dict(response.data) if isinstance(response.data, dict) else {}


def watch_slack(
    identity: BotIdentity, client: WebClient, stop: threading.Event, *, every: float = 300.0
) -> None:
    """Check the token now, then every ``every`` seconds; back off while Slack is away."""
    health.configured("slack")
    watch("slack", lambda: identity.verify(client), stop, every=every)
