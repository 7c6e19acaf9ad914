"""The default-address rule and the limit, with no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.addresses.address import AddressFields
from s2cart.domain.addresses.address_book import AddressBook
from s2cart.domain.addresses.errors import AddressLimitExceeded, AddressNotFound
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
HOME = AddressFields(
    contact_name="John Doe",
    street_address="123 Main Street",
    city="Mumbai",
    state="Maharashtra",
    pin_code="400001",
    phone_number="+919876543210",
)


def _book(size: int) -> AddressBook:
    """A saved book: ids 1..size, each added a minute after the previous one."""
    book = AddressBook(user_id=7)
    for n in range(size):
        book.add(HOME, NOW + timedelta(minutes=n)).id = n + 1
    return book


def _defaults(book: AddressBook) -> list[int | None]:
    return [a.id for a in book.addresses if a.is_default]


def test_the_first_address_is_the_default_and_later_ones_are_not() -> None:
    book = _book(3)
    assert _defaults(book) == [1]
    assert [a.user_id for a in book.addresses] == [7, 7, 7]
    assert all(not a.is_verified for a in book.addresses)


def test_set_default_moves_the_flag_and_touches_both() -> None:
    book = _book(3)
    later = NOW + timedelta(hours=1)
    chosen = book.set_default(3, later)
    assert chosen.id == 3 and _defaults(book) == [3]
    assert book.find(1).updated_at == later and book.find(3).updated_at == later
    assert book.find(2).updated_at == NOW + timedelta(minutes=1)
    book.set_default(3, later + timedelta(hours=1))  # again: nothing moves
    assert _defaults(book) == [3] and book.find(3).updated_at == later


def test_removing_the_default_promotes_the_most_recently_updated() -> None:
    book = _book(4)
    book.update(2, {"landmark": "Near Metro"}, NOW + timedelta(hours=1))
    promoted = book.remove(1, NOW + timedelta(hours=2))
    assert promoted is not None and promoted.id == 2
    assert _defaults(book) == [2]
    assert [a.id for a in book.removed] == [1]


def test_removing_another_address_leaves_the_default() -> None:
    book = _book(3)
    assert book.remove(3, NOW) is None
    assert _defaults(book) == [1]


def test_removing_the_last_address_leaves_no_default() -> None:
    book = _book(1)
    assert book.remove(1, NOW) is None
    assert book.addresses == [] and book.default is None


def test_the_limit_refuses_one_more_and_changes_nothing() -> None:
    book = _book(3)
    with pytest.raises(AddressLimitExceeded) as caught:
        book.add(HOME, NOW, limit=3)
    assert caught.value.code == "ADDR_001"
    assert caught.value.errors == {"non_field_errors": ["You can save at most 3 addresses."]}
    assert len(book.addresses) == 3


@pytest.mark.parametrize("action", ["find", "set_default", "remove", "update"])
def test_an_unknown_id_is_not_found(action: str) -> None:
    book = _book(2)
    calls = {
        "find": lambda: book.find(99),
        "set_default": lambda: book.set_default(99, NOW),
        "remove": lambda: book.remove(99, NOW),
        "update": lambda: book.update(99, {"city": "Pune"}, NOW),
    }
    with pytest.raises(AddressNotFound):
        calls[action]()
    assert _defaults(book) == [1] and len(book.addresses) == 2


def test_update_applies_editable_fields_and_unverifies() -> None:
    book = _book(1)
    address = book.find(1)
    address.is_verified = True
    later = NOW + timedelta(days=1)
    book.update(1, {"city": "Pune", "is_default": False, "is_verified": True, "id": 5, "user_id": 8}, later)
    assert (address.city, address.id, address.user_id, address.is_default) == ("Pune", 1, 7, True)
    assert address.is_verified is False and address.updated_at == later


def test_an_update_that_changes_nothing_keeps_the_time_and_verification() -> None:
    book = _book(1)
    address = book.find(1)
    address.is_verified = True
    book.update(1, {"city": "Mumbai"}, NOW + timedelta(days=1))
    assert address.is_verified is True and address.updated_at == NOW


def test_update_keeps_coordinates_a_pair() -> None:
    book = _book(1)
    with pytest.raises(ValidationFailed) as caught:
        book.update(1, {"latitude": Decimal("19.076")}, NOW)
    assert "longitude" in caught.value.errors
    assert book.find(1).latitude is None
    book.update(1, {"latitude": Decimal("19.076"), "longitude": Decimal("72.8777")}, NOW)
    with pytest.raises(ValidationFailed):
        book.update(1, {"longitude": None}, NOW)
    assert book.find(1).longitude == Decimal("72.8777")


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["add", "remove", "set_default", "update"]), st.integers(min_value=0, max_value=30)),
    max_size=60,
)


@given(OPERATIONS)
def test_exactly_one_default_whenever_the_book_holds_any(operations: list[tuple[str, int]]) -> None:
    book = AddressBook(user_id=1)
    next_id = 1
    for step, (action, pick) in enumerate(operations):
        now = NOW + timedelta(minutes=step)
        ids = [a.id for a in book.addresses]
        try:
            if action == "add":
                book.add(HOME, now, limit=5).id = next_id
                next_id += 1
            elif ids and action == "remove":
                book.remove(ids[pick % len(ids)] or 0, now)
            elif ids and action == "set_default":
                book.set_default(ids[pick % len(ids)] or 0, now)
            elif ids:
                book.update(ids[pick % len(ids)] or 0, {"landmark": f"L{step}"}, now)
        except AddressLimitExceeded:
            assert len(book.addresses) == 5
        assert len(book.addresses) <= 5
        assert len(_defaults(book)) == (1 if book.addresses else 0)
