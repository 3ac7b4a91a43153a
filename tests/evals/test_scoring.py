from types import SimpleNamespace

from evals.scoring import distinct_match, item_matches, score, value_matches


def _expect(**kw):
    base = dict(
        intent=None,
        queued=None,
        not_queued=None,
        blocked=None,
        reply_contains=None,
        reply_not_contains=None,
    )
    return SimpleNamespace(**{**base, **kw})


PROMISE = {
    "type": "record_promise",
    "payload": {
        "customer": "C-001",
        "invoices": ["INV-1042", "INV-1077"],
        "date": "2026-11-27",
        "amount": "12400.00",
    },
}


def test_scalar_matches_a_list_and_singular_reads_plural():
    assert item_matches({"type": "record_promise", "invoice": "inv-1077"}, PROMISE)
    assert not item_matches({"type": "record_promise", "invoice": "INV-9999"}, PROMISE)


def test_amounts_as_decimals_dates_as_iso_strings_case_insensitive():
    assert value_matches(12400, "12400.00")
    assert value_matches("12400.0", "12400.00")
    assert not value_matches("12400.01", "12400.00")
    from datetime import date

    assert value_matches(date(2026, 11, 27), "2026-11-27")
    assert value_matches("Globex", "GLOBEX")


def test_lists_compare_as_multisets_and_dicts_by_listed_fields():
    assert value_matches(["INV-1077", "INV-1042"], ["INV-1042", "INV-1077"])
    assert not value_matches(["INV-1042"], ["INV-1042", "INV-1077"])
    assert value_matches(
        [{"amount": "10"}, {"amount": "20"}],
        [{"date": "2026-12-01", "amount": "10.00"}, {"date": "2027-01-01", "amount": "20"}],
    )


def test_each_expected_item_needs_a_distinct_approval():
    one = [PROMISE]
    assert distinct_match([{"type": "record_promise"}], one) == []
    assert distinct_match([{"type": "record_promise"}, {"type": "record_promise"}], one) == [1]


def test_a_case_that_should_fail_does_fail():
    failures = score(
        _expect(
            intent="dispute",
            queued=[{"type": "open_dispute"}],
            not_queued=["record_promise"],
            blocked=["send_email"],
            reply_contains=["12,400.00"],
        ),
        intent="promise_to_pay",
        queued=[PROMISE],
        blocked=[],
        reply="ok",
    )
    assert len(failures) == 5


def test_empty_lists_mean_nothing():
    assert score(
        _expect(queued=[], blocked=[]),
        intent=None,
        queued=[PROMISE],
        blocked=[{"type": "send_email", "payload": {}}],
        reply="",
    )
    assert score(_expect(queued=[], blocked=[]), intent=None, queued=[], blocked=[], reply="") == []
