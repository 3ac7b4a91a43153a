"""Bank profiles: how to read one bank's CSV export, said once and saved in a YAML file.

A command-line user names the columns with ``--columns date=1,amount=3,payer=5,
reference=6+7`` (column numbers count from 1, or header names) and may save them with
the currency and number format as a profile (``--save-profile acme-bank.yaml``) to pass
next time (``--profile acme-bank.yaml``)::

    # ar-agent bank profile
    columns: {date: 1, amount: 4, direction: 5, payer: 6, reference: [7, 8]}
    currency: EUR
    decimal: comma          # or: point
    date_format: "%d.%m.%Y"
    delimiter: ";"
    skip_rows: 0
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from core.errors import ValidationError
from ledger.bankfiles.csv_mapping import CsvMapping

COLUMNS = (
    "date",
    "value_date",
    "amount",
    "credit",
    "debit",
    "direction",
    "currency",
    "payer",
    "payer_account",
    "reference",
    "id",
    "balance",
    "status",
)
_DECIMALS = {"comma": ",", "point": ".", ",": ",", ".": "."}
_DELIMITERS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def parse_columns(spec: str) -> dict[str, Any]:
    """``"date=1,amount=3,reference=6+7"`` → ``{"date": 1, "amount": 3, "reference": [6, 7]}``."""
    out: dict[str, Any] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        key, sep, value = part.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep or not value.strip():
            raise ValidationError(f"--columns: {part!r} is not meaning=column")
        if key not in COLUMNS:
            raise ValidationError(f"--columns: {key!r} is not one of {', '.join(COLUMNS)}")
        values = [_column(v, key) for v in value.split("+")]
        if key == "reference":
            out.setdefault("reference", []).extend(values)
        elif len(values) > 1:
            raise ValidationError(f"--columns: only reference may name several columns ({part})")
        else:
            out[key] = values[0]
    if "date" not in out or not ({"amount", "credit", "debit"} & out.keys()):
        raise ValidationError("--columns needs date= and amount= (or credit= / debit=)")
    return out


def _column(value: str, key: str) -> int | str:
    value = value.strip()
    if re.fullmatch(r"\d+", value):
        if int(value) < 1:
            raise ValidationError(f"--columns: {key} column numbers count from 1")
        return int(value)
    return value


def mapping_from(profile: dict[str, Any]) -> CsvMapping:
    """A ``CsvMapping`` (0-based columns) from a profile (1-based columns)."""
    columns = profile.get("columns") or {}
    if not isinstance(columns, dict):
        raise ValidationError("bank profile: columns must be a mapping of meaning: column")
    unknown = set(columns) - set(COLUMNS)
    if unknown:
        raise ValidationError(f"bank profile: unknown column meaning {sorted(unknown)[0]!r}")
    mapping = CsvMapping()
    for key, value in columns.items():
        if key == "reference":
            refs = value if isinstance(value, list) else [value]
            mapping.reference = [_zero_based(v) for v in refs]
        else:
            setattr(mapping, key, _zero_based(value))
    decimal = profile.get("decimal")
    if decimal is not None:
        if str(decimal) not in _DECIMALS:
            raise ValidationError("bank profile: decimal must be comma or point")
        mapping.decimal = _DECIMALS[str(decimal)]
    delimiter = profile.get("delimiter")
    if delimiter is not None:
        mapping.delimiter = _DELIMITERS.get(str(delimiter), str(delimiter))
    mapping.date_format = profile.get("date_format") or None
    mapping.skip_rows = int(profile.get("skip_rows") or 0)
    return mapping


def profile_currency(profile: dict[str, Any]) -> str | None:
    """The currency a profile gives files that name none."""
    return _currency(profile.get("currency"))


def _zero_based(value: Any) -> int | str:
    return value - 1 if isinstance(value, int) else str(value)


def _currency(value: Any) -> str | None:
    if value is None:
        return None
    code = str(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationError(f"currency {value!r} is not a three-letter ISO code")
    return code


def check_currency(value: str) -> str:
    """``--currency eur`` → ``"EUR"``; anything but three letters is refused."""
    code = _currency(value)
    assert code is not None
    return code


def load_profile(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationError(f"{path.name}: not a readable bank profile ({exc})") from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name}: a bank profile is a YAML mapping")
    return data


def save_profile(path: Path, profile: dict[str, Any]) -> None:
    text = "# ar-agent bank profile\n" + yaml.safe_dump(profile, sort_keys=False)
    path.write_text(text, encoding="utf-8")
