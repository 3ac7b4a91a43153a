"""The MT940 ``:86:`` information field in its common dialects.

* German GVC / DFÜ (``166?00SEPA-GUTSCHRIFT?20EREF+...?21SVWZ+...?32NAME``): ``?NN``
  subfields; 20-29 and 60-63 hold the purpose with SEPA keys (EREF+, KREF+, MREF+,
  SVWZ+, ABWA+...), 30/31 bank and account, 32/33 the counterparty name.
* SEPA tag style (ABN AMRO, ING, Rabobank, bunq, Knab, Triodos):
  ``/EREF/.../NAME/.../IBAN/.../REMI/...``, ING's ``/CNTP/account/bic/name/city/``,
  ``/REMI/USTD//text/`` and ``/REMI/STRD/CUR/ref/``.
* ABN AMRO labelled text (``SEPA OVERBOEKING IBAN: ... NAAM: ... OMSCHRIJVING: ...``).
* Anything else is free text, kept whole as the reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledger.bankfiles.common import clean

_GVC = re.compile(r"^\s*(\d{3})([?>^|~<])(\d\d)")
_SEPA_KEYS = "EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT|PURP|RTRN"
_SEPA_KEY_RE = re.compile(rf"(?:^|(?<=[\s?]))({_SEPA_KEYS})\+")
_SEPA_START = re.compile(rf"(?:{_SEPA_KEYS})\+")
# Longest first, so /CDTRREFTP/ is not read as /CD/.
_SLASH_TAGS = (
    "CDTRREFTP|CDTRREF|PURPOSE|EREF|REMI|NAME|IBAN|CNTP|ORDP|BENM|MARF|CSID|TRTP|PURP|ULTD|"
    "ULTC|ULTB|RTRN|ISDT|OCMT|ADDR|ACCW|SVWZ|PREF|KREF|BUSP|EXCH|CHGS|INIT|ISSR|TRCD|NRTX|"
    "ABWA|ABWE|BIC|CD|ID|FX"
)
SLASH_TAG = re.compile(rf"/({_SLASH_TAGS})/")
_NO_REF = {"", "NOTPROVIDED", "NONREF", "NONE"}
_LABEL = re.compile(
    r"(?<![A-Z])(IBAN|BIC|NAAM|OMSCHRIJVING|KENMERK|BETALINGSKENMERK|BETALINGSKENM\.?"
    r"|MACHTIGING|INCASSANT|ID DEBITEUR|ID BEGUNSTIGDE|REK):\s?"
)
_ACCOUNT = re.compile(r"[A-Z]{2}\d\d[A-Z0-9 ]{8,32}|\d[\d.\- ]{5,}")


@dataclass
class Details:
    """What the :86: field says about a transaction."""

    reference: str = ""
    payer_name: str | None = None
    payer_account: str | None = None
    end_to_end_id: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    #: the whole field as readable text, for when no remittance part was found
    text: str = ""


def parse_details(text: str) -> Details:
    """Read a :86: field (already unwrapped to one line) in whichever dialect it uses."""
    if _GVC.match(text):
        return _gvc(text)
    if SLASH_TAG.search(text) and text.lstrip().startswith("/"):
        return _slash(text)
    if len(_LABEL.findall(text)) >= 2:
        return _labelled(text)
    return Details(reference=clean(text), text=clean(text))


def _labelled(text: str) -> Details:
    """ABN AMRO's ``SEPA OVERBOEKING IBAN: x BIC: y NAAM: z OMSCHRIJVING: w KENMERK: v``
    and Knab's ``text REK: account/NAAM: name``."""
    matches = list(_LABEL.finditer(text))
    found: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        found.setdefault(m.group(1).rstrip(".").upper(), clean(text[m.end() : end]))
    lead = clean(text[: matches[0].start()])
    booking_text = lead if lead.upper().startswith("SEPA ") else ""  # ABN; Knab leads with text
    parts = [lead if not booking_text else ""]
    keys = ("OMSCHRIJVING", "BETALINGSKENMERK", "BETALINGSKENM", "KENMERK")
    parts += [found.get(k, "") for k in keys]
    account = found.get("IBAN") or found.get("REK") or ""
    return Details(
        reference=clean(" ".join(r for r in parts if r)),
        payer_name=found.get("NAAM") or None,
        payer_account=account.replace(" ", "").strip("/") or None,
        end_to_end_id=_ref(found.get("KENMERK")),
        fields={"booking_text": booking_text, **found},
        text=clean(text),
    )


def _gvc(text: str) -> Details:
    match = _GVC.match(text)
    assert match is not None
    code, sep = match.group(1), match.group(2)
    subfields: dict[str, list[str]] = {}
    for part in re.split(re.escape(sep) + r"(?=\d\d)", text[match.start(2) :])[1:]:
        subfields.setdefault(part[:2], []).append(part[2:])
    purpose_keys = [f"{n}" for n in range(20, 30)] + ["60", "61", "62", "63"]
    pieces = [piece for k in purpose_keys for piece in subfields.get(k, [])]
    # SEPA lines wrap at a fixed width: glue them, but keep each "KEY+" apart.
    purpose = "".join(f" {p}" if _SEPA_START.match(p) else p for p in pieces)
    fields = {"gvc": code, "booking_text": clean("".join(subfields.get("00", [])))}
    sepa = _sepa_keys(purpose)
    fields.update(sepa)
    name = clean("".join(subfields.get("32", [])) + "".join(subfields.get("33", [])))
    account = clean("".join(subfields.get("31", []))) or sepa.get("IBAN")
    if sepa.get("SVWZ"):
        reference = clean(" ".join(p for p in (sepa["SVWZ"], _ref(sepa.get("KREF"))) if p))
    elif sepa:  # keys but no SVWZ+: keep the whole purpose, keys included
        reference = clean(purpose)
    else:
        reference = clean(" ".join(" ".join(subfields.get(k, [])) for k in purpose_keys))
    return Details(
        reference=reference,
        text=clean(" ".join(" ".join(v) for v in subfields.values())),
        payer_name=name or sepa.get("ABWA") or None,
        payer_account=account or None,
        end_to_end_id=_ref(sepa.get("EREF")),
        fields=fields,
    )


def _sepa_keys(purpose: str) -> dict[str, str]:
    """Split ``EREF+x KREF+y SVWZ+text`` into a dict; empty when no SEPA key is present."""
    matches = list(_SEPA_KEY_RE.finditer(purpose))
    if not matches:
        return {}
    found: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(purpose)
        found.setdefault(m.group(1), clean(purpose[m.end() : end]))
    return found


def _ref(value: str | None) -> str | None:
    if value is None or clean(value).upper() in _NO_REF:
        return None
    return clean(value)


def _slash(text: str) -> Details:
    tags: dict[str, str] = {}
    matches = list(SLASH_TAG.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end]
        tags.setdefault(m.group(1), value.strip().rstrip("/").strip())
    name = tags.get("NAME")
    account = tags.get("IBAN")
    if tags.get("CNTP"):  # ING: account/BIC/name/city
        parts = tags["CNTP"].split("/")
        account = account or (parts[0].strip() or None)
        name = name or (parts[2].strip() if len(parts) > 2 else None)
    for party in ("ORDP", "BENM"):  # "/ORDP//NAME/x" or "/BENM/account /name"
        parts = [p.strip() for p in tags.get(party, "").split("/")]
        if parts and _ACCOUNT.fullmatch(parts[0]):
            account = account or parts[0].replace(" ", "")
            name = name or (parts[1] if len(parts) > 1 and parts[1] else None)
    remi = _remittance(tags.get("REMI", ""))
    reference = clean(" ".join(p for p in [remi, _ref(tags.get("KREF")) or ""] if p))
    return Details(
        text=clean(SLASH_TAG.sub(" ", text).replace("/", " ")),
        reference=reference,
        payer_name=clean(name) or None,
        payer_account=clean(account).rstrip("/") or None,
        end_to_end_id=_ref(tags.get("EREF")),
        fields={k: clean(v) for k, v in tags.items()},
    )


def _remittance(value: str) -> str:
    """``USTD//free text/`` → text; ``STRD/CUR/ref/`` → ref; plain text as is."""
    value = value.strip()
    upper = value.upper()
    if upper.startswith("USTD"):
        value = value[4:].lstrip("/")
    elif upper.startswith("STRD"):
        parts = [p for p in value[4:].split("/") if p.strip()]
        if parts and parts[0].upper() in ("CUR", "ISO", "SCOR"):
            parts = parts[1:]
        value = " ".join(parts)
    return clean(value.rstrip("/"))
