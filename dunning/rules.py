"""The dunning knobs of the collections policy, read once from whatever ``Policy`` we get.

``policies.config.Policy`` owns the YAML and its validation; this module only turns it
into the small, typed view the dunning run needs (cadence stages in order, promise
grace days, frequency caps, the instalment-reminder stage name). Sections missing
from the object fall back to the POLICY.md defaults (``policy=None`` gives them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STAGE_ORDER = ("courtesy", "due", "first", "second", "final", "escalate")
DEFAULT_CADENCE = (
    ("courtesy", -3, "friendly heads-up"),
    ("due", 1, "polite reminder"),
    ("first", 7, "clear, asks for a date"),
    ("second", 14, "firm, asks for a date or a reason"),
    ("final", 30, "final notice, offers a payment plan"),
    ("escalate", 60, "no automatic email"),
)


@dataclass(frozen=True)
class Stage:
    name: str
    day: int
    tone: str
    rank: int
    channel: str = "email"  # "slack": no email, escalate to a human
    cc_secondary: bool = False
    heads_up_to_owner: bool = False
    attach_copies: bool = False

    @property
    def sends_email(self) -> bool:
        return self.channel == "email"


@dataclass(frozen=True)
class DunningRules:
    """The policy values the dunning run needs, with POLICY.md defaults."""

    stages: tuple[Stage, ...]
    promise_grace_days: int = 3
    min_days_between_emails: int = 5
    max_emails: int = 4
    max_emails_window_days: int = 30
    installment_stage: str = "installment"

    def stage_for(self, days_past_due: int) -> Stage | None:
        """The most advanced stage whose day has been reached, or None (not yet courtesy)."""
        reached = None
        for stage in self.stages:
            if days_past_due >= stage.day:
                reached = stage
        return reached

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)

    def rank(self, name: str | None) -> int:
        """Order of a stage name (-1 for unknown or None)."""
        for stage in self.stages:
            if stage.name == name:
                return stage.rank
        return -1

    @property
    def first_day(self) -> int:
        return self.stages[0].day


def _get(obj: Any, *path: str, default: Any = None) -> Any:
    """Follow attributes or mapping keys; return ``default`` when any step is missing."""
    for name in path:
        if obj is None:
            return default
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    return default if obj is None else obj


def _stages(policy: Any) -> tuple[Stage, ...]:
    raw = _get(policy, "cadence")
    items: list[Stage] = []
    for rank, item in enumerate(sorted(raw or [], key=lambda i: int(_get(i, "day")))):
        name = str(_get(item, "name"))
        items.append(
            Stage(
                name=name,
                day=int(_get(item, "day")),
                tone=str(_get(item, "tone", default=name)),
                rank=rank,
                channel=str(_get(item, "channel", default="email")),
                cc_secondary=bool(_get(item, "cc_secondary_contact", default=False)),
                heads_up_to_owner=bool(_get(item, "slack_heads_up_to_owner", default=False)),
                attach_copies=bool(_get(item, "attach_invoice_copies", default=False)),
            )
        )
    if items:
        return tuple(items)
    return tuple(
        Stage(
            name,
            day,
            tone,
            rank,
            channel="slack" if name == "escalate" else "email",
            cc_secondary=name == "final",
            heads_up_to_owner=name == "final",
            attach_copies=name == "courtesy",
        )
        for rank, (name, day, tone) in enumerate(DEFAULT_CADENCE)
    )


def rules_from_policy(policy: Any) -> DunningRules:
    """Build the dunning view of ``policy`` (a ``policies.config.Policy``, a dict or None)."""
    if isinstance(policy, DunningRules):
        return policy
    grace = _get(policy, "never_contact", "promise_grace_days", default=3)
    freq = _get(policy, "frequency")
    return DunningRules(
        stages=_stages(policy),
        promise_grace_days=int(grace),
        min_days_between_emails=int(_get(freq, "min_days_between_emails", default=5)),
        max_emails=int(_get(freq, "max_emails", default=4)),
        max_emails_window_days=int(_get(freq, "window_days", default=30)),
        installment_stage=str(
            _get(policy, "dunning_run", "installment_reminder_stage", default="installment")
        ),
    )
