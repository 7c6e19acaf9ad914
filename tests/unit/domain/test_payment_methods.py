from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.payments.errors import CardDataRefused, PaymentMethodLimit, PaymentMethodNotFound
from s2cart.domain.payments.methods import (
    MAX_PER_KIND,
    CardBrand,
    PaymentMethodBook,
    SavedCard,
    SavedUpi,
    luhn_valid,
    refuse_card_shaped_token,
)
from s2cart.domain.shared.errors import ValidationFailed
from tests.unit.domain.payment_builders import START


def card(last_four: str = "1234", year: int = 2030, **overrides: object) -> SavedCard:
    values: dict[str, object] = {
        "user_id": 1,
        "brand": CardBrand.VISA,
        "last_four": last_four,
        "expiry_month": 12,
        "expiry_year": year,
        "holder_name": "John Doe",
        "nickname": "Primary Card",
        "sealed_token": "sealed",
        "created_at": START,
    }
    values.update(overrides)
    return SavedCard(**values)  # type: ignore[arg-type]


def upi(upi_id: str = "john.doe@paytm", nickname: str | None = "Primary UPI") -> SavedUpi:
    return SavedUpi(user_id=1, upi_id=upi_id, nickname=nickname, created_at=START)


def test_the_first_of_each_kind_is_the_default_and_a_new_default_moves_it() -> None:
    book = PaymentMethodBook(1)
    first = book.add_card(card("1111"), START)
    second = book.add_card(card("2222"), START)
    phone = book.add_upi(upi())
    assert (first.is_default, second.is_default, phone.is_default) == (True, False, True)

    third = book.add_card(card("3333"), START, make_default=True)
    assert [c.is_default for c in book.cards] == [False, False, True]
    assert third.is_default and phone.is_default


def test_removing_the_default_promotes_the_newest_and_set_default_moves_it() -> None:
    book = PaymentMethodBook(1)
    for n, digits in enumerate(("1111", "2222", "3333"), start=1):
        added = book.add_card(card(digits, created_at=START + timedelta(minutes=n)), START)
        added.id = n
    book.remove("card", 1)
    assert [(c.id, c.is_default) for c in book.cards] == [(2, False), (3, True)]
    book.set_default("card", 2)
    assert [(c.id, c.is_default) for c in book.cards] == [(2, True), (3, False)]
    assert book.removed == [("card", 1)]
    with pytest.raises(PaymentMethodNotFound):
        book.remove("upi", 2)


def test_duplicates_expired_cards_and_too_many_are_refused() -> None:
    book = PaymentMethodBook(1)
    book.add_card(card("1234"), START)
    with pytest.raises(ValidationFailed, match="Validation"):
        book.add_card(card("1234"), START)
    with pytest.raises(ValidationFailed) as expired:
        book.add_card(card("9999", year=START.year - 1), START)
    assert "expiry_year" in expired.value.errors
    book.add_upi(upi("Asha@OKICICI"))
    with pytest.raises(ValidationFailed):
        book.add_upi(upi("asha@okicici"))
    for n in range(MAX_PER_KIND - 1):
        book.add_card(card(f"{n:04d}"), START)
    with pytest.raises(PaymentMethodLimit):
        book.add_card(card("5555"), START)


@pytest.mark.parametrize("bad", ["john", "@paytm", "john@", "jo hn@paytm", "john@pay tm", "john@@paytm", "j@1bank"])
def test_upi_ids_are_name_at_handle(bad: str) -> None:
    with pytest.raises(ValidationFailed):
        upi(bad)
    assert upi(" John.Doe-1@PayTM ").upi_id == "john.doe-1@paytm"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("holder_name", "4111 1111 1111 1111"),
        ("nickname", "card 4111-1111-1111-1111"),
        ("nickname", "411111111111"),
    ],
)
def test_a_card_number_hidden_in_a_name_is_refused(field: str, value: str) -> None:
    with pytest.raises(CardDataRefused) as refused:
        card(**{field: value})
    assert refused.value.code == "PAY_010"
    assert value not in str(refused.value.errors)


def test_last_four_is_four_digits_and_the_month_real() -> None:
    for overrides in ({"last_four": "4111111111111111"}, {"last_four": "12a4"}, {"expiry_month": 13}):
        with pytest.raises(ValidationFailed):
            card(**overrides)  # type: ignore[arg-type]


def test_a_token_shaped_like_a_card_number_is_refused() -> None:
    with pytest.raises(CardDataRefused):
        refuse_card_shaped_token("4111111111111111")
    refuse_card_shaped_token("tok_8f3a9c2e1b")  # a real token passes
    refuse_card_shaped_token("4111111111111112")  # not a card number (fails Luhn)


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_luhn_accepts_exactly_the_numbers_whose_check_digit_fits(digits: str) -> None:
    body = digits[:-1]
    fitting = [d for d in "0123456789" if luhn_valid(body + d)]
    assert len(fitting) == 1


def test_card_numbers_are_found_in_free_text() -> None:
    from s2cart.domain.payments.methods import contains_card_number

    assert contains_card_number("pay with 4111 1111 1111 1111 please")
    assert contains_card_number("5500-0000-0000-0004")
    assert not contains_card_number("call +91 98765 43210")
    assert not contains_card_number("4111 1111 1111 1112")
