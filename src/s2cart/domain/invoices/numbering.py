"""Tax invoice and credit note numbers (CGST Rule 46(b)): at most 16 characters of letters, digits, '/' and
'-', a consecutive serial unique for a financial year, here one series a store a year (decision 0037).

    invoice      S123/2627/000042     prefix / financial year / six-digit serial
    credit note  S123/C2627/00007     prefix / 'C' + financial year / five-digit serial

- The financial year runs 1 April to 31 March on the Indian calendar day (IST, UTC+05:30, no daylight
  saving): a payment at 20:00 UTC on 31 March is invoiced on 1 April, in the next year's series.
- The prefix is the store's own (``series_prefix``): up to four upper-case letters and digits read off its id.
- A serial past its width (the 1,000,000th invoice of a store in a year) keeps every digit and shortens the
  prefix instead, so a number never exceeds 16 characters and never repeats within the store's series.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

IST = timezone(timedelta(hours=5, minutes=30), "IST")
MAX_LENGTH = 16
PREFIX_LENGTH = 4


class Series(StrEnum):
    """The two numbered series a store keeps: its tax invoices and its credit notes."""

    INVOICE = "INVOICE"
    CREDIT_NOTE = "CREDIT_NOTE"


# The serial's width and what stands before the financial year, for each series.
_WIDTH = {Series.INVOICE: 6, Series.CREDIT_NOTE: 5}
_MARK = {Series.INVOICE: "", Series.CREDIT_NOTE: "C"}


def indian_date(moment: datetime) -> date:
    """The calendar day in India at ``moment`` (a timezone-aware time)."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(IST).date()


def financial_year(day: date) -> int:
    """The Indian financial year holding ``day``, by the year it starts in: 1 April 2026 to 31 March 2027 is 2026."""
    return day.year if day.month >= 4 else day.year - 1


def year_code(start_year: int) -> str:
    """The financial year as written in a number: 2026 (2026-27) is '2627'."""
    return f"{start_year % 100:02d}{(start_year + 1) % 100:02d}"


def year_label(start_year: int) -> str:
    """The financial year as people write it: 2026 is '2026-27'."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def series_prefix(store_id: str) -> str:
    """The store's prefix: its id's letters and digits in upper case, or when longer than four, the first of
    them and the last three ('store_123' is 'S123', 'supermart' is 'SART'); 'X' for an id without any."""
    characters = "".join(c for c in store_id.upper() if c.isascii() and c.isalnum())
    if not characters:
        return "X"
    if len(characters) <= PREFIX_LENGTH:
        return characters
    return characters[0] + characters[-(PREFIX_LENGTH - 1) :]


def document_number(prefix: str, series: Series, start_year: int, serial: int) -> str:
    """The number of the ``serial``-th document (from 1) of ``series`` in the financial year ``start_year``."""
    if serial < 1:
        raise ValueError("serials start at 1")
    tail = f"/{_MARK[series]}{year_code(start_year)}/{serial:0{_WIDTH[series]}d}"
    room = MAX_LENGTH - len(tail)
    if room < 1:
        raise ValueError(f"serial {serial} does not fit a {MAX_LENGTH}-character number")
    return prefix[:room] + tail
