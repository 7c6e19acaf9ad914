"""QuoteOrder: what POST /orders/ would charge for a cart now, creating nothing and taking no stock."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.orders.pricing import cart_to_price, price_cart
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.errors import AddressNotFound
from s2cart.domain.orders.order import OrderLine
from s2cart.domain.orders.pricing import OrderTotals, PricingPolicy
from s2cart.domain.orders.quote import LineProblem


@dataclass(frozen=True)
class QuoteCommand:
    cart_id: int
    shipping_address_id: int | None = None
    coupon_code: str | None = None


@dataclass(frozen=True)
class Quote:
    cart_id: int
    store_id: str
    lines: list[OrderLine]
    totals: OrderTotals
    coupon_code: str | None
    problems: list[LineProblem]


class QuoteOrder:
    """- The request is refused as the order would refuse it: unknown or another user's cart 404, an
      ordered cart 409, an empty cart or a coupon that does not apply 400, an address not the caller's 404.
    - What the order would refuse line by line (a product gone, short stock) is listed in ``problems``
      instead, with the units left, so the shopper sees all of it at once.
    - Priced by ``price_cart``, checkout's own pricing; the unit of work is never committed."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, pricing: PricingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._pricing = pricing

    async def __call__(self, user_id: int, cmd: QuoteCommand) -> Quote:
        now = self._clock.now()
        async with self._uow() as uow:
            _, cart = await cart_to_price(uow, user_id, cmd.cart_id)
            if (
                cmd.shipping_address_id is not None
                and await uow.addresses.owned(user_id, cmd.shipping_address_id) is None
            ):
                raise AddressNotFound()
            priced = await price_cart(uow, user_id, cart, cmd.coupon_code, now, self._pricing, lock_coupon=False)
        if priced.coupon_refusal is not None:
            raise priced.coupon_refusal
        return Quote(
            cart_id=cmd.cart_id,
            store_id=cart.store_id,
            lines=priced.lines,
            totals=priced.totals,
            coupon_code=priced.coupon_code,
            problems=priced.problems,
        )
