"""QuoteOrder: what POST /orders/ would charge for a cart now, creating nothing and taking no stock."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.orders.pricing import cart_to_price, place_of_supply, price_cart
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.errors import AddressNotFound
from s2cart.domain.orders.order import OrderLine
from s2cart.domain.orders.pricing import OrderTotals, PricingPolicy
from s2cart.domain.orders.quote import LineProblem
from s2cart.domain.tax.gst import PlaceOfSupply, TaxBreakup, TaxMode


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
    tax_mode: TaxMode = TaxMode.CONTRACT
    place_of_supply: PlaceOfSupply | None = None
    # GST mode without an address: the place of supply is taken to be the store's own state (intra-state).
    place_of_supply_assumed: bool = False
    tax_breakup: TaxBreakup | None = None


class QuoteOrder:
    """- The request is refused as the order would refuse it: unknown or another user's cart 404, an
      ordered cart 409, an empty cart or a coupon that does not apply 400, an address not the caller's 404.
    - What the order would refuse line by line (a product gone, short stock) is listed in ``problems``
      instead, with the units left, so the shopper sees all of it at once.
    - Priced by ``price_cart``, checkout's own pricing; the unit of work is never committed.
    - GST mode: the address's state is the place of supply (a state GST does not know is checkout's 400);
      without an address the store's own state is assumed (CGST + SGST), and ``place_of_supply_assumed`` says
      so: an address in another state moves the same tax to IGST (within a paisa a line, decision 0036)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, pricing: PricingPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._pricing = pricing

    async def __call__(self, user_id: int, cmd: QuoteCommand) -> Quote:
        now = self._clock.now()
        async with self._uow() as uow:
            _, cart = await cart_to_price(uow, user_id, cmd.cart_id)
            supplied_to = None
            if cmd.shipping_address_id is not None:
                address = await uow.addresses.owned(user_id, cmd.shipping_address_id)
                if address is None:
                    raise AddressNotFound()
                supplied_to = place_of_supply(address.state, self._pricing)
            priced = await price_cart(
                uow, user_id, cart, cmd.coupon_code, now, self._pricing, lock_coupon=False, supplied_to=supplied_to
            )
        if priced.coupon_refusal is not None:
            raise priced.coupon_refusal
        return Quote(
            cart_id=cmd.cart_id,
            store_id=cart.store_id,
            lines=priced.lines,
            totals=priced.totals,
            coupon_code=priced.coupon_code,
            problems=priced.problems,
            tax_mode=priced.tax_mode,
            place_of_supply=priced.place_of_supply,
            place_of_supply_assumed=priced.tax_mode is TaxMode.GST and supplied_to is None,
            tax_breakup=priced.tax_breakup,
        )
