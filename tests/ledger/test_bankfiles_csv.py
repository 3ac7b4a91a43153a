"""CSV exports: delimiter, decimal mark, date order, header languages, mappings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import CsvMapping, parse_bank_file


def _lines(text: str, **kwargs):
    [statement] = parse_bank_file(text.encode("utf-8"), format="csv", name="x.csv", **kwargs)
    return statement.lines


def test_german_export_semicolon_decimal_comma_day_first():
    text = (
        "Kontoauszug;DE89370400440532013000\n\n"
        "Buchungstag;Valuta;Auftraggeber/Empfänger;Verwendungszweck;Betrag (EUR)\n"
        "03.11.2026;04.11.2026;Globex GmbH;RE 2026-1042;1.234,56\n"
        "05.11.2026;05.11.2026;Stadtwerke;Abschlag;-89,00\n"
    )
    first, second = _lines(text)
    assert (first.booking_date, first.value_date) == (date(2026, 11, 3), date(2026, 11, 4))
    assert (first.amount, first.direction, first.currency) == (Decimal("1234.56"), "credit", "EUR")
    assert (first.payer_name, first.reference) == ("Globex GmbH", "RE 2026-1042")
    assert (second.amount, second.direction) == (Decimal("89.00"), "debit")


def test_spanish_headers():
    text = 'Fecha,Concepto,Importe,Divisa\n2/1/2026,Factura F-77,"1.500,00",EUR\n13/1/2026,x,"-2,50",EUR\n'
    first, second = _lines(text)
    assert (first.booking_date, first.amount, first.reference) == (
        date(2026, 1, 2),
        Decimal("1500.00"),
        "Factura F-77",
    )
    assert second.direction == "debit"


def test_date_order_is_decided_for_the_whole_file():
    text = "Date,Description,Amount,Currency\n03/04/2026,a,1.00,USD\n03/25/2026,b,2.00,USD\n"
    assert [x.booking_date for x in _lines(text)] == [date(2026, 3, 4), date(2026, 3, 25)]
    text = "Date,Description,Amount,Currency\n03/04/2026,a,1.00,USD\n25/03/2026,b,2.00,USD\n"
    assert [x.booking_date for x in _lines(text)] == [date(2026, 4, 3), date(2026, 3, 25)]


def test_credit_and_debit_columns():
    text = "Date,Payee,Reference,Debit,Credit\n2026-11-20,Globex,INV-1,,250.00\n2026-11-21,Rent,,1200.00,\n"
    credit, debit = _lines(text, default_currency="USD")
    assert (credit.amount, credit.direction, credit.currency) == (
        Decimal("250.00"),
        "credit",
        "USD",
    )
    assert (debit.amount, debit.direction) == (Decimal("1200.00"), "debit")


def test_debit_credit_indicator_column():
    text = "Date,Label,Amount,D/C\n2026-11-20,a,33.50,D\n2026-11-20,b,-10.00,C\n2026-11-20,c,5,S\n"
    assert [(x.amount, x.direction) for x in _lines(text)] == [
        (Decimal("33.50"), "debit"),
        (Decimal("10.00"), "credit"),
        (Decimal("5"), "debit"),
    ]


def test_unknown_mark_is_refused_naming_the_row():
    with pytest.raises(UnsupportedFile, match=r"^x\.csv: CSV row 2: debit/credit mark 'x' not"):
        _lines("Date,Label,Amount,D/C\n2026-11-20,a,33.50,X\n")


def test_explicit_mapping_for_unrecognised_headers():
    text = "Wann|Wer|Was|Wieviel|Nr\n20/11/2026|Globex|INV 9|1.000,00|T-1\n"
    mapping = CsvMapping(
        date="Wann",
        amount="Wieviel",
        payer="Wer",
        reference=["Was"],
        id="Nr",
        delimiter="|",
        decimal=",",
        default_currency="CHF",
    )
    [line] = _lines(text, mapping=mapping)
    assert (line.bank_id, line.amount, line.currency, line.payer_name, line.reference) == (
        "T-1",
        Decimal("1000.00"),
        "CHF",
        "Globex",
        "INV 9",
    )


def test_explicit_date_format():
    text = "Date,Amount,Currency\n20261120,5.00,EUR\n"
    [line] = _lines(text, mapping=CsvMapping(date_format="%Y%m%d"))
    assert line.booking_date == date(2026, 11, 20)


def test_stripe_balance_export_uses_gross_created_and_customer():
    text = (
        "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,"
        "Customer Name,invoice_id (metadata)\n"
        "txn_1,charge,ch_1,100.00,-3.20,96.80,usd,2026-11-18 10:00,2026-11-20 00:00,Payment,"
        "Globex Corp,INV-1042\n"
        "txn_2,payout,po_1,-96.80,0.00,-96.80,usd,2026-11-20 10:00,2026-11-20 00:00,STRIPE PAYOUT,,\n"
    )
    charge, payout = _lines(text)
    assert (charge.bank_id, charge.amount, charge.currency) == ("txn_1", Decimal("100.00"), "USD")
    assert (charge.booking_date, charge.value_date) == (date(2026, 11, 18), date(2026, 11, 20))
    assert (charge.payer_name, charge.reference) == ("Globex Corp", "INV-1042 | Payment")
    assert (payout.direction, payout.amount) == ("debit", Decimal("96.80"))


def test_failed_payments_and_summary_rows_are_skipped():
    text = (
        "Date,Name,Status,Gross,Currency,Transaction ID\n"
        "2026-11-01,A,Completed,10.00,USD,T1\n"
        "2026-11-02,B,Denied,20.00,USD,T2\n"
        "Total,,,30.00,,\n"
    )
    [statement] = parse_bank_file(text.encode(), name="p.csv")
    assert [x.bank_id for x in statement.lines] == ["T1"]
    assert statement.skipped == ["row 3: status Denied", "row 4: no date ('Total 30.00')"]


def test_bad_amount_is_refused_naming_row():
    with pytest.raises(UnsupportedFile, match=r"CSV row 3: amount 'n/a' is not a number"):
        _lines("Date,Amount,Currency\n2026-11-20,1.00,EUR\n2026-11-21,n/a,EUR\n")


def test_bad_date_is_refused_naming_row():
    with pytest.raises(UnsupportedFile, match=r"CSV row 2: date '2026-13-45' not understood"):
        _lines("Date,Amount,Currency\n2026-13-45,1.00,EUR\n")


def test_currency_unknown_is_marked_not_invented():
    [line] = _lines("Date,Amount\n2026-11-20,1.00\n")
    assert (line.currency, line.raw["currency_unknown"]) == ("XXX", True)


def test_csv_without_recognisable_header_is_refused():
    with pytest.raises(UnsupportedFile, match="no header row naming a date and an amount column"):
        _lines("a,b,c\n1,2,3\n")


def test_headerless_file_read_by_column_numbers():
    text = (
        '"11/20/2026","-12.50","*","","CHECK 1001"\n"11/21/2026","300.00","*","","DEPOSIT INV-5"\n'
    )
    mapping = CsvMapping(date=0, amount=1, reference=[4], default_currency="USD")
    debit, credit = _lines(text, mapping=mapping)
    assert (debit.booking_date, debit.amount, debit.direction) == (
        date(2026, 11, 20),
        Decimal("12.50"),
        "debit",
    )
    assert (credit.reference, credit.raw["4"]) == ("DEPOSIT INV-5", "DEPOSIT INV-5")


def test_account_is_taken_from_the_lines_above_the_header():
    text = "Konto: DE89 3704 0044 0532 0130 00\nDatum;Betrag;Waehrung\n01.02.2026;1,00;EUR\n"
    [statement] = parse_bank_file(text.encode(), name="k.csv")
    assert (statement.account, statement.currency) == ("DE89370400440532013000", "EUR")
    assert statement.lines[0].booking_date == date(2026, 2, 1)


def test_italian_paypal_valuta_is_the_currency():
    text = (
        '"Data","Orario","Fuso orario","Nome","Tipo","Stato","Valuta","Lordo","Tariffa","Netto",'
        '"Codice transazione","Numero fattura"\n'
        '"20/11/2026","10:00:00","CET","Rossi Srl","Pagamento","Completato","EUR","1.220,00",'
        '"-42,00","1.178,00","7XK1","FT-2026-88"\n'
    )
    [line] = _lines(text)
    assert (line.currency, line.amount, line.bank_id, line.reference) == (
        "EUR",
        Decimal("1220.00"),
        "7XK1",
        "FT-2026-88",
    )
    assert line.value_date is None


def test_symbols_and_dr_cr_suffixes():
    text = 'Date,Description,Amount\n2026-11-20,a,"$1,250.00 CR"\n2026-11-21,b,$40.00 DR\n'
    credit, debit = _lines(text)
    assert (credit.currency, credit.amount, credit.direction) == (
        "USD",
        Decimal("1250.00"),
        "credit",
    )
    assert (debit.amount, debit.direction) == (Decimal("40.00"), "debit")


def test_ambiguous_dates_are_day_first_outside_us_dollars():
    gbp = "Date,Description,Amount,Currency\n03/04/2026,a,1.00,GBP\n"
    usd = "Date,Description,Amount,Currency\n03/04/2026,a,1.00,USD\n"
    assert _lines(gbp)[0].booking_date == date(2026, 4, 3)
    assert _lines(usd)[0].booking_date == date(2026, 3, 4)


def test_excel_and_pdf_files_are_named_as_such():
    with pytest.raises(UnsupportedFile, match=r"^s\.xlsx: is an Excel workbook; export it as CSV"):
        parse_bank_file(b"PK\x03\x04\x14\x00\x06\x00rest", name="s.xlsx")
    with pytest.raises(UnsupportedFile, match=r"^s\.pdf: is a PDF"):
        parse_bank_file(b"%PDF-1.7\n...", name="s.pdf")


def test_utf16_tab_separated_and_cp1252_files_are_decoded():
    text = "Datum\tBetrag\tWährung\tVerwendungszweck\n20.11.2026\t-5,00\tEUR\tGebühr\n"
    [s16] = parse_bank_file(b"\xff\xfe" + text.encode("utf-16-le"), name="u.txt")
    [s1252] = parse_bank_file(text.encode("cp1252"), name="w.csv")
    for statement in (s16, s1252):
        [line] = statement.lines
        assert (line.amount, line.direction, line.reference) == (Decimal("5.00"), "debit", "Gebühr")
