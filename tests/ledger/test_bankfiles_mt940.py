"""MT940/MT942: :61: marks and amounts, :86: dialects, envelopes, several statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import parse_bank_file
from ledger.bankfiles.mt940_details import parse_details


def _mt940(lines: str, head: str = ":20:STMT1\n:25:NL91ABNA0417164300\n:28C:7/1\n") -> bytes:
    return (head + ":60F:C261119EUR1000,00\n" + lines + ":62F:C261120EUR1500,00\n-\n").encode()


def _one(body: str):
    [statement] = parse_bank_file(_mt940(body), name="s.sta")
    return statement


def test_statement_fields_and_comma_amounts():
    s = _one(":61:2611201120C500,NTRFNONREF//BANK1\n:86:INVOICE 1042\n")
    assert (s.account, s.currency, s.statement_id) == ("NL91ABNA0417164300", "EUR", "STMT1/7/1")
    assert (s.opening_balance, s.closing_balance) == (Decimal("1000.00"), Decimal("1500.00"))
    [line] = s.lines
    assert (line.amount, line.direction, line.bank_id) == (Decimal("500.00"), "credit", "BANK1")
    assert line.reference == "INVOICE 1042"


@pytest.mark.parametrize(
    ("mark", "direction"),
    [
        ("C", "credit"),
        ("D", "debit"),
        ("RC", "debit"),
        ("RD", "credit"),
        ("CR", "credit"),
        ("DR", "debit"),
    ],  # CR/DR: mark followed by the funds code (third letter of EUR)
)
def test_marks_reversals_and_funds_code(mark, direction):
    s = _one(f":61:2611201120{mark}12,5NTRFNONREF\n")
    assert (s.lines[0].direction, s.lines[0].amount) == (direction, Decimal("12.50"))


def test_entry_date_across_new_year_and_missing_entry_date():
    s = _one(":61:2612311231D1,00NMSCNONREF\n:61:2612310102C2,00NMSCNONREF\n:61:261230C3,NMSC\n")
    assert [(x.value_date, x.booking_date) for x in s.lines] == [
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2026, 12, 31), date(2027, 1, 2)),
        (date(2026, 12, 30), date(2026, 12, 30)),
    ]


def test_german_gvc_subfields_with_sepa_keys_over_several_lines():
    s = _one(
        ":61:2611201120CR1240,00NTRFNONREF//9981\n"
        ":86:166?00SEPA-GUTSCHRIFT?109310?20EREF+E2E-777?21KREF+KR-1?22SVWZ+Rechnung R-2026-0\n"
        "42 und R-2026-?23043?30COBADEFFXXX?31DE89370400440532013000?32GLOBEX DEUTSCHLAND\n"
        "?33GMBH?34997\n"
    )
    [line] = s.lines
    assert line.reference == "Rechnung R-2026-042 und R-2026-043 KR-1"
    assert (line.payer_name, line.payer_account) == (
        "GLOBEX DEUTSCHLANDGMBH",
        "DE89370400440532013000",
    )
    assert line.end_to_end_id == "E2E-777"
    assert line.raw["info_fields"]["gvc"] == "166"


def test_gvc_without_sepa_keys_joins_purpose_lines_with_spaces():
    details = parse_details("051?00UEBERWEISUNG?20RECHNUNG 4711?21VOM 01.11.2026?32MUSTER GMBH")
    assert (details.reference, details.payer_name) == (
        "RECHNUNG 4711 VOM 01.11.2026",
        "MUSTER GMBH",
    )


def test_dutch_sepa_tags():
    s = _one(
        ":61:2611201120C99,95N654NONREF\n"
        ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/INITECH BV/R\n"
        "EMI/Factuur INV-3003/EREF/NOTPROVIDED\n"
    )
    [line] = s.lines
    assert (line.payer_name, line.payer_account) == ("INITECH BV", "NL44RABO0123456789")
    assert line.reference == "Factuur INV-3003"
    assert line.end_to_end_id is None


def test_ing_cntp_and_structured_remittance():
    details = parse_details(
        "/EREF/E2E-9//CNTP/NL57ABNA0876543211/ABNANL2A/Umbrella Corp/AMSTERDAM/"
        "/REMI/STRD/CUR/1234567890123456/"
    )
    assert (details.payer_name, details.payer_account) == ("Umbrella Corp", "NL57ABNA0876543211")
    assert (details.reference, details.end_to_end_id) == ("1234567890123456", "E2E-9")
    assert parse_details("/REMI/USTD//INV 55 and 56/").reference == "INV 55 and 56"


def test_without_remittance_the_61_customer_reference_is_used():
    s = _one(
        ":61:2611201120D100,00NTRF1234123412341234//45674567\n"
        ":86:/CNTP/NL86INGB0002445588/INGBNL2A/BELASTINGDIENST//\n"
    )
    assert s.lines[0].reference == "1234123412341234"


def test_free_text_86_wrapped_at_the_field_width_is_glued():
    s = _one(
        ":61:2611201120C10,00NTRFNONREF\n"
        ":86:BETALINGSKENM. 0000000421886595314606715 BETREFT FACTUUR D.D. 20-\n"
        "05-2011\n"
    )
    assert s.lines[0].reference.endswith("D.D. 20-05-2011")


def test_envelope_blocks_and_several_statements_per_file():
    data = (
        "{1:F01ABNANL2AAXXX0000000000}{2:I940ABNANL2AXXXXN}{4:\n"
        + _mt940(":61:2611201120C1,00NMSCNONREF\n").decode()
        + "-}\n{1:F01ABNANL2AAXXX0000000000}{2:I940ABNANL2AXXXXN}{4:\n"
        + _mt940(
            ":61:2611201120D2,00NMSCNONREF\n:61:2611201120D3,00NMSCNONREF\n",
            head=":20:STMT2\n:25:123456789\n:28C:8/1\n",
        ).decode()
        + "-}\n"
    ).encode()
    statements = parse_bank_file(data, name="two.sta")
    assert [(s.statement_id, s.account, len(s.lines)) for s in statements] == [
        ("STMT1/7/1", "NL91ABNA0417164300", 1),
        ("STMT2/8/1", "123456789", 2),
    ]


def test_account_with_currency_suffix_gives_the_currency():
    data = b":20:X\n:25:1017.490.554EUR\n:28:1\n:61:261120C1,00NMSC\n:62F:C261120EUR1,00\n"
    [s] = parse_bank_file(data, name="r.sta")
    assert (s.account, s.currency) == ("1017.490.554", "EUR")


def test_mt942_floor_limit_gives_currency():
    data = (
        b":20:I1\n:25:PL29114010810000267002001002\n:28C:1/1\n:34F:PLN0\n"
        b":13D:2611201815+0100\n:61:2611201120CN0,01NTRFNONREF//MB1\n:86:PRZELEW\n"
        b":90C:1PLN0,01\n-\n"
    )
    [s] = parse_bank_file(data, name="i.sta")
    assert (s.currency, s.lines[0].amount, s.lines[0].bank_id) == ("PLN", Decimal("0.01"), "MB1")


def test_malformed_61_is_refused_naming_the_line():
    with pytest.raises(
        UnsupportedFile, match=r"^b\.sta: MT940 :61: line 2 of statement STMT1/7/1 is malformed"
    ):
        parse_bank_file(_mt940(":61:2611201120C1,00NMSC\n:61:26112X1120C1,00NMSC\n"), name="b.sta")


def test_malformed_balance_is_refused():
    with pytest.raises(UnsupportedFile, match=r":60F: balance .* is malformed"):
        parse_bank_file(_mt940("").replace(b"EUR1000,00", b"EURABC"), name="b.sta")


def test_polish_tilde_subfields_and_padded_balances():
    data = (
        b":20:P\n:25:PL61109010140000071219812874\n:28C:1\n:60F:C261119PLN0,\n"
        b":61:2611201120C12,NTRFNONREF\n:86:020~00PRZELEW~20FV 2026/11/7~32ACME SP Z O O\n"
        b":62F:C261120PLN12,\n"
    )
    [s] = parse_bank_file(data, name="pl.sta")
    assert (s.opening_balance, s.closing_balance) == (Decimal("0.00"), Decimal("12.00"))
    assert (s.lines[0].reference, s.lines[0].payer_name) == ("FV 2026/11/7", "ACME SP Z O O")


def test_sepa_key_split_across_subfields_is_rejoined():
    details = parse_details("835?22EREF+ 123 PAYPAL?23MREF+ 12AB S?24VWZ+ INV-77 Spotify")
    assert (details.reference, details.end_to_end_id) == ("INV-77 Spotify", "123 PAYPAL")


def test_rabobank_eref_placeholder_and_counterparty_iban_in_supplementary_details():
    s = _one(
        ":61:2611201120D25,00N102EREF\nNL70ABNA0987654321\n"
        ":86:/EREF/0030000987654321/BENM//NAME/CONTRA HOLDER/REMI//ISDT/2026-11-20\n"
    )
    [line] = s.lines
    assert (line.reference, line.payer_account, line.payer_name) == (
        "0030000987654321",
        "NL70ABNA0987654321",
        "CONTRA HOLDER",
    )


def test_short_structured_lines_are_separate_phrases_but_cut_tags_are_rejoined():
    s = _one(
        ":61:2611201120C169,90N122NONREF\n"
        ":86:/ORDP//NAME/Bedrijf B.V./REMI/NR.201303-111/11.3.2013\n"
        "NR.201303-112/11.3.2013/ISDT/2013-04-03\n"
        ":61:2611201120C1,00N122NONREF\n"
        ":86:/EREF/X//RE\nMI/USTD//Factuur 7/\n"
    )
    assert [x.reference for x in s.lines] == [
        "NR.201303-111/11.3.2013 NR.201303-112/11.3.2013",
        "Factuur 7",
    ]


def test_amounts_take_the_currency_decimals_without_losing_digits():
    data = (
        b":20:J\n:25:1700.59.308JPY\n:28:1\n:60F:C030108JPY00000000000010.\n"
        b":61:030112C00000001560395.NMSCNONREF\n:62F:C030112JPY1560405,\n"
    )
    [s] = parse_bank_file(data, name="j.sta")
    assert (str(s.opening_balance), str(s.lines[0].amount)) == ("10", "1560395")


def test_balance_difference_shows_a_statement_that_does_not_reconcile():
    s = _one(":61:2611201120C499,00NTRFNONREF\n")  # 1000 + 499 != 1500
    assert s.balance_difference() == Decimal("-1.00")


def test_abn_amro_labelled_sepa_text():
    s = _one(
        ":61:2611201120C10,5N654NONREF\n"
        ":86:SEPA OVERBOEKING                 IBAN: NL56CHAS0101010101\n"
        "BIC: CHASNL2XXXX                 NAAM: GLOBEX NETHERLANDS B.V.\n"
        "OMSCHRIJVING: FACTUUR INV-1042\nKENMERK: 7541410\n"
    )
    [line] = s.lines
    assert (line.payer_name, line.payer_account) == (
        "GLOBEX NETHERLANDS B.V.",
        "NL56CHAS0101010101",
    )
    assert (line.reference, line.end_to_end_id) == ("FACTUUR INV-1042 7541410", "7541410")


def test_knab_text_with_account_and_name_labels():
    details = parse_details(
        "FACTUUR 2026-77 BETALINGSKENMERK: 0011 REK: NL26ABNA0888888888/NAAM: BEDRIJF VOF"
    )
    assert (details.reference, details.payer_account, details.payer_name) == (
        "FACTUUR 2026-77 0011",
        "NL26ABNA0888888888",
        "BEDRIJF VOF",
    )
