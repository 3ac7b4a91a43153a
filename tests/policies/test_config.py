"""The policy loader: the default file loads, every bad key is named, caching by mtime."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from core.errors import ConfigError
from core.settings import DEFAULT_POLICY, get_settings
from policies.config import clear_cache, load_policy, parse_policy

DEFAULT_TEXT = DEFAULT_POLICY.read_text(encoding="utf-8")


def _data() -> dict:
    return yaml.safe_load(DEFAULT_TEXT)


def _write(tmp_path: Path, data: dict | str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    return path


def _error(tmp_path: Path, data: dict | str) -> str:
    with pytest.raises(ConfigError) as exc:
        load_policy(_write(tmp_path, data))
    return str(exc.value)


def test_default_policy_loads_from_settings_path() -> None:
    assert get_settings().policy_path == DEFAULT_POLICY
    policy = load_policy()
    assert policy is load_policy(DEFAULT_POLICY)
    assert [s.name for s in policy.cadence][0] == "courtesy"


def test_dump_of_default_round_trips(tmp_path: Path) -> None:
    assert load_policy(_write(tmp_path, _data())) == load_policy()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("frequency", "min_days_between_emails"),
            -1,
            "policy.yaml: frequency.min_days_between_emails: must be >= 0",
        ),
        (("frequency", "max_emails"), 0, "policy.yaml: frequency.max_emails: must be >= 1"),
        (
            ("frequency", "window_days"),
            "thirty",
            "policy.yaml: frequency.window_days: must be an integer",
        ),
        (
            ("never_contact", "promise_grace_days"),
            -3,
            "policy.yaml: never_contact.promise_grace_days: must be >= 0",
        ),
        (
            ("payment_plans", "max_installments"),
            0,
            "policy.yaml: payment_plans.max_installments: must be >= 1",
        ),
        (
            ("payment_plans", "min_down_payment_percent"),
            "120",
            "policy.yaml: payment_plans.min_down_payment_percent: must be <= 100",
        ),
        (
            ("payment_plans", "down_payment_required_over"),
            "10,000.00",
            "policy.yaml: payment_plans.down_payment_required_over: must be a decimal number",
        ),
        (
            ("payment_plans", "frequencies"),
            ["weekly", "quarterly"],
            "policy.yaml: payment_plans.frequencies[1]: must be one of",
        ),
        (
            ("approvals", "apply_payment_over"),
            "-5",
            "policy.yaml: approvals.apply_payment_over: must be >= 0",
        ),
        (
            ("approvals", "four_eyes_approvals"),
            1,
            "policy.yaml: approvals.four_eyes_approvals: must be >= 2",
        ),
        (
            ("cash_application", "auto_match_confidence"),
            1.5,
            "policy.yaml: cash_application.auto_match_confidence: must be <= 1",
        ),
        (("send_window", "start"), "8 o'clock", "policy.yaml: send_window.start:"),
        (("send_window", "end"), 1080, "policy.yaml: send_window.end: write times in quotes"),
        (("send_window", "days"), ["monday"], "policy.yaml: send_window.days[0]: must be one of"),
        (("cadence", 1, "channel"), "fax", "policy.yaml: cadence[1].channel: must be one of"),
        (("claims_paid", "hold_days"), 0, "policy.yaml: claims_paid.hold_days: must be >= 1"),
        (
            ("frequency", "max_emails_per_month"),
            4,
            "policy.yaml: frequency.max_emails_per_month: unknown key",
        ),
    ],
)
def test_bad_value_is_refused_naming_the_key(
    tmp_path: Path, path: tuple, value: object, message: str
) -> None:
    data = _data()
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    assert _error(tmp_path, data).startswith(message)


def test_missing_key_is_named(tmp_path: Path) -> None:
    data = _data()
    del data["frequency"]["max_emails"]
    assert _error(tmp_path, data) == "policy.yaml: frequency.max_emails: required key is missing"


def test_missing_section_is_named(tmp_path: Path) -> None:
    data = _data()
    del data["send_window"]
    assert _error(tmp_path, data) == "policy.yaml: send_window: required key is missing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["cadence"][2].update(day=-5),
            "policy.yaml: cadence[2].day: stage days must increase along the cadence",
        ),
        (
            lambda d: d["cadence"][2].update(name="due"),
            "policy.yaml: cadence[2].name: duplicate stage 'due'",
        ),
        (
            lambda d: d["wording"]["forbidden"]["legal"].update(allowed_from_stage="finale"),
            "policy.yaml: wording.forbidden.legal.allowed_from_stage: unknown stage 'finale'",
        ),
        (
            lambda d: d["send_window"].update(start="18:00", end="08:00"),
            "policy.yaml: send_window.end: must be later than send_window.start",
        ),
        (
            lambda d: d["send_window"].update(default_timezone="Mars/Olympus"),
            "policy.yaml: send_window.default_timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            lambda d: d["payment_plans"].update(frequencies=["weekly"]),
            "policy.yaml: payment_plans.default_frequency: must be one of payment_plans.frequencies",
        ),
        (
            lambda d: d["reply_intents"].pop("insolvency"),
            "policy.yaml: reply_intents: missing intents: insolvency",
        ),
        (
            lambda d: d["reply_intents"].update(gossip={"proposals": []}),
            "policy.yaml: reply_intents.gossip: unknown intent",
        ),
        (
            lambda d: d["reply_intents"]["other"]["proposals"].append({"action": "write_off"}),
            "policy.yaml: reply_intents.other.proposals[1].action: must be one of",
        ),
        (
            lambda d: d["wording"]["forbidden"]["threats"]["phrases"]["en"].append("  "),
            "policy.yaml: wording.forbidden.threats.phrases.en[13]: a phrase must not be empty",
        ),
        (
            lambda d: d["approvals"].update(always_four_eyes=["approve_everything"]),
            "policy.yaml: approvals.always_four_eyes: unknown action type 'approve_everything'",
        ),
        (
            lambda d: d["dunning_run"].update(installment_reminder_stage="final"),
            "policy.yaml: dunning_run.installment_reminder_stage: must differ",
        ),
    ],
)
def test_inconsistent_keys_are_refused(tmp_path: Path, change, message: str) -> None:
    data = _data()
    change(data)
    assert _error(tmp_path, data).startswith(message)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = DEFAULT_TEXT.replace("  max_emails: 4", "  max_emails: [4", 1)
    line = DEFAULT_TEXT[: DEFAULT_TEXT.index("  max_emails: 4")].count("\n") + 1
    message = _error(tmp_path, text)
    assert message.startswith("policy.yaml: line ")
    assert "invalid YAML" in message
    reported = int(message.split("line ")[1].split(",")[0])
    assert line <= reported <= line + 2


def test_empty_and_non_mapping_files_are_refused(tmp_path: Path) -> None:
    assert _error(tmp_path, "") == "policy.yaml: the file is empty"
    assert "top level must be a mapping" in _error(tmp_path, "- a\n- b\n")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="policy file not found"):
        load_policy(tmp_path / "nope.yaml")


def test_cache_is_per_path_and_mtime(tmp_path: Path) -> None:
    path = _write(tmp_path, _data())
    first = load_policy(path)
    assert load_policy(str(path)) is first
    data = _data()
    data["frequency"]["min_days_between_emails"] = 7
    _write(tmp_path, data)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_policy(path)
    assert second is not first
    assert second.frequency.min_days_between_emails == 7


def test_clear_cache_forgets(tmp_path: Path) -> None:
    path = _write(tmp_path, _data())
    first = load_policy(path)
    clear_cache()
    assert load_policy(path) is not first


def test_policy_is_frozen_and_with_changes_revalidates() -> None:
    policy = load_policy()
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        policy.frequency.max_emails = 9  # type: ignore[misc]
    changed = policy.with_changes({"frequency": {"max_emails": 2}})
    assert changed.frequency.max_emails == 2 and policy.frequency.max_emails == 4
    with pytest.raises(ConfigError, match="frequency.max_emails: must be >= 1"):
        policy.with_changes({"frequency": {"max_emails": 0}})


def test_parse_policy_names_the_source() -> None:
    with pytest.raises(ConfigError, match=r"^mine.yaml: version: "):
        parse_policy({**_data(), "version": 2}, source="mine.yaml")


def test_duplicate_key_is_refused_with_its_line(tmp_path: Path) -> None:
    text = DEFAULT_TEXT.replace("  max_emails: 4", "  max_emails: 4\n  max_emails: 9", 1)
    line = DEFAULT_TEXT[: DEFAULT_TEXT.index("  max_emails: 4")].count("\n") + 2
    assert _error(tmp_path, text) == (
        f"policy.yaml: line {line}, column 3: invalid YAML: duplicate key 'max_emails'"
    )
