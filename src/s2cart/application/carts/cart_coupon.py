"""A coupon held on a store's cart (``POST`` / ``DELETE /carts/store/{store_id}/coupon/``)."""

from __future__ import annotations

from s2cart.application.carts.views import CartView
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.carts.errors import CartNotFound
from s2cart.domain.catalog.coupon import CouponRejected, CouponRejection, normalize_code


class ApplyCartCoupon:
    """- Codes are case-insensitive; the cart holds the catalog's (upper-case) code.
    - The coupon must apply to the cart now, as checkout would check it (window, minimum subtotal, usage
      limits): otherwise the order flow's 400 (COUPON_001) and nothing changes. Another coupon held before
      is replaced.
    - No cart for the store: 404. The discount shown is recomputed on every read (Cart.coupon_discount)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, store_id: str, coupon_code: str) -> CartView:
        now = self._clock.now()
        code = normalize_code(coupon_code)
        async with self._uow() as uow:
            book = await uow.carts.get(user_id)
            cart = book.cart_for(store_id)
            if cart is None:
                raise CartNotFound()
            coupon = await uow.catalog.coupon(code) if code else None
            if coupon is None:
                raise CouponRejected(CouponRejection.UNKNOWN)
            used, used_by_user = await uow.orders.coupon_uses(coupon.code, user_id)
            cart.apply_coupon(coupon, now, times_used=used, times_used_by_user=used_by_user)
            await uow.carts.save(book)
            await uow.commit()
        return CartView.of(cart, now)


class RemoveCartCoupon:
    """Drop the cart's coupon (no coupon held: the cart is answered as it is). No cart for the store: 404."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, store_id: str) -> CartView:
        now = self._clock.now()
        async with self._uow() as uow:
            book = await uow.carts.get(user_id)
            cart = book.cart_for(store_id)
            if cart is None:
                raise CartNotFound()
            if cart.coupon_code is not None:
                cart.remove_coupon(now)
                await uow.carts.save(book)
                await uow.commit()
        return CartView.of(cart, now)
