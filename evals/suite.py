"""Eval suites (CONTRACTS.md §3): the YAML file, validated, with its ledger resolved.

Extensions (all optional): ``ledger`` may carry ``bank_transactions`` and ``sent_emails``
(loaded beside the §2 ledger); a controller case may list ``history`` messages sent first
in the same conversation (follow-ups); ``expect.reply_not_contains``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticError

from core.errors import ARAgentError


class SuiteError(ARAgentError):
    """The suite file itself is invalid (the CLI exits 2)."""


class CustomerEmail(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    sender: str = Field(alias="from")
    subject: str = ""
    body: str = ""
    html: str | None = None
    to: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)


class ControllerMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    text: str
    user: str = "U0CONTROLLER"
    history: list[str] = Field(default_factory=list)


class Expect(BaseModel):
    model_config = ConfigDict(extra="ignore")  # §3 may grow keys; unknown ones are not scored

    intent: str | None = None
    queued: list[dict[str, Any]] | None = None
    not_queued: list[Any] | None = None
    blocked: list[Any] | None = None
    reply_contains: list[str] | None = None
    reply_not_contains: list[str] | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    customer_email: CustomerEmail | None = None
    controller_message: ControllerMessage | None = None
    expect: Expect = Field(default_factory=Expect)

    @field_validator("controller_message", mode="before")
    @classmethod
    def _text_alone(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_input(self) -> Case:
        if (self.customer_email is None) == (self.controller_message is None):
            raise ValueError("needs exactly one of customer_email or controller_message")
        return self


class Suite(BaseModel):
    model_config = ConfigDict(extra="allow")

    suite: str = "suite"
    clock: datetime

    @field_validator("clock", mode="before")
    @classmethod
    def _lenient_clock(cls, value: Any) -> Any:
        """An ISO datetime; a bare date means its midnight; no offset means UTC."""
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        if isinstance(value, str):
            value = datetime.fromisoformat(value.strip())
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    ledger: dict[str, Any]
    cases: list[Case] = Field(min_length=1)
    path: str = ""


def _jsonable(value: Any) -> Any:
    """YAML dates and floats back to the strings §2 expects."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def load_suite(path: str | Path) -> Suite:
    """Read and validate one suite; any problem is a one-line SuiteError."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SuiteError(f"{path}: no such file") from exc
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SuiteError(f"{path}: not a readable YAML file: {str(exc).splitlines()[0]}") from exc
    if not isinstance(raw, dict):
        raise SuiteError(f"{path}: the top level must be a mapping with clock, ledger and cases")
    ledger = raw.get("ledger")
    if isinstance(ledger, str):
        ledger_path = (path.parent / ledger).resolve()
        try:
            raw["ledger"] = json.loads(ledger_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SuiteError(f"{path}: ledger file {ledger} not found") from exc
        except (OSError, json.JSONDecodeError) as exc:
            raise SuiteError(f"{path}: ledger file {ledger} is not valid JSON: {exc}") from exc
    elif isinstance(ledger, dict):
        raw["ledger"] = _jsonable(ledger)
    else:
        raise SuiteError(f"{path}: ledger must be a file path or an inline mapping")
    try:
        suite = Suite.model_validate({**raw, "path": str(path)})
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SuiteError(f"{path}: {where}: {first['msg']}") from exc
    seen: set[str] = set()
    for case in suite.cases:
        if case.id in seen:
            raise SuiteError(f"{path}: duplicate case id {case.id!r}")
        seen.add(case.id)
    return suite
