"""Which CSV column means what: the ``CsvMapping`` users may pass, and header guessing.

Header names are matched after normalising (lower case, accents and parenthesised
suffixes such as ``(UTC)`` or ``(EUR)`` removed, punctuation folded to spaces) against
aliases in English, German, Spanish, French, Dutch, Italian and Portuguese, plus the
PayPal activity/statement exports (en/es/de/fr) and Stripe payments/payouts/balance
exports. Earlier aliases win (``Booking date`` over ``Date``, ``Arrival Date`` over
``Created``). ``Valuta`` is a value date in German and Dutch but the currency in
Italian and Dutch PayPal exports: the parser looks at the values to decide.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


def names(text: str) -> tuple[str, ...]:
    """``"a, b c, d"`` → ``("a", "b c", "d")``: alias lists stay readable."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


ALIASES: dict[str, tuple[str, ...]] = {
    "date": names(
        "booking date, date, posting date, transaction date, posted date, datum, buchungstag, "
        "buchungsdatum, fecha, fecha operacion, fecha contable, date operation, date "
        "comptable, data, data operazione, data contabile, data movimento, boekdatum, "
        "transactiedatum, arrival date, created, created utc, created date, date paid, "
        "settlement date, completed date"
    ),
    "value_date": names(
        "value date, valuta, valutadatum, wertstellung, fecha valor, date de valeur, data "
        "valuta, rentedatum, available on, available on utc"
    ),
    "amount": names(
        "amount, gross, betrag, umsatz, importe, monto, bruto, brutto, montant, montant brut, "
        "importo, bedrag, valor, transaction amount, amount gross, gross amount, customer "
        "facing amount"
        ", brut, lordo"
    ),
    "credit": names(
        "credit, credits, haben, gutschrift, eingang, abono, abonos, ingreso, ingresos, "
        "haber, credit amount, money in, paid in, deposit, deposits, avere, entrate, bij, "
        "entrada, credito"
    ),
    "debit": names(
        "debit, debits, soll, lastschrift, ausgang, cargo, cargos, gasto, debe, debit amount, "
        "money out, paid out, withdrawal, withdrawals, dare, uscite, af, saida, debito"
    ),
    "direction": names(
        "d c, dc, c d, cd, credit debit, debit credit, soll haben, s h, af bij, cr dr, dr cr, "
        "debit credit indicator, sign"
    ),
    "currency": names(
        "currency, ccy, currency code, wahrung, waehrung, divisa, moneda, devise, valuta code, munt, moeda"
    ),
    "payer": names(
        "name, partner name, payer, payer name, counterparty, counterparty name, "
        "beguenstigter zahlungspflichtiger, begunstigter zahlungspflichtiger, auftraggeber "
        "empfanger, name zahlungsbeteiligter, zahlungspflichtiger, auftraggeber, nombre, "
        "ordenante, beneficiario ordenante, tiers, nom, customer name, customer, customer "
        "description, naam tegenpartij, naam omschrijving, from, payee, nome, ordinante, "
        "auftraggeber begunstigter, auftraggeber beguenstigter, zahlungsempfanger, "
        "counter party, other party, naam, originator, remitter"
    ),
    "payer_account": names(
        "bank account, iban, counterparty iban, counterparty account, iban "
        "zahlungsbeteiligter, kontonummer iban, gegenkonto, tegenrekening, cuenta, compte, "
        "payer account, account number counterparty, tegenrekening iban bban, kontonummer"
    ),
    "reference": names(
        "invoice number, invoice id, invoice, id de factura, numero de factura, "
        "rechnungsnummer, numero de facture, invoice id metadata, invoice metadata, "
        "reference, payment reference, remittance, remittance information, verwendungszweck, "
        "referencia, concepto, referenz, communication, mededelingen, omschrijving, causale, "
        "description, descripcion, beschreibung, memo, label, libelle, purpose, details, "
        "detail, narrative, buchungstext, subject, asunto, betreff, note, nota, notiz, text, "
        "particulars, statement descriptor, transaction description, transaction details, "
        "omschrijving 1, omschrijving 2, omschrijving 3, mededeling"
        ", numero fattura, factuurnummer, rechnungsnr"
    ),
    "id": names(
        "transaction id, id de transaccion, transaktionscode, transaktions id, numero de "
        "transaction, id, balance transaction id, fitid, bank reference, operation number, "
        "transaction reference, transaktionsreferenz"
        ", codice transazione, transactiereferentie, id transazione"
    ),
    "balance": names("balance, saldo, solde, kontostand, running balance"),
    "status": names("status, estado, statut, state, etat, stato"),
}
# Columns that contribute reference text: all of them, in alias order.
MULTI = {"reference"}


def normalise(header: str) -> str:
    """``"Id. de transacción"`` → ``"id de transaccion"``; ``"Created (UTC)"`` → ``"created"``."""
    text = unicodedata.normalize("NFKD", header.strip().strip('"').lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\([^)]*\)", " ", text).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


@dataclass
class CsvMapping:
    """Column names (as in the header row) or 0-based indexes for each meaning.

    Give ``amount`` (signed), or ``credit`` and/or ``debit`` columns, or ``amount`` with a
    ``direction`` column (values like D/C, S/H, DR/CR, Af/Bij, debit/credit). Unset
    options are guessed from the header. ``decimal`` is ``","`` or ``"."`` (guessed
    when None); ``date_format`` is a ``strptime`` format (guessed when None);
    ``currency`` is used when no currency column exists; ``delimiter`` is sniffed when
    None; ``skip_rows`` lines are ignored before the header row.
    """

    date: str | int | None = None
    amount: str | int | None = None
    credit: str | int | None = None
    debit: str | int | None = None
    direction: str | int | None = None
    currency: str | int | None = None
    payer: str | int | None = None
    payer_account: str | int | None = None
    reference: list[str | int] = field(default_factory=list)
    id: str | int | None = None
    value_date: str | int | None = None
    balance: str | int | None = None
    status: str | int | None = None
    default_currency: str | None = None
    decimal: str | None = None
    date_format: str | None = None
    delimiter: str | None = None
    skip_rows: int = 0
    account: str | None = None


def guess_columns(header: list[str]) -> dict[str, list[int]]:
    """Map meaning → column indexes (several for ``reference``) from header names."""
    names = [normalise(h) for h in header]
    found: dict[str, list[int]] = {}
    taken: set[int] = set()
    for meaning, aliases in ALIASES.items():
        for alias in aliases:
            for index, name in enumerate(names):
                if name == alias and index not in taken:
                    found.setdefault(meaning, []).append(index)
                    taken.add(index)
                    if meaning not in MULTI:
                        break
            if meaning in found and meaning not in MULTI:
                break
    return found


def is_header(cells: list[str]) -> bool:
    """A header row names a date column and an amount (or credit/debit) column."""
    found = guess_columns(cells)
    return "date" in found and ("amount" in found or "credit" in found or "debit" in found)
