"""Every sample bank file in the shared corpus parses to what the file says, or is refused.

Expectations were read off the files themselves (count of :61: / Ntry / 16 / STMTTRN /
data rows, the first transaction's amount and mark, the first credit), not copied from
parser output. Columns: statements, lines, first line (amount, direction), first credit.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import detect_format, parse_bank_file

C, D = "credit", "debit"

# path: (statements, lines, (first amount, first direction), first credit amount or None)
EXPECTED: dict[str, tuple[int, int, tuple[str, str] | None, str | None]] = {
    # camt.052
    "camt052/genkgo__camt052.v2.xml": (1, 1, ("200000.00", D), None),
    "camt052/genkgo__camt052.v4.xml": (1, 1, ("200000.00", D), None),
    "camt052/kedder__camt052_sparkasse.xml": (1, 5, ("30.00", D), "2.50"),
    "camt052/viafintech__052_valid_example.xml": (1, 2, ("2.00", C), "2.00"),
    # camt.053
    "camt053/genkgo__camt053.v2.minimal.xml": (1, 1, ("8.85", C), "8.85"),
    "camt053/genkgo__camt053.v2.multi.statement.xml": (2, 2, ("8.85", C), "8.85"),
    "camt053/genkgo__camt053.v2.with-party-ids.xml": (1, 1, ("8.85", C), "8.85"),
    "camt053/genkgo__camt053.v3.xml": (1, 1, ("8.85", C), "8.85"),
    "camt053/genkgo__camt053.v4.xml": (1, 1, ("8.85", C), "8.85"),
    "camt053/genkgo__camt053.v8.xml": (1, 1, ("8.85", C), "8.85"),
    "camt053/kedder__camt053.xml": (1, 1, ("1284.30", C), "1284.30"),
    "camt053/kedder__davider80_raiffeisen_ch.xml": (1, 16, ("905.30", D), "368.00"),
    "camt053/kedder__gcamp6.xml": (1, 5, ("10000.00", C), "10000.00"),
    "camt053/kedder__simple_dnb_lt.xml": (1, 4, ("0.29", D), None),
    # one entry of 3483.00 whose two TxDtls (2187 + 1296) add up: split
    "camt053/oca__test-camt053-txdtls.xml": (1, 2, ("2187.00", C), "2187.00"),
    # 3 entries, the second a batch of 564.05 + 100.00
    "camt053/oca__test-camt053.xml": (1, 4, ("754.25", D), "1405.31"),
    "camt053/viafintech__053_valid_example.xml": (1, 5, ("2.00", D), "1.00"),
    # 13 entries, four of them batches of 10, 8, 3 and 2 payments
    "camt053/viafintech__053_valid_example_v4_postfinance.xml": (1, 32, ("24.00", D), "100.00"),
    "camt053/viafintech__053_valid_example_v8.xml": (1, 3, ("474.40", C), "474.40"),
    "camt053/viafintech__053_valid_example_with_batch.xml": (1, 3, ("4753.74", D), "2688.00"),
    "camt053/viafintech__053_valid_example_with_debit.xml": (1, 5, ("2.00", D), "1.00"),
    "camt053/viafintech__053_valid_example_with_instdamt.xml": (1, 1, ("4500.00", C), "4500.00"),
    # camt.054 (genkgo v4/v8: TxDtls 3.1+3.2+3.2 do not add up to 200000: kept whole)
    "camt054/genkgo__camt054.v2.xml": (1, 1, ("200000.00", D), None),
    "camt054/genkgo__camt054.v4.xml": (1, 1, ("200000.00", D), None),
    "camt054/genkgo__camt054.v8-with-UETR.xml": (1, 1, ("200000.00", D), None),
    "camt054/genkgo__camt054.v8.xml": (1, 1, ("200000.00", D), None),
    "camt054/oca__test-camt054.xml": (1, 1, ("5.00", C), "5.00"),
    "camt054/viafintech__054_valid_example.xml": (1, 5, ("15.00", C), "15.00"),
    # BAI2 (amounts in cents; type 100-399 credit, 400-699 debit)
    "bai2/moj__account_trailer_amount_blank_example.bai": (2, 0, None, None),
    "bai2/moj__citi_example.bai": (1, 1, ("0.01", C), "0.01"),
    "bai2/moj__nwb_example.bai": (1, 5, ("9.71", D), "0.89"),
    "bai2/moj__svb_us_example.bai": (2, 2, ("4901.96", C), "4901.96"),
    "bai2/moov__sample1.bai": (2, 17, ("25.00", D), "2035.00"),
    "bai2/moov__sample2.bai": (5, 4, ("4500.00", C), "4500.00"),
    "bai2/moov__sample3.bai": (15, 26, ("25.00", C), "25.00"),
    "bai2/moov__sample4-continuations-newline-delimited.bai": (5, 17, ("600.00", D), "1435.00"),
    "bai2/moov__sample5-issue113.bai": (5, 20, ("600.00", D), "1435.00"),
    # MT940 / MT942
    "mt940/fruitl00p__Abn_sample.sta": (4, 5, ("7.50", D), "25111.08"),
    "mt940/fruitl00p__Asn_sample.sta": (7, 3, ("2000.00", D), None),
    "mt940/fruitl00p__Bunq_sample.sta": (1, 111, ("2.00", C), "2.00"),
    "mt940/fruitl00p__Hsbc_sample.sta": (1, 1, ("20000.00", D), None),
    "mt940/fruitl00p__Ing_sample.sta": (1, 7, ("25.03", C), "25.03"),
    "mt940/fruitl00p__Kbs_sample.sta": (1, 3, ("80.00", D), "2250.00"),
    "mt940/fruitl00p__Kbs_sample2.sta": (1, 7, ("3245.00", D), "73700.00"),
    "mt940/fruitl00p__Knab_sample.sta": (1, 5, ("15.00", D), None),
    "mt940/fruitl00p__Kontist_sample.sta": (1, 6, ("50.00", C), "50.00"),
    "mt940/fruitl00p__Penta_sample.sta": (1, 30, ("20.00", D), "11.25"),
    "mt940/fruitl00p__Rabo_sample.sta": (39, 39, ("300.00", C), "300.00"),
    "mt940/fruitl00p__Rabo_sample3.sta": (2, 12, ("127.50", D), "169.90"),
    "mt940/fruitl00p__Spk_sample.sta": (4, 10, ("80.00", C), "80.00"),
    "mt940/fruitl00p__Triodos_sample.sta": (2, 8, ("10.00", D), "150.00"),
    "mt940/fruitl00p__Zetb_sample.sta": (1, 8, ("220000.00", C), "220000.00"),
    "mt940/oca__mt940_base_test-ing.sta": (1, 8, ("1.56", C), "1.56"),
    "mt940/oca__mt940_base_test-rabo.sta": (4, 2, ("400.00", C), "400.00"),
    "mt940/oca__mt940_base_test-sns.sta": (3, 8, ("713.13", D), "0.00"),
    "mt940/wolph__ASNB_0708271685_09022020_164516.sta": (31, 8, ("65.00", D), "1000.00"),
    "mt940/wolph__betterplace_sepa_mt9401.sta": (26, 97, ("300.00", C), "300.00"),
    "mt940/wolph__betterplace_sepa_snippet.sta": (2, 11, ("50990.05", C), "50990.05"),
    "mt940/wolph__cmxl_mt940.sta": (3, 16, ("6800.00", D), "18500.00"),
    "mt940/wolph__jejik_abnamro.sta": (2, 10, ("9.00", D), None),
    "mt940/wolph__jejik_generic.sta": (2, 2, ("10.00", D), None),
    "mt940/wolph__jejik_ing.sta": (1, 7, ("25.03", D), "3.68"),
    "mt940/wolph__jejik_knab.sta": (2, 3, ("500.00", C), "500.00"),
    "mt940/wolph__jejik_postfinance.sta": (2, 4, ("79.70", C), "79.70"),
    "mt940/wolph__jejik_rabobank-iban.sta": (2, 4, ("25.00", D), None),
    "mt940/wolph__jejik_rabobank.sta": (4, 5, ("1213.28", D), None),
    "mt940/wolph__jejik_sns.sta": (2, 2, ("20.00", D), None),
    "mt940/wolph__jejik_triodos.sta": (1, 2, ("15.70", D), None),
    "mt940/wolph__mBank_mt940.sta": (1, 3, ("0.01", C), "0.01"),
    "mt940/wolph__mBank_mt942.sta": (1, 3, ("0.01", C), "0.01"),
    "mt940/wolph__sberbank_171011_01234945.sta": (1, 3, ("2402.00", D), None),
    "mt940/wolph__self-provided_gv_codes.sta": (1, 2, ("233.15", D), None),
    "mt940/wolph__self-provided_raiffeisen-cmi.sta": (1, 7, ("2066637.00", C), "2066637.00"),
    "mt940/zilverline__abn_abn_sepa_incasso_doorlopend.sta": (1, 1, ("10.50", C), "10.50"),
    "mt940/zilverline__abn_abn_sepa_overboeking.sta": (1, 1, ("10.50", C), "10.50"),
    "mt940/zilverline__abn_abn_structured_sepa_acceptgiro.sta": (1, 1, ("10.50", C), "10.50"),
    "mt940/zilverline__abn_abn_structured_sepa_ideal.sta": (1, 1, ("10.50", C), "10.50"),
    "mt940/zilverline__abn_abn_structured_sepa_overboeking.sta": (1, 1, ("10.50", C), "10.50"),
    "mt940/zilverline__abn_abnamro.sta": (2, 10, ("9.00", D), None),
    "mt940/zilverline__abn_abnamro_structured.sta": (2, 10, ("5.10", D), "4.00"),
    "mt940/zilverline__abn_anb_sepa_overboeking_belastingdienst.sta": (1, 2, ("150.00", D), None),
    "mt940/zilverline__deutsche_bank.sta": (1, 2, ("3.99", C), "3.99"),
    "mt940/zilverline__ing.sta": (1, 6, ("25.03", D), "3.68"),
    "mt940/zilverline__ing_eu_incasso.sta": (1, 1, ("50.00", D), None),
    "mt940/zilverline__ing_ing_purp.sta": (1, 1, ("10.00", D), None),
    "mt940/zilverline__ing_ing_references.sta": (1, 1, ("100.00", D), None),
    "mt940/zilverline__ing_mt940_iban.sta": (1, 21, ("192.36", D), "20.00"),
    "mt940/zilverline__ing_structured.sta": (1, 7, ("10.00", D), "300.00"),
    "mt940/zilverline__ing_unstructured_remi.sta": (1, 2, ("10.00", D), None),
    "mt940/zilverline__ing_unstructured_remi_2.sta": (1, 1, ("10.00", D), None),
    "mt940/zilverline__knab_knab_sepa_acceptgiro.sta": (1, 1, ("10.00", D), None),
    "mt940/zilverline__knab_knab_sepa_overboeking.sta": (1, 1, ("10.00", C), "10.00"),
    "mt940/zilverline__knab_knab_two_blocks.sta": (2, 3, ("50.00", C), "50.00"),
    "mt940/zilverline__rabobank.sta": (23, 11, ("50.00", D), "12100.00"),
    "mt940/zilverline__rabobank_line_break_in_remi.sta": (1, 1, ("1000.00", C), "1000.00"),
    "mt940/zilverline__rabobank_mt940_structured.sta": (2, 9, ("127.50", D), "169.90"),
    "mt940/zilverline__rabobank_mt940_structured_multi_line.sta": (1, 2, ("100.00", D), None),
    "mt940/zilverline__sns_sns.sta": (16, 4, ("12.45", C), "12.45"),
    "mt940/zilverline__sns_sns_customer_reference.sta": (1, 1, ("100.00", D), None),
    "mt940/zilverline__triodos_iban.sta": (1, 3, ("1000.00", C), "1000.00"),
    "mt940/zilverline__triodos_iban_2.sta": (1, 4, ("4383.23", C), "4383.23"),
    # four :20: blocks; the last one follows a ^Z (0x1A) on the same line
    "mt940/zilverline__two_accounts.sta": (4, 3, ("6098.75", D), "250.00"),
    "mt940/zilverline__van_lanschot_van_lanschot.sta": (3, 4, ("2716.76", C), "2716.76"),
    # OFX
    "ofx/oca__test_ofx.ofx": (2, 4, ("80.00", D), None),
    "ofx/oca__test_ofx_iban.ofx": (2, 4, ("80.00", D), None),
    "ofx/ofxparse__anzcc.ofx": (1, 1, ("5.50", D), None),
    "ofx/ofxparse__bank_medium.ofx": (1, 3, ("6.60", D), None),
    "ofx/ofxparse__checking.ofx": (1, 3, ("0.01", C), "0.01"),
    "ofx/ofxparse__multiple_accounts.ofx": (2, 0, None, None),
    "ofx/ofxparse__suncorp.ofx": (1, 1, ("16.85", D), None),
    # CSV
    "csv/oca__paypal_activity_en.csv": (1, 76, ("84.00", C), "84.00"),
    "csv/oca__paypal_statement_en.csv": (1, 19, ("1058.09", D), "1058.09"),
    "csv/oca__paypal_statement_es.csv": (1, 4, ("49.37", C), "49.37"),
    "csv/oca__sheet_balance.csv": (1, 2, ("33.50", D), "1533.50"),
    "csv/oca__sheet_debit_credit.csv": (1, 2, ("33.50", D), "1533.50"),
    "csv/oca__sheet_debit_credit_amount.csv": (1, 4, ("20.00", C), "20.00"),
    "csv/oca__sheet_meta_data_separated_credit_debit.csv": (1, 4, ("50.00", D), "1300.00"),
    "csv/oca__sheet_multi_currency.csv": (1, 2, ("33.50", D), "1525.00"),
    "csv/oca__sheet_original_currency.csv": (1, 1, ("1525.00", C), "1525.00"),
    "csv/oca__sheet_sample_statement_en.csv": (1, 2, ("33.50", D), "1525.00"),
}

# path: words the one-line refusal must contain
REFUSED: dict[str, str] = {
    # an 85-byte fragment: one :61: line wrapped mid-field and no :20:/:25:/:60F:
    "mt940/wolph__self-provided_sparkassen.sta": ":61: line 1 has no currency (no :60F:",
    # account list (ACCTINFORS) only, no statement
    "ofx/ofxparse__account_listing_aggregation.ofx": "no bank or credit-card statement",
    # an empty <OFX></OFX> body
    "ofx/ofxparse__bank_small.ofx": "no bank or credit-card statement",
}


def test_every_corpus_file_is_listed(corpora):
    files = {
        str(p.relative_to(corpora / "bankfiles"))
        for p in (corpora / "bankfiles").glob("*/*")
        if p.is_file()
    }
    assert files == set(EXPECTED) | set(REFUSED)


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_corpus_file_parses_as_read(corpora, relpath):
    statements_n, lines_n, first, first_credit = EXPECTED[relpath]
    path = corpora / "bankfiles" / relpath
    statements = parse_bank_file(path)
    lines = [line for s in statements for line in s.lines]
    assert (len(statements), len(lines)) == (statements_n, lines_n)
    if first is not None:
        assert (lines[0].amount, lines[0].direction) == (Decimal(first[0]), first[1])
    credits = [line.amount for line in lines if line.direction == "credit"]
    assert (credits[0] if credits else None) == (Decimal(first_credit) if first_credit else None)
    for line in lines:
        assert line.amount >= 0 and line.currency and len(line.currency) == 3
        assert line.bank_id
    for s in statements:
        assert len({line.bank_id for line in s.lines}) == len(s.lines), "ids unique per statement"
    assert detect_format(path.read_bytes()) == statements[0].format


@pytest.mark.parametrize("relpath", sorted(REFUSED))
def test_corpus_file_refused_with_one_line_reason(corpora, relpath):
    with pytest.raises(UnsupportedFile) as info:
        parse_bank_file(corpora / "bankfiles" / relpath)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(relpath.split("/")[1] + ": ")
    assert REFUSED[relpath] in message


# Files whose own opening/closing balances agree with their lines (many are edited
# fixtures whose balances do not): every statement must reconcile to the cent.
RECONCILING = [
    "bai2/moj__nwb_example.bai",
    "bai2/moov__sample1.bai",
    "bai2/moov__sample3.bai",
    "camt052/kedder__camt052_sparkasse.xml",
    "camt053/kedder__davider80_raiffeisen_ch.xml",
    "camt053/oca__test-camt053-txdtls.xml",
    "camt053/viafintech__053_valid_example.xml",
    "camt053/viafintech__053_valid_example_v4_postfinance.xml",
    "mt940/fruitl00p__Bunq_sample.sta",
    "mt940/fruitl00p__Kbs_sample2.sta",
    "mt940/fruitl00p__Penta_sample.sta",
    "mt940/fruitl00p__Spk_sample.sta",
    "mt940/fruitl00p__Zetb_sample.sta",
    "mt940/oca__mt940_base_test-ing.sta",
    "mt940/wolph__ASNB_0708271685_09022020_164516.sta",
    "mt940/wolph__betterplace_sepa_mt9401.sta",
    "mt940/wolph__cmxl_mt940.sta",
    "mt940/wolph__sberbank_171011_01234945.sta",
    "mt940/zilverline__ing_mt940_iban.sta",
    "mt940/zilverline__rabobank.sta",
    "mt940/zilverline__triodos_iban_2.sta",
]


@pytest.mark.parametrize("relpath", RECONCILING)
def test_statement_lines_reconcile_with_the_file_balances(corpora, relpath):
    statements = parse_bank_file(corpora / "bankfiles" / relpath)
    checked = 0
    for s in statements:
        if s.opening_balance is None or s.closing_balance is None:
            assert s.balance_difference() is None
            continue
        net = sum(x.amount if x.direction == "credit" else -x.amount for x in s.lines)
        assert s.opening_balance + net == s.closing_balance, s.statement_id
        assert s.balance_difference() == 0
        checked += 1
    assert checked
