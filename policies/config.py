"""The typed collections policy and its loader.

``load_policy()`` reads the YAML (``AR_AGENT_POLICY``, default ``policies/default.yaml``),
validates every key with the pydantic models below (unknown keys are refused, so a
typo cannot silently switch a rule off) and caches the result per path and mtime.
A bad file raises :class:`core.errors.ConfigError` naming the file, the key path and
the problem, e.g. ``policy.yaml: frequency.min_days_between_emails: must be >= 0``.
The models live in :mod:`policies.schema`; this module is the loading and caching.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from core.errors import ConfigError
from policies.schema import (
    Approvals,
    CashApplication,
    ClaimsPaid,
    Contacts,
    DunningRun,
    FrequencyCaps,
    IntentPlan,
    LedgerChanges,
    NeverContact,
    PaymentPlans,
    Policy,
    Promises,
    SendWindow,
    Stage,
    Wording,
)

__all__ = [
    "Approvals",
    "CashApplication",
    "ClaimsPaid",
    "Contacts",
    "DunningRun",
    "FrequencyCaps",
    "IntentPlan",
    "LedgerChanges",
    "NeverContact",
    "PaymentPlans",
    "Policy",
    "Promises",
    "SendWindow",
    "Stage",
    "Wording",
    "clear_cache",
    "load_policy",
    "parse_policy",
]

_cache: dict[tuple[str, int, int], Policy] = {}
_lock = threading.Lock()

_MESSAGES = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "decimal_parsing": "must be a decimal number",
    "decimal_type": "must be a decimal number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "too_short": "must not be empty",
}


def _describe(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {
            "greater_than_equal": ">=",
            "greater_than": ">",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        bound = next(iter(ctx.values()), "?")
        return f"must be {op} {bound}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '?')}, not {error.get('input')!r}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    msg = str(error["msg"])
    return msg[:1].lower() + msg[1:]


def _loc(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def parse_policy(data: Any, *, source: str = "policy.yaml") -> Policy:
    """Validate already-parsed YAML data; raise ConfigError naming the first bad key."""
    if data is None:
        raise ConfigError(f"{source}: the file is empty")
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of sections")
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{source}: {_loc(first['loc'])}: {_describe(first)}") from exc
    problem = policy.cross_check()
    if problem:
        where, what = problem
        raise ConfigError(f"{source}: {where}: {what}")
    return policy


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (the last would win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read(path: Path) -> Policy:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{name}: policy file not found at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read the policy file: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(f"{name}: {where}invalid YAML: {problem}") from exc
    return parse_policy(data, source=name)


def load_policy(path: str | Path | Policy | None = None) -> Policy:
    """Load and validate the policy (None: ``get_settings().policy_path``), cached per mtime.

    A ``Policy`` already loaded is returned as it is."""
    if isinstance(path, Policy):
        return path
    if path is None:
        from core.settings import get_settings

        path = get_settings().policy_path
    resolved = Path(path).expanduser().resolve()
    try:
        stat = resolved.stat()
    except FileNotFoundError as exc:
        raise ConfigError(f"{resolved.name}: policy file not found at {resolved}") from exc
    key = (str(resolved), stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    policy = _read(resolved)
    with _lock:
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = policy
    return policy


def clear_cache() -> None:
    """Forget every loaded policy (tests that rewrite a file within one mtime tick)."""
    with _lock:
        _cache.clear()
