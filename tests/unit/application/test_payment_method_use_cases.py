from __future__ import annotations

import json
from typing import Any

import pytest

from s2cart.application.payments.payment_method_queries import ListPaymentMethods
from s2cart.application.payments.remove_payment_method import RemovePaymentMethod
from s2cart.application.payments.save_card import SaveCard, SaveCardCommand
from s2cart.application.payments.save_upi_id import SaveUpiId
from s2cart.application.payments.set_default_payment_method import SetDefaultPaymentMethod
from s2cart.domain.payments.errors import CardDataRefused, PaymentMethodNotFound
from s2cart.domain.payments.methods import CardBrand
from tests.fakes import FakeClock
from tests.payment_fakes import FakeMethodReader, PaymentsUnitOfWork


class ReversingBox:
    """Seals by reversing: enough to show the token is never stored as given."""

    def seal(self, payload: dict[str, Any]) -> str:
        return json.dumps(payload)[::-1]

    def open(self, sealed: str) -> dict[str, Any]:
        return dict(json.loads(sealed[::-1]))


def command(**overrides: Any) -> SaveCardCommand:
    values: dict[str, Any] = {
        "card_type": CardBrand.VISA,
        "last_four": "1234",
        "expiry_month": 12,
        "expiry_year": 2030,
        "card_holder_name": "John Doe",
        "gateway_token": "tok_visa_8f3a9c",
        "card_nickname": "Primary Card",
    }
    values.update(overrides)
    return SaveCardCommand(**values)


async def test_cards_keep_a_sealed_token_and_the_first_is_the_default() -> None:
    uow, clock = PaymentsUnitOfWork(), FakeClock()
    save = SaveCard(uow, ReversingBox(), clock)
    first = await save(1, command())
    second = await save(1, command(last_four="9876", card_type=CardBrand.RUPAY, is_default=True))

    stored = uow.payment_methods.books[1].cards
    assert [c.is_default for c in stored] == [False, True]
    assert "tok_visa_8f3a9c" not in stored[0].sealed_token
    assert ReversingBox().open(stored[0].sealed_token) == {"gateway_token": "tok_visa_8f3a9c"}
    listed = await ListPaymentMethods(FakeMethodReader(uow.payment_methods)).cards(1)
    assert [c.id for c in listed] == [second.id, first.id]
    assert not hasattr(listed[0], "gateway_token")


async def test_a_card_number_as_token_is_refused_and_nothing_is_stored() -> None:
    uow = PaymentsUnitOfWork()
    with pytest.raises(CardDataRefused):
        await SaveCard(uow, ReversingBox(), FakeClock())(1, command(gateway_token="4111 1111 1111 1111"))
    assert uow.payment_methods.books == {}


async def test_upi_ids_are_removed_and_defaulted_by_their_owner_only() -> None:
    uow, clock = PaymentsUnitOfWork(), FakeClock()
    save = SaveUpiId(uow, clock)
    first = await save(1, "Asha@OKHDFC", "Main")
    clock.advance(minutes=1)
    second = await save(1, "asha.rao@ybl")
    with pytest.raises(PaymentMethodNotFound):
        await RemovePaymentMethod(uow)(2, "upi", first.id)
    with pytest.raises(PaymentMethodNotFound):
        await SetDefaultPaymentMethod(uow)(2, "upi", second.id)

    await SetDefaultPaymentMethod(uow)(1, "upi", second.id)
    await RemovePaymentMethod(uow)(1, "upi", second.id)

    [left] = uow.payment_methods.books[1].upi_ids
    assert (left.upi_id, left.is_default) == ("asha@okhdfc", True)
