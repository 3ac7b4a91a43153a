"""The shared cue patterns (``patterns.yaml``), compiled once.

Cue groups vote for reply intents (``PROMISE``, ``DISPUTE``, ...) and controller requests
(``REQUEST_CUES``); named patterns test a clause (``SUSPICIOUS``, ``HEDGE``, ...). The
per-language phrases of ``languages/*.yaml`` are added by the readers beside these.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from agent.understanding._cues import Cue

_DATA: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parent / "patterns.yaml").read_text(encoding="utf-8")
)


def cues(group: str) -> list[Cue]:
    """One cue group, compiled."""
    return [
        Cue(
            str(row["label"]),
            re.compile(str(row["pattern"])),
            float(row["weight"]),
            bool(row.get("negatable", True)),
            row.get("negated"),
            row.get("tag"),
        )
        for row in _DATA["cues"][group]
    ]


def pattern(name: str) -> re.Pattern[str]:
    """One named test pattern, compiled."""
    row = _DATA["patterns"][name]
    return re.compile(str(row["pattern"]), re.MULTILINE if row.get("multiline") else 0)


PROMISE = cues("PROMISE")
CLAIMS_PAID = cues("CLAIMS_PAID")
NOT_RECEIVED_INVOICE = cues("NOT_RECEIVED_INVOICE")
DISPUTE = cues("DISPUTE")
PLAN = cues("PLAN")
HARDSHIP = cues("HARDSHIP")
DOCUMENT = cues("DOCUMENT")
CONTACT = cues("CONTACT")
OUT_OF_OFFICE = cues("OUT_OF_OFFICE")
OPT_OUT = cues("OPT_OUT")
INSOLVENCY = cues("INSOLVENCY")
QUESTION = cues("QUESTION")
ACKNOWLEDGEMENT = cues("ACKNOWLEDGEMENT")
REQUEST_CUES = cues("REQUEST_CUES")
SPECIFICITY: tuple[str, ...] = tuple(_DATA["specificity"])

REQUEST_VERB = pattern("REQUEST_VERB")
ACCOUNT_TOPIC = pattern("ACCOUNT_TOPIC")
PERMANENT = pattern("PERMANENT")
SUSPICIOUS = pattern("SUSPICIOUS")
BANK_CHANGE = pattern("BANK_CHANGE")
DISCOUNT = pattern("DISCOUNT")
HEDGE = pattern("HEDGE")
