"""parse_bank_file and detect_format: detection, explicit formats, refusals in one line."""

from __future__ import annotations

import pytest

from core.errors import UnsupportedFile, ValidationError
from ledger import bankfiles
from ledger.bankfiles import detect_format, parse_bank_file

CAMT = b"""<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04">
<BkToCstmrStmt><Stmt><Id>1</Id><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-20</Dt></BookgDt>
</Ntry></Stmt></BkToCstmrStmt></Document>"""
MT940 = b":20:X\r\n:25:123\r\n:28C:1\r\n:60F:C261119EUR0,00\r\n:61:261120C1,00NMSC\r\n:62F:C261120EUR1,00\r\n"
BAI2 = b"01,A,B,261120,0800,1,,,2/\n02,B,A,1,261120,,USD,2/\n03,1,USD,/\n49,0,2/\n98,0,1,4/\n99,0,1,6/\n"
OFX = b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
CSV = b"Date;Amount;Currency\n2026-11-20;1,00;EUR\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (CAMT, "camt053"),
        (
            CAMT.replace(b"camt.053.001.04", b"camt.052.001.08").replace(
                b"BkToCstmrStmt", b"BkToCstmrAcctRpt"
            ),
            "camt052",
        ),
        (CAMT.replace(b'xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"', b""), "camt053"),
        (MT940, "mt940"),
        (b"{1:F01X}{2:I940X}{4:\r\n" + MT940 + b"-}", "mt940"),
        (BAI2, "bai2"),
        (OFX, "ofx"),
        (b"\xef\xbb\xbf" + CSV, "csv"),
        (b"<html><body>hello</body></html>", "unknown"),
        (b"just some words\nand more", "unknown"),
        (b"", "unknown"),
    ],
)
def test_detect_format(data, expected):
    assert detect_format(data) == expected


def test_auto_parses_each_format():
    assert [parse_bank_file(d, name="f")[0].format for d in (CAMT, MT940, BAI2, OFX, CSV)] == [
        "camt053",
        "mt940",
        "bai2",
        "ofx",
        "csv",
    ]


def test_reads_a_path_and_names_it_in_errors(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes(b"Dear customer, your statement is attached.")
    with pytest.raises(UnsupportedFile) as info:
        parse_bank_file(path)
    assert str(info.value) == (
        "statement.txt: not a bank statement format ar-agent reads (camt.05x, BAI2, MT940, OFX, CSV)"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "f.dat: file is empty"),
        (b"  \n\t\n", "f.dat: file is empty"),
        (b"\x00\x01\x02garbage\xff\xfe", "f.dat: not a bank statement format"),
        (CAMT[:150], "f.dat: not well-formed XML"),
        (
            b"<?xml version='1.0'?><Document><Other/></Document>",
            "f.dat: not a bank statement format",
        ),
    ],
)
def test_malformed_input_is_refused_in_one_line(data, message):
    with pytest.raises(UnsupportedFile) as info:
        parse_bank_file(data, name="f.dat")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (CAMT, "mt940", "s.dat: looks like camt.053, not MT940"),
        (CAMT, "camt054", "s.dat: looks like camt.053, not camt.054"),
        (MT940, "bai2", "s.dat: looks like MT940, not BAI2"),
        (BAI2, "ofx", "s.dat: looks like BAI2, not OFX"),
    ],
)
def test_explicit_format_contradicting_the_content_is_refused(data, fmt, message):
    with pytest.raises(UnsupportedFile, match=f"^{message}$"):
        parse_bank_file(data, format=fmt, name="s.dat")


def test_explicit_format_on_undetectable_content_reports_the_parser_reason():
    with pytest.raises(UnsupportedFile, match=r"^s\.dat: no MT940 statement found"):
        parse_bank_file(b"hello world", format="mt940", name="s.dat")


def test_unknown_format_name_is_a_validation_error():
    with pytest.raises(ValidationError, match="'xls' is not one of auto"):
        parse_bank_file(CSV, format="xls")


def test_missing_path_is_refused(tmp_path):
    with pytest.raises(UnsupportedFile, match="^nope.sta: no such file$"):
        parse_bank_file(tmp_path / "nope.sta")


def test_a_parser_bug_still_ends_in_one_readable_line(monkeypatch):
    def broken(data, name):
        raise KeyError("boom")

    monkeypatch.setattr(bankfiles, "parse_bai2", broken)
    with pytest.raises(UnsupportedFile, match=r"^b\.bai: could not be read as BAI2 \(KeyError"):
        parse_bank_file(BAI2, name="b.bai")
