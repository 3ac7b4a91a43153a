"""Every corpus bank file is imported with its balances reconciled, or refused naming the
difference; a statement whose lines do not add up to its own balances is never half-read."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from core.errors import UnsupportedFile
from ledger.bankfiles import parse_bank_file
from ledger.bankfiles.reconcile import check_balances
from tests.ledger.test_bankfiles_corpus import EXPECTED, RECONCILING


@pytest.mark.parametrize("relpath", sorted(EXPECTED))
def test_corpus_file_reconciles_or_is_refused_with_the_difference(corpora, relpath):
    statements = parse_bank_file(corpora / "bankfiles" / relpath)
    name = relpath.split("/")[1]
    unbalanced = [
        s for s in statements if s.balance_difference() not in (None, 0) or s.balance_problem
    ]
    if not unbalanced:
        check_balances(statements, name)  # passes
        return
    with pytest.raises(UnsupportedFile) as info:
        check_balances(statements, name)
    message = str(info.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    first = unbalanced[0]
    if first.balance_problem:
        assert first.balance_problem in message
    else:
        found = re.search(r"\(difference (-?[\d.]+)\)", message)
        assert found and Decimal(found.group(1)) == first.balance_difference()
        assert "nothing imported" in message


@pytest.mark.parametrize("relpath", RECONCILING)
def test_reconciling_files_pass_the_check(corpora, relpath):
    check_balances(parse_bank_file(corpora / "bankfiles" / relpath), relpath)


def test_mt940_statement_off_by_fifty_cents_is_refused_naming_it(corpora):
    path = corpora / "bankfiles" / "mt940" / "zilverline__abn_abn_sepa_overboeking.sta"
    with pytest.raises(
        UnsupportedFile,
        match=r"opening balance 10000\.00 \+ movements 10\.50 "
        r"= 10010\.50, but the closing balance is 10010\.00 \(difference 0\.50\)",
    ):
        check_balances(parse_bank_file(path), path.name)
