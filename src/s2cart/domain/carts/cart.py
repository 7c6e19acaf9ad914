"""One store's cart and its lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from s2cart.domain.carts.quantity import check_line_quantity, check_quantity
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.money import ZERO, to_paise


@dataclass(eq=False)
class CartItem:
    """A line: one product in one variant. Name, image and unit price are the catalog's, copied when the
    line was last added to or changed, never the client's."""

    product_id: str
    variant: Variant
    product_name: str
    product_image_url: str | None
    unit_price: Decimal
    quantity: int
    added_at: datetime
    updated_at: datetime
    id: int | None = None

    @classmethod
    def of(cls, product: Product, variant: Variant, quantity: int, now: datetime) -> CartItem:
        return cls(
            product_id=product.id,
            variant=variant,
            product_name=product.name,
            product_image_url=product.image_url,
            unit_price=product.price,
            quantity=quantity,
            added_at=now,
            updated_at=now,
        )

    @property
    def total_price(self) -> Decimal:
        return to_paise(self.unit_price * self.quantity)

    def is_for(self, product_id: str, variant: Variant) -> bool:
        return self.product_id == product_id and self.variant == variant

    def refresh_from(self, product: Product, now: datetime) -> None:
        self.product_name = product.name
        self.product_image_url = product.image_url
        self.unit_price = product.price
        self.updated_at = now


def held_coupon_discount(coupon: Coupon | None, subtotal: Decimal, now: datetime) -> Decimal:
    """What a coupon held on a cart takes off its lines as they are now: recomputed on every read, never
    stored. Usage limits are checkout's business (they need the redemption ledger); here the coupon counts
    while it is active, inside its validity window and the subtotal reaches its minimum; otherwise 0."""
    if coupon is None or coupon.rejection(now=now, subtotal=subtotal) is not None:
        return ZERO
    return coupon.discount_for(subtotal)


@dataclass(eq=False)
class Cart:
    """Every method checks everything before it changes anything, so a refused change leaves no trace."""

    store_id: str
    store_name: str
    created_at: datetime
    updated_at: datetime
    items: list[CartItem] = field(default_factory=list)
    id: int | None = None
    # The code held on the cart, and the coupon it names as the catalog has it now (None when the catalog
    # no longer knows the code: the cart shows it with no discount, and checkout refuses it).
    coupon_code: str | None = None
    coupon: Coupon | None = None

    @classmethod
    def new(cls, store: Store, now: datetime) -> Cart:
        return cls(store_id=store.id, store_name=store.name, created_at=now, updated_at=now)

    @property
    def item_count(self) -> int:
        """Units, not lines: two headphones and a cable are 3 items."""
        return sum(item.quantity for item in self.items)

    @property
    def total_price(self) -> Decimal:
        return sum((item.total_price for item in self.items), ZERO)

    def coupon_discount(self, now: datetime) -> Decimal:
        return held_coupon_discount(self.coupon, self.total_price, now)

    def apply_coupon(self, coupon: Coupon, now: datetime, *, times_used: int, times_used_by_user: int) -> Decimal:
        """Hold ``coupon`` on the cart; CouponRejected (and nothing changes) when it does not apply now."""
        discount = coupon.apply(
            now=now, subtotal=self.total_price, times_used=times_used, times_used_by_user=times_used_by_user
        )
        self.coupon_code, self.coupon = coupon.code, coupon
        self.updated_at = now
        return discount

    def remove_coupon(self, now: datetime) -> None:
        if self.coupon_code is not None:
            self.coupon_code = self.coupon = None
            self.updated_at = now

    def line_for(self, product_id: str, variant: Variant) -> CartItem | None:
        return next((item for item in self.items if item.is_for(product_id, variant)), None)

    def units_of(self, product_id: str, *, besides: tuple[CartItem, ...] = ()) -> int:
        """Units of a product across its variants: stock is counted per product."""
        return sum(
            item.quantity
            for item in self.items
            if item.product_id == product_id and all(item is not other for other in besides)
        )

    def add(self, product: Product, quantity: int, variant: Variant, now: datetime, max_quantity: int) -> CartItem:
        """Add units; the same product in the same variant merges into its line."""
        self._check_product(product)
        check_quantity(quantity, max_quantity)
        line = self.line_for(product.id, variant)
        check_line_quantity(quantity + (line.quantity if line else 0), max_quantity)
        product.ensure_stock_for(self.units_of(product.id) + quantity)
        if line is None:
            line = CartItem.of(product, variant, quantity, now)
            self.items.append(line)
        else:
            line.quantity += quantity
            line.refresh_from(product, now)
        self.updated_at = now
        return line

    def change(
        self,
        line: CartItem,
        product: Product,
        now: datetime,
        max_quantity: int,
        *,
        quantity: int | None = None,
        variant: Variant | None = None,
    ) -> CartItem:
        """Set a line's quantity and/or variant. Moving onto a variant that already has a line absorbs
        that line, so the edited line (and its id) survives with both quantities."""
        self._check_product(product)
        if line.product_id != product.id:
            raise ValueError("the product given is not the line's product")
        new_quantity = line.quantity if quantity is None else check_quantity(quantity, max_quantity)
        new_variant = line.variant if variant is None else variant
        absorbed = self.line_for(line.product_id, new_variant)
        if absorbed is line:
            absorbed = None
        final = check_line_quantity(new_quantity + (absorbed.quantity if absorbed else 0), max_quantity)
        besides = (line, absorbed) if absorbed else (line,)
        product.ensure_stock_for(self.units_of(product.id, besides=besides) + final)
        if absorbed is not None:
            self.items.remove(absorbed)
        line.variant = new_variant
        line.quantity = final
        line.refresh_from(product, now)
        self.updated_at = now
        return line

    def remove(self, line: CartItem, now: datetime) -> None:
        self.items.remove(line)
        self.updated_at = now

    def _check_product(self, product: Product) -> None:
        if product.store_id != self.store_id:
            raise ValueError(f"product of store {product.store_id} offered to the cart of {self.store_id}")
