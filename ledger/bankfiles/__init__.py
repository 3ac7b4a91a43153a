"""Bank statement parsers: camt.05x, BAI2, MT940/MT942, OFX, CSV.

``parse_bank_file(path_or_bytes, format="auto")`` returns a list of
:class:`~ledger.bankfiles.model.Statement`; ``detect_format(data)`` names the format;
``store_statements`` (in :mod:`ledger.bankfiles.store`) writes them to the ledger.
Every failure is a :class:`core.errors.UnsupportedFile` whose one-line message names
the file and the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.errors import ARAgentError, UnsupportedFile, ValidationError
from ledger.bankfiles.bai2 import is_bai2, parse_bai2
from ledger.bankfiles.camt import parse_camt
from ledger.bankfiles.common import decode_text, fail
from ledger.bankfiles.csv_format import looks_like_csv, parse_csv
from ledger.bankfiles.csv_mapping import CsvMapping
from ledger.bankfiles.model import Statement, StatementLine
from ledger.bankfiles.mt940 import looks_like_mt940, parse_mt940
from ledger.bankfiles.ofx import looks_like_ofx, parse_ofx
from ledger.bankfiles.returns import mark_returns

FORMATS = ("auto", "camt052", "camt053", "camt054", "bai2", "mt940", "ofx", "csv")
_LABELS = {
    "camt052": "camt.052",
    "camt053": "camt.053",
    "camt054": "camt.054",
    "bai2": "BAI2",
    "mt940": "MT940",
    "ofx": "OFX",
    "csv": "CSV",
}
_CAMT_ROOTS = {
    "BkToCstmrAcctRpt": "camt052",
    "BkToCstmrStmt": "camt053",
    "BkToCstmrDbtCdtNtfctn": "camt054",
}
_UNKNOWN = "not a bank statement format ar-agent reads (camt.05x, BAI2, MT940, OFX, CSV)"

__all__ = [
    "FORMATS",
    "CsvMapping",
    "Statement",
    "StatementLine",
    "detect_format",
    "parse_bank_file",
]


def detect_format(data: bytes) -> str:
    """Name the format of a bank file's bytes: one of FORMATS without ``auto``, or ``unknown``."""
    head_bytes = data[:8192].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    if not head_bytes:
        return "unknown"
    head = decode_text(data[:65536])
    if looks_like_ofx(head):
        return "ofx"
    if head.lstrip("\ufeff \t\r\n").startswith("<"):
        match = re.search(r"urn:iso:std:iso:20022:tech:xsd:camt\.05([234])", head)
        if match:
            return f"camt05{match.group(1)}"
        for root, kind in _CAMT_ROOTS.items():
            if re.search(rf"<(?:\w+:)?{root}[\s>]", head):
                return kind
        return "unknown"
    if is_bai2(head):
        return "bai2"
    if looks_like_mt940(head):
        return "mt940"
    if looks_like_csv(decode_text(data[:200000])):
        return "csv"
    return "unknown"


def _unknown_reason(data: bytes) -> str:
    """Say what the file is when it is a common non-statement (Excel, PDF), else the list."""
    head = data[:8].lstrip()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "is an Excel workbook; export it as CSV (or download camt.053/MT940/BAI2/OFX)"
    if head.startswith(b"%PDF"):
        return "is a PDF; download the statement as camt.053, MT940, BAI2, OFX or CSV instead"
    return _UNKNOWN


def parse_bank_file(
    path_or_bytes: str | Path | bytes,
    format: str = "auto",
    *,
    name: str | None = None,
    mapping: CsvMapping | None = None,
    default_currency: str | None = None,
) -> list[Statement]:
    """Parse a bank statement file (path or bytes) into its statements.

    ``format`` is ``auto`` or one of camt052|camt053|camt054|bai2|mt940|ofx|csv; an
    explicit format that contradicts the file's content is refused. ``mapping`` guides
    CSV reading; ``default_currency`` is used for CSV files that name no currency.
    """
    if format not in FORMATS:
        raise ValidationError(f"bank file format {format!r} is not one of {'|'.join(FORMATS)}")
    data, name = _read(path_or_bytes, name)
    if not data.strip():
        raise fail(name, "file is empty")
    detected = detect_format(data)
    wanted = format
    if format == "auto":
        if detected == "unknown":
            if mapping is None:
                raise fail(name, _unknown_reason(data))
            detected = "csv"
        wanted = detected
    elif detected not in ("unknown", format) and not (format == "csv" and mapping):
        raise fail(name, f"looks like {_LABELS[detected]}, not {_LABELS[format]}")
    try:
        statements = _parse(wanted, data, name, mapping, default_currency)
        mark_returns(statements)
        return statements
    except ARAgentError:
        raise
    except Exception as exc:  # a parser bug must still end in one readable line
        raise fail(
            name, f"could not be read as {_LABELS[wanted]} ({type(exc).__name__}: {exc})"
        ) from exc


def _parse(
    fmt: str, data: bytes, name: str, mapping: CsvMapping | None, default_currency: str | None
) -> list[Statement]:
    if fmt.startswith("camt"):
        return parse_camt(data, name, expected=fmt)
    if fmt == "bai2":
        return parse_bai2(data, name)
    if fmt == "mt940":
        return parse_mt940(data, name)
    if fmt == "ofx":
        return parse_ofx(data, name)
    return parse_csv(data, name, mapping, default_currency)


def _read(path_or_bytes: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, (bytes, bytearray)):
        return bytes(path_or_bytes), name or "bank file"
    path = Path(path_or_bytes)
    label = name or path.name
    try:
        return path.read_bytes(), label
    except FileNotFoundError:
        raise UnsupportedFile(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UnsupportedFile(f"{label}: is a directory, not a bank file") from None
    except OSError as exc:
        raise UnsupportedFile(f"{label}: cannot be read ({exc.strerror or exc})") from None
