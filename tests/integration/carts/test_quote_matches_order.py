"""Property: for the same cart, coupon, address and moment, the order created has exactly the quote's amounts.

Quote and checkout share ``price_cart``; this pins it end to end over SQL (both databases), with random
prices, quantities, variants, coupons (given or held on the cart) and pricing policies, in either tax mode: in
GST mode with random product rates, store states and address state spellings, the stored order also keeps the
quote's tax by line and head, and its totals add up exactly (decision 0036)."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.cart_coupon import ApplyCartCoupon
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.application.orders.quote import QuoteCommand, QuoteOrder
from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.domain.catalog.gst import GST_SLABS
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.tax.gst import TaxMode
from s2cart.domain.tax.states import state_code_of
from tests.fakes import FakeClock
from tests.integration.rows import insert_user

_example = itertools.count(1)
ADDRESS = {
    "contact_name": "Asha Rao",
    "street_address": "12 MG Road",
    "city": "Bengaluru",
    "state": "Karnataka",
    "pin_code": "560001",
    "phone_number": "+919876543210",
}
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
SPELLINGS = ["Karnataka", "KA", "maharashtra", "Tamil Nadu", "Orissa", "New Delhi", "Jammu & Kashmir", "Ladakh"]
STORE_STATES = ["29", "27", "33", "21", "07", "01", "38", "97"]


@dataclass(frozen=True)
class Example:
    lines: list[tuple[Decimal, int, str]]  # price, quantity, variant colour
    coupon: Coupon | None
    on_cart: bool
    policy: PricingPolicy
    rates: list[Decimal | None]  # each product's gst_rate
    store_state: str
    address_state: str


@st.composite
def examples(draw: st.DrawFn) -> Example:
    lines = draw(
        st.lists(st.tuples(amounts, st.integers(1, 20), st.sampled_from(["", "red", "blue"])), min_size=1, max_size=4)
    )
    coupon = None
    if draw(st.booleans()):
        kind = draw(st.sampled_from(CouponKind))
        value = draw(st.integers(1, 100).map(Decimal)) if kind is CouponKind.PERCENT else draw(amounts)
        coupon = Coupon(
            code=f"P{next(_example)}",
            kind=kind,
            value=value,
            max_discount=draw(st.none() | amounts),
            min_subtotal=draw(st.none() | st.just(Decimal("0.00"))),
        )
    policy = PricingPolicy(
        tax_rate=draw(st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.18"), Decimal("0.28")])),
        shipping_fee=draw(st.sampled_from([Decimal("0"), Decimal("49.99"), Decimal("50.00")])),
        free_shipping_over=draw(st.none() | amounts),
        tax_mode=draw(st.sampled_from(TaxMode)),
    )
    rates = draw(st.lists(st.none() | st.sampled_from(GST_SLABS), min_size=len(lines), max_size=len(lines)))
    return Example(
        lines,
        coupon,
        draw(st.booleans()),
        policy,
        rates,
        draw(st.sampled_from(STORE_STATES)),
        draw(st.sampled_from(SPELLINGS)),
    )


async def _quote_then_order(database_url: str, example: Example) -> None:
    engine = make_engine(database_url)
    try:
        n = next(_example)

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(make_session_factory(engine))

        clock = FakeClock()
        clock.advance(minutes=n)
        store = Store(f"store_q{n}", "Quote Mart", state_code=example.store_state)
        products = [
            Product(store.id, f"p{i}", f"Thing {i}", price, stock=None, gst_rate=rate, hsn_code="1006")
            for i, ((price, _, _), rate) in enumerate(zip(example.lines, example.rates, strict=True))
        ]
        coupons = (example.coupon,) if example.coupon else ()
        await LoadCatalog(uow)(CatalogDocument(stores=(store,), products=tuple(products), coupons=coupons))
        user = await insert_user(engine, f"quoter{n}")
        address = await AddAddress(uow, clock)(user, {**ADDRESS, "state": example.address_state})
        add = AddItemToCart(uow, clock, max_quantity=100)
        for i, (_, quantity, colour) in enumerate(example.lines):
            variant = {"color": colour} if colour else None
            await add(user, AddItemToCartCommand(store.id, f"p{i}", quantity=quantity, variant=variant))
        given_code = None
        if example.coupon is not None:
            if example.on_cart:
                await ApplyCartCoupon(uow, clock)(user, store.id, example.coupon.code.lower())
            else:
                given_code = example.coupon.code.lower()
        clock.advance(seconds=1)  # the quote and the order see the same moment, later than the cart's changes
        async with uow() as work:
            [cart] = (await work.carts.get(user)).carts
        assert cart.id is not None

        quote = await QuoteOrder(uow, clock, example.policy)(
            user, QuoteCommand(cart.id, address.id, coupon_code=given_code)
        )
        order = await PlaceOrder(uow, clock, example.policy, delivery_days=3)(
            user,
            PlaceOrderCommand(cart.id, address.id, coupon_code=given_code),  # type: ignore[arg-type]
        )
        assert order.totals == quote.totals
        assert order.coupon_code == quote.coupon_code == (example.coupon.code if example.coupon else None)
        assert [(line.product_id, line.quantity, line.unit_price) for line in order.lines] == [
            (line.product_id, line.quantity, line.unit_price) for line in quote.lines
        ]
        assert quote.problems == []
        gst = ("hsn_code", "gst_rate", "taxable_value", "cgst_amount", "sgst_amount", "igst_amount")
        assert [[getattr(line, k) for k in gst] for line in order.lines] == [
            [getattr(line, k) for k in gst] for line in quote.lines
        ]
        assert (order.tax_mode, order.place_of_supply, order.tax_breakup) == (
            quote.tax_mode,
            quote.place_of_supply,
            quote.tax_breakup,
        )
        async with uow() as work:
            stored = await work.orders.get(user, order.id)  # type: ignore[arg-type]
        assert stored is not None and stored.totals == order.totals
        assert [[getattr(line, k) for k in gst] for line in stored.lines] == [
            [getattr(line, k) for k in gst] for line in order.lines
        ]
        assert (stored.tax_mode, stored.place_of_supply, stored.tax_breakup) == (
            order.tax_mode,
            order.place_of_supply,
            order.tax_breakup,
        )
        assert stored.tax_mode is example.policy.tax_mode  # loaded as the enum, not its text
        t = stored.totals
        if example.policy.tax_mode is TaxMode.CONTRACT:
            assert stored.tax_breakup is None and stored.place_of_supply is None
            assert all(line.taxable_value is None for line in stored.lines)
        else:
            assert t.total_amount == t.subtotal - t.discount_amount + t.tax_amount + t.shipping_cost
            breakup = stored.tax_breakup
            assert breakup is not None and breakup.cgst + breakup.sgst + breakup.igst == t.tax_amount
            shares = sum((line.total_price - (line.taxable_value or 0) for line in stored.lines), Decimal("0.00"))
            assert shares == t.discount_amount
            assert stored.place_of_supply is not None
            assert stored.place_of_supply.state_code == state_code_of(example.address_state)
            intra = stored.place_of_supply.state_code == example.store_state
            assert (breakup.igst == 0) if intra else (breakup.cgst == breakup.sgst == 0)
    finally:
        await engine.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(example=examples())
def test_the_order_charges_exactly_the_quote(database_url: str, example: Example) -> None:
    asyncio.run(_quote_then_order(database_url, example))
