"""PlaceOrder: turn one of the user's carts into an order, exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.carts.errors import CartNotFound
from s2cart.domain.catalog.coupon import CouponRejected, CouponRejection, normalize_code
from s2cart.domain.catalog.errors import ItemUnavailable, OutOfStock, ProductNotFound
from s2cart.domain.catalog.product import Product
from s2cart.domain.orders.errors import AddressNotFound, CartAlreadyOrdered, EmptyCart
from s2cart.domain.orders.order import DeliveryTime, Order, OrderLine, estimated_delivery, order_number
from s2cart.domain.orders.pricing import PricingPolicy, price
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.orders.stock import stock_moves
from s2cart.domain.shared.money import ZERO


@dataclass(frozen=True)
class PlaceOrderCommand:
    cart_id: int
    shipping_address_id: int
    delivery_instructions: str = ""
    preferred_delivery_time: DeliveryTime = DeliveryTime.ANYTIME
    coupon_code: str | None = None


class PlaceOrder:
    """- The cart is read under the user's cart lock and removed in the same transaction, so two
      parallel checkouts of one cart make one order; the loser gets 409 (ORDER_002).
    - Lines are priced from the catalog now: a price changed since the item was added is the price charged.
    - A line whose product or store is no longer active refuses the order (400 CART_004) until it is removed.
    - Stock is taken with a conditional update per product, in (store_id, product_id) order whatever the
      cart's order, so checkouts of the same products queue instead of deadlocking; a short product
      refuses the order (CART_003) and, the transaction rolling back, nothing was taken.
    - A coupon is checked under a row lock against its validity window, minimum subtotal, total and
      per-user limits; any refusal is a 400 and creates nothing.
    - The address and lines are snapshots: later edits never change the order."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, pricing: PricingPolicy, delivery_days: int) -> None:
        self._uow = uow
        self._clock = clock
        self._pricing = pricing
        self._delivery_days = delivery_days

    async def __call__(self, user_id: int, cmd: PlaceOrderCommand) -> Order:
        now = self._clock.now()
        async with self._uow() as uow:
            book = await uow.carts.get(user_id)
            cart = next((c for c in book.carts if c.id == cmd.cart_id), None)
            if cart is None:
                if await uow.orders.placed_from_cart(user_id, cmd.cart_id):
                    raise CartAlreadyOrdered()
                raise CartNotFound()
            if not cart.items:
                raise EmptyCart()
            found = await uow.addresses.owned(user_id, cmd.shipping_address_id)
            if found is None:
                raise AddressNotFound()
            address = found.snapshot()

            lines: list[OrderLine] = []
            products: dict[str, Product] = {}
            store = await uow.catalog.store(cart.store_id)
            for item in cart.items:
                product = await uow.catalog.product(cart.store_id, item.product_id)
                if product is None:
                    raise ProductNotFound(cart.store_id, item.product_id)
                if not product.active or (store is not None and not store.active):
                    raise ItemUnavailable(product.name, product.id, store_closed=product.active)
                products[product.id] = product
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
            for move in stock_moves(lines):  # in the one lock order, never the cart's (decision 0023)
                if not await uow.orders.take_stock(move.store_id, move.product_id, move.quantity):
                    short = products[move.product_id]
                    raise OutOfStock(short.name, short.stock or 0)
            subtotal = price([line.total_price for line in lines], ZERO, self._pricing).subtotal

            code = normalize_code(cmd.coupon_code) if cmd.coupon_code else None
            discount = ZERO
            if code:
                coupon = await uow.orders.lock_coupon(code)
                if coupon is None:
                    raise CouponRejected(CouponRejection.UNKNOWN)
                used, used_by_user = await uow.orders.coupon_uses(code, user_id)
                discount = coupon.apply(now=now, subtotal=subtotal, times_used=used, times_used_by_user=used_by_user)

            day_sequence = await uow.orders.next_number(now)
            order = Order(
                user_id=user_id,
                order_number=order_number(now, day_sequence),
                status=OrderStatus.PLACED,
                order_date=now,
                source_cart_id=cmd.cart_id,
                store_id=cart.store_id,
                lines=lines,
                totals=price([line.total_price for line in lines], discount, self._pricing),
                coupon_code=code,
                shipping_address=address,
                estimated_delivery_date=estimated_delivery(now, self._delivery_days),
                delivery_instructions=cmd.delivery_instructions.strip(),
                preferred_delivery_time=cmd.preferred_delivery_time,
                updated_at=now,
            )
            await uow.orders.add(order)
            assert order.id is not None
            if code:
                await uow.orders.redeem_coupon(code, user_id, order.id, now)
            book.clear(cart.store_id)
            await uow.carts.save(book)
            await uow.commit()
        return order
