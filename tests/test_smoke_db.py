from decimal import Decimal

from sqlalchemy import func, select

from ledger.models import Invoice
from tests.support import factories as f


def test_amounts_stay_exact_and_comparable(any_db):
    with any_db.transaction() as s:
        c = f.customer(s, "C-1", "Globex")
        f.invoice(s, c, "INV-1", amount="0.10", balance="0.10")
        f.invoice(s, c, "INV-2", amount="0.20", balance="0")
        f.invoice(s, c, "INV-3", amount="1234567890.0105", balance="0.0005")
    with any_db.session() as s:
        open_numbers = s.scalars(
            select(Invoice.number).where(Invoice.balance > 0).order_by(Invoice.number)
        ).all()
        total = s.scalar(select(func.sum(Invoice.amount)))
    assert open_numbers == ["INV-1", "INV-3"]
    assert total == Decimal("1234567890.3105")
