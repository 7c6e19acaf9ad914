"""Saved payment methods: ``/payment-methods/cards/`` and ``/payment-methods/upi/``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from s2cart.application.auth.principal import Principal
from s2cart.application.payments.payment_method_queries import ListPaymentMethods
from s2cart.application.payments.remove_payment_method import RemovePaymentMethod
from s2cart.application.payments.save_card import SaveCard, SaveCardCommand
from s2cart.application.payments.save_upi_id import SaveUpiId
from s2cart.application.payments.set_default_payment_method import SetDefaultPaymentMethod
from s2cart.domain.payments.errors import CardDataRefused, PaymentMethodLimit, PaymentMethodNotFound
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.envelope import Done, Success, done, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.payments.method_schemas import (
    CardIn,
    CardOut,
    UpiIn,
    UpiOut,
    card_out,
    refuse_card_data,
    upi_out,
)
from s2cart.entrypoints.http.principal import SECURITY


class PaymentMethodController(Controller):
    path = "/payment-methods"
    tags = ["Payment methods"]
    security = SECURITY

    @get("/cards/", summary="The caller's saved cards (never numbers or tokens)", opt=errors())
    async def cards(
        self, principal: NamedDependency[Principal], list_payment_methods: Inject[ListPaymentMethods]
    ) -> Success[list[CardOut]]:
        """The caller's saved cards: type, last four digits, expiry, nickname; never a number or a gateway token."""
        cards = await list_payment_methods.cards(principal.user_id)
        return success([card_out(c) for c in cards], "Cards retrieved successfully")

    @post(
        "/cards/",
        summary="Save a card the gateway tokenised; card numbers and CVVs are refused",
        opt=errors(CardDataRefused, PaymentMethodLimit),
    )
    async def save_card(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CardIn],
        principal: NamedDependency[Principal],
        save_card: Inject[SaveCard],
    ) -> Success[CardOut]:
        """Save a card the gateway tokenised: its token and last four digits. A body carrying a card number or CVV
        anywhere is 400 PAY_010 and is not stored; an expired or already saved card is 400 VAL_001; at most ten
        cards (400 PAY_011).
        """
        refuse_card_data(await request.body())
        command = SaveCardCommand(
            card_type=data.card_type,
            last_four=data.last_four,
            expiry_month=int(data.expiry_month),
            expiry_year=int(data.expiry_year),
            card_holder_name=data.card_holder_name,
            gateway_token=data.gateway_token,
            card_nickname=data.card_nickname,
            is_default=data.is_default,
        )
        return success(card_out(await save_card(principal.user_id, command)), "Card saved successfully", 201)

    @delete("/cards/{card_id:int}/", status_code=200, summary="Forget a saved card", opt=errors(PaymentMethodNotFound))
    async def remove_card(
        self,
        card_id: FromPath[int],
        principal: NamedDependency[Principal],
        remove_payment_method: Inject[RemovePaymentMethod],
    ) -> Done:
        """Forget one of the caller's saved cards (404 when it is not the caller's)."""
        await remove_payment_method(principal.user_id, "card", card_id)
        return done("Card removed successfully")

    @post(
        "/cards/set-default/{card_id:int}/",
        status_code=200,
        summary="Make a saved card the default",
        opt=errors(PaymentMethodNotFound),
    )
    async def default_card(
        self,
        card_id: FromPath[int],
        principal: NamedDependency[Principal],
        set_default_payment_method: Inject[SetDefaultPaymentMethod],
    ) -> Done:
        """Make one of the caller's saved cards the default (the previous default is no longer)."""
        await set_default_payment_method(principal.user_id, "card", card_id)
        return done("Default card updated")

    @get("/upi/", summary="The caller's saved UPI ids", opt=errors())
    async def upi_ids(
        self, principal: NamedDependency[Principal], list_payment_methods: Inject[ListPaymentMethods]
    ) -> Success[list[UpiOut]]:
        """The caller's saved UPI ids with their nicknames."""
        found = await list_payment_methods.upi_ids(principal.user_id)
        return success([upi_out(u) for u in found], "UPI ids retrieved successfully")

    @post("/upi/", summary="Save a UPI id (name@handle)", opt=errors(PaymentMethodLimit))
    async def save_upi(
        self, data: JSONBody[UpiIn], principal: NamedDependency[Principal], save_upi_id: Inject[SaveUpiId]
    ) -> Success[UpiOut]:
        """Save a UPI id (name@bank); a malformed or already saved one is 400 VAL_001, at most ten (400 PAY_011)."""
        saved = await save_upi_id(principal.user_id, data.upi_id, data.upi_nickname, data.is_default)
        return success(upi_out(saved), "UPI id saved successfully", 201)

    @delete("/upi/{upi_id:int}/", status_code=200, summary="Forget a saved UPI id", opt=errors(PaymentMethodNotFound))
    async def remove_upi(
        self,
        upi_id: FromPath[int],
        principal: NamedDependency[Principal],
        remove_payment_method: Inject[RemovePaymentMethod],
    ) -> Done:
        """Forget one of the caller's saved UPI ids (404 when it is not the caller's)."""
        await remove_payment_method(principal.user_id, "upi", upi_id)
        return done("UPI id removed successfully")

    @post(
        "/upi/set-default/{upi_id:int}/",
        status_code=200,
        summary="Make a saved UPI id the default",
        opt=errors(PaymentMethodNotFound),
    )
    async def default_upi(
        self,
        upi_id: FromPath[int],
        principal: NamedDependency[Principal],
        set_default_payment_method: Inject[SetDefaultPaymentMethod],
    ) -> Done:
        """Make one of the caller's saved UPI ids the default."""
        await set_default_payment_method(principal.user_id, "upi", upi_id)
        return done("Default UPI id updated")
