"""The one pricing of a cart, shared by the quote and by checkout, so a quote is what the order charges."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from s2cart.application.ports.uow import UnitOfWork
from s2cart.domain.carts.cart import Cart
from s2cart.domain.carts.cart_book import CartBook
from s2cart.domain.carts.errors import CartNotFound
from s2cart.domain.catalog.coupon import CouponRejected, CouponRejection, normalize_code
from s2cart.domain.catalog.product import Product
from s2cart.domain.orders.errors import CartAlreadyOrdered, EmptyCart
from s2cart.domain.orders.order import OrderLine
from s2cart.domain.orders.pricing import GstLine, GstPricing, OrderTotals, PricingPolicy, price, price_gst
from s2cart.domain.orders.quote import LineProblem, line_problems
from s2cart.domain.shared.money import ZERO
from s2cart.domain.tax.errors import StoreWithoutStateCode, UnknownPlaceOfSupply
from s2cart.domain.tax.gst import PlaceOfSupply, TaxBreakup, TaxMode
from s2cart.domain.tax.states import state_code_of


@dataclass(frozen=True)
class PricedLines:
    """The lines the catalog still sells, at today's prices, and what checkout would refuse of them
    (``products`` also holds the products no longer sold, so their names can be given)."""

    lines: list[OrderLine]
    products: dict[str, Product]
    problems: list[LineProblem]


BeforeCoupon = Callable[[PricedLines], Awaitable[None]]


@dataclass(frozen=True)
class PricedCart:
    """A cart priced from the catalog at one moment.

    ``lines`` are the lines the catalog still sells, at today's prices; ``problems`` what checkout would
    refuse; ``coupon_refusal`` why the coupon does not apply (then the totals carry no discount)."""

    lines: list[OrderLine]
    products: dict[str, Product]
    problems: list[LineProblem]
    totals: OrderTotals
    coupon_code: str | None
    coupon_refusal: CouponRejected | None
    tax_mode: TaxMode = TaxMode.CONTRACT
    place_of_supply: PlaceOfSupply | None = None
    tax_breakup: TaxBreakup | None = None


def place_of_supply(address_state: str, policy: PricingPolicy) -> PlaceOfSupply | None:
    """GST mode: the place of supply of goods shipped to an address in ``address_state``; a state that maps to
    no GST state code is a 400 naming ``shipping_address_id``. Contract mode: None (not needed)."""
    if policy.tax_mode is not TaxMode.GST:
        return None
    code = state_code_of(address_state)
    if code is None:
        raise UnknownPlaceOfSupply(address_state)
    return PlaceOfSupply.of(code)


async def cart_to_price(uow: UnitOfWork, user_id: int, cart_id: int) -> tuple[CartBook, Cart]:
    """The caller's cart (with the book it belongs to) as checkout and the quote take it: another user's or an
    unknown cart is 404, a cart already ordered 409, an empty one 400."""
    book = await uow.carts.get(user_id)
    cart = next((c for c in book.carts if c.id == cart_id), None)
    if cart is None:
        if await uow.orders.placed_from_cart(user_id, cart_id):
            raise CartAlreadyOrdered()
        raise CartNotFound()
    if not cart.items:
        raise EmptyCart()
    return book, cart


async def price_cart(
    uow: UnitOfWork,
    user_id: int,
    cart: Cart,
    coupon_code: str | None,
    now: datetime,
    policy: PricingPolicy,
    *,
    lock_coupon: bool,
    before_coupon: BeforeCoupon | None = None,
    supplied_to: PlaceOfSupply | None = None,
) -> PricedCart:
    """- Each line at the catalog's price now (a price changed since the line was added is the one charged).
    - The coupon is the one given, else the one held on the cart; codes are case-insensitive. It is checked
      against its window, minimum subtotal and usage limits at ``now``. ``lock_coupon`` (checkout) reads it
      under a row lock so its usage counts cannot change before the order commits; a quote does not lock.
    - ``before_coupon`` runs once the lines are priced and before the coupon is read: checkout refuses lines
      and takes stock there, so rows are locked in decision 0023's order (products, then the coupon).
    - Totals by ``domain.orders.pricing.price`` (contract mode) or ``price_gst`` (GST mode, at the place of
      supply ``supplied_to``; without it, the store's own state: an intra-state supply): nothing else computes
      an order's amounts. GST mode refuses a store without a state code (409)."""
    products: dict[str, Product] = {}
    found: dict[str, Product | None] = {}
    lines: list[OrderLine] = []
    store = await uow.catalog.store(cart.store_id)
    store_active = store is None or store.active
    store_state = store.state_code if store is not None else None
    if policy.tax_mode is TaxMode.GST and store_state is None:
        raise StoreWithoutStateCode(cart.store_id)
    for item in cart.items:
        if item.product_id not in found:
            found[item.product_id] = await uow.catalog.product(cart.store_id, item.product_id)
        product = found[item.product_id]
        if product is None:
            continue
        products[product.id] = product
        if not product.active or not store_active:
            continue  # listed in the problems (CART_004); not priced
        lines.append(
            OrderLine(
                store_id=cart.store_id,
                product_id=product.id,
                product_name=product.name,
                product_image_url=product.image_url,
                variant=item.variant.as_dict() or None,
                quantity=item.quantity,
                unit_price=product.price,
            )
        )
    priced = PricedLines(lines, products, line_problems(cart.store_id, cart.items, found, store_active=store_active))
    if before_coupon is not None:
        await before_coupon(priced)
    line_totals = [line.total_price for line in lines]
    subtotal = price(line_totals, ZERO, policy).subtotal

    given = normalize_code(coupon_code) if coupon_code else ""
    code = given or cart.coupon_code or None
    discount = ZERO
    refusal: CouponRejected | None = None
    if code:
        coupon = await (uow.orders.lock_coupon(code) if lock_coupon else uow.catalog.coupon(code))
        if coupon is None:
            refusal = CouponRejected(CouponRejection.UNKNOWN)
        else:
            used, used_by_user = await uow.orders.coupon_uses(code, user_id)
            try:
                discount = coupon.apply(now=now, subtotal=subtotal, times_used=used, times_used_by_user=used_by_user)
            except CouponRejected as refused:
                refusal = refused
    if policy.tax_mode is not TaxMode.GST or store_state is None:
        return PricedCart(
            lines=lines,
            products=products,
            problems=priced.problems,
            totals=price(line_totals, discount, policy),
            coupon_code=code,
            coupon_refusal=refusal,
        )
    gst = _price_gst(lines, products, discount, policy, store_state, supplied_to or PlaceOfSupply.of(store_state))
    return PricedCart(
        lines=[
            replace(
                line,
                hsn_code=tax.hsn_code,
                gst_rate=tax.gst_rate,
                taxable_value=tax.taxable_value,
                cgst_amount=tax.cgst_amount,
                sgst_amount=tax.sgst_amount,
                igst_amount=tax.igst_amount,
            )
            for line, tax in zip(lines, gst.lines, strict=True)
        ],
        products=products,
        problems=priced.problems,
        totals=gst.totals,
        coupon_code=code,
        coupon_refusal=refusal,
        tax_mode=TaxMode.GST,
        place_of_supply=gst.place_of_supply,
        tax_breakup=gst.breakup,
    )


def _price_gst(
    lines: list[OrderLine],
    products: dict[str, Product],
    discount: Decimal,
    policy: PricingPolicy,
    store_state: str,
    supplied_to: PlaceOfSupply,
) -> GstPricing:
    """Each line at its product's rate and HSN code as the catalog has them now."""
    taxed = [
        GstLine(line.total_price, products[line.product_id].gst_rate, products[line.product_id].hsn_code)
        for line in lines
    ]
    return price_gst(taxed, discount, policy, store_state_code=store_state, place_of_supply=supplied_to)
