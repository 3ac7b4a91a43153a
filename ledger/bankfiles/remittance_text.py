"""Payer and remittance fields written as ``KEY:value`` text by US and European banks.

The same payment reaches ar-agent as a BAI2 16/88 record, a CSV description column, an
MT940 ``:86:`` line or a camt ``Ustrd``: wherever the bank wrote ``ORIG CO NAME:GLOBEX
CORP ... OBI:INV-1042`` or an ACH addenda ``RMR*IV*INV-1042*1240.00\\``, the payer and the
invoice references are read the same way here, so every format yields the same evidence.

Keys read (NACHA / Fedwire / CHIPS conventions as US banks print them, plus the Dutch and
German labels): ``ORIG CO NAME`` / ``ORIGINATOR`` / ``ORG`` / ``B/O`` / ``DBNM`` /
``NAAM`` / ``NAME`` (payer), ``ORIG ID`` / ``IBAN`` / ``ACCT`` (payer account),
``OBI`` / ``RMR*IV`` / ``RMR*`` / ``CO ENTRY DESCR`` / ``OMSCHRIJVING`` / ``REF``
(remittance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledger.bankfiles.common import clean

PAYER_KEYS = ("ORIG CO NAME", "ORIGINATOR", "ORG", "B/O", "BY ORDER OF", "DBNM", "NAAM", "NAME")
ACCOUNT_KEYS = ("ORIG ID", "IBAN", "ACCT", "DBAC")
REMITTANCE_KEYS = ("OBI", "OMSCHRIJVING", "REF", "RFB", "REMITTANCE", "CO ENTRY DESCR")
_OTHER_KEYS = (
    "DESC DATE",
    "SEC",
    "IND NAME",
    "IND ID",
    "TRN",
    "BNF",
    "BENEFICIARY",
    "CRNM",
    "BIC",
    "EFF DATE",
    "ORIG BK",
    "BBI",
    "IMAD",
    "OMAD",
    "KENMERK",
    "MACHTIGING",
    "INCASSANT",
    "SND BK",
    "ID",
)
_ALL_KEYS = sorted(
    set(PAYER_KEYS + ACCOUNT_KEYS + REMITTANCE_KEYS + _OTHER_KEYS), key=len, reverse=True
)
_KEY = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[|/;,]))(" + "|".join(re.escape(k) for k in _ALL_KEYS) + r")\s?:\s*",
    re.IGNORECASE,
)
# ACH addenda remittance segment: RMR*IV*INV-1042*1240.00*1240.00\ (X12 820)
_RMR = re.compile(r"RMR\*([A-Z0-9]{2})\*([^*\\~\s]+)(?:\*([0-9.]*))?", re.IGNORECASE)


@dataclass
class TextFields:
    """What keyed bank text says: payer, payer account and remittance references."""

    payer: str | None = None
    account: str | None = None
    remittance: list[str] = field(default_factory=list)
    #: document numbers of ACH addenda ``RMR*IV*<number>`` segments, in order
    documents: list[str] = field(default_factory=list)


def keyed_values(text: str) -> dict[str, str]:
    """``"ORIG CO NAME:GLOBEX CORP ORIG ID:123"`` → ``{"ORIG CO NAME": "GLOBEX CORP", ...}``.

    The first value of each key wins; a value runs to the next known key.
    """
    out: dict[str, str] = {}
    matches = list(_KEY.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = clean(text[match.end() : end].split("RMR*")[0]).strip(" |/;,")
        key = match.group(1).upper()
        if value and key not in out:
            out[key] = value
    return out


def read_text_fields(texts: list[str]) -> TextFields:
    """Payer, account and remittance references from a line's texts, in key order."""
    joined = " | ".join(t for t in texts if t)
    values = keyed_values(joined)
    fields = TextFields()
    fields.payer = next((values[k] for k in PAYER_KEYS if values.get(k)), None)
    account = next((values[k] for k in ACCOUNT_KEYS if values.get(k)), None)
    fields.account = account.replace(" ", "") if account else None
    for match in _RMR.finditer(joined):
        if match.group(2) not in fields.documents:
            fields.documents.append(match.group(2))
    for key in REMITTANCE_KEYS:
        value = values.get(key)
        if value and value not in fields.remittance:
            fields.remittance.append(value)
    return fields
