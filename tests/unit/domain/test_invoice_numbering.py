"""Invoice numbers (decision 0037): the Indian financial year on the Indian calendar day, the store's prefix,
at most 16 characters, and a serial that outgrows its width without ever making the number longer."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from s2cart.domain.invoices.numbering import (
    Series,
    document_number,
    financial_year,
    indian_date,
    series_prefix,
    year_code,
    year_label,
)

ALLOWED = re.compile(r"[A-Za-z0-9/-]{1,16}")


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2027, 3, 31), 2026),
        (date(2027, 4, 1), 2027),
        (date(2026, 4, 1), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
        (date(2000, 3, 1), 1999),
    ],
)
def test_the_financial_year_runs_april_to_march(day: date, year: int) -> None:
    assert financial_year(day) == year


def test_the_year_turns_at_midnight_in_india_not_in_utc() -> None:
    last_moment = datetime(2027, 3, 31, 18, 29, 59, tzinfo=UTC)  # 23:59:59 IST on 31 March
    first_moment = datetime(2027, 3, 31, 18, 30, tzinfo=UTC)  # 00:00 IST on 1 April
    assert indian_date(last_moment) == date(2027, 3, 31) and financial_year(indian_date(last_moment)) == 2026
    assert indian_date(first_moment) == date(2027, 4, 1) and financial_year(indian_date(first_moment)) == 2027
    numbers = [
        document_number("S123", Series.INVOICE, financial_year(indian_date(moment)), 1)
        for moment in (last_moment, first_moment)
    ]
    assert numbers == ["S123/2627/000001", "S123/2728/000001"]  # the new year's series starts again at 1
    with pytest.raises(ValueError, match="aware"):
        indian_date(datetime(2027, 3, 31, 12))


def test_year_codes_and_labels_cross_the_century() -> None:
    assert (year_code(2026), year_label(2026)) == ("2627", "2026-27")
    assert (year_code(2099), year_label(2099)) == ("9900", "2099-00")


@pytest.mark.parametrize(
    ("store_id", "prefix"),
    [("store_123", "S123"), ("supermart", "SART"), ("ab", "AB"), ("a.b-c_d", "ABCD"), ("___", "X"), ("shop9", "SOP9")],
)
def test_the_prefix_is_read_off_the_store_id(store_id: str, prefix: str) -> None:
    assert series_prefix(store_id) == prefix


def test_numbers_of_both_series_fit_sixteen_characters() -> None:
    assert document_number("S123", Series.INVOICE, 2026, 123) == "S123/2627/000123"
    assert document_number("S123", Series.CREDIT_NOTE, 2026, 7) == "S123/C2627/00007"
    for series in Series:
        for serial in (1, 99_999, 100_000, 999_999, 1_000_000, 12_345_678):
            number = document_number("S123", series, 2026, serial)
            assert ALLOWED.fullmatch(number), number
            assert number.endswith(f"/{serial:0{6 if series is Series.INVOICE else 5}d}")


def test_a_serial_past_its_width_shortens_the_prefix_and_stays_unique() -> None:
    assert document_number("S123", Series.INVOICE, 2026, 1_000_000) == "S12/2627/1000000"
    assert document_number("S123", Series.CREDIT_NOTE, 2026, 100_000) == "S12/C2627/100000"
    numbers = {document_number("S123", Series.INVOICE, 2026, s) for s in range(999_990, 1_000_010)}
    assert len(numbers) == 20
    with pytest.raises(ValueError, match="serials start at 1"):
        document_number("S123", Series.INVOICE, 2026, 0)
