"""camt.052/053/054: versions, batches, parties, remittance, dates and refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import parse_bank_file

V2 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
V8 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def _doc(entries: str, ns: str = V2, root: str = "BkToCstmrStmt", block: str = "Stmt") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{ns}"><{root}><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<{block}><Id>S-1</Id><CreDtTm>2026-11-20T08:00:00</CreDtTm>
<Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt>
<CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2026-11-19</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">990.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>
{entries}</{block}></{root}></Document>""".encode()


CREDIT_V2 = """<Ntry><NtryRef>E1</NtryRef><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-21</Dt></ValDt>
<AcctSvcrRef>BANK-REF-1</AcctSvcrRef><NtryDtls><TxDtls>
<Refs><EndToEndId>E2E-42</EndToEndId></Refs>
<RltdPties><Dbtr><Nm>Globex Corp</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct>
<Cdtr><Nm>Us GmbH</Nm></Cdtr></RltdPties>
<RmtInf><Ustrd>INV-1042 and</Ustrd><Ustrd>INV-1077</Ustrd></RmtInf>
</TxDtls></NtryDtls><AddtlNtryInf>SEPA-GUTSCHRIFT</AddtlNtryInf></Ntry>"""

CREDIT_V8 = """<Ntry><Amt Ccy="EUR">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-11-20T10:15:00+01:00</DtTm></BookgDt>
<AcctSvcrRef>REF-V8</AcctSvcrRef><NtryDtls><TxDtls>
<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<RltdPties><Dbtr><Pty><Nm>Initech AG</Nm></Pty></Dbtr>
<DbtrAcct><Id><Othr><Id>12345678</Id></Othr></Id></DbtrAcct></RltdPties>
<RmtInf><Strd><RfrdDocInf><Nb>INV-2001</Nb></RfrdDocInf>
<CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls></Ntry>"""


def _batch(amounts: tuple[str, str], total: str) -> str:
    txs = "".join(
        f"""<TxDtls><Refs><AcctSvcrRef>TX-{i}</AcctSvcrRef></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">{a}</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>Payer {i}</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>INV-{i}</Ustrd></RmtInf></TxDtls>"""
        for i, a in enumerate(amounts, start=1)
    )
    return f"""<Ntry><Amt Ccy="EUR">{total}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>BATCH</AcctSvcrRef>
<NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>{txs}</NtryDtls></Ntry>"""


def test_camt053_v2_entry_reads_amount_parties_and_remittance():
    [statement] = parse_bank_file(_doc(CREDIT_V2), name="s.xml")
    assert (statement.format, statement.account, statement.currency) == (
        "camt053",
        "DE02120300000000202051",
        "EUR",
    )
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("-10.00"),
        Decimal("990.00"),
    )
    [line] = statement.lines
    assert (line.bank_id, line.amount, line.direction) == (
        "BANK-REF-1",
        Decimal("1000.00"),
        "credit",
    )
    assert (line.booking_date, line.value_date) == (date(2026, 11, 20), date(2026, 11, 21))
    assert (line.payer_name, line.payer_account) == ("Globex Corp", "FR7630006000011234567890189")
    assert line.reference == "INV-1042 and | INV-1077"
    assert line.end_to_end_id == "E2E-42"


def test_camt053_v8_reads_party_choice_datetime_and_structured_refs():
    [statement] = parse_bank_file(_doc(CREDIT_V8, ns=V8), name="s.xml")
    [line] = statement.lines
    assert line.booking_date == date(2026, 11, 20)
    assert (line.payer_name, line.payer_account) == ("Initech AG", "12345678")
    assert line.reference == "RF18539007547034 | INV-2001"
    assert line.end_to_end_id is None  # NOTPROVIDED is not an id


def test_same_entry_reads_the_same_in_every_version():
    for version in ("02", "04", "06", "08", "10"):
        ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"
        [statement] = parse_bank_file(_doc(CREDIT_V2, ns=ns), name="s.xml")
        assert statement.lines[0].amount == Decimal("1000.00")


def test_debit_payer_is_the_creditor():
    entry = CREDIT_V2.replace("<CdtDbtInd>CRDT", "<CdtDbtInd>DBIT")
    [line] = parse_bank_file(_doc(entry), name="s.xml")[0].lines
    assert (line.direction, line.payer_name) == ("debit", "Us GmbH")


def test_batch_whose_details_add_up_is_split_per_payer():
    [statement] = parse_bank_file(_doc(_batch(("600.00", "400.00"), "1000.00")), name="s.xml")
    assert [(x.bank_id, x.amount, x.payer_name, x.reference) for x in statement.lines] == [
        ("TX-1", Decimal("600.00"), "Payer 1", "INV-1"),
        ("TX-2", Decimal("400.00"), "Payer 2", "INV-2"),
    ]
    assert statement.lines[0].raw["entry_amount"] == "1000.00"


def test_batch_whose_details_do_not_add_up_stays_one_booked_line():
    [statement] = parse_bank_file(_doc(_batch(("600.00", "300.00"), "1000.00")), name="s.xml")
    [line] = statement.lines
    assert (line.bank_id, line.amount) == ("BATCH", Decimal("1000.00"))
    assert line.reference == "INV-1 | INV-2"


def test_entry_without_details_uses_additional_entry_info_and_synthetic_id():
    entry = """<Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><AddtlNtryInf>Kontofuehrung</AddtlNtryInf></Ntry>"""
    [line] = parse_bank_file(_doc(entry + entry), name="s.xml")[0].lines[:1]
    assert (line.reference, line.bank_id, line.synthetic_id) == (
        "Kontofuehrung",
        "2026-11-20/0001",
        True,
    )


def test_camt052_and_camt054_blocks_are_read():
    report = _doc(
        CREDIT_V2,
        ns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02",
        root="BkToCstmrAcctRpt",
        block="Rpt",
    )
    assert parse_bank_file(report, name="r.xml")[0].format == "camt052"
    note = _doc(
        CREDIT_V2.replace("<BookgDt><Dt>2026-11-20</Dt></BookgDt>", "").replace(
            "<ValDt><Dt>2026-11-21</Dt></ValDt>", ""
        ),
        ns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04",
        root="BkToCstmrDbtCdtNtfctn",
        block="Ntfctn",
    )
    [statement] = parse_bank_file(note, name="n.xml")
    # a notification without booking date is dated by its creation time
    assert (statement.format, statement.lines[0].booking_date) == ("camt054", date(2026, 11, 20))


def test_entry_without_amount_is_refused_naming_file_and_entry():
    broken = CREDIT_V2.replace('<Amt Ccy="EUR">1000.00</Amt>', "")
    with pytest.raises(UnsupportedFile, match=r"^x\.xml: camt\.053 entry 2 has no amount$"):
        parse_bank_file(_doc(CREDIT_V8 + broken), name="x.xml")


def test_entry_without_any_date_takes_the_statement_date_else_is_refused():
    entry = CREDIT_V2.replace("<BookgDt><Dt>2026-11-20</Dt></BookgDt>", "").replace(
        "<ValDt><Dt>2026-11-21</Dt></ValDt>", ""
    )
    [statement] = parse_bank_file(_doc(entry), name="x.xml")
    assert statement.lines[0].booking_date == date(2026, 11, 20)  # the statement's CreDtTm
    undated = _doc(entry).replace(b"<CreDtTm>2026-11-20T08:00:00</CreDtTm>", b"")
    with pytest.raises(
        UnsupportedFile, match="entry 1 has no booking date, value date or statement"
    ):
        parse_bank_file(undated, name="x.xml")


def test_entity_expansion_is_refused_not_expanded():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&lol2;
</BkToCstmrStmt></Document>"""
    with pytest.raises(UnsupportedFile, match="forbidden"):
        parse_bank_file(bomb, name="bomb.xml")


def test_truncated_xml_is_refused_with_position():
    with pytest.raises(UnsupportedFile, match=r"^t\.xml: not well-formed XML \(.*line"):
        parse_bank_file(_doc(CREDIT_V2)[:-40], name="t.xml")


def test_document_inside_a_business_message_envelope():
    wrapped = (
        _doc(CREDIT_V2).replace(
            b'<?xml version="1.0" encoding="UTF-8"?>\n',
            b'<?xml version="1.0" encoding="UTF-8"?>\n<BizMsgEnvlp><AppHdr><BizMsgIdr>1</BizMsgIdr></AppHdr>',
        )
        + b"</BizMsgEnvlp>"
    )
    [statement] = parse_bank_file(wrapped, name="env.xml")
    assert statement.lines[0].bank_id == "BANK-REF-1"
