"""Issue 13 item 10: the parsers of outside input never crash (hypothesis, bounded examples).

Bank files, email (MIME, reply extraction, auto-reply detection, the whole inbound path)
and ledger imports: whatever the bytes, the answer is a result or a one-line
``ARAgentError``, never another exception, and a refused ledger import writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from agent.inbox import process_inbound
from core.errors import ARAgentError
from ledger.bankfiles import parse_bank_file
from ledger.db import in_memory
from ledger.importer import csv_to_document, load_ledger
from ledger.models import Communication, Customer, Invoice
from mail.autoreply import detect_auto_reply
from mail.parse import parse_message
from mail.reply_text import extract_reply
from tests.conftest import CORPORA

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


def _seeds(folder: Path, pattern: str, limit: int = 2) -> list[bytes]:
    files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_size)[:limit]
    return [p.read_bytes()[:20_000] for p in files]


BANK_SEEDS = [
    *(
        seed
        for fmt in ("bai2", "camt053", "camt054", "csv", "mt940", "ofx")
        for seed in _seeds(CORPORA / "bankfiles" / fmt, "*")
    ),
    b"Date,Amount,Currency,Counterparty,Reference\n2026-11-20,12400.00,USD,GLOBEX,INV1042\n",
]
MAIL_SEEDS = _seeds(FIXTURES / "emails", "*.eml", limit=8)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few byte-level edits: insertions, deletions, long runs, odd bytes."""
    data = bytearray(draw(st.sampled_from(seeds)) if seeds else b"")
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "run"]))
        if kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        else:
            data[at:at] = draw(st.sampled_from([b"a", b"\t", b"<", b"9", b"=", b":"])) * draw(
                st.integers(100, 5000)
            )
    return bytes(data)


any_bank_file = st.one_of(mutated(BANK_SEEDS), st.binary(max_size=2000))
any_email = st.one_of(mutated(MAIL_SEEDS), st.binary(max_size=2000))


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora sit beside the repo")
@FUZZ
@given(data=any_bank_file, fmt=st.sampled_from(["auto", "csv", "mt940", "bai2", "camt053"]))
def test_bank_file_parsers_answer_or_refuse(data: bytes, fmt: str) -> None:
    try:
        statements = parse_bank_file(data, fmt, name="fuzz")
    except ARAgentError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return
    for statement in statements:
        for line in statement.lines:
            assert line.amount == line.amount  # a Decimal, never NaN


@FUZZ
@given(raw=any_email)
def test_mime_parsing_and_reading_never_crash(raw: bytes) -> None:
    if not raw.strip():
        with pytest.raises(ARAgentError, match="empty email"):
            parse_message(raw)
        return
    msg = parse_message(raw)
    parts = extract_reply(msg.text, html=msg.html)
    detect_auto_reply(msg, parts.reply)


def _ledger() -> object:
    db = in_memory()
    with db.transaction() as session:
        load_ledger(session, json.loads((FIXTURES / "ledger_globex.json").read_text()))
    return db


INBOX_DB = _ledger()


@settings(FUZZ, max_examples=25)
@given(raw=any_email)
def test_the_inbound_path_stores_every_message_and_never_crashes(raw: bytes, clock) -> None:
    try:
        out = process_inbound(INBOX_DB, raw, clock=clock, source="fuzz")  # type: ignore[arg-type]
    except ARAgentError:
        assert not raw.strip()  # only an empty message is refused
        return
    with INBOX_DB.session() as session:  # type: ignore[attr-defined]
        assert session.get(Communication, out["communication"]) is not None


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def ledger_documents(draw: st.DrawFn) -> dict:
    """A valid ledger with some fields replaced by arbitrary JSON values."""
    doc = json.loads((FIXTURES / "ledger_globex.json").read_text())
    for _ in range(draw(st.integers(1, 4))):
        table = draw(st.sampled_from(["customers", "invoices"]))
        row = draw(st.sampled_from(doc[table]))
        key = draw(st.sampled_from([*row.keys(), "extra"]))
        row[key] = draw(JSONISH)
    return doc


@FUZZ
@given(doc=ledger_documents())
def test_a_ledger_import_loads_whole_or_writes_nothing(doc: dict) -> None:
    db = in_memory()
    try:
        with db.transaction() as session:
            load_ledger(session, doc)
    except ARAgentError as exc:
        assert str(exc)
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Customer)) == 0
            assert session.scalar(select(func.count()).select_from(Invoice)) == 0


@FUZZ
@given(raw=st.one_of(st.binary(max_size=3000), st.text(max_size=2000).map(str.encode)))
def test_a_csv_ledger_export_is_read_or_refused(raw: bytes) -> None:
    try:
        csv_to_document(raw, "fuzz.csv")
    except ARAgentError as exc:
        assert str(exc)
