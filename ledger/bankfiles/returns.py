"""Which bank lines return, reverse or reject an earlier payment.

A line is a return when its format says so (camt ``RvslInd`` or a return sub-family in
``BkTxCd``, a BAI2 return type code, an MT940 ``RC``/``RD`` mark) or its text does
("RETURN", an ACH return code such as R01 beside "RETURN", "RÜCKLASTSCHRIFT",
"STORNO"...). The codes and words live in ``returns.yaml`` beside this module. A marked line carries
``raw["return"]``: the reason, in words. Matching pairs it with the original credit
(:mod:`matching.returns`); a return is never a payment received.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ledger.bankfiles.model import Statement, StatementLine

_ACH_CODE = re.compile(r"\bR(?:0[1-9]|[1-7]\d|8[0-5])\b")
_DATA = Path(__file__).with_name("returns.yaml")


@cache
def _rules() -> dict[str, Any]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    data["patterns"] = [re.compile(p, re.IGNORECASE) for p in data["text_patterns"]]
    return data


def return_reason(line: StatementLine) -> str | None:
    """Why ``line`` is a return / reversal, or None when it is an ordinary movement."""
    rules, raw = _rules(), line.raw
    if raw.get("reversal") is True:
        return "reversal (RvslInd)"
    code = str(raw.get("bank_tx_code") or "")
    for part in code.split("/"):
        if part in rules["camt_subfamilies"]:
            return f"{rules['camt_subfamilies'][part]} ({code})"
    type_code = str(raw.get("type_code") or "")
    if type_code in rules["bai2_type_codes"]:
        return f"{rules['bai2_type_codes'][type_code]} (BAI2 {type_code})"
    mark = str(raw.get("mark") or "")
    if mark in rules["mt940_marks"]:
        return f"{rules['mt940_marks'][mark]} (MT940 {mark})"
    text = " ".join(t for t in (line.reference, line.payer_name) if t)
    for pattern in rules["patterns"]:
        hit = pattern.search(text)
        if hit:
            ach = _ACH_CODE.search(text)
            return f"text says {hit.group(0).strip()!r}" + (
                f", ACH return code {ach.group(0)}" if ach else ""
            )
    return None


def mark_returns(statements: list[Statement]) -> None:
    """Set ``raw["return"]`` on every line that returns or reverses an earlier one."""
    for statement in statements:
        for line in statement.lines:
            reason = return_reason(line)
            if reason:
                line.raw["return"] = reason
