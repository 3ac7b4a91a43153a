"""Forbidden wording in a draft's subject and body (threats, legal language too early,
invented fees or interest, the customer's finances, concessions), per the policy lists."""

from __future__ import annotations

from policies.phrases import find_all
from policies.results import CheckResult
from policies.rules.context import RuleContext


def forbidden_wording(ctx: RuleContext, text: str, stage: str | None) -> list[CheckResult]:
    """One result per wording category; a category may be allowed from a stage on."""
    results = []
    for name, category in ctx.policy.wording.forbidden.items():
        rule = f"wording_{name}"
        if ctx.policy.wording_allowed(name, stage):
            results.append(CheckResult.ok(rule, f"{category.description} allowed at stage {stage}"))
            continue
        hits = find_all(category.pattern, text)
        if hits:
            when = (
                f" before the {category.allowed_from_stage} stage"
                if category.allowed_from_stage
                else ""
            )
            quoted = ", ".join(f"'{h}'" for h in hits)
            results.append(
                CheckResult.fail(
                    rule, f"forbidden wording ({category.description}{when}): {quoted}"
                )
            )
        else:
            results.append(CheckResult.ok(rule, f"no {category.description}"))
    return results
